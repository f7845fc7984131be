// @vitest-environment node
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import { _resetHistoryForTests, listStores, loadHistory, loadOrders } from '../../storage/history';
import { getLayoutFlags } from '../../storage/layout';
import { handleMessage, onAlarm, onNotificationClicked, onStart, refreshAll } from '../../background/router';
import { REMINDER_ALARM, TICK_ALARM } from '../../background/reminders';
import { parseOrdersCsv } from '../../csv';
import { encodeOrders, encodeOrdersJson } from '../../lib/orders-wire';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const PANEL_TAB = { id: 'test-extension-id', url: 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging' };
const POPUP = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' };

function order(n: string, extra: Partial<Order> = {}): Order {
  return { postingNumber: n, scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(Date.now() - H), ...extra };
}

/**
 * Two orders of store 321 sharing a carrier, one with a named item, sent as `encode` writes them
 * (through the browser's copy): both are stored, with their texts. The wire, for the refusals after.
 */
async function storesBothWith<W extends object>(prefix: string, encode: (orders: Order[]) => W): Promise<W> {
  const wire = encode([order(`${prefix}-1-1`, { carrier: 'СДЭК', items: [{ sku: '7', quantity: 1, name: 'Чехол' }] }), order(`${prefix}-2-1`, { carrier: 'СДЭК' })]);
  const msg = structuredClone({ type: 'orders:seen' as const, storeId: '321', ...wire, url: PANEL_TAB.url });
  expect(await handleMessage(msg, PANEL_TAB)).toMatchObject({ storeId: '321', added: 2, rejected: [] });
  const stored = (await loadOrders('321')).filter((o) => o.postingNumber.startsWith(`${prefix}-`));
  expect(stored.map((o) => o.carrier)).toEqual(['СДЭК', 'СДЭК']);
  expect(stored.find((o) => o.postingNumber === `${prefix}-1-1`)!.items![0]!.name).toBe('Чехол');
  return wire;
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('background messages', () => {
  it('orders:seen from a panel tab (the orders themselves: the content script\'s form) is merged into that store', async () => {
    const r = await handleMessage({ type: 'orders:seen', storeId: '123', orders: [order('1-1-1')], url: PANEL_TAB.url, storeLabel: 'Shop' }, PANEL_TAB);
    expect(r).toMatchObject({ storeId: '123', added: 1, updated: 0, unchanged: 0, rejected: [] });
    expect((await loadOrders('123')).map((o) => o.postingNumber)).toEqual(['1-1-1']);
    expect((await listStores())[0]).toMatchObject({ id: '123', label: 'Shop', orders: 1 });
    expect((await loadHistory('123'))[0]!.source).toBe('page');
    // Carrier and product names written out, as components/overlay/sender.ts sends them.
    await storesBothWith('8', (orders) => ({ orders }));
  });

  it('orders:seen as one JSON text (tools) is the same message; bad text is refused', async () => {
    const r = await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: JSON.stringify([order('3-1-1'), order('3-2-1')]), url: PANEL_TAB.url }, PANEL_TAB);
    expect(r).toMatchObject({ storeId: '321', added: 2, rejected: [] });
    expect((await loadOrders('321')).map((o) => o.postingNumber).sort()).toEqual(['3-1-1', '3-2-1']);
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: '[{"postingNumber":', url: PANEL_TAB.url }, PANEL_TAB)).toEqual({ error: 'ordersJson is not JSON' });
    // With its texts in a table (lib/orders-wire.ts): stored with the names and carrier written out.
    const wire = encodeOrdersJson([order('5-1-1', { carrier: 'СДЭК', items: [{ sku: '7', quantity: 1, name: 'Чехол' }] }), order('5-2-1', { carrier: 'СДЭК' })]);
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ...wire, url: PANEL_TAB.url }, PANEL_TAB)).toMatchObject({ added: 2, rejected: [] });
    const stored = (await loadOrders('321')).filter((o) => o.postingNumber.startsWith('5-'));
    expect(stored.map((o) => o.carrier)).toEqual(['СДЭК', 'СДЭК']);
    expect(stored.find((o) => o.postingNumber === '5-1-1')!.items![0]!.name).toBe('Чехол');
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: wire.ordersJson, textsJson: '{', url: PANEL_TAB.url }, PANEL_TAB)).toEqual({ error: 'textsJson is not JSON' });
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: '{"a":1}', url: PANEL_TAB.url }, PANEL_TAB)).toEqual({ error: 'orders must be an array' });
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: JSON.stringify(Array.from({ length: 5001 }, (_, i) => order(`${i}-1-1`))), url: PANEL_TAB.url }, PANEL_TAB)).toEqual({
      error: 'too many orders in one message',
    });
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', ordersJson: JSON.stringify([order('4-1-1')]), url: '' }, { id: 'test-extension-id', url: 'https://evil.example/' })).toMatchObject({
      error: expect.stringMatching(/Seller Panel/),
    });
  });

  it('orders:seen as objects with a table of texts (tools) is the same message; a bad table is refused', async () => {
    const wire = await storesBothWith('6', encodeOrders);
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', orders: structuredClone(wire.orders), texts: 'x' as unknown as string[], url: PANEL_TAB.url }, PANEL_TAB)).toEqual({ error: 'texts must be an array' });
    expect(await handleMessage({ type: 'orders:seen', storeId: '321', orders: 'x' as unknown as unknown[], texts: [], url: PANEL_TAB.url }, PANEL_TAB)).toEqual({ error: 'orders must be an array' });
  });

  it('validates the payload: the data came from a web page', async () => {
    expect(await handleMessage({ type: 'orders:seen', storeId: '1', orders: 'all of them', url: '' }, PANEL_TAB)).toEqual({
      error: 'orders must be an array',
    });
    expect(await handleMessage({ type: 'orders:seen', storeId: '1', orders: [order('1-1-1')], url: '' }, { id: 'test-extension-id', url: 'https://evil.example/' })).toMatchObject({
      error: expect.stringMatching(/Seller Panel/),
    });
    const r = (await handleMessage(
      { type: 'orders:seen', storeId: '../../x', orders: [order('1-1-1'), { postingNumber: 42 }, { postingNumber: '2-1-1', scheme: 'FBS', status: 'delivered', paidAt: 'soon', items: 'x' }], url: PANEL_TAB.url, source: 'json' },
      PANEL_TAB,
    )) as { storeId: string; added: number; rejected: unknown[] };
    expect(r.storeId).toBe('unknown');
    expect(r.added).toBe(2);
    expect(r.rejected).toEqual([{ reason: 'no scheme' }]);
    expect((await loadHistory('unknown')).map((x) => x.source)).toEqual(['json', 'json']);
    expect(handleMessage({ type: 'something:else' }, PANEL_TAB)).toBeUndefined();
    expect(handleMessage(null, PANEL_TAB)).toBeUndefined();
  });

  it('rulebook:clean answers the overrides cleaned by validateOverrides (the page overlay does not carry the validator)', async () => {
    const overrides = { profile: 'official', values: { 'deadlines.atRiskHours': 6, 'no.such.param': 1, 'deadlines.confirmHours': -1 } };
    expect(await handleMessage({ type: 'rulebook:clean', overrides }, PANEL_TAB)).toEqual({ profile: 'official', values: { 'deadlines.atRiskHours': 6 } });
    expect(await handleMessage({ type: 'rulebook:clean', overrides: 'garbage' }, PANEL_TAB)).toEqual({ profile: 'seed', values: {} });
  });

  it('two panel tabs messaging at once lose nothing', async () => {
    const tabs = Array.from({ length: 10 }, (_, i) =>
      handleMessage({ type: 'orders:seen', storeId: '5', orders: [order(`${100 + i}-1-1`), order(`${200 + i}-1-1`)], url: PANEL_TAB.url }, PANEL_TAB),
    );
    await Promise.all(tabs);
    expect(await loadOrders('5')).toHaveLength(20);
  });

  it('remembers a cross-border store, so its links go to the cross-border section', async () => {
    const url = 'https://seller.ozon.ru/app/postings/crossborder/fbs?tab=all';
    await handleMessage({ type: 'orders:seen', storeId: '7', orders: [order('1-1-1')], url }, { id: 'test-extension-id', url });
    expect((await listStores())[0]!.crossborder).toBe(true);
  });

  it('orders:import (the popup\'s CSV) merges at the export time and never rolls back a fresher page fact', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-04-18T00:00:00Z'));
    const csv = readFileSync(new URL('../fixtures/csv/ru-fbs.csv', import.meta.url));
    const { orders, report } = parseOrdersCsv(new Uint8Array(csv), { storeId: '9' });
    // The panel showed 0014-1 as shipped after the export was taken.
    await handleMessage(
      { type: 'orders:seen', storeId: '9', orders: [{ ...orders[0]!, status: 'awaiting_shipment' }], url: PANEL_TAB.url },
      PANEL_TAB,
    );
    const r = await handleMessage({ type: 'orders:import', storeId: '9', orders, report, observedAt: '2026-04-17T00:00:00Z' }, POPUP);
    expect(r).toMatchObject({ added: 4, unchanged: 0 });
    const recs = await loadHistory('9');
    expect(recs).toHaveLength(5);
    expect(recs.find((x) => x.order.postingNumber === '16965409-0014-1')!.order.status).toBe('awaiting_shipment');
    expect(recs.find((x) => x.order.postingNumber === '16965409-0015-1')!.source).toBe('csv');
    expect(await handleMessage({ type: 'orders:import', storeId: '9', orders }, PANEL_TAB)).toMatchObject({ error: expect.any(String) });
    vi.useRealTimers();
  });

  it('layout:status raises and clears the flag', async () => {
    await handleMessage({ type: 'layout:status', storeId: '1', url: PANEL_TAB.url, broken: true, detail: 'no rows recognised' }, PANEL_TAB);
    expect((await getLayoutFlags())['1']).toMatchObject({ broken: true, detail: 'no rows recognised', url: PANEL_TAB.url });
    await handleMessage({ type: 'layout:status', storeId: '1', url: PANEL_TAB.url, broken: false }, PANEL_TAB);
    expect(await getLayoutFlags()).toEqual({});
  });

  it('history:clear and history:importAll only from the extension', async () => {
    await handleMessage({ type: 'orders:seen', storeId: '1', orders: [order('1-1-1')], url: PANEL_TAB.url }, PANEL_TAB);
    expect(await handleMessage({ type: 'history:clear' }, PANEL_TAB)).toMatchObject({ error: expect.any(String) });
    expect(await handleMessage({ type: 'history:clear' }, POPUP)).toEqual({ ok: true });
    expect(await listStores()).toEqual([]);
    const r = await handleMessage(
      { type: 'history:importAll', json: { format: 'ozon-order-guard/history', version: 2, stores: [{ id: '4', records: [{ order: order('9-9-9'), firstSeen: iso(Date.now()), lastSeen: iso(Date.now()), observedAt: iso(Date.now()), statusHistory: [], source: 'csv' }] }] } },
      POPUP,
    );
    expect(r).toMatchObject({ stores: 1, added: 1 });
  });

  it('refresh recounts the icon', async () => {
    await handleMessage(
      { type: 'orders:seen', storeId: '1', orders: [order('1-1-1', { status: 'awaiting_shipment', confirmedAt: iso(Date.now() - H), shipBy: iso(Date.now() + 20 * 60_000) })], url: PANEL_TAB.url },
      PANEL_TAB,
    );
    expect(await handleMessage({ type: 'refresh' })).toEqual({ ok: true, count: 1 });
    expect(await browser.action.getBadgeText({})).toBe('1');
  });
});

describe('background alarms, notifications and start-up', () => {
  it('start-up creates the periodic tick (≥ 1 min) and paints the icon', async () => {
    await handleMessage(
      { type: 'orders:seen', storeId: '1', orders: [order('1-1-1', { status: 'awaiting_shipment', confirmedAt: iso(Date.now() - H), shipBy: iso(Date.now() - 60_000) })], url: PANEL_TAB.url },
      PANEL_TAB,
    );
    await onStart();
    const tick = await browser.alarms.get(TICK_ALARM);
    expect(tick?.periodInMinutes).toBeGreaterThanOrEqual(1);
    expect(await browser.action.getBadgeText({})).toBe('1');
  });

  it('an alarm recounts; a notification click opens its posting in a new tab', async () => {
    const create = vi.spyOn(browser.tabs, 'create');
    await onNotificationClicked('oog|critical|1-1-1|https://seller.ozon.ru/app/postings/fbs?postingDetails=1-1-1');
    expect(create).toHaveBeenCalledWith({ url: 'https://seller.ozon.ru/app/postings/fbs?postingDetails=1-1-1' });
    await onNotificationClicked('other|x');
    expect(create).toHaveBeenCalledTimes(1);
    await handleMessage(
      { type: 'orders:seen', storeId: '1', orders: [order('1-1-1', { status: 'awaiting_shipment', confirmedAt: iso(Date.now() - H), shipBy: iso(Date.now() + 60 * 60_000) })], url: PANEL_TAB.url },
      PANEL_TAB,
    );
    await onAlarm({ name: REMINDER_ALARM });
    expect(await browser.action.getBadgeText({})).toBe('1');
  });

  it('concurrent refreshes share one run', async () => {
    const [a, b] = await Promise.all([refreshAll(), refreshAll()]);
    expect(a).toEqual(b);
  });
});

describe('i18n:table (the content script\'s language table)', () => {
  it('answers a flat table of the language\'s messages, read once per language while the worker lives; a failed read is not kept', async () => {
    const { loadLocale } = await import('../setup');
    const ru = loadLocale('ru');
    const messagesJson = Object.fromEntries(Object.entries(ru).map(([k, v]) => [k, { message: v }]));
    let reads = 0;
    let fail = true;
    vi.stubGlobal('fetch', async (url: string) => {
      reads++;
      if (fail) return { ok: false, json: async () => ({}) };
      expect(String(url)).toMatch(/\/_locales\/ru\/messages\.json$/);
      return { ok: true, json: async () => structuredClone(messagesJson) };
    });
    try {
      expect(await handleMessage({ type: 'i18n:table', lang: 'ru' }, PANEL_TAB)).toEqual({});
      fail = false;
      const first = await handleMessage({ type: 'i18n:table', lang: 'ru' }, PANEL_TAB);
      expect(first).toEqual(ru);
      expect(Object.values(first as object).every((v) => typeof v === 'string')).toBe(true);
      expect(await handleMessage({ type: 'i18n:table', lang: 'ru' }, PANEL_TAB)).toEqual(ru);
      expect(reads).toBe(2);
      expect(await handleMessage({ type: 'i18n:table', lang: 'xx' } as never, PANEL_TAB)).toEqual({});
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
