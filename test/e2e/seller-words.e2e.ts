/**
 * In the seller's words, in a real browser (production build), in en, ru and
 * zh: the card (the panel's action, notes as sentences, Moscow and own time),
 * the chip at the bottom LEFT with its list of at-risk orders, and the popup's
 * first screen (600 px) with the rate's basis. No raw i18n key anywhere.
 * Screenshots land in test/e2e/out/; OOG_UPDATE_DOCS=1 also copies them to docs/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch, ROOT, type Harness } from './harness';
import { until } from './badge-contract';
import { popupStoreOrders } from '../components/popup/storeFixture';

const MIN = 60_000;
const HOUR = 60 * MIN;
const RAW_KEY = /\b(note|next|action|card|list|popup|badge|chip|when|status|level|deadline|rule)_[a-z][a-z_]+/;

const msk = (ms: number) => {
  const d = new Date(ms + 3 * HOUR);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
};

function listPage(now: number): string {
  const rows = [
    ['32000001-0001-1', 20 * MIN, 'Ожидает сборки'],
    ['32000002-0001-1', 95 * MIN, 'Ожидает сборки'],
    ['32000003-0001-1', -40 * MIN, 'Ожидает сборки'],
    ['32000004-0001-1', 20 * HOUR, 'Ожидает отгрузки'],
    ['32000005-0001-2', NaN, 'Доставлен'],
  ] as const;
  const tr = rows
    .map(
      ([n, dt, st]) =>
        `<tr><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>${st}</td><td>${Number.isNaN(dt) ? '' : msk(now + dt)}</td><td>Кабель USB-C 1 м</td><td>1 299 ₽</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title>
<style>body{font:14px Arial,sans-serif;margin:24px;color:#001a34}table{border-collapse:collapse;width:100%}
th,td{padding:10px 12px;border-bottom:1px solid #e1e4e8;text-align:left}th{color:#707f8d;font-weight:400;font-size:13px}
#chat{position:fixed;right:16px;bottom:16px;width:56px;height:56px;border-radius:28px;background:#005bff}</style></head>
<body><h2>Заказы с моих складов</h2><table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th><th>Стоимость</th></tr></thead>
<tbody>${tr}</tbody></table><div id="chat" title="support chat"></div><div style="height:600px"></div></body></html>`;
}

async function setSettings(h: Harness, patch: Record<string, unknown>): Promise<void> {
  const [sw] = h.ctx.serviceWorkers();
  await sw!.evaluate(async (p) => {
    type Local = { get(k: string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> };
    const api = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome;
    const cur = ((await api.storage.local.get('settings')) as { settings?: Record<string, unknown> }).settings ?? {};
    await api.storage.local.set({ settings: { ...cur, ...p } });
  }, patch);
}

const shadowText = (page: Page, sel: string) => page.$eval(sel, (e) => e.shadowRoot?.textContent ?? '');

function keep(file: string, name: string): void {
  if (!process.env.OOG_UPDATE_DOCS) return;
  mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
  copyFileSync(file, path.join(ROOT, 'docs', name));
}

describe("the seller's words in a real browser", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const [language, tag, step, moscow] of [
    ['en', 'en', 'Pack it and hand it to the carrier', 'MSK'],
    ['ru', 'ru', '«Собрать»', 'МСК'],
    ['zh_CN', 'zh', '备货', '莫斯科时间'],
  ] as const) {
    it(`${tag}: card, chip list and popup — the panel's action, both times, no raw key`, async () => {
      h.errors.length = 0;
      await setSettings(h, { language, secondZone: 'Asia/Shanghai' });
      const now = Date.now();
      h.serve({ '/app/postings/fbs': listPage(now) });
      const page = await h.open('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging');
      await page.setViewportSize({ width: 1100, height: 620 });
      await until(async () => expect(await page.$$eval('[data-ozon-guard]', (e) => e.length)).toBe(5));
      await page.evaluate(() => document.fonts.ready);

      // The card of an order awaiting packaging: the panel's action, Moscow time and own time.
      await page.hover('[data-ozon-guard][data-posting="32000002-0001-1"]');
      const card = await until(async () => {
        const txt = await shadowText(page, 'ozon-guard-card:not([hidden])');
        expect(txt).toContain('32000002-0001-1');
        return txt;
      });
      expect(card).toContain(step);
      expect(card).toContain(moscow);
      expect(card).not.toMatch(RAW_KEY);
      keep(await h.screenshot(page, `words-card-${tag}`), `screenshot-card-${tag}.png`);
      await page.mouse.move(0, 0);
      await until(async () => expect(await page.$$eval('ozon-guard-card:not([hidden])', (e) => e.length)).toBe(0));

      // The chip: bottom left (the panel's support chat is bottom right), never over it.
      const chip = await page.$eval('ozon-guard-chip', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
      const chat = await page.$eval('#chat', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
      expect(chip.left).toBeLessThan(100);
      expect(chip.right).toBeLessThan(chat.left);
      await page.click('ozon-guard-chip >> [data-chip-list]');
      const list = await until(async () => {
        const txt = await shadowText(page, 'ozon-guard-list:not([hidden])');
        expect(txt).toContain('32000003-0001-1');
        return txt;
      });
      const order = await page.$eval('ozon-guard-list', (e) => [...e.shadowRoot!.querySelectorAll('li')].map((li) => li.getAttribute('data-posting')));
      expect(order).toEqual(['32000003-0001-1', '32000001-0001-1', '32000002-0001-1']);
      expect(list).not.toMatch(RAW_KEY);
      keep(await h.screenshot(page, `words-list-${tag}`), `screenshot-list-${tag}.png`);
      await page.keyboard.press('Escape');
      expect(h.errors).toEqual([]);
      await page.close();

      // The popup's first screen: 400 × 600, the rate with its basis and the at-risk list.
      const popup = await h.openExtensionPage('popup.html');
      await popup.setViewportSize({ width: 400, height: 600 });
      await popup.evaluate(async (orders) => {
        const g = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
        return g.chrome.runtime.sendMessage({ type: 'orders:import', storeId: '555001', orders, observedAt: new Date().toISOString() });
      }, popupStoreOrders(Date.now()));
      await popup.reload();
      await popup.locator('[data-ozon-guard-risk] [data-basis]').waitFor();
      const basisBottom = await popup.$eval('[data-basis]', (e) => e.getBoundingClientRect().bottom);
      expect(basisBottom).toBeLessThan(600);
      const text = (await popup.locator('body').textContent()) ?? '';
      expect(text).not.toMatch(RAW_KEY);
      await popup.evaluate(() => document.fonts.ready);
      keep(await h.screenshot(popup, `words-popup-${tag}`), `screenshot-popup-${tag}.png`);
      await popup.close();
    });
  }
});
