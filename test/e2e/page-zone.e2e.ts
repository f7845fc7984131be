/**
 * T3 in a real browser (production build, real URL, Chromium in
 * Asia/Shanghai): pages printing their zone-less times in Moscow time, in the
 * browser's own zone (+08:00) and in a third zone (UTC+5), each with the
 * panel's JSON for some rows and none for the others. The rows without JSON
 * must get the instant the page meant (data-due), and the card names the zone
 * and why. Also the x-o3-timezone cookie and the options page's override,
 * applied live to an open tab. Screenshots: test/e2e/out/page-zone-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, PANEL, type Harness } from './harness';
import { until } from './badge-contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const LIST_URL = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';
const API = '/api/posting-service/seller-ui/fbs/posting/list';
/** Rows 0–3 come with the panel's JSON, rows 4–7 without. */
const ROWS = 8;
const WITH_JSON = [0, 1, 2, 3];

const num = (i: number) => `5200000${i}-0001-1`;

/** Each row's deadline: whole minutes (what the page can print) — the JSON adds seconds the page drops. */
function shipAt(now: number, i: number): number {
  return Math.floor((now + (3 + i) * HOUR + 7 * MIN) / MIN) * MIN;
}

function wall(ms: number, east: number): string {
  const d = new Date(ms + east * MIN);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function listPage(now: number, east: number): string {
  const rows = Array.from(
    { length: ROWS },
    (_, i) =>
      `<tr><td><a href="/app/postings/fbs?postingDetails=${num(i)}">${num(i)}</a></td><td>Ожидает сборки</td><td>${wall(shipAt(now, i), east)}</td><td>Кабель USB-C 1 м</td></tr>`,
  ).join('');
  // The page asks the panel's API, as the real list does; the extension's page-world script sees the answer.
  return `<!doctype html><html><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title>
<style>body{font:14px Arial,sans-serif;margin:24px;color:#001a34}table{border-collapse:collapse;width:100%}
th,td{padding:10px 12px;border-bottom:1px solid #e1e4e8;text-align:left}th{color:#707f8d;font-weight:400;font-size:13px}</style></head>
<body><h2>Заказы с моих складов</h2><table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead>
<tbody>${rows}</tbody></table>
<script>fetch('${API}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"filter":{"status_alias":["awaiting_packaging"]},"limit":50}' });</script>
</body></html>`;
}

function apiBody(now: number): string {
  return JSON.stringify({
    result: {
      postings: WITH_JSON.map((i) => ({
        posting_number: num(i),
        status: 'awaiting_packaging',
        in_process_at: new Date(now - 2 * HOUR).toISOString(),
        shipment_date: new Date(shipAt(now, i) + 23_000).toISOString().replace('.000Z', 'Z'),
        products: [{ sku: 1700000000 + i, offer_id: `USB-${i}`, name: 'Кабель USB-C 1 м', quantity: 1, price: '590.000000', currency_code: 'RUB' }],
        available_actions: ['ship', 'cancel'],
      })),
      has_next: false,
    },
  });
}

const due = (page: Page, i: number) => page.getAttribute(`[data-ozon-guard][data-posting="${num(i)}"]`, 'data-due');
const count = (page: Page) => page.$$eval('[data-ozon-guard]', (els) => els.length);

async function cardOf(page: Page, i: number): Promise<string> {
  await page.mouse.move(0, 0);
  await page.hover(`[data-ozon-guard][data-posting="${num(i)}"]`);
  return until(async () => {
    const txt = await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '');
    expect(txt).toContain(num(i));
    return txt;
  });
}

async function zoneLine(page: Page): Promise<{ text: string; basis: string | null }> {
  return page.$eval('ozon-guard-card', (e) => {
    const el = e.shadowRoot?.querySelector('[data-part="page-zone"]');
    return { text: el?.textContent ?? '', basis: el?.getAttribute('data-basis') ?? null };
  });
}

/** The rows without JSON carry the instants the page meant; the JSON rows carry the JSON's (seconds included). */
async function expectDue(page: Page, now: number): Promise<void> {
  await until(async () => {
    for (let i = 0; i < ROWS; i++) {
      const want = new Date(shipAt(now, i) + (WITH_JSON.includes(i) ? 23_000 : 0)).toISOString();
      expect(await due(page, i), `row ${i}`).toBe(want);
    }
  });
}

describe('the page time zone (T3) in a real browser (Chromium in Asia/Shanghai)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai', viewport: { width: 1100, height: 640 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases = [
    { name: 'moscow', east: 180, label: 'UTC+3' },
    { name: 'browser-zone', east: 480, label: 'UTC+8' },
    { name: 'utc5', east: 300, label: 'UTC+5' },
  ];
  for (const c of cases) {
    it(`a page printing ${c.label} (${c.name}): learned from the 4 JSON rows, the 4 others read in it`, async () => {
      h.errors.length = 0;
      const now = Date.now();
      h.serve({ '/app/postings/fbs': listPage(now, c.east), [API]: apiBody(now) });
      const page = await h.open(LIST_URL);
      await until(async () => expect(await count(page)).toBe(ROWS));
      await expectDue(page, now);
      const card = await cardOf(page, 5);
      const line = await zoneLine(page);
      expect(line.basis).toBe('learned');
      expect(line.text).toBe(`Page times read as ${c.label} — learned from 4 rows`);
      expect(card).toContain(line.text);
      await h.screenshot(page, `page-zone-${c.name}`);
      expect(h.errors).toEqual([]);
      expect(h.strayRequests).toEqual([]);
      await page.close();
    });
  }

  it('no JSON at all: Moscow is assumed, and the card says so', async () => {
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now, 180).replace(/<script>fetch[^<]*<\/script>/, '') });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(ROWS));
    expect(await due(page, 6)).toBe(new Date(shipAt(now, 6)).toISOString());
    await cardOf(page, 6);
    expect(await zoneLine(page)).toEqual({ text: 'Page times read as UTC+3 — assumed: Moscow (nothing on the page to learn from yet)', basis: 'assumed' });
    await page.close();
  });

  it('the x-o3-timezone cookie counts: a UTC+5 page without JSON, and the rows confirm it once JSON comes', async () => {
    h.errors.length = 0;
    await h.ctx.addCookies([{ name: 'x-o3-timezone', value: '-300', url: PANEL }]);
    try {
      const now = Date.now();
      h.serve({ '/app/postings/fbs': listPage(now, 300).replace(/<script>fetch[^<]*<\/script>/, '') });
      const page = await h.open(LIST_URL);
      await until(async () => expect(await count(page)).toBe(ROWS));
      expect(await due(page, 6)).toBe(new Date(shipAt(now, 6)).toISOString());
      await cardOf(page, 6);
      expect(await zoneLine(page)).toEqual({ text: 'Page times read as UTC+5 — the panel’s x-o3-timezone cookie', basis: 'cookie' });
      await h.screenshot(page, 'page-zone-cookie');
      await page.close();

      h.serve({ '/app/postings/fbs': listPage(now, 300), [API]: apiBody(now) });
      const page2 = await h.open(LIST_URL);
      await until(async () => expect(await count(page2)).toBe(ROWS));
      await expectDue(page2, now);
      await cardOf(page2, 6);
      await until(async () => expect((await zoneLine(page2)).text).toBe('Page times read as UTC+5 — the panel’s x-o3-timezone cookie, confirmed by 4 rows'));
      expect(h.errors).toEqual([]);
      await page2.close();
    } finally {
      await h.ctx.clearCookies({ name: 'x-o3-timezone' });
    }
  });

  it('the options page sets it (a fixed offset, a bad one refused, the old kept, this computer\'s zone) and an open tab follows live', async () => {
    h.errors.length = 0;
    const now = Date.now();
    // A page printing +08:00 with no JSON: assumed Moscow, 5 h off, until the seller says otherwise.
    h.serve({ '/app/postings/fbs': listPage(now, 480).replace(/<script>fetch[^<]*<\/script>/, '') });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(ROWS));
    expect(await due(page, 4)).toBe(new Date(shipAt(now, 4) + 5 * HOUR).toISOString());

    const o = await h.openExtensionPage('options.html');
    const select = o.locator('#page-zone-select');
    await select.selectOption('fixed');
    const input = o.locator('#page-zone-offset');
    await input.fill('UTC+8');
    await o.locator('[data-setting="page-zone"] button[type="submit"]').click();
    await until(async () => expect(await due(page, 4)).toBe(new Date(shipAt(now, 4)).toISOString()));

    // A bad value: refused with a message, the old one kept (the tab is unchanged).
    await input.fill('UTC+15');
    await o.locator('[data-setting="page-zone"] button[type="submit"]').click();
    const err = await until(async () => {
      const t = await o.locator('[data-error-for="pageZone"]').textContent();
      expect(t).toBeTruthy();
      return t!;
    });
    expect(err).toContain('UTC+15');
    expect(err).toContain('is not a UTC offset');
    await page.waitForTimeout(400);
    expect(await due(page, 4)).toBe(new Date(shipAt(now, 4)).toISOString());
    const stored = await o.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, { pageZone?: string }>> } } } }).chrome;
      return (await api.storage.local.get('settings')).settings?.pageZone;
    });
    expect(stored).toBe('UTC+8');
    await o.locator('[data-error-for="pageZone"]').scrollIntoViewIfNeeded();
    await h.screenshot(o, 'page-zone-options-refused');

    await page.bringToFront();
    await cardOf(page, 4);
    expect(await zoneLine(page)).toEqual({ text: 'Page times read as UTC+8 — set by you: a fixed offset', basis: 'set' });
    await h.screenshot(page, 'page-zone-set-fixed');

    // This computer's zone: the browser runs in Asia/Shanghai, +08:00.
    await o.bringToFront();
    await o.locator('#page-zone-select').selectOption('local');
    await page.bringToFront();
    await until(async () => {
      await cardOf(page, 4);
      expect(await zoneLine(page)).toEqual({ text: 'Page times read as UTC+8 — set by you: this computer’s zone', basis: 'set' });
    });
    expect(await due(page, 4)).toBe(new Date(shipAt(now, 4)).toISOString());

    // Back to auto: nothing to learn on this page, so Moscow again.
    await o.bringToFront();
    await o.locator('#page-zone-select').selectOption('auto');
    await until(async () => expect(await due(page, 4)).toBe(new Date(shipAt(now, 4) + 5 * HOUR).toISOString()));
    expect(h.errors).toEqual([]);
    await o.close();
    await page.close();
  });
});

describe('the page time zone (T3) for a Chinese seller (zh-CN browser in Asia/Shanghai)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1100, height: 640 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a page printing Beijing time: the card says, in Chinese, that it was learned from 4 rows', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now, 480), [API]: apiBody(now) });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(ROWS));
    await expectDue(page, now);
    await cardOf(page, 6);
    expect(await zoneLine(page)).toEqual({ text: '页面时间按 UTC+8 读取 — 根据 4 行推断', basis: 'learned' });
    await h.screenshot(page, 'page-zone-browser-zone-zh');
    expect(h.errors).toEqual([]);
    await page.close();
  });
});
