// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import {
  _resetHistoryForTests,
  clearAll,
  coverage,
  exportAll,
  importAll,
  listStores,
  loadHistory,
  loadOrders,
  mergeOrders,
  parseTruncatedJson,
  readStore,
  watchHistory,
  MAX_STATUS_HISTORY,
  LAST_SEEN_STEP_MS,
} from '../../storage/history';

const T0 = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;
const D = 24 * H;

function order(n: string, extra: Partial<Order> = {}): Order {
  return { postingNumber: n, scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(T0 - H), ...extra };
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('history merge', () => {
  it('adds, then reports unchanged on a repeat, updated on a change', async () => {
    const a = await mergeOrders('111', [order('1-1-1'), order('2-1-1')], 'page', T0, { now: T0 });
    expect(a).toMatchObject({ storeId: '111', added: 2, updated: 0, unchanged: 0 });
    const b = await mergeOrders('111', [order('1-1-1')], 'page', T0 + 1000, { now: T0 });
    expect(b).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    const c = await mergeOrders('111', [order('1-1-1', { status: 'awaiting_shipment' })], 'json', T0 + H, { now: T0 });
    expect(c).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    const [rec] = (await loadHistory('111')).filter((r) => r.order.postingNumber === '1-1-1');
    expect(rec!.order.status).toBe('awaiting_shipment');
    expect(rec!.source).toBe('json');
    expect(rec!.firstSeen).toBe(iso(T0));
    expect(rec!.lastSeen).toBe(iso(T0 + H));
    expect(rec!.statusHistory).toEqual([
      { status: 'awaiting_packaging', at: iso(T0) },
      { status: 'awaiting_shipment', at: iso(T0 + H) },
    ]);
    expect(rec!.order.storeId).toBe('111');
  });

  it('newer facts win field by field; an absent field never erases a known one', async () => {
    await mergeOrders('s', [order('1-1-1', { trackingNumber: 'TRK1', shipBy: iso(T0 + D) })], 'page', T0, { now: T0 });
    await mergeOrders('s', [order('1-1-1', { trackingNumber: 'TRK2' })], 'page', T0 + H, { now: T0 });
    const [o] = await loadOrders('s');
    expect(o!.trackingNumber).toBe('TRK2');
    expect(o!.shipBy).toBe(iso(T0 + D));
    expect(o!.paidAt).toBe(iso(T0 - H));
  });

  it('an older observation (a CSV exported earlier) never rolls back a fresher page fact, but fills what is missing', async () => {
    await mergeOrders('s', [order('1-1-1', { status: 'cancelled' })], 'page', T0 + 2 * H, { now: T0 });
    const r = await mergeOrders(
      's',
      [
        order('1-1-1', {
          status: 'awaiting_packaging',
          cancellation: { initiator: 'buyer', reasonCode: 'C03' },
          items: [{ sku: '42', quantity: 2, name: 'Mug' }],
        }),
      ],
      'csv',
      T0,
      { now: T0 },
    );
    expect(r.updated).toBe(1);
    const [rec] = await loadHistory('s');
    expect(rec!.order.status).toBe('cancelled');
    expect(rec!.order.cancellation).toEqual({ initiator: 'buyer', reasonCode: 'C03' });
    expect(rec!.order.items).toEqual([{ sku: '42', quantity: 2, name: 'Mug' }]);
    // The older status is history, placed where it belongs in time.
    expect(rec!.statusHistory.map((e) => e.status)).toEqual(['awaiting_packaging', 'cancelled']);
    expect(rec!.firstSeen).toBe(iso(T0));
    expect(rec!.source).toBe('page');
    // A field filled from the older fact keeps its own instant, so a fact in between still beats it.
    expect(rec!.fieldAt?.items).toBe(iso(T0));
    await mergeOrders('s', [order('1-1-1', { status: 'cancelled', items: [{ sku: '42', quantity: 1 }] })], 'csv', T0 + H, { now: T0 });
    const [rec2] = await loadHistory('s');
    expect(rec2!.order.items).toEqual([{ sku: '42', quantity: 1, name: 'Mug' }]);
  });

  it("an 'unknown' status or initiator does not overwrite a known one", async () => {
    await mergeOrders('s', [order('1-1-1', { status: 'cancelled', cancellation: { initiator: 'seller', reasonCode: '352' } })], 'json', T0, { now: T0 });
    await mergeOrders('s', [order('1-1-1', { status: 'unknown', cancellation: { initiator: 'unknown', reasonText: 'Нет в наличии' } })], 'page', T0 + H, { now: T0 });
    const [o] = await loadOrders('s');
    expect(o!.status).toBe('cancelled');
    expect(o!.cancellation).toEqual({ initiator: 'seller', reasonCode: '352', reasonText: 'Нет в наличии' });
  });

  it('moves lastSeen only in steps, so re-seeing an unchanged order does not rewrite storage', async () => {
    await mergeOrders('s', [order('1-1-1')], 'page', T0, { now: T0 });
    const spy = vi.spyOn(browser.storage.local, 'set');
    await mergeOrders('s', [order('1-1-1')], 'page', T0 + 1000, { now: T0 });
    expect(spy).not.toHaveBeenCalled();
    await mergeOrders('s', [order('1-1-1')], 'page', T0 + LAST_SEEN_STEP_MS, { now: T0 });
    expect(spy).toHaveBeenCalled();
    expect((await loadHistory('s'))[0]!.lastSeen).toBe(iso(T0 + LAST_SEEN_STEP_MS));
  });

  it('keeps the status history bounded, first change included', async () => {
    const statuses = ['awaiting_packaging', 'awaiting_shipment'] as const;
    for (let i = 0; i < MAX_STATUS_HISTORY + 10; i++) {
      await mergeOrders('s', [order('1-1-1', { status: statuses[i % 2]! })], 'page', T0 + i * H, { now: T0 });
    }
    const [rec] = await loadHistory('s');
    expect(rec!.statusHistory).toHaveLength(MAX_STATUS_HISTORY);
    expect(rec!.statusHistory[0]).toEqual({ status: 'awaiting_packaging', at: iso(T0) });
    expect(rec!.statusHistory.at(-1)!.at).toBe(iso(T0 + (MAX_STATUS_HISTORY + 9) * H));
  });

  it('validates incoming orders: a bad one is rejected with a reason, the rest kept', async () => {
    const r = await mergeOrders(
      's',
      [order('1-1-1'), { postingNumber: '', scheme: 'FBS' }, { postingNumber: '3-1-1', scheme: 'XYZ' }, null, 'junk', order('4-1-1', { paidAt: 'yesterday' as string })],
      'page',
      T0,
      { now: T0 },
    );
    expect(r.added).toBe(2);
    expect(r.rejected.map((x) => x.reason)).toEqual(['no posting number', 'bad scheme "XYZ"', 'not an object', 'not an object']);
    const o = (await loadOrders('s')).find((x) => x.postingNumber === '4-1-1');
    expect(o!.paidAt).toBeUndefined();
  });
});

describe('history per store', () => {
  it('keeps stores apart and lists them with counts, labels and lastSeen', async () => {
    await mergeOrders('111', [order('1-1-1'), order('2-1-1')], 'page', T0, { now: T0, label: 'Shop A' });
    await mergeOrders('222', [order('1-1-1', { status: 'delivered' })], 'page', T0 + H, { now: T0 });
    await mergeOrders('not a/valid id', [order('9-1-1')], 'page', T0, { now: T0 });
    expect((await loadOrders('111')).map((o) => o.status)).toEqual(['awaiting_packaging', 'awaiting_packaging']);
    expect((await loadOrders('222')).map((o) => o.status)).toEqual(['delivered']);
    expect((await loadOrders('unknown')).map((o) => o.postingNumber)).toEqual(['9-1-1']);
    const stores = await listStores();
    expect(stores.map((s) => [s.id, s.orders])).toEqual([
      ['222', 1],
      ['111', 2],
      ['unknown', 1],
    ]);
    expect(stores.find((s) => s.id === '111')!.label).toBe('Shop A');
    expect(stores[0]!.lastSeen).toBe(iso(T0 + H));
  });

  it('reports coverage from paidAt and firstSeen', async () => {
    await mergeOrders('s', [order('1-1-1', { paidAt: iso(T0 - 5 * D) }), order('2-1-1', { paidAt: iso(T0 - D) })], 'csv', T0, { now: T0 });
    await mergeOrders('s', [order('3-1-1', { paidAt: undefined })], 'page', T0 + H, { now: T0 });
    expect(await coverage('s')).toEqual({
      count: 3,
      paidAt: { from: iso(T0 - 5 * D), to: iso(T0 - D) },
      firstSeen: { from: iso(T0), to: iso(T0 + H) },
      lastSeen: iso(T0 + H),
    });
  });

  it('tells watchers which store changed', async () => {
    const seen: string[][] = [];
    const stop = watchHistory((ids) => seen.push(ids));
    await mergeOrders('111', [order('1-1-1')], 'page', T0, { now: T0 });
    await mergeOrders('222', [order('1-1-1')], 'page', T0, { now: T0 });
    await vi.waitFor(() => expect(seen).toEqual([['111'], ['222']]));
    stop();
  });
});

describe('history concurrency (single writer)', () => {
  it('loses nothing when 20 merges into one store run at once', async () => {
    const batches = Array.from({ length: 20 }, (_, i) => [order(`${1000 + i}-0001-1`), order(`${1000 + i}-0002-1`)]);
    const results = await Promise.all(batches.map((b, i) => mergeOrders('777', b, 'page', T0 + i, { now: T0 })));
    expect(results.reduce((n, r) => n + r.added, 0)).toBe(40);
    expect(await loadOrders('777')).toHaveLength(40);
    expect((await listStores())[0]!.orders).toBe(40);
  });

  it('keeps working after a failed write', async () => {
    const set = browser.storage.local.set.bind(browser.storage.local);
    let fail = true;
    vi.spyOn(browser.storage.local, 'set').mockImplementation(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('IO error');
      }
      return set(items);
    });
    await expect(mergeOrders('s', [order('1-1-1')], 'page', T0, { now: T0 })).rejects.toThrow('IO error');
    await mergeOrders('s', [order('2-1-1')], 'page', T0, { now: T0 });
    expect((await loadOrders('s')).map((o) => o.postingNumber)).toEqual(['2-1-1']);
  });
});

describe('history pruning', () => {
  it('drops orders whose latest relevant instant is past 90 days; an open order still seen stays', async () => {
    const now = T0 + 100 * D;
    await mergeOrders(
      's',
      [
        order('old-1-1', { status: 'delivered', paidAt: iso(T0), deliveredAt: iso(T0 + 2 * D) }),
        order('recent-1-1', { status: 'delivered', paidAt: iso(now - 10 * D) }),
        order('edge-1-1', { status: 'cancelled', paidAt: iso(now - 89 * D) }),
      ],
      'csv',
      now,
      { now },
    );
    expect((await loadOrders('s')).map((o) => o.postingNumber).sort()).toEqual(['edge-1-1', 'recent-1-1']);
    // An old export's orders are not counted as new when they are not kept.
    const r = await mergeOrders('s', [order('old-2-1', { status: 'delivered', paidAt: iso(T0) })], 'csv', now, { now });
    expect(r).toMatchObject({ added: 0, tooOld: 1 });
    // An open order with old dates that the panel still shows is kept (its lastSeen is recent).
    await mergeOrders('s', [order('stuck-1-1', { status: 'in_transit', paidAt: iso(T0) })], 'page', now, { now });
    expect((await loadOrders('s')).map((o) => o.postingNumber)).toContain('stuck-1-1');
  });

  it('keeps at most the cap, dropping the oldest, and records it for the popup', async () => {
    const orders = Array.from({ length: 30 }, (_, i) => order(`${i}-1-1`, { paidAt: iso(T0 - (30 - i) * H) }));
    const r = await mergeOrders('s', orders, 'csv', T0, { now: T0, cap: 25 });
    expect(r.pruned).toBe(5);
    const left = (await loadOrders('s')).map((o) => o.postingNumber);
    expect(left).toHaveLength(25);
    expect(left).not.toContain('0-1-1');
    expect(left).toContain('29-1-1');
    const [info] = await listStores();
    expect(info!.pruned).toMatchObject({ count: 5, reason: 'cap', at: iso(T0) });
  });

  it('on a quota error prunes the oldest first and retries', async () => {
    const set = browser.storage.local.set.bind(browser.storage.local);
    let failures = 2;
    vi.spyOn(browser.storage.local, 'set').mockImplementation(async (items) => {
      if (Object.keys(items).includes('history:s') && failures > 0) {
        failures--;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      return set(items);
    });
    const orders = Array.from({ length: 20 }, (_, i) => order(`${i}-1-1`, { paidAt: iso(T0 - (20 - i) * H) }));
    const r = await mergeOrders('s', orders, 'csv', T0, { now: T0 });
    expect(r.added).toBe(20);
    expect(r.pruned).toBe(4);
    const left = (await loadOrders('s')).map((o) => o.postingNumber);
    expect(left).toHaveLength(16);
    expect(left).not.toContain('0-1-1');
    expect((await listStores())[0]!.pruned).toMatchObject({ count: 4, reason: 'quota' });
  });
});

describe('history load: migration and damage', () => {
  it('migrates the v1 shape (a plain array of orders) to v2', async () => {
    await browser.storage.local.set({
      'history:555': [
        { ...order('1-1-1'), seenAt: iso(T0) },
        { ...order('1-1-1', { status: 'awaiting_shipment' }), seenAt: iso(T0 + H) },
        order('2-1-1'),
      ],
    });
    _resetHistoryForTests();
    const records = await loadHistory('555');
    expect(records).toHaveLength(2);
    const r1 = records.find((r) => r.order.postingNumber === '1-1-1')!;
    expect(r1.order.status).toBe('awaiting_shipment');
    expect(r1.firstSeen).toBe(iso(T0));
    const stored = await browser.storage.local.get(['history:555', 'history:555$']);
    expect(stored['history:555$']).toEqual({ v: 2 });
    expect(Object.keys((stored['history:555'] as { orders: object }).orders)).toEqual(['1-1-1', '2-1-1']);
    // The index was never written by v1: the store is still listed.
    expect((await listStores()).map((s) => [s.id, s.orders])).toEqual([['555', 2]]);
  });

  it('keeps every valid record of corrupted data and reports the rest', async () => {
    await browser.storage.local.set({
      'history:s': {
        orders: {
          '1-1-1': { order: order('1-1-1'), firstSeen: iso(T0), lastSeen: iso(T0), observedAt: iso(T0), statusHistory: [], source: 'page' },
          '2-1-1': { order: { postingNumber: '2-1-1', scheme: 'nope', status: 'cancelled' } },
          '3-1-1': 42,
          '4-1-1': { order: { ...order('4-1-1'), status: 'teleported', shipBy: 'soon' }, firstSeen: 'x' },
        },
      },
      'history:s$': { v: 2 },
    });
    const { records, report } = await readStore('s');
    expect(records.map((r) => r.order.postingNumber).sort()).toEqual(['1-1-1', '4-1-1']);
    expect(records.find((r) => r.order.postingNumber === '4-1-1')!.order.status).toBe('unknown');
    expect(report.dropped).toEqual([
      { key: '2-1-1', reason: 'bad scheme "nope"' },
      { key: '3-1-1', reason: 'not an object' },
    ]);
    expect(report.repaired).toBe(1);
    expect(report.kept).toBe(2);
  });

  it('reads a future shape (newer version, extra fields) without throwing, keeping what it understands', async () => {
    await browser.storage.local.set({
      'history:s': { records: [{ order: { ...order('1-1-1'), hologram: true }, firstSeen: iso(T0), lastSeen: iso(T0), observedAt: iso(T0), vibes: 1 }] },
      'history:s$': { v: 9 },
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { records, report } = await readStore('s');
    expect(records).toHaveLength(1);
    expect(records[0]!.order).not.toHaveProperty('hologram');
    expect(report.dropped).toEqual([]);
    errors.mockRestore();
  });

  it('keeps the complete records of truncated JSON text', async () => {
    const full = JSON.stringify({ orders: [order('1-1-1'), order('2-1-1'), order('3-1-1')] });
    const cut = full.slice(0, full.indexOf('3-1-1') - 5);
    await browser.storage.local.set({ 'history:s': cut, 'history:s$': { v: 2 } });
    const { records, report } = await readStore('s');
    expect(records.map((r) => r.order.postingNumber)).toEqual(['1-1-1', '2-1-1']);
    expect(report.problem).toMatch(/truncated/);
    expect(parseTruncatedJson('garbage')).toBeUndefined();
  });

  it('answers an unreadable value with an empty store and a problem, never a throw', async () => {
    await browser.storage.local.set({ 'history:s': 12345, 'history:s$': { v: 2 } });
    const { records, report } = await readStore('s');
    expect(records).toEqual([]);
    expect(report.problem).toBe('stored value is a number');
  });
});

describe('history backup', () => {
  it('exports everything and imports it back merged, nothing lost', async () => {
    await mergeOrders('111', [order('1-1-1'), order('2-1-1')], 'page', T0, { now: T0, label: 'A' });
    const backup = await exportAll(T0);
    await clearAll();
    expect(await listStores()).toEqual([]);
    await mergeOrders('111', [order('2-1-1', { status: 'awaiting_shipment' })], 'page', T0 + H, { now: T0 });
    const r = await importAll(JSON.stringify(backup), { now: T0 });
    expect(r).toMatchObject({ stores: 1, added: 1, updated: 1, dropped: [] });
    const recs = await loadHistory('111');
    const r2 = recs.find((x) => x.order.postingNumber === '2-1-1')!;
    expect(r2.order.status).toBe('awaiting_shipment');
    expect(r2.firstSeen).toBe(iso(T0));
    expect(r2.statusHistory.map((e) => e.status)).toEqual(['awaiting_packaging', 'awaiting_shipment']);
    expect((await listStores())[0]!.label).toBe('A');
  });

  it('refuses a file that is not a backup and reports bad records of one that is', async () => {
    expect((await importAll('{"hello":1}')).problem).toMatch(/not a backup/);
    expect((await importAll('nonsense')).problem).toMatch(/not a backup/);
    const r = await importAll({ format: 'ozon-order-guard/history', version: 2, stores: [{ id: '9', records: [{ order: { postingNumber: 'x' } }] }] });
    expect(r.dropped).toEqual([{ store: '9', key: '0', reason: 'no scheme' }]);
  });
});
