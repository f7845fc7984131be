/**
 * Language "auto" on a panel page follows the panel's own language (panel/lang.ts):
 * the x-o3-language cookie, else <html lang>; an explicit setting overrides. An en-US browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';

const MIN = 60_000;
const CJK = /[\u4e00-\u9fff]/;
const CYR = /[А-Яа-яЁё]/;

function listPage(now: number, lang: string | null): string {
  const d = new Date(now + 3 * 60 * MIN + 95 * MIN);
  const p = (n: number) => String(n).padStart(2, '0');
  const at = `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><meta charset="utf-8"><title>Orders</title></head>
<body><table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th></tr></thead>
<tbody><tr><td><a href="/app/postings/fbs?postingDetails=33000001-0001-1">33000001-0001-1</a></td><td>Ожидает сборки</td><td>${at}</td></tr></tbody></table></body></html>`;
}

async function setLanguage(h: Harness, language: string): Promise<void> {
  const [sw] = h.ctx.serviceWorkers();
  await sw!.evaluate(async (language) => {
    type Local = { get(k: string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> };
    const api = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome;
    const cur = ((await api.storage.local.get('settings')) as { settings?: Record<string, unknown> }).settings ?? {};
    await api.storage.local.set({ settings: { ...cur, language } });
  }, language);
}

const badgeText = (page: Page) =>
  page.$eval('[data-ozon-guard][data-posting="33000001-0001-1"]', (e) => { const c = (p: string) => { const v = getComputedStyle(e, p).content; return v && v !== 'none' && v !== 'normal' ? (JSON.parse(v) as string) : ''; }; return c('::before') + c('::after') + (e.textContent ?? ''); });

async function openList(h: Harness, lang: string | null): Promise<Page> {
  h.serve({ '/app/postings/fbs': listPage(Date.now(), lang) });
  const page = await h.open('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging');
  await until(async () => expect(await page.$$eval('[data-ozon-guard]', (e) => e.length)).toBe(1));
  return page;
}

describe('"auto" follows the panel language (en-US browser)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('x-o3-language=zh-Hans gives Chinese badges, even on a page declaring Russian', async () => {
    await setLanguage(h, 'auto');
    await h.ctx.addCookies([{ name: 'x-o3-language', value: 'zh-Hans', url: 'https://seller.ozon.ru' }]);
    const page = await openList(h, 'ru');
    await until(async () => expect(await badgeText(page)).toMatch(CJK));
    await h.screenshot(page, 'panel-language-zh');
    await page.close();
    await h.ctx.clearCookies();
  });

  it('<html lang="ru"> without the cookie gives Russian; the panel switching to en in place follows', async () => {
    await setLanguage(h, 'auto');
    const page = await openList(h, 'ru');
    await until(async () => expect(await badgeText(page)).toMatch(CYR));
    await page.evaluate(() => document.documentElement.setAttribute('lang', 'en'));
    await until(async () => {
      const txt = await badgeText(page);
      expect(txt).not.toMatch(CYR);
      expect(txt).not.toMatch(CJK);
    });
    await page.close();
  });

  it('an explicit English setting overrides the panel language', async () => {
    await setLanguage(h, 'en');
    await h.ctx.addCookies([{ name: 'x-o3-language', value: 'zh-Hans', url: 'https://seller.ozon.ru' }]);
    const page = await openList(h, 'ru');
    await until(async () => {
      const txt = await badgeText(page);
      expect(txt).not.toMatch(CJK);
      expect(txt).not.toMatch(CYR);
    });
    await page.close();
    await h.ctx.clearCookies();
    await setLanguage(h, 'auto');
  });
});
