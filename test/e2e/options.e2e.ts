/**
 * The options page in a real browser (production build, Debian Chromium):
 * a threshold changed there re-levels an open panel page's badge without a
 * reload (storage watchers), a bad value is refused in view with the old one
 * in force, and the page reads right in Chinese, Russian and English (one
 * run per browser language, with screenshots in test/e2e/out/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, PANEL, type Harness } from './harness';
import { until } from './badge-contract';
import { at, fmtRu, page as panelPage, pn } from '../fixtures/panel/util';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const URL_PACKAGING = `${PANEL}/app/postings/fbs?tab=awaiting_packaging`;
const POSTING = pn(27000001, 14, 1);

/** The row under test, and two far from any deadline: the panel lists rows as a repeated grid. */
const ROWS: [string, number][] = [
  [POSTING, 180],
  [pn(27000002, 15, 1), 20 * 60],
  [pn(27000003, 16, 1), 30 * 60],
];

function rowHtml(n: string, now: number, shipMin: number): string {
  return `<div class="OrdersTable_row__3xK9a" data-index="${n}">
  <div class="OrdersTable_cell__Lm2pQ"><input type="checkbox" aria-label="Выбрать"></div>
  <div class="OrdersTable_cell__Lm2pQ"><a class="PostingLink_link__9fKq1" href="/app/postings/fbs?tab=awaiting_packaging&amp;postingDetails=${n}">${n}</a></div>
  <div class="OrdersTable_cell__Lm2pQ"><span class="DateCell_date__7hG2w">${fmtRu(at(now, -300))}</span></div>
  <div class="OrdersTable_cell__Lm2pQ OrdersTable_deadline__Qe4rT"><span class="DateCell_date__7hG2w">${fmtRu(at(now, shipMin))}</span></div>
  <div class="OrdersTable_cell__Lm2pQ"><div class="ProductCell_name__Zx8k2">Кабель USB-C 1 м</div><div class="ProductCell_meta__p0Wq5">SKU: 1458790231</div><div>1 шт.</div></div>
  <div class="OrdersTable_cell__Lm2pQ OrdersTable_price__Vb7nN">1 299 ₽</div>
  <div class="OrdersTable_cell__Lm2pQ"><button class="Button_primary__2kLmP">Собрать</button></div>
</div>`;
}

/**
 * The «Ожидают сборки» tab (the tab gives the status, as the panel does):
 * the row under test ships in ~3 h, so it is `ok` with the default D5
 * at-risk line (2 h) and `at_risk` once the line is 4 h. Same markup family
 * as the ru-divgrid fixture (hashed CSS-module classes, Moscow text times).
 */
function fixtureHtml(now: number): string {
  return panelPage({
    lang: 'ru',
    title: 'Заказы с моих складов — Ozon Seller',
    style: `.OrdersTable_header__Wq1e9,.OrdersTable_row__3xK9a{display:grid;grid-template-columns:32px 200px 140px 160px 1fr 100px 100px;gap:8px;padding:8px 12px;border-bottom:1px solid #e1e4e8}`,
    body: `<nav class="Tabs_tabs__Kd92s" role="tablist">
  <a class="Tabs_tab__1qAz Tabs_active__mM2x" role="tab" aria-selected="true" href="/app/postings/fbs?tab=awaiting_packaging">Ожидают сборки <span>${ROWS.length}</span></a>
  <a class="Tabs_tab__1qAz" role="tab" href="/app/postings/fbs?tab=awaiting_deliver">Ожидают отгрузки</a>
</nav>
<div class="OrdersTable_root__kP3sV">
  <div class="OrdersTable_header__Wq1e9">
    <div></div><div>Номер отправления</div><div>Принят в обработку</div><div>Отгрузить до</div><div>Товары</div><div>Стоимость</div><div>Действия</div>
  </div>
  <div class="OrdersTable_body__Fg5tH">
${ROWS.map(([n, shipMin]) => rowHtml(n, now, shipMin)).join('\n')}
  </div>
</div>`,
  });
}

async function levelOf(page: Page): Promise<string | null> {
  return page.locator(`[data-ozon-guard][data-posting="${POSTING}"]`).getAttribute('data-level', { timeout: 10_000 });
}

async function openOptions(harness: Harness): Promise<Page> {
  const o = await harness.openExtensionPage('options.html');
  await o.locator('[data-ozon-guard-options][data-status="ready"]').waitFor({ timeout: 10_000 });
  return o;
}

describe('options page (real browser)', () => {
  it('D5: changing the at-risk line to 4 h turns an open panel badge at_risk without a reload; −1 is refused (en-US)', async () => {
    h = await launch({ locale: 'en-US', cookies: { sc_company_id: '2150370', 'x-o3-language': 'ru' } });
    h.serve({ '/app/postings/fbs': () => fixtureHtml(Date.now()) });
    const panel = await h.open(URL_PACKAGING);
    expect(await until(async () => {
      const l = await levelOf(panel);
      expect(l).toBe('ok');
      return l;
    })).toBe('ok');
    let navigations = 0;
    panel.on('framenavigated', (f) => {
      if (f === panel.mainFrame()) navigations++;
    });

    const o = await openOptions(h);
    const input = o.locator('#param-deadlines-atRiskHours');
    await input.fill('4');
    await input.press('Enter');
    await o.locator('[data-in-force="deadlines.atRiskHours"]').filter({ hasText: '4 h' }).waitFor();

    await until(async () => expect(await levelOf(panel)).toBe('at_risk'));
    expect(navigations).toBe(0);

    // A bad value: refused next to the field, the old value (4 h) stays in force, the badge stays at_risk.
    await input.fill('-1');
    await input.press('Enter');
    const err = o.locator('[data-error-for="deadlines.atRiskHours"]');
    await err.waitFor();
    expect(await err.isVisible()).toBe(true);
    expect(await err.textContent()).toContain('A duration must be greater than 0.');
    expect(await err.textContent()).toContain('The value in force stays 4 h.');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await o.locator('[data-in-force="deadlines.atRiskHours"]').textContent()).toContain('4 h');
    const stored = await o.evaluate(async () => {
      const g = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
      return (await g.chrome.storage.local.get('rulebookOverrides')).rulebookOverrides;
    });
    expect(stored).toEqual({ profile: 'seed', values: { 'deadlines.atRiskHours': 4 } });
    await new Promise((r) => setTimeout(r, 500));
    expect(await levelOf(panel)).toBe('at_risk');
    await err.scrollIntoViewIfNeeded();
    await h.screenshot(o, 'options-en-d5-refused');

    // Reset brings the default back, and the badge follows.
    await o.locator('[data-reset="deadlines.atRiskHours"]').click();
    await until(async () => expect(await levelOf(panel)).toBe('ok'));

    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
  });

  const LANGS: [string, string, string, string][] = [
    ['zh-CN', 'zh', '规则手册', '时长必须大于 0。'],
    ['ru', 'ru', 'Правила', 'Длительность должна быть больше 0.'],
    ['en-US', 'en', 'The rulebook', 'A duration must be greater than 0.'],
  ];
  for (const [locale, tag, heading, refusal] of LANGS) {
    it(`reads in the browser language (${locale}): every string translated, a refusal in that language`, async () => {
      h = await launch({ locale });
      const o = await openOptions(h);
      expect(await o.locator('#rulebook-h').textContent()).toBe(heading);
      const text = (await o.locator('body').innerText()) ?? '';
      expect(text.match(/\b(options|rule|param|unit|status|level)_[A-Za-z]\w*/g)).toBeNull();
      await h.screenshot(o, `options-${tag}-top`);
      const input = o.locator('#param-deadlines-confirmHours');
      await input.fill('0');
      await input.press('Enter');
      const err = o.locator('[data-error-for="deadlines.confirmHours"]');
      await err.waitFor();
      expect(await err.textContent()).toContain(refusal);
      await o.locator('[data-rule="D1"]').scrollIntoViewIfNeeded();
      await h.screenshot(o, `options-${tag}-refused`);
      await o.locator('#stores').scrollIntoViewIfNeeded();
      await h.screenshot(o, `options-${tag}-stores`);
      await o.locator('#settings').scrollIntoViewIfNeeded();
      await h.screenshot(o, `options-${tag}-settings`);
      expect(h.errors).toEqual([]);
    });
  }

  it('the language chosen in the page applies at once, and stays after a reload', async () => {
    h = await launch({ locale: 'en-US' });
    const o = await openOptions(h);
    await o.locator('#lang-select').selectOption('ru');
    await o.locator('#rulebook-h').filter({ hasText: 'Правила' }).waitFor();
    expect(await o.evaluate(() => document.documentElement.lang)).toBe('ru');
    await o.reload();
    await o.locator('[data-ozon-guard-options][data-status="ready"]').waitFor();
    await o.locator('#rulebook-h').filter({ hasText: 'Правила' }).waitFor();
    await o.locator('#lang-select').selectOption('zh_CN');
    await o.locator('#rulebook-h').filter({ hasText: '规则手册' }).waitFor();
    expect(h.errors).toEqual([]);
  });
});
