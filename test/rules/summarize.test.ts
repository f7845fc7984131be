// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import { categoryBaselineKey, summarizeStore } from '../../rules/summarize';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import type { Cancellation, Order, Status } from '../../rules/types';

const NOW = '2026-04-14T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const H = 3_600_000;
const DAY = 24 * H;
const at = (ms: number) => new Date(NOW_MS + ms).toISOString();

let seq = 0;
function o(over: Partial<Order> = {}): Order {
  seq++;
  return {
    postingNumber: `10000000-${String(seq).padStart(4, '0')}-1`,
    scheme: 'FBS',
    status: 'delivered',
    paidAt: at(-DAY),
    ...over,
  };
}
const cancelled = (c?: Partial<Cancellation>, over: Partial<Order> = {}): Order =>
  o({ status: 'cancelled', ...(c ? { cancellation: { initiator: 'unknown', ...c } } : {}), ...over });
/** n delivered window orders. */
const fill = (n: number, over: Partial<Order> = {}) => Array.from({ length: n }, () => o(over));

describe('window (M1)', () => {
  it('M1 paidAt exactly now − 30 d is OUT, exactly now is IN, after now is OUT', () => {
    const r = summarizeStore(
      [o({ paidAt: at(-30 * DAY) }), o({ paidAt: at(-30 * DAY + 1) }), o({ paidAt: NOW }), o({ paidAt: at(1) }), o({ paidAt: undefined })],
      NOW,
    );
    expect(r.orders).toBe(2);
    expect(r.windowDays).toBe(30);
  });

  it('M1 orders with no or invalid paidAt are not counted', () => {
    const r = summarizeStore([o({ paidAt: undefined }), o({ paidAt: 'yesterday' }), cancelled({}, { paidAt: undefined })], NOW);
    expect(r.orders).toBe(0);
    expect(r.cancelled.total).toBe(0);
    expect(r.cancellationRate).toBe(0);
    expect(r.tier).toBe('safe');
  });

  it('M1 counts every cancellation whoever started it; buyer/seller/system by exact initiator', () => {
    const r = summarizeStore(
      [
        ...fill(2),
        cancelled({ initiator: 'buyer', reasonCode: 'C03' }),
        cancelled({ initiator: 'seller', reasonCode: 'C03' }),
        cancelled({ initiator: 'system', reasonCode: 'C07' }),
        cancelled({ initiator: 'ozon', reasonCode: '352' }),
        cancelled({ initiator: 'delivery', reasonCode: '667' }),
        cancelled({ initiator: 'unknown' }),
        cancelled(),
        cancelled({ initiator: 'seller' }, { paidAt: at(-31 * DAY) }),
      ],
      NOW,
    );
    expect(r.orders).toBe(9);
    expect(r.cancelled).toEqual({
      total: 7,
      buyer: 1,
      seller: 1,
      system: 1,
      byReason: { C03: 2, C07: 1, '352': 1, '667': 1, unknown: 2 },
    });
    expect(r.cancellationRate).toBe((7 * 100) / 9);
    expect(r.sellerRate).toBe(100 / 9);
    expect(r.autoCancelRate).toBe(100 / 9);
  });

  it('A3 archived orders still count in every metric', () => {
    const r = summarizeStore([o({ archived: true }), cancelled({ initiator: 'seller' }, { archived: true })], NOW);
    expect(r.orders).toBe(2);
    expect(r.cancelled.total).toBe(1);
  });
});

describe('tier and budget (M1)', () => {
  const store = (orders: number, cancels: number) => [...fill(orders - cancels), ...Array.from({ length: cancels }, () => cancelled({ initiator: 'buyer' }))];

  it.each([
    [40, 1, 2.5, 'safe'],
    [1000, 25, 2.5, 'safe'],
    [1000, 26, 2.6, 'warning'],
    [100, 4, 4, 'warning'],
    [1000, 40, 4, 'warning'],
    [1000, 41, 4.1, 'critical'],
    [100, 0, 0, 'safe'],
  ] as const)('M1 %d orders, %d cancelled → %d %% → %s', (n, k, rate, tier) => {
    const r = summarizeStore(store(n, k), NOW);
    expect(r.cancellationRate).toBeCloseTo(rate, 12);
    expect(r.tier).toBe(tier);
  });

  it('M1 exactly 2.5 % is safe and exactly 4.0 % is warning (no float drift)', () => {
    expect(summarizeStore(store(280, 7), NOW).tier).toBe('safe');
    expect(summarizeStore(store(175, 7), NOW).tier).toBe('warning');
  });

  it.each([
    [100, 1, 1, 3],
    [280, 0, 7, 11],
    [280, 7, 0, 4],
    [40, 1, 0, 0],
    [39, 0, 0, 1],
    [100, 5, 0, 0],
    [0, 0, 0, 0],
  ] as const)('M1 budget: %d orders, %d cancelled → toWarning %d, toCritical %d', (n, k, w, c) => {
    const r = summarizeStore(store(n, k), NOW);
    expect(r.budget).toEqual({ toWarning: w, toCritical: c });
  });

  it('M1 thresholds come from the rulebook', () => {
    const rb = withValues(defaultRulebook, { 'metrics.safeMaxPct': 1, 'metrics.warningMaxPct': 2, 'metrics.windowDays': 7 });
    const r = summarizeStore([...store(100, 2), cancelled({ initiator: 'buyer' }, { paidAt: at(-8 * DAY) })], NOW, rb);
    expect(r.windowDays).toBe(7);
    expect(r.orders).toBe(100);
    expect(r.tier).toBe('warning');
    expect(r.budget).toEqual({ toWarning: 0, toCritical: 0 });
  });
});

describe('weighted rate (M2)', () => {
  it('M2 weights C03 1.0, C07 0.8, C11 1.5; 1.0 for a missing or unlisted code', () => {
    const r = summarizeStore(
      [
        ...fill(5),
        cancelled({ reasonCode: 'C03' }),
        cancelled({ reasonCode: 'C07' }),
        cancelled({ reasonCode: 'C11' }),
        cancelled({ reasonCode: '352' }),
        cancelled(),
      ],
      NOW,
    );
    expect(r.orders).toBe(10);
    expect(r.weightedRate).toBeCloseTo(((1 + 0.8 + 1.5 + 1 + 1) / 10) * 100, 10);
    expect(r.cancellationRate).toBe(50);
  });

  it('M2 weights come from the rulebook; M2 advice when the weights push the tier up', () => {
    const rb = withValues(defaultRulebook, { 'metrics.reasonWeights.C11': 3 });
    const base = [...fill(99), cancelled({ initiator: 'buyer', reasonCode: 'C11' })];
    const r = summarizeStore(base, NOW, rb);
    expect(r.weightedRate).toBeCloseTo(3, 10);
    expect(r.tier).toBe('safe');
    expect(r.actions).toContain('M2');
    expect(summarizeStore(base, NOW).actions).not.toContain('M2');
  });
});

describe('actions (M1, M3, M4, M5, M6)', () => {
  const mix = (n: number, seller: number, system: number, buyer = 0) => [
    ...fill(n - seller - system - buyer),
    ...Array.from({ length: seller }, () => cancelled({ initiator: 'seller' })),
    ...Array.from({ length: system }, () => cancelled({ initiator: 'system' })),
    ...Array.from({ length: buyer }, () => cancelled({ initiator: 'buyer' })),
  ];
  it('a safe store gets no advice', () => {
    expect(summarizeStore(mix(100, 1, 1), NOW).actions).toEqual([]);
  });
  it('M3 seller rate > 3 (exactly 3 is not)', () => {
    expect(summarizeStore(mix(100, 3, 0), NOW).actions).not.toContain('M3');
    expect(summarizeStore(mix(1000, 31, 0), NOW).actions).toContain('M3');
  });
  it('M4 auto-cancel rate > 2.5 (exactly 2.5 is not)', () => {
    expect(summarizeStore(mix(40, 0, 1), NOW).actions).not.toContain('M4');
    expect(summarizeStore(mix(1000, 0, 26), NOW).actions).toContain('M4');
  });
  it('M5 rate > 3 (exactly 3 is not); M1 when not safe', () => {
    const three = summarizeStore(mix(100, 0, 0, 3), NOW);
    expect(three.actions).toEqual(['M1']);
    const more = summarizeStore(mix(1000, 0, 0, 31), NOW);
    expect(more.actions).toEqual(['M1', 'M5']);
  });
  it('M6 above the critical line: deposit penalty exposure, at least 50,000 RUB', () => {
    const r = summarizeStore(mix(100, 0, 0, 5), NOW);
    expect(r.tier).toBe('critical');
    expect(r.actions).toEqual(['M1', 'M5', 'M6']);
    expect(r.extras?.depositPenalty).toMatchObject({ applies: true, amountRub: 50_000, rule: 'M6', consecutivePeriods: 2 });
  });
  it('M6 0.5 % of the window GMV when that is above the minimum', () => {
    const big = [...fill(95, { items: [{ sku: 'A', quantity: 2, price: 100_000 }] }), ...Array.from({ length: 5 }, () => cancelled({ initiator: 'buyer' }))];
    const r = summarizeStore(big, NOW);
    expect(r.extras?.gmv).toBe(95 * 200_000);
    expect(r.extras?.depositPenalty?.amountRub).toBeCloseTo(95 * 200_000 * 0.005, 6);
    expect(summarizeStore(fill(10, { items: [{ sku: 'A', quantity: 1, price: 10 }] }), NOW).extras?.depositPenalty?.applies).toBe(false);
  });
});

describe('top SKUs (M5)', () => {
  it('M5 each cancelled order adds 1 to each distinct sku; most first, ties in plain string order; at most 5', () => {
    const items = (...skus: string[]) => ({ items: skus.map((sku) => ({ sku, quantity: 1 })) });
    const r = summarizeStore(
      [
        cancelled({ reasonCode: 'C03' }, items('B', 'B', 'A')),
        cancelled({ reasonCode: 'C07' }, items('B')),
        cancelled({}, items('9')),
        cancelled({}, items('10')),
        cancelled({}, items('a')),
        cancelled({}, items('Z')),
        o(items('B')),
      ],
      NOW,
    );
    expect(r.topSkus).toEqual([
      { sku: 'B', cancelled: 2, byReason: { C03: 1, C07: 1 } },
      { sku: '10', cancelled: 1, byReason: { unknown: 1 } },
      { sku: '9', cancelled: 1, byReason: { unknown: 1 } },
      { sku: 'A', cancelled: 1, byReason: { C03: 1 } },
      { sku: 'Z', cancelled: 1, byReason: { unknown: 1 } },
    ]);
  });
  it('M5 the count comes from the rulebook (topSkuCount)', () => {
    const rb = withValues(defaultRulebook, { 'metrics.topSkuCount': 2 });
    const r = summarizeStore(['x', 'y', 'z'].map((sku) => cancelled({}, { items: [{ sku, quantity: 1 }] })), NOW, rb);
    expect(r.topSkus.map((s) => s.sku)).toEqual(['x', 'y']);
  });
  it('M5 reason families group Ozon ids with the seed playbook', () => {
    const r = summarizeStore([cancelled({ reasonCode: '352' }), cancelled({ reasonCode: 'C03' }), cancelled({ reasonCode: '667' }), cancelled({ reasonCode: '402' }), cancelled()], NOW);
    expect(r.extras?.reasonFamilies).toEqual({ C03: 2, C07: 1, C11: 0, other: 2 });
  });
});

describe('at risk (D5)', () => {
  it('D5 every order given (window or not) at risk, critical or overdue; soonest first, ties by posting number', () => {
    const ship = (pn: string, inH: number, paidAt?: string): Order => ({
      postingNumber: pn,
      scheme: 'FBS',
      status: 'awaiting_shipment',
      shipBy: at(inH * H),
      ...(paidAt ? { paidAt } : {}),
    });
    const r = summarizeStore(
      [
        ship('C', 1.5),
        ship('B', 1.5),
        ship('A', 3),
        ship('D', -1, at(-40 * DAY)),
        ship('E', 0.25),
        ship('F', 2),
        { postingNumber: 'G', scheme: 'FBS', status: 'delivered', shipBy: at(-H) },
        { postingNumber: 'H', scheme: 'FBS', status: 'in_transit', lastTrackingAt: at(-7 * DAY + H) },
      ],
      NOW,
    );
    expect(r.atRisk).toEqual(['D', 'E', 'H', 'B', 'C', 'F']);
    expect(r.orders).toBe(0);
  });
});

describe('extras (M4, M7, per day, coverage)', () => {
  it('T1 per-day series by Moscow calendar day, oldest first, every day of the window', () => {
    // 20:59 UTC is 23:59 MSK on the same day; 21:00 UTC is the next Moscow day.
    const r = summarizeStore(
      [o({ paidAt: '2026-04-13T20:59:00Z' }), cancelled({ initiator: 'system' }, { paidAt: '2026-04-13T21:00:00Z' })],
      NOW,
    );
    const days = r.extras!.perDay;
    expect(days[0]!.day).toBe('2026-03-15');
    expect(days.at(-1)!.day).toBe('2026-04-14');
    expect(days).toHaveLength(31);
    expect(days.find((d) => d.day === '2026-04-13')).toMatchObject({ orders: 1, cancelled: 0 });
    expect(days.find((d) => d.day === '2026-04-14')).toMatchObject({ orders: 1, cancelled: 1, autoCancelled: 1 });
    expect(r.extras!.coverage).toEqual({ from: '2026-04-13T20:59:00.000Z', to: '2026-04-13T21:00:00.000Z' });
  });

  it('M4 a one-day jump of more than 10 pp in the auto-cancel rate is a spike', () => {
    const day1 = '2026-04-10T09:00:00Z';
    const day2 = '2026-04-11T09:00:00Z';
    const r = summarizeStore(
      [
        ...fill(10, { paidAt: day1 }),
        ...fill(8, { paidAt: day2 }),
        cancelled({ initiator: 'system' }, { paidAt: day2 }),
        cancelled({ initiator: 'system' }, { paidAt: day2 }),
      ],
      NOW,
    );
    expect(r.extras!.autoCancelSpikes).toEqual([{ day: '2026-04-11', rate: 20, jumpPp: 20 }]);
    // Exactly 10 pp is not a spike.
    const ten = summarizeStore([...fill(10, { paidAt: day1 }), ...fill(9, { paidAt: day2 }), cancelled({ initiator: 'system' }, { paidAt: day2 })], NOW);
    expect(ten.extras!.autoCancelSpikes).toEqual([]);
  });

  it('M3 one SKU above 5 % seller cancellations in one day is flagged for review', () => {
    const day = '2026-04-10T09:00:00Z';
    const r = summarizeStore(
      [...fill(19, { paidAt: day, items: [{ sku: 'S1', quantity: 1 }] }), cancelled({ initiator: 'seller' }, { paidAt: day, items: [{ sku: 'S1', quantity: 1 }] })],
      NOW,
    );
    expect(r.extras!.skuReviews).toEqual([]);
    const r2 = summarizeStore(
      [...fill(18, { paidAt: day, items: [{ sku: 'S1', quantity: 1 }] }), ...Array.from({ length: 2 }, () => cancelled({ initiator: 'seller' }, { paidAt: day, items: [{ sku: 'S1', quantity: 1 }] }))],
      NOW,
    );
    expect(r2.extras!.skuReviews).toEqual([{ sku: 'S1', day: '2026-04-10', orders: 20, sellerCancelled: 2, rate: 10 }]);
  });

  it('an order counts once per SKU however often it lists it, in the top SKUs and in M3\'s orders of the day, order after order', () => {
    const day = '2026-04-10T09:00:00Z';
    const item = (sku: string) => ({ sku, quantity: 1 });
    const r = summarizeStore(
      [
        cancelled({ initiator: 'seller' }, { paidAt: day, items: [item('S1'), item('S1'), item('S2')] }),
        cancelled({ initiator: 'seller' }, { paidAt: day, items: [item('S1')] }),
        cancelled({ initiator: 'seller' }, { paidAt: day, items: [item('S2'), item('S1')] }),
        ...fill(2, { paidAt: day, items: [item('S1'), item('S1')] }),
        ...fill(7, { paidAt: day, items: [item('S2')] }),
      ],
      NOW,
    );
    expect(r.topSkus.map((t) => [t.sku, t.cancelled])).toEqual([
      ['S1', 3],
      ['S2', 2],
    ]);
    // S1: 3 seller cancellations among the 5 orders that listed it that day; S2: 2 among 9.
    expect(r.extras!.skuReviews!.map((v) => [v.sku, v.orders, v.sellerCancelled])).toEqual([
      ['S1', 5, 3],
      ['S2', 9, 2],
    ]);
  });

  it('M7 category baselines where items carry a category', () => {
    const r = summarizeStore(
      [
        ...fill(9, { items: [{ sku: 'D', quantity: 1, category: 'Одежда' }] }),
        cancelled({}, { items: [{ sku: 'D', quantity: 1, category: 'Одежда' }] }),
        o({ items: [{ sku: 'K', quantity: 1, category: 'Kitchen' }] }),
      ],
      NOW,
    );
    expect(r.extras!.categories).toEqual([
      { category: 'Одежда', orders: 10, cancelled: 1, rate: 10, baselineKey: 'apparel', baseline: 3.1, aboveBaseline: true },
      { category: 'Kitchen', orders: 1, cancelled: 0, rate: 0 },
    ]);
    expect(categoryBaselineKey('Beauty & care')).toBe('beauty');
    expect(categoryBaselineKey('母婴用品')).toBe('baby');
    expect(categoryBaselineKey('Shoes')).toBe('apparel');
    expect(categoryBaselineKey('Tools')).toBeUndefined();
  });

  it('currency: one shared currency is reported, a mix is flagged', () => {
    expect(summarizeStore(fill(2, { currency: 'RUB' }), NOW).extras?.currency).toBe('RUB');
    const mixed = summarizeStore([o({ currency: 'RUB' }), o({ currency: 'CNY' })], NOW).extras;
    expect(mixed?.currency).toBeUndefined();
    expect(mixed?.mixedCurrency).toBe(true);
  });
});

describe('refunds without a return (C5)', () => {
  it('C5 more than 3 refunds without a return in the window mark a High Risk Seller', () => {
    const refunds = (k: number) => Array.from({ length: k }, () => o({ refundedWithoutReturnAt: at(-2 * DAY) }));
    expect(summarizeStore(refunds(3), NOW).extras?.refundsWithoutReturn).toEqual({ count: 3, limit: 3, highRisk: false, rule: 'C5' });
    expect(summarizeStore(refunds(4), NOW).extras?.refundsWithoutReturn).toMatchObject({ count: 4, highRisk: true });
    // Outside the window, or unreadable: not counted.
    const old = summarizeStore([...refunds(3), o({ refundedWithoutReturnAt: at(-31 * DAY) }), o({ refundedWithoutReturnAt: 'x' })], NOW);
    expect(old.extras?.refundsWithoutReturn?.count).toBe(3);
    const rb = withValues(defaultRulebook, { 'eligibility.refundWithoutReturnMaxPerMonth': 1 });
    expect(summarizeStore(refunds(2), NOW, rb).extras?.refundsWithoutReturn?.highRisk).toBe(true);
  });
});

describe('robustness', () => {
  it('garbage in the list is skipped; an invalid now gives an empty window', () => {
    const junk = [null, 3, 'x', {}, { status: 'cancelled', paidAt: NOW, items: 'nope', cancellation: 5 }] as unknown as Order[];
    const r = summarizeStore(junk, NOW);
    expect(r.orders).toBe(1);
    expect(r.cancelled.total).toBe(1);
    expect(JSON.stringify(r)).not.toMatch(/NaN|null/);
    const bad = summarizeStore([o()], 'nonsense');
    expect(bad.orders).toBe(0);
    expect(bad.atRisk).toEqual([]);
    expect(summarizeStore(undefined as unknown as Order[], NOW).orders).toBe(0);
  });

  it('L3 raw status words on stored orders are mapped before counting', () => {
    const r = summarizeStore([o({ status: 'Отменён' as Status, cancellation: { initiator: 'Продавец' as never } })], NOW);
    expect(r.cancelled.total).toBe(1);
    expect(r.cancelled.seller).toBe(1);
  });
});
