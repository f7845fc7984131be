#!/usr/bin/env node
/**
 * `npm run soak`: a panel tab left open, compressed — does anything grow?
 * Not part of `npm test`.
 *
 *   node bench/soak.mjs [--minutes N] [--build] [--sample-every S] [--rows R]
 *
 * The page is a live-like order list of 40 rows (--rows: more than 60 makes the overlay's badges
 * past the first 60 bare until near the viewport, components/overlay/clock.ts) served at the real panel URL:
 * every 300 ms five rows are replaced by NEW postings, every 3 s the whole
 * list re-renders (every row element replaced), every 5 s the panel's JSON is
 * re-fetched (the MAIN-world interceptor sees it), every 15 s the SPA switches
 * tab (history.pushState + a new list). Two Debian Chromium instances run it
 * side by side (bench/lib/browser.mjs): one with the production build, one
 * without any extension, so the page's own noise is measured too.
 *
 * Each sample pauses the churn for 2.5 s, forces GC (CDP HeapProfiler.collectGarbage, twice) and reads
 * Memory.getDOMCounters (jsEventListeners, nodes, documents — every world of
 * the renderer, so the content script's listeners count) and the used JS heap
 * (Runtime.getHeapUsage: the renderer's isolate, page and content script
 * together). The extension's heap is the difference between the two
 * browsers; its growth per 1,000 postings seen is that difference's growth
 * over the run divided by the postings the page created.
 *
 * Prints a table and, as its LAST line, one JSON object with every figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchPair } from './lib/browser.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXT = path.join(path.resolve(ROOT, process.env.OOG_OUT_DIR ?? '.output'), 'chrome-mv3');
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
};
const MINUTES = arg('--minutes', 10);
const SAMPLE_EVERY_S = arg('--sample-every', 60);
const WARMUP_MS = 30_000;
if (!(MINUTES > 0)) {
  console.error('--minutes must be a positive number');
  process.exit(2);
}

const SOAK_URL = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';
const SOAK_API = '/api/posting-service/seller-ui/fbs/posting/list';
const ROWS = arg('--rows', 40);
if (!(ROWS >= 1 && ROWS <= 5000)) {
  console.error('--rows must be between 1 and 5000');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The panel-shaped JSON for the postings the page asks about (it sends their numbers and times). */
function panelJson(items) {
  return {
    result: {
      postings: items.map((p) => ({
        posting_number: p.n,
        order_number: p.n.split('-').slice(0, 2).join('-'),
        status: 'awaiting_packaging',
        substatus: 'posting_created',
        in_process_at: new Date(p.paid).toISOString(),
        shipment_date: new Date(p.ship).toISOString(),
        tracking_number: '',
        delivery_method: { id: 1020000001, name: 'Ozon Логистика самостоятельно, Москва', warehouse: 'Основной склад' },
        products: [{ sku: 100000000 + (p.seq % 900000000), offer_id: `ART-${p.seq}`, name: 'Термокружка 500 мл', quantity: 1, price: '990.00', currency_code: 'RUB' }],
        is_express: false,
      })),
      has_next: false,
      count: items.length,
    },
  };
}

function soakHtml() {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Заказы с моих складов — Ozon Seller</title>
<style>
body{margin:0;font:14px/1.4 Arial,sans-serif;background:#f2f3f5}
.Row_row__x7Kq2,.Head_head__a1{display:grid;grid-template-columns:200px 150px 140px 150px 1fr;gap:12px;padding:8px 16px;border-bottom:1px solid #eef0f3;background:#fff}
.Tab_tab__q1{padding:4px 10px;margin-right:8px}.Tab_on__q2{background:#005bff;color:#fff}
</style></head>
<body><div id="root"><nav id="tabs"></nav>
<div class="Table_table__z1"><div class="Head_head__a1"><div>Номер отправления</div><div>Принят в обработку</div><div>Статус</div><div>Дата отгрузки</div><div>Товары</div></div>
<div class="Table_body__z2" id="list"></div></div></div>
<script>${APP}</script></body></html>`;
}

const APP = String.raw`
(() => {
  'use strict';
  const ROWS = ${ROWS};
  const HOUR = 3600e3;
  const list = document.getElementById('list');
  const tabs = document.getElementById('tabs');
  const TABS = [['awaiting_packaging', 'Ожидают сборки'], ['awaiting_deliver', 'Ожидают отгрузки']];
  const S = (window.__soak = { seq: 0, seen: 0, fetches: 0, rerenders: 0, switches: 0, tab: 0, errors: 0 });
  let items = [];
  const pad = (n) => (n < 10 ? '0' : '') + n;
  const msk = (ms) => {
    const d = new Date(ms + 3 * HOUR);
    return pad(d.getUTCDate()) + '.' + pad(d.getUTCMonth() + 1) + '.' + d.getUTCFullYear() + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  };
  const fresh = () => {
    const seq = ++S.seq;
    S.seen++;
    const now = Date.now();
    // Spread like a real list: some inside the last hour (per-second ticks), a few overdue.
    const u = (seq * 7919) % 100;
    const shipIn = u < 3 ? -HOUR / 2 : u < 13 ? (0.5 + (u % 5) / 10) * HOUR : (2 + (u % 70)) * HOUR;
    const ship = Math.floor((now + shipIn) / 60e3) * 60e3;
    return { seq, n: String(30000000 + seq) + '-' + pad(1 + (seq % 97)).padStart(4, '0') + '-1', ship, paid: ship - 30 * HOUR };
  };
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const Row = (p) => {
    const r = el('div', 'Row_row__x7Kq2');
    const a = el('a', 'Link_link__c1', p.n);
    a.href = '/app/postings/fbs?postingDetails=' + p.n;
    const c1 = el('div', 'Row_cell__c');
    c1.append(a);
    r.append(c1, el('div', 'Row_cell__c', msk(p.paid)), el('div', 'Row_cell__c', S.tab ? 'Ожидает отгрузки' : 'Ожидает сборки'), el('div', 'Row_cell__c', msk(p.ship)), el('div', 'Row_cell__c', 'Термокружка 500 мл'));
    r.__reactFiber$soak = { key: p.n };
    return r;
  };
  const renderTabs = () => {
    tabs.replaceChildren(...TABS.map(([, label], i) => el('a', 'Tab_tab__q1' + (i === S.tab ? ' Tab_on__q2' : ''), label)));
  };
  const renderAll = () => {
    list.replaceChildren(...items.map(Row));
  };
  const replaceFive = () => {
    for (let k = 0; k < 5; k++) {
      const i = Math.floor(Math.random() * items.length);
      items[i] = fresh();
      const old = list.children[i];
      if (old) old.replaceWith(Row(items[i]));
    }
  };
  const fetchJson = async () => {
    S.fetches++;
    const res = await fetch('${SOAK_API}', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: items.map(({ seq, n, ship, paid }) => ({ seq, n, ship, paid })) }),
    });
    await res.json();
  };
  const switchTab = () => {
    S.switches++;
    S.tab = 1 - S.tab;
    history.pushState(null, '', '/app/postings/fbs?tab=' + TABS[S.tab][0]);
    items = Array.from({ length: ROWS }, fresh);
    renderTabs();
    renderAll();
    fetchJson().catch(() => S.errors++);
  };
  // Paused only while a sample is taken, in both browsers alike (see sample()).
  S.paused = false;
  const every = (ms, fn) => setInterval(() => { if (S.paused) return; try { fn(); } catch (e) { S.errors++; } }, ms);
  S.start = () => {
    items = Array.from({ length: ROWS }, fresh);
    renderTabs();
    renderAll();
    fetchJson().catch(() => S.errors++);
    every(300, replaceFive);
    every(3000, () => { S.rerenders++; renderAll(); });
    every(5000, () => fetchJson().catch(() => S.errors++));
    every(15000, switchTab);
  };
  S.check = () => {
    const rows = [...list.children];
    let one = 0, none = 0, many = 0;
    for (const r of rows) {
      const k = r.querySelectorAll('[data-ozon-guard]').length;
      if (k === 1) one++; else if (k === 0) none++; else many++;
    }
    return { rows: rows.length, one, none, many, hosts: document.querySelectorAll('[data-ozon-guard]').length };
  };
})();
`;

async function openSoak(side) {
  await side.ctx.route('https://seller.ozon.ru/app/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: soakHtml() }),
  );
  await side.ctx.route(`https://seller.ozon.ru${SOAK_API}`, (route) => {
    let items = [];
    try {
      items = JSON.parse(route.request().postData() ?? '{}').items ?? [];
    } catch {}
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(panelJson(items)) });
  });
  const page = await side.ctx.newPage();
  const cdp = await side.ctx.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.goto(SOAK_URL, { waitUntil: 'load' });
  await page.evaluate(() => window.__soak.start());
  return { ...side, page, cdp };
}

/**
 * One sample: the churn paused for a moment (so what is measured is what is
 * KEPT, not a re-render in flight or the extension's 1 s send debounce), GC
 * forced twice, then the counters; the churn resumes.
 */
async function sample(s) {
  await s.page.evaluate(() => (window.__soak.paused = true));
  await sleep(2500);
  await s.cdp.send('HeapProfiler.collectGarbage');
  await s.cdp.send('HeapProfiler.collectGarbage');
  const c = await s.cdp.send('Memory.getDOMCounters');
  const h = await s.cdp.send('Runtime.getHeapUsage');
  const seen = await s.page.evaluate(() => window.__soak.seen);
  await s.page.evaluate(() => (window.__soak.paused = false));
  return { listeners: c.jsEventListeners, nodes: c.nodes, documents: c.documents, heapMB: h.usedSize / 1048576, seen };
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

async function main() {
  if (argv.includes('--build') || !existsSync(path.join(EXT, 'manifest.json'))) {
    console.log('building the extension …');
    const r = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  console.log(`soak: ${MINUTES} min, ${ROWS} rows, 5 replaced / 300 ms, re-render / 3 s, JSON / 5 s, tab switch / 15 s`);
  const pair = await launchPair(EXT);
  const out = { minutes: MINUTES };
  try {
    const bare = await openSoak(pair.bare);
    const ext = await openSoak(pair.ext);
    await sleep(WARMUP_MS);
    const start = { bare: await sample(bare), ext: await sample(ext) };
    const line = (label, b, e) =>
      console.log(
        `${label.padEnd(8)} listeners ${String(e.listeners).padStart(6)} (bare ${String(b.listeners).padStart(5)})  nodes ${String(e.nodes).padStart(6)} (bare ${String(b.nodes).padStart(6)})  heap ${fmt(e.heapMB, 2)} MB (bare ${fmt(b.heapMB, 2)})  postings seen ${e.seen}`,
      );
    line('start', start.bare, start.ext);
    const t0 = Date.now();
    const endAt = t0 + MINUTES * 60_000;
    const series = [];
    while (Date.now() < endAt) {
      await sleep(Math.min(SAMPLE_EVERY_S * 1000, endAt - Date.now()));
      if (Date.now() >= endAt) break;
      const s = { bare: await sample(bare), ext: await sample(ext) };
      series.push({ atS: Math.round((Date.now() - t0) / 1000), ext: s.ext, bare: s.bare });
      line(`${Math.round((Date.now() - t0) / 60000)} min`, s.bare, s.ext);
    }
    const end = { bare: await sample(bare), ext: await sample(ext) };
    line('end', end.bare, end.ext);
    await sleep(1500);
    const check = await ext.page.evaluate(() => window.__soak.check());
    const stats = await ext.page.evaluate(() => ({ ...window.__soak }));
    const seen = end.ext.seen - start.ext.seen;
    const extHeapStart = start.ext.heapMB - start.bare.heapMB;
    const extHeapEnd = end.ext.heapMB - end.bare.heapMB;
    Object.assign(out, {
      postingsSeen: seen,
      rerenders: stats.rerenders,
      jsonFetches: stats.fetches,
      tabSwitches: stats.switches,
      listeners: { ext: [start.ext.listeners, end.ext.listeners], bare: [start.bare.listeners, end.bare.listeners] },
      listenersGrowth: { ext: end.ext.listeners - start.ext.listeners, bare: end.bare.listeners - start.bare.listeners },
      nodes: { ext: [start.ext.nodes, end.ext.nodes], bare: [start.bare.nodes, end.bare.nodes] },
      nodesGrowth: { ext: end.ext.nodes - start.ext.nodes, bare: end.bare.nodes - start.bare.nodes },
      heapMB: { ext: [+start.ext.heapMB.toFixed(3), +end.ext.heapMB.toFixed(3)], bare: [+start.bare.heapMB.toFixed(3), +end.bare.heapMB.toFixed(3)] },
      extHeapMB: [+extHeapStart.toFixed(3), +extHeapEnd.toFixed(3)],
      extHeapPer1kPostingsMB: +(((extHeapEnd - extHeapStart) / Math.max(1, seen)) * 1000).toFixed(4),
      badges: check,
      pageErrors: { ext: pair.ext.errors.length + stats.errors, bare: pair.bare.errors.length },
      series: series.map((s) => ({ atS: s.atS, extListeners: s.ext.listeners, bareListeners: s.bare.listeners, extNodes: s.ext.nodes, bareNodes: s.bare.nodes, extHeapMB: +(s.ext.heapMB - s.bare.heapMB).toFixed(3) })),
    });
    console.log(
      `extension: listeners ${out.listenersGrowth.ext >= 0 ? '+' : ''}${out.listenersGrowth.ext} (bare ${out.listenersGrowth.bare >= 0 ? '+' : ''}${out.listenersGrowth.bare}), nodes ${out.nodesGrowth.ext >= 0 ? '+' : ''}${out.nodesGrowth.ext} (bare ${out.nodesGrowth.bare >= 0 ? '+' : ''}${out.nodesGrowth.bare}), heap ${fmt(extHeapStart, 2)} → ${fmt(extHeapEnd, 2)} MB over ${seen} postings = ${fmt(out.extHeapPer1kPostingsMB, 3)} MB per 1,000 postings seen (target < 0.2); badges: ${check.one}/${check.rows} rows with exactly one, ${check.many} with more`,
    );
  } finally {
    await pair.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
