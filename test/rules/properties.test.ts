// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateFacts, evaluateOrder } from '../../rules/evaluate';
import { defaultRulebook } from '../../rules/rulebook';
import { summarizeStore } from '../../rules/summarize';
import { summarizeOfficial } from '../../rules/official';
import { toEpochMs } from '../../rules/time';
import { parsePanelTime } from '../../rules/panel-time';
import { mapStatus } from '../../rules/status';
import { STATUSES, type Level, type Order } from '../../rules/types';

const BASE = Date.parse('2026-04-14T12:00:00.000Z');
const SPAN = 60 * 24 * 3_600_000;
const instant = fc.integer({ min: BASE - SPAN, max: BASE + SPAN });
const isoArb = instant.map((ms) => new Date(ms).toISOString());
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const orderArb: fc.Arbitrary<Order> = fc.record(
  {
    postingNumber: fc.stringMatching(/^\d{8}-\d{4}-\d$/),
    scheme: fc.constantFrom('FBS' as const, 'FBO' as const, 'rFBS' as const),
    status: fc.constantFrom(...STATUSES),
    paidAt: maybe(isoArb),
    confirmedAt: maybe(isoArb),
    shipBy: maybe(isoArb),
    trackingNumber: maybe(fc.constantFrom('', 'TRK123', ' 42 ')),
    trackingUploadedAt: maybe(isoArb),
    carrier: maybe(fc.constantFrom('Ozon Logistics', 'Other Post', '')),
    firstScanAt: maybe(isoArb),
    lastTrackingAt: maybe(isoArb),
    inCustoms: maybe(fc.boolean()),
    cancelRequestedAt: maybe(isoArb),
    flags: maybe(
      fc.record(
        {
          digital: fc.boolean(),
          electronics: fc.boolean(),
          preorder: fc.boolean(),
          autoConfirmShipment: fc.boolean(),
          delayApproved: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    ),
    availableActions: maybe(fc.subarray(['cancel', 'ship', 'product_cancel', 'arbitration'])),
    cancellation: maybe(
      fc.record(
        {
          initiator: fc.constantFrom('buyer' as const, 'seller' as const, 'system' as const, 'ozon' as const, 'delivery' as const, 'unknown' as const),
          reasonCode: maybe(fc.constantFrom('C03', 'C07', 'C11', '352', '666', '')),
          affectsRating: maybe(fc.boolean()),
        },
        { requiredKeys: ['initiator'] },
      ),
    ),
    items: maybe(
      fc.array(
        fc.record({ sku: fc.constantFrom('A', 'B', 'C', '1', '10'), quantity: fc.integer({ min: 0, max: 5 }), price: maybe(fc.double({ min: 0, max: 1e6, noNaN: true })) }),
        { maxLength: 4 },
      ),
    ),
  },
  { requiredKeys: ['postingNumber', 'scheme', 'status'] },
);

const RANK: Record<Level, number> = { none: -1, ok: 0, at_risk: 1, critical: 2, overdue: 3 };
const TERMINAL = new Set(['delivered', 'cancelled', 'returned', 'failed_to_deliver']);
const hasNaN = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'NaN!' : v)).includes('NaN!');

describe('evaluateOrder properties', () => {
  it('D5 msLeft === dueAt − now, to the millisecond, for any order and now', () => {
    fc.assert(
      fc.property(orderArb, instant, (o, now) => {
        const v = evaluateOrder(o, now);
        if (v.deadline) {
          expect(v.deadline.msLeft).toBe(Date.parse(v.deadline.dueAt) - now);
          expect(v.deadline.dueAt.endsWith('Z')).toBe(true);
          if (v.deadline.autoCancelAt) expect(Date.parse(v.deadline.autoCancelAt)).toBeGreaterThanOrEqual(Date.parse(v.deadline.dueAt));
        } else expect(v.level).toBe('none');
      }),
      { numRuns: 1000 },
    );
  });

  it('D5 the level never improves as now advances', () => {
    fc.assert(
      fc.property(orderArb, instant, fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }), (o, now, step) => {
        const a = evaluateOrder(o, now);
        const b = evaluateOrder(o, now + step);
        expect(RANK[b.level]).toBeGreaterThanOrEqual(RANK[a.level]);
        // The same order keeps the same deadline whatever the time.
        expect(b.deadline?.dueAt).toBe(a.deadline?.dueAt);
      }),
      { numRuns: 1000 },
    );
  });

  it('A1/A2 archive is allowed exactly for terminal statuses, whatever availableActions says', () => {
    fc.assert(
      fc.property(orderArb, instant, (o, now) => {
        expect(evaluateOrder(o, now).archive.allowed).toBe(TERMINAL.has(o.status));
      }),
      { numRuns: 500 },
    );
  });

  it('C1 cancel is never allowed with a tracking number and no availableActions', () => {
    fc.assert(
      fc.property(orderArb, instant, fc.constantFrom('TRK1', '0', 'x'), (o, now, trk) => {
        const { availableActions: _drop, ...rest } = o;
        const v = evaluateOrder({ ...rest, trackingNumber: trk }, now);
        expect(v.cancel.allowed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('P1 with availableActions, cancel is exactly whether the list holds "cancel"', () => {
    fc.assert(
      fc.property(orderArb, instant, (o, now) => {
        const v = evaluateOrder(o, now);
        if (o.availableActions) {
          expect(v.cancel.allowed).toBe(o.availableActions.includes('cancel'));
          expect(v.cancel.rule).toBe('P1');
        }
        if (!v.cancel.allowed) expect(v.cancel.next && v.cancel.nextKey).toBeTruthy();
      }),
      { numRuns: 500 },
    );
  });

  it('L3 evaluateOrder never throws nor yields NaN for arbitrary Order-shaped input (fc.anything in every field)', () => {
    const field = fc.anything({ withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true });
    const garbage = fc.record({
      postingNumber: field,
      storeId: field,
      scheme: field,
      status: fc.oneof(field, fc.constantFrom(...STATUSES)),
      paidAt: fc.oneof(field, isoArb),
      confirmedAt: fc.oneof(field, isoArb),
      shipBy: fc.oneof(field, isoArb),
      trackingNumber: field,
      trackingUploadedAt: fc.oneof(field, isoArb),
      carrier: field,
      firstScanAt: field,
      lastTrackingAt: fc.oneof(field, isoArb),
      inCustoms: field,
      cancelledAt: field,
      cancellation: field,
      flags: field,
      availableActions: field,
      items: field,
      currency: field,
    });
    fc.assert(
      fc.property(fc.oneof(garbage, field), fc.oneof(instant, isoArb, field), (o, now) => {
        const v = evaluateOrder(o as Order, now as number);
        expect(typeof v.cancel.allowed).toBe('boolean');
        expect(typeof v.archive.allowed).toBe('boolean');
        expect(typeof v.postingNumber).toBe('string');
        expect(hasNaN(v)).toBe(false);
        const s = summarizeStore([o as Order, o as Order], now as number);
        expect(hasNaN(s)).toBe(false);
        expect(hasNaN(summarizeOfficial([o as Order], now as number))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('summarizeStore properties (M1)', () => {
  it('M1 rates within 0–100, budget ≥ 0, atRisk sorted, no NaN anywhere', () => {
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 60 }), instant, (orders, now) => {
        const r = summarizeStore(orders, now);
        for (const rate of [r.cancellationRate, r.sellerRate, r.autoCancelRate]) {
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(rate).toBeLessThanOrEqual(100);
        }
        expect(r.weightedRate).toBeGreaterThanOrEqual(0);
        expect(r.budget.toWarning).toBeGreaterThanOrEqual(0);
        expect(r.budget.toCritical).toBeGreaterThanOrEqual(r.budget.toWarning);
        expect(Number.isInteger(r.budget.toWarning)).toBe(true);
        expect(r.cancelled.buyer + r.cancelled.seller + r.cancelled.system).toBeLessThanOrEqual(r.cancelled.total);
        expect(Object.values(r.cancelled.byReason).reduce((a, b) => a + b, 0)).toBe(r.cancelled.total);
        expect(r.topSkus.length).toBeLessThanOrEqual(5);
        for (let i = 1; i < r.topSkus.length; i++) expect(r.topSkus[i - 1]!.cancelled).toBeGreaterThanOrEqual(r.topSkus[i]!.cancelled);
        // Budget semantics: that many more keep the rate within the line, one more crosses it.
        if (r.orders > 0 && r.tier === 'safe') {
          expect(((r.cancelled.total + r.budget.toWarning) * 100) / r.orders).toBeLessThanOrEqual(2.5 + 1e-9);
          expect(((r.cancelled.total + r.budget.toWarning + 1) * 100) / r.orders).toBeGreaterThan(2.5);
        } else if (r.tier !== 'safe') expect(r.budget.toWarning).toBe(0);
        // atRisk matches evaluateOrder's levels, soonest first.
        const byPn = new Map<string, number>();
        const expected = orders
          .map((o) => evaluateOrder(o, now))
          .filter((v) => v.level === 'at_risk' || v.level === 'critical' || v.level === 'overdue');
        for (const v of expected) byPn.set(v.postingNumber, Date.parse(v.deadline!.dueAt));
        expect([...r.atRisk].sort()).toEqual(expected.map((v) => v.postingNumber).sort());
        for (let i = 1; i < r.atRisk.length; i++) expect(byPn.get(r.atRisk[i - 1]!)!).toBeLessThanOrEqual(byPn.get(r.atRisk[i]!)!);
        expect(hasNaN(r)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('time and status properties (T1, L3)', () => {
  it('T1 any valid Moscow wall-clock text round-trips to the instant', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const sec = Math.floor(ms / 1000) * 1000;
        const msk = new Date(sec + 3 * 3_600_000);
        const p2 = (n: number) => String(n).padStart(2, '0');
        const text = `${p2(msk.getUTCDate())}.${p2(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${p2(msk.getUTCHours())}:${p2(msk.getUTCMinutes())}:${p2(msk.getUTCSeconds())}`;
        const r = parsePanelTime(text);
        expect(r).toEqual({ ok: true, iso: new Date(sec).toISOString() });
        expect(toEpochMs(new Date(sec).toISOString())).toBe(sec);
      }),
      { numRuns: 500 },
    );
  });

  it('L3 mapStatus and parsePanelTime never throw on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(STATUSES).toContain(mapStatus(s));
        expect(typeof parsePanelTime(s).ok).toBe('boolean');
        const ms = toEpochMs(s);
        expect(typeof ms).toBe('number');
      }),
      { numRuns: 1000 },
    );
  });

  it('evaluateFacts: the badge\'s facts are evaluateOrder\'s, for any order, now and edited deadline / D5 numbers', () => {
    const num = (value: number, rule: string) => ({ value, rule, seed: 'S1', unit: 'h' });
    fc.assert(
      fc.property(orderArb, instant, fc.integer({ min: 1, max: 72 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 96 }), (o, now, atRiskH, critMin, shipH) => {
        const d = defaultRulebook.deadlines;
        const rb = {
          ...defaultRulebook,
          deadlines: { ...d, atRiskHours: num(atRiskH, 'D5'), criticalMinutes: { ...num(critMin, 'D5'), unit: 'min' }, shipHoursFBS: num(shipH, 'D2') },
        } as typeof defaultRulebook;
        const v = evaluateOrder(o, now, rb);
        const f = evaluateFacts(o, now, rb);
        expect(f.cancel.allowed).toBe(v.cancel.allowed);
        expect(f.archive.allowed).toBe(v.archive.allowed);
        expect(f.level).toBe(v.level);
        expect(f.deadline).toEqual(v.deadline ? { kind: v.deadline.kind, dueAt: v.deadline.dueAt } : undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
