/**
 * The hover/focus card is not in the content script: it is loaded on first use from the
 * extension's own `overlay-ui.js` (components/overlay/lazy.ts, docs/performance.md "What the
 * content script carries"). In the real browser (production build):
 * - before any hover the chunk is not in the isolated world; a hover loads it and the card opens
 *   with the order's facts; keyboard focus opens it for another badge; Escape closes it;
 * - the overlay itself (`overlay-core.js`, components/overlay/boot.ts) is loaded only on the tab's
 *   first postings page: a products page runs the bootstrap alone; an SPA navigation to the orders
 *   list brings the core in, and a MAIN-world message posted before that is not lost;
 * - the files are reachable from nowhere but our own content script: a page on another origin
 *   cannot fetch it, and neither can the panel page itself at the extension's fixed address
 *   (Chrome's use_dynamic_url, wxt.config.ts), so it cannot be used to fingerprint the extension;
 * - the page report the popup asks for is built by the lazily loaded report chunk;
 * - no page error, no request of our own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';

const MIN = 60_000;
const HOUR = 60 * MIN;

function msk(ms: number): string {
  const d = new Date(ms + 3 * HOUR);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function listPage(now: number): string {
  const rows = [
    ['32000001-0001-1', 95 * MIN],
    ['32000002-0001-1', 20 * HOUR],
  ]
    .map(
      ([n, ship]) =>
        `<tr><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>Ожидает сборки</td><td>${msk(now + (ship as number))}</td><td>Кабель USB-C 1 м</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title></head>
<body><table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

/** Evaluates `expression` in the extension's isolated world of `page` (CDP). */
async function isolatedEval(page: Page, expression: string): Promise<unknown[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const contexts: { id: number; auxData?: { type?: string }; origin: string }[] = [];
  cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await new Promise((r) => setTimeout(r, 200));
  const out: unknown[] = [];
  for (const c of contexts.filter((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'))) {
    const r = (await cdp.send('Runtime.evaluate', { expression, contextId: c.id, returnByValue: true })) as { result: { value?: unknown } };
    out.push(r.result.value);
  }
  await cdp.detach();
  return out;
}

const UI_LOADED = `!!globalThis[Symbol.for('ozon-order-guard.overlay-ui')]`;
const CORE_LOADED = `!!globalThis[Symbol.for('ozon-order-guard.overlay-core')]`;

/** Whether a page script can read `url` (fetch and a module import both tried). A string, so the test runner leaves `import()` alone. */
const canLoad = (page: Page, url: string): Promise<boolean> =>
  page.evaluate(`(async (u) => {
    const f = await fetch(u).then((r) => r.ok, () => false);
    const i = await import(u).then(() => true, () => false);
    return f || i;
  })(${JSON.stringify(url)})`);

describe('the card is loaded on first use (real browser)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai' });
    // A site that is not the panel, to probe from.
    await h.ctx.route('https://other.example/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>other</title><p>other</p>' }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a panel page that is not an orders list runs the bootstrap only; the first postings page loads the core, and an earlier JSON message still counts', async () => {
    h.errors.length = 0;
    const now = Date.now();
    const n = '32000003-0001-1';
    const table = JSON.stringify(
      `<table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead><tbody>` +
        `<tr><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>Ожидает сборки</td><td>${msk(now + 20 * HOUR)}</td><td>Кабель</td></tr></tbody></table>`,
    );
    h.serve({
      '/app/products': `<!doctype html><html><head><meta charset="utf-8"><title>Товары</title></head><body><div id="app">products</div>
<script>window.__go = () => { history.pushState({}, '', '/app/postings/fbs?tab=awaiting_packaging'); document.getElementById('app').innerHTML = ${table}; };</script></body></html>`,
    });
    const page = await h.open('https://seller.ozon.ru/app/products');
    await page.waitForTimeout(500);
    expect(await isolatedEval(page, CORE_LOADED)).toEqual([false]);
    // The panel's JSON for this posting arrives while the bootstrap alone runs (the body message the
    // MAIN world posts, panel/bridge-message.ts), with a ship-by other than the row's: JSON wins
    // (panel/merge.ts P2), so the badge's deadline is the JSON's only if the core read the body the
    // bootstrap kept for it.
    const jsonShipBy = new Date(Math.floor((now + 3 * HOUR) / MIN) * MIN).toISOString();
    await page.evaluate(
      ([p, ship]) =>
        window.postMessage(
          {
            ns: 'ozon-order-guard',
            v: 2,
            kind: 'body',
            path: '/api/v3/posting/fbs/list',
            text: JSON.stringify({ result: { postings: [{ posting_number: p, status: 'awaiting_packaging', shipment_date: ship }], has_next: false } }),
          },
          location.origin,
        ),
      [n, jsonShipBy] as const,
    );
    await page.waitForTimeout(200);
    expect(await isolatedEval(page, CORE_LOADED)).toEqual([false]);
    await page.evaluate(() => (window as unknown as { __go(): void }).__go());
    await until(async () => expect(await page.$$eval('[data-ozon-guard]', (e) => e.length)).toBe(1));
    expect(await isolatedEval(page, CORE_LOADED)).toEqual([true]);
    // The page's own world never sees it.
    expect(await page.evaluate(CORE_LOADED)).toBe(false);
    await until(async () => expect(await page.$eval(`[data-ozon-guard][data-posting="${n}"]`, (e) => e.getAttribute('data-due'))).toBe(jsonShipBy));
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    await page.close();
  });

  it('hover loads the card chunk into the isolated world and the card works (hover, focus, Escape)', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now) });
    const page = await h.open('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging');
    await until(async () => expect(await page.$$eval('[data-ozon-guard]', (e) => e.length)).toBe(2));
    await page.waitForTimeout(300);
    expect(await isolatedEval(page, UI_LOADED)).toEqual([false]);
    expect(await page.$$eval('ozon-guard-card', (e) => e.length)).toBe(0);

    await page.hover('[data-ozon-guard][data-posting="32000001-0001-1"]');
    const txt = await until(async () => {
      const t = await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '');
      expect(t).toContain('32000001-0001-1');
      return t;
    });
    expect(txt).toContain('MSK');
    expect(txt).toMatch(/Rule D1/);
    expect(await isolatedEval(page, UI_LOADED)).toEqual([true]);
    // The page's own world never sees it.
    expect(await page.evaluate(`!!globalThis[Symbol.for('ozon-order-guard.overlay-ui')]`)).toBe(false);

    await page.mouse.move(0, 0);
    await page.focus('[data-ozon-guard][data-posting="32000002-0001-1"]');
    await until(async () =>
      expect(await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '')).toContain('32000002-0001-1'),
    );
    await page.keyboard.press('Escape');
    await until(async () => expect(await page.$$eval('ozon-guard-card:not([hidden])', (e) => e.length)).toBe(0));
    expect(await page.$$eval('ozon-guard-card', (e) => e.length)).toBe(1);
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    await page.close();
  });

  it('the page report (popup → tab) is built by the lazily loaded report chunk; status is answered at once', async () => {
    h.errors.length = 0;
    h.serve({ '/app/postings/fbs': listPage(Date.now()) });
    const page = await h.open('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging');
    await until(async () => expect(await page.$$eval('[data-ozon-guard]', (e) => e.length)).toBe(2));
    expect(await isolatedEval(page, `!!globalThis[Symbol.for('ozon-order-guard.overlay-report')]`)).toEqual([false]);
    const popup = await h.openExtensionPage('popup.html');
    const ask = (type: string) =>
      popup.evaluate(async (t) => {
        const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]>; sendMessage(id: number, m: object): Promise<unknown> } } }).chrome;
        const [tab] = await c.tabs.query({ url: 'https://seller.ozon.ru/app/postings/*' });
        return c.tabs.sendMessage(tab!.id!, { type: t });
      }, type);
    expect(await ask('report:status')).toEqual({ panel: true, postings: true, layoutChanged: false, rows: 2 });
    const built = (await ask('report:build')) as { report?: { url?: string }; fileName?: string; error?: string };
    expect(built.error).toBeUndefined();
    expect(built.fileName).toMatch(/\.json$/);
    expect(JSON.stringify(built.report)).toContain('/app/postings/fbs');
    expect(await isolatedEval(page, `!!globalThis[Symbol.for('ozon-order-guard.overlay-report')]`)).toEqual([true]);
    expect(h.errors).toEqual([]);
    await popup.close();
    await page.close();
  });

  it('the chunks cannot be fetched by a page: not from another site, not from the panel at the fixed extension address', async () => {
    h.serve({ '/app/postings/fbs': listPage(Date.now()) });
    const panel = await h.open('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging');
    const other = await h.open('https://other.example/');
    for (const file of ['overlay-core.js', 'overlay-ui.js', 'overlay-report.js']) {
      const url = `chrome-extension://${h.extId}/${file}`;
      expect(await canLoad(other, url), `other site: ${file}`).toBe(false);
      expect(await canLoad(panel, url), `panel, fixed address: ${file}`).toBe(false);
    }
    await other.close();
    await panel.close();
  });
});
