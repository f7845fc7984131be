/**
 * The popup in a real browser, production build: the content script reads
 * fixture panel pages into the history, the popup's figures match
 * summarizeStore over the same orders, a CSV import through the file input
 * changes them, and the popup looks right in en / ru / zh.
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { launch, PANEL, ROOT, type Harness } from './harness';
import { summarizeStore, defaultRulebook } from '../../rules/index';
import type { Order, StoreRisk } from '../../rules/types';
import { ozonCsv } from '../components/popup/csvFixture';
import { popupStoreOrders } from '../components/popup/storeFixture';
import { panelFixtures, fixtureRoutes, type PanelFixture } from '../fixtures/panel/index';

const DAY = 86_400_000;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function readRoot(page: Page) {
  const root = page.locator('[data-ozon-guard-risk]');
  await root.waitFor();
  return {
    orders: await root.getAttribute('data-orders'),
    rate: await root.getAttribute('data-rate'),
    tier: await root.getAttribute('data-tier'),
    store: await root.getAttribute('data-store'),
  };
}

function attrsOf(r: StoreRisk) {
  return { orders: String(r.orders), rate: r.cancellationRate.toFixed(2), tier: r.tier };
}

/** Reads every order the history holds for a store, from inside the extension (the popup page). */
async function storedOrders(page: Page, storeId: string): Promise<Order[]> {
  return page.evaluate(async (id) => {
    const g = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, any>> } } } };
    const v = (await g.chrome.storage.local.get(`history:${id}`))[`history:${id}`];
    return v ? Object.values(v.orders as Record<string, { order: Order }>).map((r) => r.order) : [];
  }, storeId);
}

/** The popup's import path without a file: what `orders:import` does for a CSV (the background merges). */
async function seedThroughBackground(page: Page, storeId: string, orders: Order[]) {
  const res = await page.evaluate(
    async ({ storeId, orders }) => {
      const g = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
      return g.chrome.runtime.sendMessage({ type: 'orders:import', storeId, orders, observedAt: new Date().toISOString() });
    },
    { storeId, orders },
  );
  expect(res).toMatchObject({ storeId });
}

/** The fixtures with orders a store summary can count: a list with open orders and the cancelled tab. */
function storeFixtures(): PanelFixture[] {
  const wanted = ['ru-divgrid', 'ru-cancelled'];
  return panelFixtures.filter((f) => wanted.some((w) => f.name.startsWith(w)));
}

describe('popup (real browser)', () => {
  it('M1/D5: orders the content script read from panel pages give the figures summarizeStore gives for them', async () => {
    const fixtures = storeFixtures();
    expect(fixtures.length).toBeGreaterThan(0);
    h = await launch({ viewport: { width: 400, height: 900 } });
    const now = Date.now();
    const expected = new Map<string, Order>();
    // An extension page to read the history from while the panel pages report into it.
    const popup = await h.openExtensionPage('popup.html');
    for (const f of fixtures) {
      h.serve(fixtureRoutes(f, now));
      await h.ctx.addCookies(
        Object.entries({ ...f.cookies, sc_company_id: '909090' }).map(([name, value]) => ({ name, value, url: PANEL })),
      );
      const page = await h.open(f.url);
      const rows = f.expected(now);
      await page.waitForFunction((n) => document.querySelectorAll('[data-ozon-guard]').length >= n, rows.length, { timeout: 20_000 });
      for (const o of rows) expected.set(o.postingNumber, o as Order);
      // The content script reports in a debounced batch; the background (the single writer) stores it.
      await expect
        .poll(async () => (await storedOrders(popup, '909090')).length, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(expected.size);
      await page.close();
    }
    await popup.reload();
    await popup.locator('[data-ozon-guard-risk][data-store="909090"]').waitFor();
    const want = summarizeStore([...expected.values()], Date.now(), defaultRulebook);
    expect(await readRoot(popup)).toMatchObject(attrsOf(want));
    const listed = await popup.locator('[data-ozon-guard-at-risk]').evaluateAll((els) => els.map((e) => e.getAttribute('data-posting')));
    expect(listed).toEqual(want.atRisk);
    await h.screenshot(popup, 'popup-from-panel');
    expect(h.errors).toEqual([]);
  });

  it('M1: figures match summarizeStore; a CSV import through the file input changes them', async () => {
    h = await launch({ viewport: { width: 400, height: 900 } });
    const now = Date.now();
    const page = await h.openExtensionPage('popup.html');
    await seedThroughBackground(page, '555001', popupStoreOrders(now));
    await page.reload();
    await page.locator('[data-ozon-guard-risk][data-store="555001"]').waitFor();
    const stored = await storedOrders(page, '555001');
    expect(stored.length).toBe(popupStoreOrders(now).length);
    const before = summarizeStore(stored, Date.now(), defaultRulebook);
    expect(await readRoot(page)).toMatchObject(attrsOf(before));
    // The at-risk list follows StoreRisk.atRisk.
    const listed = await page.locator('[data-ozon-guard-at-risk]').evaluateAll((els) => els.map((e) => e.getAttribute('data-posting')));
    expect(listed).toEqual(before.atRisk);
    expect(listed.length).toBeGreaterThan(0);

    const csv = ozonCsv(Date.now());
    await page.locator('[data-ozon-guard-import]').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.bytes) });
    await page.locator('[data-import-report]').waitFor();
    const afterStored = await storedOrders(page, '555001');
    expect(afterStored.length).toBe(stored.length + csv.postings.length);
    const after = summarizeStore(afterStored, Date.now(), defaultRulebook);
    expect(after.cancellationRate).not.toBe(before.cancellationRate);
    await expect.poll(async () => (await readRoot(page)).rate).toBe(after.cancellationRate.toFixed(2));
    expect(await readRoot(page)).toMatchObject(attrsOf(after));
    expect(await page.locator('[data-import-summary]').textContent()).toContain('line');
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
  });

  for (const [locale, name] of [
    ['en-US', 'en'],
    ['ru-RU', 'ru'],
    ['zh-CN', 'zh'],
  ] as const) {
    it(`screenshot (${name}): popup width, every section present`, async () => {
      h = await launch({ locale, viewport: { width: 400, height: 1400 } });
      const now = Date.now();
      const page = await h.openExtensionPage('popup.html');
      // The second store is seeded first: the one seen last (555001) is the default when no panel tab says otherwise.
      await seedThroughBackground(page, '555002', popupStoreOrders(now - 3 * DAY, '4413').slice(0, 30));
      await seedThroughBackground(page, '555001', popupStoreOrders(now));
      await page.reload();
      await page.locator('[data-ozon-guard-risk] .gauge').waitFor();
      const store = await readRoot(page);
      expect(store.store).toBe('555001');
      const risk = summarizeStore(await storedOrders(page, store.store!), Date.now());
      expect(store).toMatchObject(attrsOf(risk));
      // Ready, not loading, no key shown raw.
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text).not.toMatch(/popup_[a-z_]+/);
      await page.evaluate(() => document.fonts.ready);
      const file = await h.screenshot(page, `popup-${name}`);
      await page.screenshot({ path: path.join(path.dirname(file), `popup-${name}-full.png`), fullPage: true });
      if (name === 'en') {
        // The README's screenshot is refreshed on request only (OOG_UPDATE_DOCS=1), so a test run leaves the tree clean.
        if (process.env.OOG_UPDATE_DOCS) copyFileSync(file, path.join(ROOT, 'docs/screenshot-popup.png'));
        // The same page opened in a tab ("open in a tab", for Firefox's file dialog): the wide layout.
        await page.setViewportSize({ width: 1000, height: 900 });
        await page.goto(`chrome-extension://${h.extId}/popup.html?view=tab`);
        await page.locator('[data-ozon-guard-risk].in-tab .gauge').waitFor();
        expect(await readRoot(page)).toMatchObject(attrsOf(risk));
        await h.screenshot(page, 'popup-en-tab');
      }
      expect(h.errors).toEqual([]);
    });
  }
});

void PANEL;
