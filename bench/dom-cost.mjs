#!/usr/bin/env node
/**
 * Diagnostics: what one DOM call of the row path costs in the page's own world and in an isolated
 * world (where a content script runs), not part of `npm run bench`.
 *
 *   node bench/dom-cost.mjs [N=5000] [R=5]
 *
 * Why: the floor (bench/floor-ext) costs ≈ 20 µs a row, and bench/phases.mjs shows the product's
 * row as ≈ 25 steps of 1–8 µs. Whether a step is dear because of its JS or because of the DOM
 * calls it makes decides what a cheaper design would have to drop (docs/performance.md
 * "Thirteenth pass"). Each call the row path makes is timed on N rows of a plain list, µs per
 * call, median of R rounds, each round in a new page and a new isolated world (CDP
 * `Page.createIsolatedWorld`, the mechanism behind content scripts' worlds): a DOM object an
 * isolated world touches gets a wrapper of that world's own, so a node reached for the first time
 * costs more there.
 */
import { chromium } from 'playwright-core';
import { requireChromium } from '../scripts/browsers.mjs';
import { median } from './lib/browser.mjs';

const N = Number(process.argv[2] ?? 5000);
const R = Number(process.argv[3] ?? 5);

/** Runs in the page's own world, as the panel's script would: a list of N rows (a checkbox cell, the posting link, four text cells). */
const build = (n) => {
  const list = document.createElement('div');
  list.id = 'list';
  for (let i = 0; i < n; i++) {
    const num = `${10000000 + i}-0001-1`;
    const row = document.createElement('div');
    row.className = 'row';
    row.innerHTML = `<div><input type="checkbox"></div><div><a href="/app/postings/fbs?postingDetails=${num}">${num}</a></div><div>Ожидает сборки</div><div>07.12.2026 10:00</div><div>Товар ${i}</div><div>1 шт.</div>`;
    list.append(row);
  }
  document.body.append(list);
};

/** Runs in the world measured: each call of the row path once per row, rows met for the first time by this world. */
const calls = (n) => {
  const list = document.getElementById('list');
  const host = document.createElement('ozon-guard-badge');
  for (const [k, v] of [['data-status', 'awaiting_packaging'], ['data-level', 'ok'], ['data-cancellable', 'true'], ['data-archivable', 'false'], ['data-deadline', 'ship']]) host.setAttribute(k, v);
  for (let i = 0; i < 3; i++) host.append(document.createElement('span'));
  const out = {};
  const time = (name, fn) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    out[name] = ((performance.now() - t) / n) * 1000;
  };
  const rows = [];
  const hosts = [];
  // The first call a row gets from this world: here its wrapper is made (the observer's records hand rows over the same way).
  time('first touch: list.children[i]', (i) => rows.push(list.children[i]));
  time('row.querySelector(posting link)', (i) => rows[i].querySelector('a[href*="postingDetails="]'));
  time('createTreeWalker + 4 × nextNode', (i) => {
    const w = document.createTreeWalker(rows[i], 5);
    for (let k = 0; k < 4; k++) w.nextNode();
  });
  time('row.querySelectorAll(badge host)', (i) => rows[i].querySelectorAll('ozon-guard-badge'));
  // A new row's "no host of ours in it yet" check (components/overlay/rows.ts apply), both ways:
  // a live collection the browser keeps per element and tag, or a one-off query.
  time('row.getElementsByTagName(host).length', (i) => rows[i].getElementsByTagName('ozon-guard-badge').length);
  time('row.querySelector(host), no host', (i) => rows[i].querySelector('ozon-guard-badge'));
  time('host.cloneNode(true)', () => hosts.push(host.cloneNode(true)));
  time('setAttribute, detached', (i) => hosts[i].setAttribute('data-posting', `${10000000 + i}-0001-1`));
  time('append into the row', (i) => rows[i].children[1].append(hosts[i]));
  time('setAttribute, connected', (i) => hosts[i].setAttribute('data-cd', `${i % 24} ч`));
  time('row.textContent', (i) => rows[i].textContent);
  list.remove();
  return out;
};

const browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const rounds = { main: [], isolated: [] };
try {
  for (let r = 0; r < R; r++) {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
    await page.evaluate(build, N);
    rounds.main.push(await page.evaluate(calls, N));
    await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
    await page.evaluate(build, N);
    const cdp = await page.context().newCDPSession(page);
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: `dom-cost-${r}` });
    const res = await cdp.send('Runtime.evaluate', { expression: `(${calls})(${N})`, contextId: executionContextId, returnByValue: true });
    if (res.exceptionDetails) throw new Error(JSON.stringify(res.exceptionDetails));
    rounds.isolated.push(res.result.value);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`${N} rows, median of ${R} rounds, µs per call`);
console.log(`${'call'.padEnd(36)} ${'page world'.padStart(10)} ${'isolated'.padStart(10)}`);
for (const k of Object.keys(rounds.main[0])) {
  const m = median(rounds.main.map((x) => x[k]));
  const iso = median(rounds.isolated.map((x) => x[k]));
  console.log(`${k.padEnd(36)} ${m.toFixed(2).padStart(10)} ${iso.toFixed(2).padStart(10)}`);
}
