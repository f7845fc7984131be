/**
 * A generated Seller-Panel-like order list, served under the real URL, whose
 * own script behaves like the panel's React app: it loads the postings from
 * the same-origin JSON endpoint the panel uses (so the MAIN-world interceptor
 * does its real work), then mounts the rows in chunks, one chunk per frame,
 * with createElement, and can later re-render the whole list (every row
 * element replaced, as on a tab switch or a refresh).
 *
 * The markup is what the reader has to cope with on the real panel: a div grid
 * with hashed CSS-module class names, posting numbers in links, Russian status
 * words, and ship-by times as Moscow wall-clock text relative to now.
 *
 * The page also carries the bench's probes (window.__bench): the instant each
 * row was inserted and, through its own MutationObserver, the instant the
 * row's `[data-ozon-guard]` badge host arrived. The probes run in both the
 * runs with and without the extension, so their cost cancels.
 */

export const LIST_URL = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';
export const LIST_API = '/api/posting-service/seller-ui/fbs/posting/list';
/** Opening the list paged (the real panel): the app loads this many rows, then «Показать еще» adds as many again. */
export const PAGED_HASH = '#bench-paged=';

/** A small deterministic PRNG (mulberry32), so every run renders the same page. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = [
  'Чехол силиконовый для iPhone 15 Pro, прозрачный',
  'Кабель USB-C — USB-C 100 Вт, 2 м, нейлоновая оплётка',
  'Органайзер для косметики вращающийся, 360°',
  'Наушники беспроводные TWS с шумоподавлением',
  'Светодиодная лента RGB 5 м с пультом',
  'Термокружка из нержавеющей стали 500 мл',
  'Набор отвёрток прецизионных 25 в 1',
  'Коврик для мыши XXL 900×400 мм',
  'Детский конструктор магнитный, 64 детали',
  'Массажёр для шеи электрический',
];

const HOUR = 3_600_000;

/**
 * The panel's JSON for `n` postings, awaiting packaging, with ship-by times
 * spread around `nowMs`: ~10 % inside the next hour (so the countdown ticks
 * every second, the ticker's busiest mode), ~3 % already overdue, the rest
 * 1–72 h ahead. `offset` pages through the same list (limit/offset, as the
 * panel's list calls page: docs/real-panel.md §1.4): postings offset … offset+n-1.
 */
export function postingsJson(n, nowMs, seed = 7, offset = 0, hasNext = false) {
  const r = rng(seed);
  const postings = [];
  for (let i = 0; i < offset + n; i++) {
    const order = 16_000_000 + Math.floor(r() * 80_000_000);
    const posting = `${order}-${String(1 + (i % 9999)).padStart(4, '0')}-${1 + Math.floor(r() * 3)}`;
    const u = r();
    // Row 1 (on screen) is always inside its last hour: the ticker then runs every second.
    const soon = i === 1 || u >= 0.03 && u < 0.13;
    const shipIn = soon ? (0.5 + r() * 0.45) * HOUR : u < 0.03 ? -r() * 2 * HOUR : (1 + r() * 71) * HOUR;
    // The panel's times are whole minutes.
    const ship = Math.floor((nowMs + shipIn) / 60_000) * 60_000;
    const paid = ship - (24 + r() * 24) * HOUR;
    const nItems = r() < 0.8 ? 1 : 2 + Math.floor(r() * 2);
    const products = [];
    for (let k = 0; k < nItems; k++) {
      products.push({
        sku: 100_000_000 + Math.floor(r() * 900_000_000),
        offer_id: `ART-${Math.floor(r() * 99_999)}`,
        name: PRODUCTS[Math.floor(r() * PRODUCTS.length)],
        quantity: 1 + Math.floor(r() * 3),
        price: (99 + Math.floor(r() * 9_900)).toFixed(2),
        currency_code: 'RUB',
      });
    }
    postings.push({
      posting_number: posting,
      order_number: posting.split('-').slice(0, 2).join('-'),
      status: 'awaiting_packaging',
      substatus: 'posting_created',
      in_process_at: new Date(paid).toISOString(),
      shipment_date: new Date(ship).toISOString(),
      tracking_number: '',
      delivery_method: { id: 1020000000 + (i % 5), name: 'Ozon Логистика самостоятельно, Москва', warehouse: 'Основной склад' },
      products,
      financial_data: { products: products.map((p) => ({ product_id: p.sku, price: p.price, payout: p.price })) },
      is_express: false,
      requirements: { products_requiring_gtd: [], products_requiring_country: [] },
    });
  }
  return { result: { postings: postings.slice(offset), has_next: hasNext, count: offset + n } };
}

/** The page: static shell + the app script. The app waits for __bench.render(n). */
export function pageHtml() {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Заказы с моих складов — Ozon Seller</title>
<style>
body{margin:0;font:14px/1.4 Arial,sans-serif;color:#001a34;background:#f2f3f5}
.Header_header__k3Zp1{height:56px;background:#fff;border-bottom:1px solid #e0e4ea;display:flex;align-items:center;padding:0 24px;font-weight:700}
.Layout_main__Qw9x2{padding:16px 24px}
.Tabs_tabs__u8Kd3{display:flex;gap:16px;margin-bottom:12px}.Tabs_tab__pP0a9{padding:6px 12px;border-radius:8px;background:#fff}
.Tabs_active__T5mn1{background:#005bff;color:#fff}
.PostingsTable_table__fR2s7{background:#fff;border-radius:12px;overflow:hidden}
.PostingsTable_head__aM41q,.PostingsRow_row__x7Kq2{display:grid;grid-template-columns:32px 200px 150px 140px 150px minmax(200px,1fr) 110px;align-items:center;column-gap:12px;padding:10px 16px;border-bottom:1px solid #eef0f3}
.PostingsTable_head__aM41q{color:#707f8d;font-size:12px;position:sticky;top:0;background:#fff}
.PostingsRow_row__x7Kq2:hover{background:#f7f8fa}
.PostingsRow_cell__b9LmE{min-width:0;overflow:hidden;text-overflow:ellipsis}
.PostingsRow_sub__Zt3Qa{color:#707f8d;font-size:12px}
.Link_link__c0Vh8{color:#005bff;text-decoration:none}
.Status_status__nA2wQ{display:inline-block;padding:2px 8px;border-radius:6px;background:#fff4e5;color:#d97706;font-size:12px}
.Price_price__hM7s1{text-align:right;font-weight:700}
.PostingsTable_more__Hq3s8{display:flex;justify-content:center;padding:16px}
.Button_button__s8Lk0{padding:8px 20px;border:0;border-radius:8px;background:#e0ecff;color:#005bff;font:inherit;cursor:pointer}
</style></head>
<body><div id="root"><header class="Header_header__k3Zp1">Ozon Seller</header>
<main class="Layout_main__Qw9x2"><h1 class="Title_title__y2Hd4">Заказы с моих складов</h1>
<nav class="Tabs_tabs__u8Kd3"><a class="Tabs_tab__pP0a9 Tabs_active__T5mn1">Ожидают сборки</a><a class="Tabs_tab__pP0a9">Ожидают отгрузки</a><a class="Tabs_tab__pP0a9">Доставляются</a><a class="Tabs_tab__pP0a9">Спорные</a><a class="Tabs_tab__pP0a9">Доставлены</a><a class="Tabs_tab__pP0a9">Отменены</a><a class="Tabs_tab__pP0a9">Все</a></nav>
<div class="PostingsTable_table__fR2s7">
<div class="PostingsTable_head__aM41q"><div></div><div>Номер отправления</div><div>Принят в обработку</div><div>Статус</div><div>Дата отгрузки</div><div>Товары</div><div>Стоимость</div></div>
<div class="PostingsTable_body__Lk5p0"></div>
</div>
<div class="PostingsTable_more__Hq3s8"><button class="Button_button__s8Lk0" type="button" hidden>Показать еще</button></div></main></div>
<script>${APP}</script></body></html>`;
}

// The app: a React-like list. Kept as plain ES2020 inside the HTML so its
// samples in the profile carry the page's own URL.
const APP = String.raw`
(() => {
  'use strict';
  const CHUNK = 100; // rows mounted per frame, like a time-sliced render
  // OOG_BENCH_ROW_ROLE=1: rows say role="row" while their cells have no ARIA role (a variant, off by default).
  const ROW_ROLE = ${process.env.OOG_BENCH_ROW_ROLE === '1'};
  const list = document.querySelector('.PostingsTable_body__Lk5p0');
  const B = (window.__bench = { gen: 0, inserted: 0, badged: 0, lat: [], rows: new WeakMap(), data: null });

  // Probe: a badge host arriving in a row (added, or given the attribute later).
  const onBadge = (el, t) => {
    if (el.nodeType !== 1 || !el.hasAttribute('data-ozon-guard')) return;
    let p = el.parentElement;
    while (p && !B.rows.has(p)) p = p.parentElement;
    if (!p) return;
    const rec = B.rows.get(p);
    if (rec.gen !== B.gen || rec.badgeAt !== undefined) return;
    rec.badgeAt = t;
    B.lat.push(t - rec.t);
    B.badged++;
    // A row of a «Показать еще» page: that page's last badge (showMoreToLastBadgeMs).
    if (rec.app !== undefined) {
      const a = B.appends[rec.app];
      a.badged++;
      if (!(a.lastBadgeAt >= t)) a.lastBadgeAt = t;
    }
  };
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      if (r.type === 'attributes') onBadge(r.target, t);
      else for (const n of r.addedNodes) onBadge(n, t);
    }
  }).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-ozon-guard'] });

  const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
  const pad = (n) => (n < 10 ? '0' : '') + n;
  // The panel shows Moscow wall-clock time (UTC+3, no DST).
  const msk = (iso) => {
    const d = new Date(Date.parse(iso) + 3 * 3600e3);
    return pad(d.getUTCDate()) + '.' + pad(d.getUTCMonth() + 1) + '.' + d.getUTCFullYear() + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  };
  const money = (v) => Math.round(Number(v)).toLocaleString('ru-RU') + '\u00a0₽';

  // "Components": h() is createElement + props, like a JSX runtime's output.
  const h = (tag, cls, ...children) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    for (const c of children) el.append(c);
    return el;
  };
  const Row = (p) => {
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    const link = h('a', 'Link_link__c0Vh8', p.posting_number);
    link.href = '/app/postings/fbs?tab=awaiting_packaging&postingDetails=' + p.posting_number;
    const items = p.products.map((x) => h('div', 'PostingsRow_item__r4Fv1', h('div', null, x.name), h('div', 'PostingsRow_sub__Zt3Qa', 'SKU ' + x.sku + ' · ' + x.quantity + ' шт.')));
    const total = p.products.reduce((s, x) => s + Number(x.price) * x.quantity, 0);
    const row = h('div', 'PostingsRow_row__x7Kq2',
      h('div', 'PostingsRow_cell__b9LmE', cb),
      h('div', 'PostingsRow_cell__b9LmE', link, h('div', 'PostingsRow_sub__Zt3Qa', 'Заказ ' + p.order_number)),
      h('div', 'PostingsRow_cell__b9LmE', msk(p.in_process_at)),
      h('div', 'PostingsRow_cell__b9LmE', h('span', 'Status_status__nA2wQ', 'Ожидает сборки')),
      h('div', 'PostingsRow_cell__b9LmE', msk(p.shipment_date)),
      h('div', 'PostingsRow_cell__b9LmE', ...items),
      h('div', 'PostingsRow_cell__b9LmE Price_price__hM7s1', money(total)));
    // React keeps its fiber on the node; so do we (memory realism).
    row.__reactFiber$k2x9 = { key: p.posting_number, props: p };
    if (ROW_ROLE) row.setAttribute('role', 'row');
    return row;
  };

  const mount = (rows, app) => {
    const t = performance.now();
    for (const [row, p] of rows) {
      B.rows.set(row, { gen: B.gen, t, posting: p.posting_number, app });
      list.appendChild(row);
    }
    B.inserted += rows.length;
    return t;
  };

  const reset = () => {
    B.gen++;
    B.inserted = 0;
    B.badged = 0;
    B.lat = [];
  };

  /** Load n postings from the panel API and mount them CHUNK rows per frame. */
  B.render = async (n) => {
    reset();
    const t0 = performance.now();
    const res = await fetch('${LIST_API}', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-o3-app-name': 'seller-ui' },
      body: JSON.stringify({ filter: { status_alias: ['awaiting_packaging'] }, limit: n, offset: 0, with: { analytics_data: true } }),
    });
    const json = await res.json();
    const postings = json.result.postings;
    B.data = postings;
    list.replaceChildren();
    for (let i = 0; i < postings.length; i += CHUNK) {
      await frame();
      mount(postings.slice(i, i + CHUNK).map((p) => [Row(p), p]));
    }
    await frame();
    await frame();
    return { ms: performance.now() - t0, rows: B.inserted };
  };

  // ── Paged, like the real FBS list (docs/real-panel.md §3 "Pagination"): it opens with one page
  // of rows and grows by «Показать еще», each press POSTing the next limit/offset page to the list
  // API. Through XMLHttpRequest: the panel's own /api calls go that way (docs/real-panel.md §2).
  const more = document.querySelector('.Button_button__s8Lk0');
  B.appends = [];
  const listPage = (limit, offset) =>
    new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('POST', '${LIST_API}');
      x.setRequestHeader('content-type', 'application/json');
      x.setRequestHeader('x-o3-app-name', 'seller-ui');
      x.onload = () => {
        try {
          resolve(JSON.parse(x.responseText).result.postings);
        } catch (e) {
          reject(e);
        }
      };
      x.onerror = () => reject(new Error('list page failed'));
      x.send(JSON.stringify({ filter: { status_alias: ['awaiting_packaging'] }, limit, offset, with: { analytics_data: true } }));
    });
  B.openPaged = async (size) => {
    reset();
    B.pageSize = size;
    B.appends = [];
    const t0 = performance.now();
    const postings = await listPage(size, 0);
    B.data = postings;
    list.replaceChildren();
    await frame();
    mount(postings.map((p) => [Row(p), p]));
    more.hidden = false;
    return { ms: performance.now() - t0, rows: B.inserted };
  };
  more.addEventListener('click', async (e) => {
    const app = B.appends.length;
    // e.timeStamp: when the press happened, before any handler (ours or anyone's) ran.
    const a = { clickAt: e.timeStamp, rows: 0, badged: 0, mountAt: undefined, lastBadgeAt: undefined };
    B.appends.push(a);
    more.disabled = true;
    const postings = await listPage(B.pageSize, B.inserted);
    await frame();
    a.rows = postings.length;
    a.mountAt = mount(postings.map((p) => [Row(p), p]), app);
    more.disabled = false;
  });
  if (location.hash.startsWith('${PAGED_HASH}')) B.opening = B.openPaged(Number(location.hash.slice(${PAGED_HASH.length})) || 50);

  /** A full re-render: every row element replaced in one commit. */
  B.rerender = async () => {
    reset();
    const t0 = performance.now();
    const rows = B.data.map((p) => [Row(p), p]);
    list.replaceChildren();
    mount(rows);
    await frame();
    await frame();
    return { ms: performance.now() - t0, rows: B.inserted };
  };
})();
`;
