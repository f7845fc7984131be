#!/usr/bin/env node
/**
 * Diagnostics: what the badge sheet costs the page's rendering, by variant, not part of
 * `npm run bench` (which measures the same thing for the real extension: "rendering the badges
 * add"). A plain page of N div-grid rows, laid out; then one badge element per row as the
 * extension writes it (components/badge/badge.ts: the contract attributes, the pills' words in
 * attributes, the archive verdict as text) under each variant of the sheet
 * (components/badge/styles.ts BADGE_CSS, read from the source), and the style recalculation,
 * layout, pre-paint and paint that follow, from a Chrome trace (CPU time), median of R pages.
 *
 *   node bench/css-cost.mjs [N=1000] [R=5] [--scroll]
 *
 * --scroll: instead of the insertion, what scrolling costs once the badges are in: 40 frames of
 * 120 px each, the main thread's CPU per frame (all of it, and the intersection checks that
 * `content-visibility: auto` makes the browser run for every badge).
 *
 * docs/performance.md "Eleventh pass" has what it found: `all: unset` on the pills was most of the
 * sheet's style cost; `content-visibility: auto` spared the insertion the badges out of view but
 * made scrolling far dearer (--scroll). "Twelfth pass": pills drawn as blocks rather than inline
 * flex containers look the same and are no dearer (0–15 % less, within noise). "Sixteenth pass":
 * badges past the first 60 left bare (their pills drawn near the viewport only). Rows 0–19 of the
 * page are on screen, the rest below it.
 */
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireChromium } from '../scripts/browsers.mjs';
import { pageMainThread, renderWork, startTrace, stopTrace } from './lib/trace.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const src = readFileSync(path.join(ROOT, 'components/badge/styles.ts'), 'utf8');
const constOf = (name) => {
  const m = src.match(new RegExp(`const ${name} =\\s*([\\s\\S]*?);\\n`));
  if (!m) throw new Error(`components/badge/styles.ts: no ${name} (the sheet's source changed: update this tool)`);
  // A string literal, or literals joined by +.
  return [...m[1].matchAll(/(['`])([\s\S]*?)\1/g)].map((x) => x[2]).join('');
};
const FONT = constOf('FONT');
const B = constOf('B');
const PSEUDO_RESET = constOf('PSEUDO_RESET');
const sheet = src
  .match(/export const BADGE_CSS = `([\s\S]*?)`;/)[1]
  .replaceAll('${B}', B)
  .replaceAll('${FONT}', FONT)
  .replaceAll('${PSEUDO_RESET}', PSEUDO_RESET);
if (sheet.includes('${')) throw new Error('BADGE_CSS holds a substitution this tool does not know');

const variants = {
  'badges, no sheet': null,
  'the sheet': sheet,
  'pills all:unset (the tenth pass)': sheet.replace(PSEUDO_RESET, 'all:unset;'),
  'pills inline-flex (the eleventh pass)': sheet
    .replace('display:block;height:16px;line-height:16px', 'display:inline-flex;align-items:center;height:16px')
    .replace('{height:18px;line-height:18px}', '{height:18px}'),
  'bare past row 60 (the sixteenth pass)': [sheet, 60],
  'content-visibility:auto (measured, not kept)': sheet.replace('{all:initial;', '{all:initial;content-visibility:auto;contain-intrinsic-size:auto 150px auto 20px;'),
};
// Each variant: a sheet, or [sheet, rows drawn before the rest are bare].
for (const k of Object.keys(variants)) if (!Array.isArray(variants[k])) variants[k] = [variants[k], Infinity];
if (variants['content-visibility:auto (measured, not kept)'][0] === sheet) throw new Error('BADGE_CSS no longer starts the badge rule with all:initial: update this tool');
if (variants['pills inline-flex (the eleventh pass)'][0] === sheet) throw new Error('BADGE_CSS no longer draws the pills as blocks: update this tool');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SCROLL = process.argv.includes('--scroll');
const N = Number(args[0] ?? 1000);
const R = Number(args[1] ?? 5);

const html = `<!doctype html><meta charset=utf-8><style>.row{display:grid;grid-template-columns:40px 240px 140px 140px 140px 1fr 100px;border-bottom:1px solid #eee;font:14px Arial}.cell{padding:8px}</style><div id=list></div><script>
const list = document.getElementById('list');
for (let i = 0; i < ${N}; i++) {
  const r = document.createElement('div');
  r.className = 'row';
  for (let c = 0; c < 7; c++) { const d = document.createElement('div'); d.className = 'cell'; d.textContent = c === 1 ? (40000000 + i) + '-0001-1' : 'cell ' + c; r.append(d); }
  list.append(r);
}
window.insertBadges = ([css, drawnRows]) => {
  if (css) { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets = [s]; }
  const levels = ['ok', 'at_risk', 'critical', 'overdue'];
  let i = 0;
  for (const r of list.children) {
    const h = document.createElement('ozon-guard-badge');
    h.setAttribute('data-ozon-guard', ''); h.tabIndex = 0; h.setAttribute('role', 'group');
    h.setAttribute('data-status', 'awaiting_packaging'); h.setAttribute('data-cancel', 'allowed'); h.setAttribute('data-archive', 'blocked');
    // Past drawnRows, a bare badge (components/badge/badge.ts Badge.bare): contract attributes, no pills.
    const bare = i >= drawnRows;
    h.setAttribute('data-deadline', 'ship'); h.setAttribute('data-level', levels[i % 4]); if (!bare) h.setAttribute('data-t-cx', 'Можно отменить');
    h.setAttribute('data-posting', r.children[1].textContent); h.setAttribute('data-due', '2026-12-07T10:00:00.000Z');
    if (!bare) h.setAttribute('data-t-cd', (i % 24) + ' ч ' + (i % 60) + ' мин'); h.setAttribute('aria-label', 'Ozon Order Guard');
    if (bare) h.setAttribute('data-b', ''); else h.textContent = 'Архив: нельзя';
    r.children[1].append(h);
    i++;
  }
  return new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(() => res())));
};
window.scrollFrames = (frames, px) => new Promise((res) => {
  let k = 0;
  const step = () => { if (k++ >= frames) return res(); window.scrollBy(0, px); requestAnimationFrame(step); };
  requestAnimationFrame(step);
});
</script>`;

const browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const got = {};
try {
  for (let rep = 0; rep < R; rep++) {
    for (const [name, css] of Object.entries(variants)) {
      const page = await browser.newPage();
      await page.setContent(html);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const cdp = await page.context().newCDPSession(page);
      if (SCROLL) {
        await page.evaluate((c) => window.insertBadges(c), css);
        await startTrace(cdp);
        await page.evaluate(() => window.scrollFrames(40, 120));
        const events = await stopTrace(cdp);
        const w = renderWork(events);
        const main = pageMainThread(events);
        const sum = (pred) => events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && pred(e)).reduce((t, e) => t + (e.tdur ?? e.dur ?? 0) / 1000, 0);
        const io = sum((e) => e.name === 'IntersectionObserverController::computeIntersections');
        const all = sum((e) => e.name === 'ThreadControllerImpl::RunTask');
        for (const [k, v] of [['io', io / 40], ['frame', all / 40], ['render', w.ms / 40]]) ((got[name] ??= {})[k] ??= []).push(v);
      } else {
        await startTrace(cdp);
        await page.evaluate((c) => window.insertBadges(c), css);
        const w = renderWork(await stopTrace(cdp));
        for (const k of ['style', 'layout', 'prepaint', 'paint', 'ms']) ((got[name] ??= {})[k] ??= []).push(w[k]);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
if (SCROLL) {
  console.log(`${N} rows with badges, scrolled 40 frames of 120 px, median of ${R} pages (CPU ms per frame): main thread / style+layout+paint / intersection checks`);
  for (const [name, w] of Object.entries(got)) console.log(`  ${name.padEnd(46)} ${med(w.frame).toFixed(2).padStart(6)} / ${med(w.render).toFixed(2).padStart(6)} / ${med(w.io).toFixed(2).padStart(6)}`);
} else {
  console.log(`${N} badges inserted at once, median of ${R} pages (CPU ms): style / layout / pre-paint / paint = all`);
  for (const [name, w] of Object.entries(got)) {
    console.log(`  ${name.padEnd(46)} ${['style', 'layout', 'prepaint', 'paint'].map((k) => med(w[k]).toFixed(1).padStart(6)).join(' /')} = ${med(w.ms).toFixed(1)}`);
  }
}

