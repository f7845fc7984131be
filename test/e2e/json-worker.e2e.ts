/**
 * The panel's big JSON bodies walked off the page's main thread, in a real browser with the
 * production build (components/overlay/json-offload.ts): a list of 1,200 postings whose rows print
 * the posting number and status only, so every `data-due` can only have come from the JSON's
 * shipment_date. Served once as the panel would serve it, and once under a Content-Security-Policy
 * that forbids blob: workers: the worker is refused there, the list is taken in on the page's
 * thread all the same, the page's CSP report goes out once, and the next page load on that origin
 * does not try again (storage/offload.ts). And a list of 50 (the real panel's first page, walked on
 * the page) starts no worker, until the origin had a body big enough for one: then the worker is
 * started ahead of the list on the next loads there (storage/offload.ts `offloadUsed`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, PANEL, type Harness } from './harness';
import { badgeAttrs, until } from './badge-contract';

const N = 1_200;
const LIST = '/api/posting-service/seller-ui/fbs/posting/list';
const ship = (i: number) => new Date(Date.UTC(2031, 0, 1, 0, i % 1440)).toISOString().replace('.000Z', 'Z');

function body(n = N): string {
  const postings = Array.from({ length: n }, (_, i) => ({
    posting_number: `${70_000_000 + i}-0001-1`,
    order_number: `${70_000_000 + i}-0001`,
    status: 'awaiting_packaging',
    substatus: 'posting_created',
    in_process_at: '2030-12-30T08:00:00Z',
    shipment_date: ship(i),
    delivery_method: { id: 1, name: 'Ozon Логистика самостоятельно, Москва', warehouse: 'Склад' },
    products: [{ sku: 100_000 + i, offer_id: `ART-${i}`, name: 'Чехол силиконовый для телефона', quantity: 1, price: '499.00', currency_code: 'RUB' }],
  }));
  return JSON.stringify({ result: { postings, has_next: false } });
}

const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Отправления FBS — Ozon Seller</title></head>
<body><table><thead><tr><th>Номер отправления</th><th>Статус</th></tr></thead><tbody id="rows"></tbody></table>
<script src="/static/app.js"></script></body></html>`;

// The page's own script from its own origin (a CSP without 'unsafe-inline' still runs it).
const app = `fetch(${JSON.stringify(LIST)}, { method: 'POST', body: '{}' }).then(function (r) { return r.json(); }).then(function (b) {
  var out = '';
  b.result.postings.forEach(function (p) { out += '<tr><td>' + p.posting_number + '</td><td>Ожидает сборки</td></tr>'; });
  document.getElementById('rows').insertAdjacentHTML('beforeend', out);
});`;

async function allFromJson(page: Page, n = N): Promise<void> {
  await until(async () => {
    const a = await badgeAttrs(page);
    if (a.length !== n || !a.every((b) => typeof b.due === 'string')) throw new Error(`${a.length} badges, not all from the JSON yet`);
    return a;
  }, 20_000);
  const attrs = await badgeAttrs(page);
  const byPosting = new Map(attrs.map((a) => [a.posting, a.due]));
  for (const i of [0, 1, Math.floor(n / 2), n - 1]) expect(byPosting.get(`${70_000_000 + i}-0001-1`)).toBe(new Date(ship(i)).toISOString());
}

/** The blob: workers a page with a list of 50 starts until 1.5 s after every row has its badge. */
async function smallListWorkers(h: Harness, origin: string): Promise<string[]> {
  h.serve({
    '/app/postings/fbs': html,
    '/static/app.js': { body: app, contentType: 'text/javascript' },
    [LIST]: { body: body(50), contentType: 'application/json; charset=utf-8' },
  });
  const workers: string[] = [];
  const page = await h.ctx.newPage();
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${origin}/app/postings/fbs?tab=awaiting_packaging`);
  await allFromJson(page, 50);
  await page.waitForTimeout(1_500);
  await page.close();
  return workers;
}

describe('the JSON worker (production build, Chromium)', () => {
  let h: Harness;
  const reports: string[] = [];
  const text = body();
  beforeAll(async () => {
    h = await launch({ locale: 'ru' });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('a list of 50 on an origin that never had a big body: every badge from the JSON, and no worker started', async () => {
    expect(await smallListWorkers(h, PANEL)).toEqual([]);
  }, 60_000);

  it('walks a 1,200-posting body off the page: a worker runs, every badge follows the JSON', async () => {
    h.serve({
      '/app/postings/fbs': html,
      '/static/app.js': { body: app, contentType: 'text/javascript' },
      [LIST]: { body: text, contentType: 'application/json; charset=utf-8' },
    });
    const workers: string[] = [];
    h.ctx.on('page', (p) => p.on('worker', (w) => workers.push(w.url())));
    const page = await h.open(`${PANEL}/app/postings/fbs?tab=awaiting_packaging`);
    page.on('worker', (w) => workers.push(w.url()));
    await allFromJson(page);
    expect(workers.some((u) => u.startsWith('blob:https://seller.ozon.ru/'))).toBe(true);
    await page.close();
  }, 60_000);

  it('after that big body, a list of 50 on the same origin has the worker started ahead of it; on another origin still none', async () => {
    expect((await smallListWorkers(h, PANEL)).some((u) => u.startsWith('blob:https://seller.ozon.ru/'))).toBe(true);
    expect(await smallListWorkers(h, 'https://seller.ozon.kz')).toEqual([]);
  }, 60_000);

  it('under a CSP that forbids blob: workers: the list is taken in on the page all the same, and the origin is not tried again', async () => {
    const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self'; report-uri /csp-report";
    h.serve({
      '/app/postings/fbs': { body: html, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': csp } },
      '/static/app.js': { body: app, contentType: 'text/javascript' },
      [LIST]: { body: text, contentType: 'application/json; charset=utf-8' },
      '/csp-report': (_url, post) => {
        reports.push(post ?? '');
        return { body: '', status: 204 };
      },
    });
    // seller.ozon.ru had a big body before (the worker is started ahead there, and refused at once);
    // seller.ozon.kz had none (the body is held for the origin's answer, then the worker is refused).
    for (const [origin, round, want] of [[PANEL, 1, 1], [PANEL, 2, 1], ['https://seller.ozon.kz', 1, 2], ['https://seller.ozon.kz', 2, 2]] as const) {
      const errorsBefore = h.errors.length;
      const page = await h.open(`${origin}/app/postings/fbs?tab=awaiting_packaging`);
      await allFromJson(page);
      await page.waitForTimeout(500);
      const workerReports = reports.filter((r) => r.includes('worker-src'));
      // The one report the browser sent on an origin's first load names no extension; none on the second.
      expect(workerReports, `${origin} ${round}`).toHaveLength(want);
      for (const r of workerReports) expect(r).not.toMatch(/chrome-extension:\/\/[a-p]{32}/);
      if (round === 1) expect(h.errors.slice(errorsBefore).some((e) => /worker/i.test(e))).toBe(true);
      await page.close();
    }
    // The refusal is the browser's console line, not an error of ours: nothing else was logged.
    expect(h.errors.filter((e) => !/Content Security Policy|worker/i.test(e))).toEqual([]);
  }, 90_000);
});
