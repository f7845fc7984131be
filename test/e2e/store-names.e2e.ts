/**
 * Stores named by the seller (storage/store-names.ts), in the real browser with the
 * production build: the panel shows a company id, not the company's name we could
 * trust (docs/real-panel.md has no evidence of a name field), so the seller names
 * each store once in the options page and that name replaces the bare id in the
 * popup's store switch and store list. A bad name is refused and the old one kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';
import { popupStoreOrders } from '../components/popup/storeFixture';

let h: Harness;

beforeAll(async () => {
  h = await launch({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
});
afterAll(async () => {
  await h?.close();
});

/** Two stores in the history, through the background's own import path (the single writer). */
async function seed(page: Page) {
  for (const storeId of ['555001', '555002']) {
    const orders = popupStoreOrders(Date.now()).map((o) => ({ ...o, storeId }));
    const res = await page.evaluate(
      async ({ storeId, orders }) => {
        const g = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
        return g.chrome.runtime.sendMessage({ type: 'orders:import', storeId, orders, observedAt: new Date().toISOString() });
      },
      { storeId, orders },
    );
    expect(res).toMatchObject({ storeId });
  }
}

describe('stores named by the seller', () => {
  it('a name given in options replaces the id in the popup; a bad name is refused, the old one kept', async () => {
    const first = await h.openExtensionPage('popup.html');
    await seed(first);
    await first.close();

    const o = await h.openExtensionPage('options.html');
    await o.locator('#store-select').waitFor();
    await until(async () => expect(await o.locator('#store-select option[value="555001"]').count()).toBe(1));
    await o.selectOption('#store-select', '555001');
    const form = o.locator('[data-store-name-form="555001"]');
    await form.waitFor();
    await form.locator('input').fill('深圳一号店');
    await form.locator('button[type="submit"]').click();
    await until(async () => expect(await o.locator('#store-select option[value="555001"]').textContent()).toContain('深圳一号店'));

    // Refused: a name longer than STORE_NAME_MAX (60); the stored name stays.
    await form.locator('input').fill('长'.repeat(70));
    await form.locator('button[type="submit"]').click();
    await o.locator('[data-error-for="storeName"]').waitFor();
    expect(await o.locator('#store-select option[value="555001"]').textContent()).toContain('深圳一号店');
    await h.screenshot(o, 'store-names-options-zh');
    await o.close();

    const p = await h.openExtensionPage('popup.html');
    const sw = p.locator('[data-store-switch]');
    await sw.waitFor();
    await until(async () => expect(await sw.locator('option[value="555001"]').textContent()).toContain('深圳一号店'));
    // The unnamed store keeps its id, so the seller can tell which one still needs a name.
    expect(await sw.locator('option[value="555002"]').textContent()).toContain('555002');
    await p.selectOption('[data-store-switch]', '555001');
    await until(async () => expect(await p.locator('[data-ozon-guard-risk]').getAttribute('data-store')).toBe('555001'));
    await h.screenshot(p, 'store-names-popup-zh');
    expect(h.errors).toEqual([]);
    await p.close();
  });
});
