/**
 * The Seller API sync in a real browser (production build, Debian Chromium),
 * against a local stand-in for api-seller.ozon.ru served with context.route
 * (test/background/seller-api/standIn.ts: the published response shapes, paged).
 *
 * 1. The network test: with sync off — options page open, a key saved, the
 *    popup open — not one request reaches any API host.
 * 2. Sync on in the options page, sync, then the popup: its contract
 *    attributes equal summarizeStore over exactly the postings the stand-in
 *    served, the coverage line says "complete from the Seller API", and
 *    Ozon's own figures sit beside ours. Every request was an allowlisted
 *    read path with the seller's headers.
 *
 * Granting the host: a headless browser cannot click Chrome's native
 * permission prompt, so the test grants the optional host the way a seller
 * can on chrome://extensions (site access; developerPrivate.addHostPermission).
 * The options page still calls permissions.request on "Turn sync on", which
 * then resolves at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { launch, type Harness } from './harness';
import { createStandIn, makeStore } from '../background/seller-api/standIn';
import { orderFromApiPosting } from '../../background/seller-api/map';
import { ALLOWED_PATHS } from '../../background/seller-api/paths';
import { summarizeStore } from '../../rules/summarize';
import { defaultRulebook } from '../../rules/rulebook';

const CLIENT_ID = '424242';
const API_KEY = 'e2e-key-7d1c-4f0a-9b2e';
/** A summary in the documented shape (SOURCES.md §7; no real body was published), with the two ratings we compare. */
const SUMMARY = {
  groups: [
    {
      group_name: 'Отмены и ошибки',
      items: [
        { rating: 'rating_order_cancellation', name: 'Отмены по вине продавца', current_value: 1.25, past_value: 1.5, rating_direction: 'LOWER_IS_BETTER', status: 'OK', value_type: 'PERCENT', change: { direction: 'DIRECTION_FALL', meaning: 'MEANING_GOOD' } },
        { rating: 'rating_fbs_error_index', name: 'Индекс ошибок FBS', current_value: 4.8, past_value: 3.9, rating_direction: 'LOWER_IS_BETTER', status: 'WARNING', value_type: 'PERCENT', change: { direction: 'DIRECTION_RISE', meaning: 'MEANING_BAD' } },
      ],
    },
  ],
  penalty_score_exceeded: false,
  premium: false,
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Seller API sync (real browser)', () => {
  it('sends nothing while sync is off; once on, syncs and the popup shows exactly the served postings, complete from the Seller API', async () => {
    h = await launch();
    const now = Date.now();
    const api = createStandIn(makeStore(340, now, { seed: 5 }), { clientId: CLIENT_ID, apiKey: API_KEY, rating: SUMMARY });
    const apiRequests: string[] = [];
    const serveApi = async (route: Route) => {
      const req = route.request();
      apiRequests.push(`${req.method()} ${req.url()}`);
      const r = api.handle(req.url(), await req.allHeaders(), req.postData());
      return route.fulfill({ status: r.status, headers: r.headers, body: r.body });
    };
    await h.ctx.route('https://api-seller.ozon.ru/**', serveApi);
    await h.ctx.route('https://api-seller.ozonru.cn/**', serveApi);

    // 1. Sync off: options open, key saved (not turned on), popup open — no API request at all.
    const options = await h.openExtensionPage('options.html');
    await options.locator('[data-api-sync]').waitFor();
    await options.fill('[data-api-client-id]', CLIENT_ID);
    await options.fill('[data-api-key]', API_KEY);
    await options.click('[data-api-add]');
    await options.locator(`[data-api-store="${CLIENT_ID}"][data-api-enabled="false"]`).waitFor();
    // The key is gone from the form and shown masked only.
    expect(await options.inputValue('[data-api-key]')).toBe('');
    const rowText = await options.locator(`[data-api-store="${CLIENT_ID}"]`).innerText();
    expect(rowText).not.toContain(API_KEY);
    expect(rowText).toContain(API_KEY.slice(-4));
    const popup0 = await h.openExtensionPage('popup.html');
    await popup0.locator('[data-ozon-guard-risk]').waitFor();
    await popup0.waitForTimeout(2_000);
    expect(apiRequests, 'no request to an API host while sync is off').toEqual([]);
    expect(h.strayRequests.filter((u) => /api-seller/.test(u))).toEqual([]);
    await popup0.close();

    // 2. Turn it on (the host granted as on chrome://extensions; see the header).
    const ext = await h.ctx.newPage();
    await ext.goto('chrome://extensions/');
    await ext.waitForFunction(() => !!(globalThis as { chrome?: { developerPrivate?: unknown } }).chrome?.developerPrivate);
    await ext.evaluate(
      (id) => (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, h: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id, 'https://api-seller.ozon.ru/*'),
      h.extId,
    );
    await ext.close();
    await options.click(`[data-api-store="${CLIENT_ID}"] [data-api-toggle]`);
    await options.locator(`[data-api-store="${CLIENT_ID}"][data-api-enabled="true"]`).waitFor();
    await options.locator(`[data-api-store="${CLIENT_ID}"] [data-api-progress="done"]`).waitFor({ timeout: 60_000 });
    const progress = await options.locator(`[data-api-store="${CLIENT_ID}"] [data-api-progress]`).innerText();
    expect(progress).toMatch(/Synced 340 postings/);
    expect(await options.locator(`[data-api-store="${CLIENT_ID}"] [data-api-error]`).count()).toBe(0);
    // The check button: a cheap read, and OK.
    await options.click(`[data-api-store="${CLIENT_ID}"] [data-api-check]`);
    await options.locator(`[data-api-store="${CLIENT_ID}"] [data-api-check-result="ok"]`).filter({ hasText: 'OK' }).waitFor();
    await h.screenshot(options, 'api-sync-options');

    // Only allowlisted read paths, all with the seller's headers, and the lists paged within Ozon's limits.
    expect(api.seen.length).toBeGreaterThan(4);
    for (const s of api.seen) {
      expect(ALLOWED_PATHS.has(s.path), s.path).toBe(true);
      expect(s.clientId).toBe(CLIENT_ID);
      expect(s.apiKey).toBe(API_KEY);
    }
    expect(api.seen.filter((s) => s.path === '/v4/posting/fbs/list').length).toBeGreaterThanOrEqual(3);

    // 3. The popup: figures over exactly what was served.
    const served = [...api.served.values()].map((s) => orderFromApiPosting(s.posting, s.scheme, CLIENT_ID)!);
    expect(served).toHaveLength(340);
    const popup = await h.openExtensionPage('popup.html');
    const root = popup.locator(`[data-ozon-guard-risk][data-store="${CLIENT_ID}"]`);
    await root.waitFor();
    const risk = summarizeStore(served, Date.now(), defaultRulebook);
    expect(await root.getAttribute('data-orders')).toBe(String(risk.orders));
    expect(await root.getAttribute('data-rate')).toBe(risk.cancellationRate.toFixed(2));
    expect(await root.getAttribute('data-tier')).toBe(risk.tier);
    expect(risk.orders).toBeGreaterThan(0);
    // The coverage and Ozon's figures sit under "More" (the popup's first screen is the headline and the at-risk list).
    const more = popup.locator('details[data-more]');
    if ((await more.getAttribute('open')) === null) await popup.locator('details[data-more] > summary').click();
    const cov = popup.locator('[data-coverage="api"]').first();
    await cov.waitFor();
    expect(await cov.innerText()).toMatch(/340 orders · complete from the Seller API/);
    const ozon = popup.locator('[data-ozon-rating]');
    await ozon.waitFor();
    expect(await ozon.locator('[data-ozon-metric="cancellation"]').getAttribute('data-ozon-status')).toBe('OK');
    expect(await ozon.locator('[data-ozon-metric="error-index"]').getAttribute('data-ozon-status')).toBe('WARNING');
    expect(await ozon.innerText()).toMatch(/1\.25\s?%/);
    await ozon.scrollIntoViewIfNeeded();
    await h.screenshot(popup, 'api-sync-popup');
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
  }, 120_000);
});
