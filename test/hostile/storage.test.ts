// @vitest-environment node
/**
 * Stored data the extension did not write the way it expects — corrupted,
 * truncated, of an old version, of a shape from the future — and a storage
 * quota that refuses writes. Valid orders are kept, the rest is reported, the
 * next write loses nothing that was readable, and the popup is told when
 * orders had to go (oldest first).
 *
 * Storage keys (storage/history/items.ts): `history:<store>` (+ `history:<store>$`, the
 * @wxt-dev/storage version meta) and `historyIndex`.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import { _resetHistoryForTests, listStores, loadOrders, mergeOrders, readStore, loadAllOrders } from '../../storage/history';
import { historySource } from '../../components/popup/historySource';
import { summarizeStore } from '../../rules/index';
import { count, report } from './fuzz-config';

const T0 = Date.parse('2026-04-14T10:00:00Z');
const H = 3_600_000;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const pn = (i: number) => `${String(30000000 + i)}-0001-1`;
const order = (i: number, extra: Partial<Order> = {}): Order => ({ postingNumber: pn(i), scheme: 'FBS', status: 'delivered', paidAt: iso(T0 - i * H), ...extra });
const record = (o: Order) => ({ order: o, firstSeen: iso(T0 - D), lastSeen: iso(T0 - H), observedAt: iso(T0 - H), statusHistory: [{ status: o.status, at: iso(T0 - H) }], source: 'page' });

async function seed(values: Record<string, unknown>) {
  await browser.storage.local.set(values);
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
  // @wxt-dev/storage logs a failed migration (a version from the future) and carries on; that is the case under test.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(() => report('storage'));

describe('corrupted, truncated, old and future stored data: valid orders kept, the rest reported', () => {
  const good = [order(1), order(2, { status: 'cancelled', cancellation: { initiator: 'seller', reasonCode: 'C03' } }), order(3, { status: 'awaiting_packaging', shipBy: iso(T0 + D) })];
  const v2 = { orders: Object.fromEntries(good.map((o) => [o.postingNumber, record(o)])) };

  const cases: { name: string; value: unknown; meta?: unknown; keep: string[]; reported?: boolean }[] = [
    { name: 'v1 (the prototype: a bare array of orders with seenAt)', value: good.map((o) => ({ ...o, seenAt: iso(T0 - H) })), keep: good.map((o) => o.postingNumber) },
    { name: 'v2 with garbage records mixed in', value: { orders: { ...v2.orders, 'x-1': 42, [pn(9)]: { order: { postingNumber: pn(9) } }, [pn(8)]: null, [pn(7)]: 'oops' } }, meta: { v: 2 }, keep: good.map((o) => o.postingNumber), reported: true },
    { name: 'v2 whose records have bad fields (repaired)', value: { orders: { [pn(1)]: { ...record(order(1)), firstSeen: 'yesterday', statusHistory: 'none', order: { ...order(1), paidAt: 'not a date', items: 'x' } } } }, meta: { v: 2 }, keep: [pn(1)] },
    { name: 'a shape from the future (v9, extra fields, records list)', value: { schema: 9, records: good.map((o) => ({ ...record(o), futureField: { deep: true } })), compressed: false }, meta: { v: 9 }, keep: good.map((o) => o.postingNumber) },
    { name: 'JSON text truncated mid-record', value: JSON.stringify(v2).slice(0, JSON.stringify(v2).lastIndexOf(pn(3)) + 5), meta: { v: 2 }, keep: [pn(1), pn(2)], reported: true },
    { name: 'unreadable text', value: '\u0000\u0001 not json at all', meta: { v: 2 }, keep: [], reported: true },
    { name: 'a number', value: 42, meta: { v: 2 }, keep: [], reported: true },
    { name: 'an object without orders', value: { hello: 'world' }, meta: { v: 2 }, keep: [], reported: true },
    { name: 'orders as an array of mixed junk', value: { orders: [record(good[0]!), [], 'x', { order: 5 }, record(good[1]!)] }, meta: { v: 2 }, keep: [pn(1), pn(2)], reported: true },
    { name: 'a garbage version meta', value: v2, meta: 'v2', keep: good.map((o) => o.postingNumber) },
    { name: '__proto__ keys in the stored map', value: JSON.parse(`{"orders":{"__proto__":{"polluted":1},"${pn(1)}":${JSON.stringify(record(good[0]!))}}}`), meta: { v: 2 }, keep: [pn(1)], reported: true },
  ];

  for (const c of cases) {
    it(`${c.name}: readable orders kept and reported, the next write loses none of them`, async () => {
      count('storage.corrupt');
      await seed({ 'history:111': c.value, ...(c.meta !== undefined && { 'history:111$': c.meta }), historyIndex: { stores: { 111: { id: '111', count: 3, rev: 1 } } } });
      const { records, report: r } = await readStore('111');
      expect(records.map((x) => x.order.postingNumber).sort()).toEqual([...c.keep].sort());
      if (c.reported) expect(r.dropped.length > 0 || !!r.problem).toBe(true);
      for (const rec of records) expect(Object.getPrototypeOf(rec.order)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      // The extension keeps working: a new order merges in and nothing readable is lost.
      const m = await mergeOrders('111', [order(50, { status: 'awaiting_packaging' })], 'page', T0, { now: T0 });
      expect(m.added).toBe(1);
      _resetHistoryForTests(); // as after a service-worker restart: no memory, read from storage
      const after = (await loadOrders('111')).map((o) => o.postingNumber).sort();
      expect(after).toEqual([...c.keep, pn(50)].sort());
      // …and what the popup computes from it is sane.
      const risk = summarizeStore(await loadOrders('111'), T0);
      expect(Number.isFinite(risk.cancellationRate)).toBe(true);
    });
  }

  it('a garbage index: stores are found again from their items', async () => {
    count('storage.corrupt');
    await seed({ 'history:222': v2, 'history:222$': { v: 2 }, historyIndex: 'garbage' });
    const stores = await listStores();
    expect(stores.map((s) => s.id)).toContain('222');
    const all = await loadAllOrders();
    expect(all.find((s) => s.storeId === '222')!.orders).toHaveLength(3);
  });

  it('storage.get itself failing: an empty read with the problem reported, never a throw', async () => {
    count('storage.corrupt');
    await readStore('333'); // the item is defined (and its one-time migration check done) before the disk breaks
    vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValue(new Error('IO error: database corrupted'));
    const { records, report: r } = await readStore('333');
    expect(records).toEqual([]);
    expect(r.problem).toMatch(/failed/);
  });

  it('random bytes in every history key: never a throw, every read reports', async () => {
    let seedN = 7;
    const rnd = () => ((seedN = (seedN * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const junk = (depth = 0): unknown => {
      const k = depth > 3 ? 5 : Math.floor(rnd() * 7);
      if (k === 0) return Array.from({ length: 50 }, () => String.fromCharCode(Math.floor(rnd() * 0xffff))).join('');
      if (k === 1) return rnd() * 1e300;
      if (k === 2) return { orders: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, junk(depth + 1)])) };
      if (k === 3) return [junk(depth + 1), junk(depth + 1)];
      if (k === 4) return { order: { postingNumber: pn(Math.floor(rnd() * 100)), scheme: 'FBS', status: ['delivered', 'x', 7][Math.floor(rnd() * 3)] } };
      if (k === 5) return null;
      return true;
    };
    for (let i = 0; i < 200; i++) {
      count('storage.corrupt');
      fakeBrowser.reset();
      _resetHistoryForTests();
      await seed({ 'history:444': junk(), 'history:444$': [{ v: 2 }, { v: 1 }, { v: 7 }, 'x'][i % 4] });
      const { records } = await readStore('444');
      for (const r of records) expect(typeof r.order.postingNumber).toBe('string');
      await expect(mergeOrders('444', [order(1)], 'page', T0, { now: T0 })).resolves.toBeTruthy();
    }
  });
});

describe('quota pressure: the oldest orders go first, and the popup says so', () => {
  it('a write refused for quota prunes the oldest and records why; the popup flag reports the count', async () => {
    count('storage.quota');
    // The real browser refuses with "QUOTA_BYTES quota exceeded": simulate a store that fits ~300 orders.
    const realSet = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    let refusals = 0;
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
      const v = items['history:555'] as { orders?: Record<string, unknown> } | undefined;
      if (v?.orders && Object.keys(v.orders).length > 300) {
        refusals++;
        throw new Error('Resource::kQuotaBytes quota exceeded');
      }
      return realSet(items);
    });
    // 500 orders, paid an hour apart: order i is i hours old. Open orders still being seen count by lastSeen,
    // so make them finished (delivered) to make "oldest" mean the payment time.
    const orders = Array.from({ length: 500 }, (_, i) => order(i));
    const r = await mergeOrders('555', orders, 'page', T0, { now: T0 });
    expect(refusals).toBeGreaterThan(0);
    expect(r.pruned).toBeGreaterThanOrEqual(200);
    _resetHistoryForTests();
    const kept = (await loadOrders('555')).map((o) => Number(o.postingNumber.slice(0, 8)) - 30000000).sort((a, b) => a - b);
    expect(kept.length).toBeLessThanOrEqual(300);
    // Oldest first: whatever was kept is the newest contiguous block (the smallest i = the most recent).
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(kept.length - 1);
    const [info] = (await listStores()).filter((s) => s.id === '555');
    expect(info!.pruned).toMatchObject({ reason: 'quota' });
    expect(info!.pruned!.count).toBe(500 - kept.length);
    // The popup's flag (components/popup/historySource → App's [data-pruned] note).
    const flags = await historySource().flags();
    expect(flags.pruned?.count).toBe(500 - kept.length);

    // Later writes still work under the same pressure, and the newest order always stays.
    const later = await mergeOrders('555', [order(-5, { status: 'awaiting_packaging' })], 'page', T0 + H, { now: T0 + H });
    expect(later.added).toBe(1);
    expect((await loadOrders('555')).some((o) => o.postingNumber === pn(-5))).toBe(true);
  });

  it('a non-quota write error is not mistaken for quota: nothing pruned, the error surfaces to the caller', async () => {
    count('storage.quota');
    await mergeOrders('666', [order(1), order(2)], 'page', T0, { now: T0 });
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(new Error('IO error'));
    await expect(mergeOrders('666', [order(3)], 'page', T0, { now: T0 })).rejects.toThrow(/IO error/);
    vi.restoreAllMocks();
    _resetHistoryForTests();
    expect((await loadOrders('666')).length).toBe(2);
  });
});

describe('two writers at once (two panel tabs → one background): no lost update', () => {
  it('interleaved merges of disjoint and overlapping orders keep every order and the newest facts', async () => {
    count('storage.concurrent');
    const tabA = Array.from({ length: 200 }, (_, i) => order(i, { status: 'awaiting_packaging' }));
    const tabB = Array.from({ length: 200 }, (_, i) => order(1000 + i, { status: 'awaiting_packaging' }));
    const writes: Promise<unknown>[] = [];
    for (let k = 0; k < 20; k++) {
      writes.push(mergeOrders('777', tabA.slice(k * 10, k * 10 + 10), 'page', T0 + k, { now: T0 }));
      writes.push(mergeOrders('777', tabB.slice(k * 10, k * 10 + 10), 'json', T0 + k, { now: T0 }));
    }
    // One posting updated by both tabs: the later observation wins.
    writes.push(mergeOrders('777', [order(5, { status: 'awaiting_shipment' })], 'page', T0 + 100, { now: T0 }));
    writes.push(mergeOrders('777', [order(5, { status: 'awaiting_packaging' })], 'page', T0 + 50, { now: T0 }));
    await Promise.all(writes);
    _resetHistoryForTests();
    const got = await loadOrders('777');
    expect(got.length).toBe(400);
    expect(got.find((o) => o.postingNumber === pn(5))!.status).toBe('awaiting_shipment');
    expect((await listStores()).find((s) => s.id === '777')!.orders).toBe(400);
  });
});
