import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Order } from '../../rules/types';
import { _resetHistoryForTests, listStores, loadAllOrders, mergeOrders } from '../../storage/history';
import { readStoreNames, setStoreName, storeNamesItem, validateStoreName, STORE_NAME_MAX } from '../../storage/store-names';
import { summaryStores } from '../../background/channels/summary';
import { defaultRulebook } from '../../rules/rulebook';

const T0 = Date.parse('2026-04-14T10:00:00Z');
const order = (n: string): Order => ({ postingNumber: n, scheme: 'FBS', status: 'awaiting_packaging', paidAt: new Date(T0 - 3_600_000).toISOString() });

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
});

describe("the seller's store names", () => {
  it('validates: trimmed, one line, at most the maximum; empty means no name', () => {
    expect(validateStoreName('  ООО  Ромашка ')).toEqual({ ok: true, value: 'ООО Ромашка' });
    expect(validateStoreName('')).toEqual({ ok: true, value: '' });
    expect(validateStoreName('x'.repeat(STORE_NAME_MAX + 1)).ok).toBe(false);
    expect(validateStoreName('a\u0007b').ok).toBe(false);
    expect(validateStoreName(42).ok).toBe(false);
  });

  it('a named store shows its name in the store list and the morning summary; an empty name goes back to the id', async () => {
    await mergeOrders('555001', [order('1-1-1')], 'page', T0, { now: T0 });
    await mergeOrders('555002', [order('2-1-1')], 'page', T0, { now: T0 });
    expect((await listStores()).find((s) => s.id === '555001')?.label).toBeUndefined();

    expect(await setStoreName('555001', '深圳星河贸易')).toEqual({ ok: true });
    const list = await listStores();
    expect(list.find((s) => s.id === '555001')?.label).toBe('深圳星河贸易');
    expect(list.find((s) => s.id === '555002')?.label).toBeUndefined();

    const all = await loadAllOrders();
    const sum = summaryStores(all, T0, 'Asia/Shanghai', defaultRulebook);
    expect(sum.find((s) => s.storeId === '555001')?.label).toBe('深圳星河贸易');

    expect(await setStoreName('555001', '   ')).toEqual({ ok: true });
    expect((await listStores()).find((s) => s.id === '555001')?.label).toBeUndefined();
  });

  it('a refused name keeps the old one; a malformed stored value loses only the bad entries', async () => {
    await setStoreName('555001', 'Shop A');
    const r = await setStoreName('555001', 'x'.repeat(200));
    expect(r.ok).toBe(false);
    expect(await readStoreNames()).toEqual({ '555001': 'Shop A' });
    await storeNamesItem.setValue({ '555001': 'Shop A', '555002': 7 as unknown as string });
    expect(await readStoreNames()).toEqual({ '555001': 'Shop A' });
  });
});
