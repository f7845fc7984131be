// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import { summarizeOfficial } from '../../rules/official';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import type { Cancellation, Order } from '../../rules/types';

// 15:00 in Moscow on 14 April: today = 04-14, yesterday = 04-13.
const NOW = '2026-04-14T12:00:00.000Z';
let seq = 0;
function p(paidAt: string, over: Partial<Order> = {}): Order {
  seq++;
  return { postingNumber: `20000000-${String(seq).padStart(4, '0')}-1`, scheme: 'FBS', status: 'delivered', paidAt, ...over };
}
const fault = (paidAt: string, c: Partial<Cancellation> = {}, over: Partial<Order> = {}) =>
  p(paidAt, { status: 'cancelled', cancellation: { initiator: 'seller', ...c }, ...over });
const many = (n: number, make: () => Order) => Array.from({ length: n }, make);
const MID = '2026-04-08T09:00:00Z'; // inside both windows

describe('O1 cancellation rating: last 7 days, not counting today and yesterday (Moscow days)', () => {
  it('O1 window edges follow Moscow midnight', () => {
    const r = summarizeOfficial(
      [
        p('2026-04-12T20:59:59Z'), // 23:59:59 MSK on 04-12: in
        p('2026-04-12T21:00:00Z'), // 00:00 MSK on 04-13 (yesterday): out
        p('2026-04-05T21:00:00Z'), // 00:00 MSK on 04-06: in
        p('2026-04-05T20:59:59Z'), // 04-05: out
        p('2026-04-14T10:00:00Z'), // today: out
      ],
      NOW,
    );
    expect(r.cancelRating).toMatchObject({ rule: 'O1', from: '2026-04-06', to: '2026-04-12', postings: 2, sellerFault: 0, rate: 0 });
  });

  it('O1 seller fault = initiator seller or affectsRating; buyer cancellations and FBO postings do not count', () => {
    const r = summarizeOfficial(
      [
        fault(MID),
        fault(MID, { initiator: 'buyer', affectsRating: true }),
        fault(MID, { initiator: 'buyer' }),
        fault(MID, { initiator: 'system' }),
        fault(MID, {}, { scheme: 'FBO' }),
        p(MID, { scheme: 'FBO' }),
        p(MID, { scheme: 'rFBS' }),
        p(MID),
      ],
      NOW,
    );
    expect(r.cancelRating.postings).toBe(6);
    expect(r.cancelRating.sellerFault).toBe(2);
    expect(r.cancelRating.rate).toBeCloseTo(100 / 3, 10);
  });

  it('O1 status and room against Ozon thresholds when given', () => {
    const orders = [...many(99, () => p(MID)), fault(MID)];
    const r = summarizeOfficial(orders, NOW, defaultRulebook, { warningPct: 1.5, dangerPct: 2 });
    expect(r.cancelRating).toMatchObject({ rate: 1, status: 'ok', toWarning: 0, toDanger: 1 });
    const r2 = summarizeOfficial([...orders, fault(MID)], NOW, defaultRulebook, { warningPct: 1.5, dangerPct: 2 });
    expect(r2.cancelRating.status).toBe('warning');
    expect(summarizeOfficial(orders, NOW).cancelRating.status).toBeUndefined();
  });
});

describe('O2 error index: 14 days not counting today; zones', () => {
  it('O2 window is 03-31 … 04-13 (yesterday counts)', () => {
    const r = summarizeOfficial([p('2026-04-13T12:00:00Z'), p('2026-03-30T21:00:00Z'), p('2026-03-30T20:59:00Z'), p('2026-04-14T00:00:00Z')], NOW);
    expect(r.errorIndex).toMatchObject({ from: '2026-03-31', to: '2026-04-13', postings: 2 });
  });

  it.each([
    [0, 'green'],
    [4, 'green'],
    [5, 'blue'],
    [10, 'blue'],
    [11, 'yellow'],
    [20, 'yellow'],
    [21, 'orange'],
    [40, 'orange'],
    [41, 'red'],
    [100, 'red'],
  ] as const)('O2 %d of 100 postings → %s', (k, zone) => {
    const r = summarizeOfficial([...many(100 - k, () => p(MID)), ...many(k, () => fault(MID))], NOW);
    expect(r.errorIndex.rate).toBe(k);
    expect(r.errorIndex.zone).toBe(zone);
  });

  it('O2 forecast: "2 more seller-fault cancellations put you in the blue zone"', () => {
    const r = summarizeOfficial([...many(49, () => p(MID)), fault(MID)], NOW);
    expect(r.errorIndex).toMatchObject({ zone: 'green', rate: 2, nextZone: 'blue', budgetInZone: 1, moreToNextZone: 2 });
    // At the edge of green the very next one crosses.
    const edge = summarizeOfficial([...many(96, () => p(MID)), ...many(4, () => fault(MID))], NOW);
    expect(edge.errorIndex).toMatchObject({ zone: 'green', budgetInZone: 0, moreToNextZone: 1 });
    const red = summarizeOfficial(many(2, () => fault(MID)), NOW);
    expect(red.errorIndex.zone).toBe('red');
    expect(red.errorIndex.nextZone).toBeUndefined();
    expect(red.errorIndex.moreToNextZone).toBeUndefined();
  });

  it('O2 zone bounds come from the rulebook', () => {
    const rb = withValues(defaultRulebook, { 'official.errorZoneGreenMaxPct': 1 });
    const r = summarizeOfficial([...many(49, () => p(MID)), fault(MID)], NOW, rb);
    expect(r.errorIndex.zone).toBe('blue');
    expect(r.errorIndex.zones[0]).toEqual({ zone: 'green', maxPct: 1 });
  });

  it('O2 no postings: green, rate 0, no forecast', () => {
    const r = summarizeOfficial([], NOW);
    expect(r.errorIndex).toMatchObject({ zone: 'green', rate: 0, postings: 0 });
    expect(r.errorIndex.moreToNextZone).toBeUndefined();
    const bad = summarizeOfficial([p(MID)], 'garbage');
    expect(bad.errorIndex.postings).toBe(0);
    expect(JSON.stringify(bad)).not.toMatch(/NaN|null/);
  });
});

describe('O3 error-index fees', () => {
  it('O3 green zone: no fee', () => {
    const r = summarizeOfficial([...many(99, () => p(MID)), fault(MID, {}, { items: [{ sku: 'x', quantity: 1, price: 1000 }] })], NOW);
    expect(r.fees).toMatchObject({ rule: 'O3', pct: 0, totalRub: 0, nextZonePct: 3, capRub: 1500 });
  });

  it('O3 blue 3 % of the cancelled items, capped at 1,500 RUB an order', () => {
    const r = summarizeOfficial(
      [
        ...many(92, () => p(MID)),
        ...many(6, () => fault(MID, {}, { items: [{ sku: 'x', quantity: 2, price: 500 }] })),
        fault(MID, {}, { postingNumber: 'BIG', items: [{ sku: 'y', quantity: 1, price: 100_000 }] }),
        fault(MID),
      ],
      NOW,
    );
    expect(r.errorIndex.zone).toBe('blue');
    expect(r.fees.pct).toBe(3);
    expect(r.fees.postings.find((x) => x.postingNumber === 'BIG')).toEqual({ postingNumber: 'BIG', priceRub: 100_000, feeRub: 1500 });
    expect(r.fees.totalRub).toBeCloseTo(6 * 30 + 1500 + 0, 6);
    expect(r.fees.nextZonePct).toBe(6);
  });

  it.each([
    [15, 6],
    [30, 9],
    [60, 9],
  ] as const)('O3 %d %% → fee %d %%', (k, pct) => {
    const r = summarizeOfficial([...many(100 - k, () => p(MID)), ...many(k, () => fault(MID))], NOW);
    expect(r.fees.pct).toBe(pct);
  });
});
