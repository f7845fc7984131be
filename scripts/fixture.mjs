#!/usr/bin/env node
/**
 * `npm run fixture -- report.json [out.html]`: a page report saved from the
 * popup (panel/report.ts) → a fixture page (scripts/report-page.mjs) the
 * reader can be tested on. Without `out.html` the page is written beside the
 * report (`report.html`). Prints the URL to serve it at (the report's own
 * origin and path: the reader takes the scheme and tab from the URL).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportToHtml, reportUrl } from './report-page.mjs';

function fail(message) {
  process.stderr.write(`fixture: ${message}\n`);
  process.exit(1);
}

const [input, output] = process.argv.slice(2);
if (!input || input === '-h' || input === '--help') {
  process.stdout.write('usage: npm run fixture -- <page-report.json> [out.html]\n');
  process.exit(input ? 0 : 1);
}

let text;
try {
  text = readFileSync(input, 'utf8');
} catch (e) {
  fail(`cannot read ${input}: ${e.message}`);
}
let report;
try {
  report = JSON.parse(text.replace(/^\uFEFF/, ''));
} catch (e) {
  fail(`${input} is not JSON: ${e.message}`);
}
let html;
try {
  html = reportToHtml(report);
} catch (e) {
  fail(`${input}: ${e.message}`);
}
const out = output ?? path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.html`);
writeFileSync(out, html);
const rows = (report.candidates ?? []).filter((c) => c && c.recognised).length;
const shown = (report.candidates ?? []).length;
process.stdout.write(
  `wrote ${out}\n  serve it at ${reportUrl(report)}\n  the report saw ${shown} posting number(s), ${rows} recognised as order rows` +
    `${report.state?.layoutChanged ? ' (the page was in the "layout changed" state)' : ''}\n`,
);
