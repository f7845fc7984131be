// @vitest-environment node
/**
 * Everything that turns outside data into facts, under random input
 * (fast-check, fixed seed: test/hostile/fuzz-config.ts). Whatever comes in —
 * fc.anything() in every field, fields missing, nonsense strings, huge
 * numbers, invalid dates — the answer is a well-formed value (no NaN or
 * Infinity anywhere, every instant a valid UTC ISO string) or a clear
 * validation error. Never a throw: a throw in the content script is a broken
 * panel, in the background a lost write.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateFacts, evaluateOrder, summarizeStore, summarizeOfficial, STATUSES, type Order } from '../../rules/index';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import { ordersFromJson } from '../../panel/json';
import { validateBridgeMessage, validateOrder, BRIDGE_LIMITS, BRIDGE_NS, BRIDGE_VERSION } from '../../panel/bridge';
import { JsonFeed } from '../../components/overlay/json-feed';
import { parseOrdersCsv } from '../../csv';
import { repairOrder } from '../../rules/order-schema';
import { validateOverrides } from '../../rules/rulebook-check';
import { count, params, report } from './fuzz-config';
import { readRealApi, realApiFiles } from '../real/samples';

/** The storage side's repair mode (storage/history.ts reads every stored record through it). */
const sanitizeOrder = repairOrder;

const NOW = Date.parse('2026-04-14T12:00:00.000Z');
// Expanded years (`+275760-…`) are what toISOString writes past 9999: valid ISO 8601, and they round-trip.
const ISO_Z = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_KEY = /(At|By|^dueAt|^from|^to|Instant|^since|^until)$/;

/** Every number finite, every instant-named string a real UTC ISO instant. Returns the path of the first offence. */
function firstBadValue(v: unknown, path = '$', seen = new Set<unknown>()): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (typeof v === 'string') {
    const key = path.slice(path.lastIndexOf('.') + 1);
    if (INSTANT_KEY.test(key) && !/^(rule|key|text)/i.test(key)) {
      // summarizeOfficial's windows are Moscow calendar days (from / to): a date, not an instant.
      // With an unreadable `now` there is no window: '' (documented in official.ts), never a bogus date.
      if ((key === 'from' || key === 'to') && (v === '' || (DAY_ONLY.test(v) && Number.isFinite(Date.parse(v))))) return undefined;
      if (!ISO_Z.test(v) || !Number.isFinite(Date.parse(v))) return `${path} = ${JSON.stringify(v)} (not a UTC ISO instant)`;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    if (seen.has(v)) return undefined;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      const bad = firstBadValue(x, `${path}.${k}`, seen);
      if (bad) return bad;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- arbitraries

const weirdString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '', ' ', 'NaN', 'Infinity', '-0', '1e309', 'null', 'undefined', '__proto__', 'constructor', 'toString',
    '2026-02-30T25:61:61Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z',
    '2026-04-14', '14.04.2026 10:00', '2026-04-14T10:00:00', '2026-04-14T10:00:00+25:00',
    '<img src=x onerror=window.__pwned=1>', '"><script>alert(1)</script>', '\u0000\u202e\ud800', 'ｶﾞ'.repeat(300),
  ),
  fc.string({ minLength: 1000, maxLength: 5000 }).map((x) => x),
);
const isoInstant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2120, 0, 1) }).map((ms) => new Date(ms).toISOString());
const hugeNumber = fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 1e300, -1e300, NaN, Infinity, -Infinity, -0, 8.64e15 + 1);
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withBoxedValues: true, withNullPrototype: true, withObjectString: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, maxDepth: 2, maxKeys: 4 }) },
  { weight: 2, arbitrary: weirdString },
  { weight: 1, arbitrary: hugeNumber },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
);
/** A field that is sometimes right, sometimes anything, sometimes missing. */
const field = <T>(good: fc.Arbitrary<T>) => fc.option(fc.oneof({ weight: 2, arbitrary: good }, { weight: 2, arbitrary: anyValue }), { nil: undefined, freq: 3 });

const statusArb = fc.oneof(fc.constantFrom(...STATUSES), fc.constantFrom('awaiting_approve', 'delivering', 'Доставляется', '已取消', 'CANCELLED'));
const postingArb = fc.oneof(fc.stringMatching(/^\d{8,10}-\d{4}-\d{1,3}$/), weirdString);

const orderShaped = fc.record(
  {
    postingNumber: field(postingArb),
    storeId: field(fc.stringMatching(/^\d{1,9}$/)),
    scheme: field(fc.constantFrom('FBS', 'FBO', 'rFBS', 'fbs', 'realFBS')),
    status: field(statusArb),
    paidAt: field(isoInstant),
    confirmedAt: field(isoInstant),
    shipBy: field(isoInstant),
    trackingNumber: field(fc.string()),
    trackingUploadedAt: field(isoInstant),
    carrier: field(fc.string()),
    firstScanAt: field(isoInstant),
    lastTrackingAt: field(isoInstant),
    inCustoms: field(fc.boolean()),
    cancelledAt: field(isoInstant),
    deliveredAt: field(isoInstant),
    cancelRequestedAt: field(isoInstant),
    archived: field(fc.boolean()),
    cancellation: field(
      fc.record(
        {
          initiator: field(fc.constantFrom('buyer', 'seller', 'system', 'ozon', 'delivery', 'unknown')),
          reasonCode: field(fc.constantFrom('C03', 'C07', 'C11', '352', '')),
          reasonText: field(fc.string()),
          affectsRating: field(fc.boolean()),
        },
        { requiredKeys: [] },
      ),
    ),
    flags: field(fc.dictionary(fc.constantFrom('digital', 'electronics', 'preorder', 'autoConfirmShipment', 'delayApproved', '__proto__'), anyValue)),
    availableActions: field(fc.array(fc.oneof(fc.constantFrom('cancel', 'ship', 'arbitration'), anyValue), { maxLength: 8 })),
    items: field(
      fc.array(
        fc.record({ sku: field(fc.string()), quantity: field(fc.integer()), price: field(fc.double()), offerId: field(fc.string()), name: field(weirdString) }, { requiredKeys: [] }),
        { maxLength: 5 },
      ),
    ),
    currency: field(fc.constantFrom('RUB', 'CNY', 'rub', '')),
  },
  { requiredKeys: [] },
);
/** Order-shaped, or not an object at all. */
const orderInput = fc.oneof({ weight: 6, arbitrary: orderShaped }, { weight: 1, arbitrary: anyValue });
const nowArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(NOW) },
  { weight: 2, arbitrary: fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2110, 0, 1) }) },
  { weight: 1, arbitrary: fc.oneof(isoInstant, fc.date({ noInvalidDate: false }), hugeNumber, weirdString) },
);

const LEVELS = new Set(['none', 'ok', 'at_risk', 'critical', 'overdue']);
const KINDS = new Set(['confirm', 'ship', 'first_scan', 'transit_stall']);
const ARCHIVABLE = new Set(['delivered', 'cancelled', 'returned', 'failed_to_deliver']);

afterAll(() => report('rules-fuzz'));

describe('rules under random input: a verdict, never a throw or NaN', () => {
  it('evaluateOrder: any Order-shaped value, any now → a well-formed verdict', () => {
    fc.assert(
      fc.property(orderInput, nowArb, (order, now) => {
        count('evaluateOrder');
        const v = evaluateOrder(order as Order, now as number);
        expect(typeof v.postingNumber).toBe('string');
        expect(typeof v.cancel.allowed).toBe('boolean');
        expect(v.cancel.rule).toMatch(/^[A-Z]\d+$/);
        expect(typeof v.archive.allowed).toBe('boolean');
        expect(v.archive.rule).toMatch(/^A\d$/);
        expect(LEVELS.has(v.level)).toBe(true);
        expect(Array.isArray(v.rules) && v.rules.every((r) => typeof r === 'string')).toBe(true);
        if (v.deadline) {
          expect(KINDS.has(v.deadline.kind)).toBe(true);
          expect(v.deadline.msLeft).toBe(Date.parse(v.deadline.dueAt) - new Date(now as number).getTime());
          expect(v.level).not.toBe('none');
        } else {
          expect('deadline' in v).toBe(false);
          expect(v.level).toBe('none');
        }
        expect(firstBadValue(v)).toBeUndefined();
        // A1 holds whatever else is garbage: this also catches a throw masked by evaluateOrder's own catch-all.
        const st = (order as { status?: unknown } | null)?.status;
        if (typeof st === 'string' && ARCHIVABLE.has(st) && order && typeof order === 'object') expect(v.archive).toEqual({ allowed: true, rule: 'A1' });
      }),
      params(1500, 1),
    );
  });

  it('evaluateFacts is exactly what evaluateOrder says of cancel, archive, deadline and level (the badge draws from it)', () => {
    const facts = (v: ReturnType<typeof evaluateOrder>) => {
      const f: Record<string, unknown> = { cancel: { allowed: v.cancel.allowed }, archive: { allowed: v.archive.allowed }, level: v.level };
      if (v.deadline) f.deadline = { kind: v.deadline.kind, dueAt: v.deadline.dueAt };
      return f;
    };
    fc.assert(
      fc.property(orderInput, nowArb, (order, now) => {
        count('evaluateFacts');
        expect(evaluateFacts(order as Order, now as number)).toEqual(facts(evaluateOrder(order as Order, now as number)));
      }),
      params(1500, 1),
    );
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); } });
    const getter = Object.defineProperty({ postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'delivered' }, 'trackingNumber', { get: () => { throw new Error('boom'); }, enumerable: true });
    for (const o of [trap, getter, Object.create(null), [], () => 0]) {
      expect(evaluateFacts(o as unknown as Order, NOW)).toEqual(facts(evaluateOrder(o as unknown as Order, NOW)));
    }
  });

  it('evaluateOrder: hostile getters and proxies never throw out', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); }, has: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    const getter = Object.defineProperty({ postingNumber: '12345678-0001-1', scheme: 'FBS' }, 'status', { get: () => { throw new Error('boom'); }, enumerable: true });
    const cyclic: Record<string, unknown> = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_packaging' };
    cyclic.items = [cyclic];
    cyclic.cancellation = cyclic;
    for (const o of [trap, getter, cyclic, Object.create(null), new Date(NaN), [], () => 0, Symbol('x')]) {
      count('evaluateOrder');
      const v = evaluateOrder(o as unknown as Order, NOW);
      expect(LEVELS.has(v.level)).toBe(true);
      expect(firstBadValue(v)).toBeUndefined();
    }
  });

  it('summarizeStore: random lists of Order-shaped values → finite rates, budgets, a tier', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 5, arbitrary: fc.array(orderInput, { maxLength: 40 }) }, { weight: 1, arbitrary: anyValue }), nowArb, (orders, now) => {
        count('summarizeStore');
        const r = summarizeStore(orders as Order[], now as number);
        expect(firstBadValue(r)).toBeUndefined();
        expect(['safe', 'warning', 'critical']).toContain(r.tier);
        for (const k of ['cancellationRate', 'weightedRate', 'sellerRate', 'autoCancelRate'] as const) expect(r[k]).toBeGreaterThanOrEqual(0);
        expect(r.budget.toWarning).toBeGreaterThanOrEqual(0);
        expect(r.budget.toCritical).toBeGreaterThanOrEqual(0);
        expect(r.topSkus.length).toBeLessThanOrEqual(5);
        expect(r.atRisk.every((p) => typeof p === 'string')).toBe(true);
        expect(r.cancelled.total).toBeLessThanOrEqual(r.orders);
      }),
      params(400, 2),
    );
  });

  it('summarizeStore: a getter that answers once and then throws sinks no summary (M3: an order\'s items are read in one place)', () => {
    const paid = new Date(NOW - 3 * 3_600_000).toISOString();
    const sellerCancelled = (i: number) => ({ postingNumber: `1000000${i}-0001-1`, scheme: 'FBS', status: 'cancelled', paidAt: paid, cancellation: { initiator: 'seller', reasonCode: 'C07' }, items: [{ sku: 'S1', quantity: 1, price: 100 }] });
    // Its items, then its SKU, each readable once: the per-SKU daily review (M3) used to read both a second time, outside the per-order guard.
    let itemsRead = 0;
    let skuRead = 0;
    const item = Object.defineProperty({ quantity: 1, price: 100 }, 'sku', { get: () => { if (skuRead++) throw new Error('boom'); return 'S1'; }, enumerable: true });
    const once = Object.defineProperty({ postingNumber: '10000009-0001-1', scheme: 'FBS', status: 'delivered', paidAt: paid }, 'items', { get: () => { if (itemsRead++ > 1) throw new Error('boom'); return [item]; }, enumerable: true });
    count('summarizeStore');
    const r = summarizeStore([sellerCancelled(1), sellerCancelled(2), once] as unknown as Order[], NOW);
    expect(firstBadValue(r)).toBeUndefined();
    expect(r.orders).toBe(3);
    // The delivered order is one of S1's three orders that day: its SKU was read once, with its items.
    expect(r.extras!.skuReviews!.map((v) => [v.sku, v.orders, v.sellerCancelled])).toEqual([['S1', 3, 2]]);
  });

  it('summarizeOfficial: random lists, random thresholds → finite figures', () => {
    fc.assert(
      fc.property(
        fc.array(orderInput, { maxLength: 30 }),
        nowArb,
        fc.option(fc.record({ warningPct: anyValue, dangerPct: anyValue }, { requiredKeys: [] }), { nil: undefined }),
        (orders, now, th) => {
          count('summarizeOfficial');
          const r = summarizeOfficial(orders as Order[], now as number, defaultRulebook, th as never);
          // Calendar-day labels are only meaningful for a clock inside years 1000–9999 (a machine clock always is);
          // outside that range only the figures are checked.
          const y = new Date(typeof now === 'number' || typeof now === 'string' || now instanceof Date ? now : NaN).getUTCFullYear();
          const sane = y >= 1000 && y <= 9999;
          const bad = firstBadValue(sane ? r : { ...r, cancelRating: { ...r.cancelRating, from: '', to: '' }, errorIndex: { ...r.errorIndex, from: '', to: '' } });
          expect(bad).toBeUndefined();
        },
      ),
      params(300, 3),
    );
  });

  it('sanitizeOrder (storage / messages trust boundary): an order or a clear reason', () => {
    fc.assert(
      fc.property(orderInput, (raw) => {
        count('sanitizeOrder');
        const s = sanitizeOrder(raw);
        if (s.ok) {
          expect(firstBadValue(s.order)).toBeUndefined();
          expect(typeof s.order.postingNumber).toBe('string');
          expect(['FBS', 'FBO', 'rFBS']).toContain(s.order.scheme);
          expect(STATUSES).toContain(s.order.status);
          // Plain JSON out: it survives a storage round trip unchanged.
          expect(JSON.stringify(JSON.parse(JSON.stringify(s.order)))).toBe(JSON.stringify(s.order));
        } else {
          expect(typeof s.reason).toBe('string');
          expect(s.reason.length).toBeGreaterThan(0);
        }
      }),
      params(1500, 4),
    );
  });

  it('rulebook overrides (settings): random values → kept or rejected with a path, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.dictionary(fc.constantFrom('deadlines.confirmHours', 'metrics.safeMaxPct', 'carriers.whitelist', '__proto__', 'x.y'), anyValue)), (raw) => {
        count('validateOverrides');
        const r = validateOverrides(raw);
        expect(Array.isArray(r.rejected)).toBe(true);
        expect(firstBadValue(r.overrides)).toBeUndefined();
      }),
      params(400, 5),
    );
  });
});

describe('importers under random input: orders or a report, never a throw', () => {
  it('ordersFromJson: random JSON → valid orders only', () => {
    const jsonish = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.record({ result: fc.record({ postings: fc.array(fc.dictionary(fc.constantFrom('posting_number', 'status', 'in_process_at', 'shipment_date', 'tracking_number', 'available_actions', 'cancellation', 'products', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 3 })), { maxLength: 10 }) }) }),
      anyValue,
    );
    fc.assert(
      fc.property(jsonish, fc.constantFrom('FBS', 'FBO', 'rFBS'), (body, scheme) => {
        count('ordersFromJson');
        const orders = ordersFromJson(body, { scheme: scheme as 'FBS' });
        expect(Array.isArray(orders)).toBe(true);
        for (const o of orders) {
          expect(o.postingNumber).toMatch(/\d/);
          expect(firstBadValue(o)).toBeUndefined();
          // What the JSON walk yields passes the isolated side's own check unchanged in its required fields.
          const again = validateOrder(o);
          if (again) expect(again.postingNumber).toBe(o.postingNumber);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      params(800, 6),
    );
  });

  it('the JSON walk\'s orders are fixed points of the order schema (the feed relies on it instead of a second check)', () => {
    // Postings shaped like the Seller API's, with a posting number that passes (so the walk yields an
    // order) and every other field sometimes right, sometimes hostile, sometimes missing; and the real
    // API samples' postings with fields replaced at random. Whatever the walk yields, the schema's
    // strict check (validateOrder) must give back unchanged: components/overlay/json-feed.ts delivers
    // the walk's orders without checking them again.
    const realPostings: Record<string, unknown>[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        if (typeof (v as Record<string, unknown>).posting_number === 'string') realPostings.push(v as Record<string, unknown>);
        Object.values(v).forEach(collect);
      }
    };
    for (const f of realApiFiles()) collect(readRealApi(f));
    expect(realPostings.length).toBeGreaterThan(10);
    const iso = fc.oneof(isoInstant, fc.constantFrom('2026-04-14T10:00:00+03:00', '2026-04-14 10:00:00Z', '2026-04-14T10:00:00.123456789Z', '2026-04-14T10:00Z', '0001-01-01T00:00:00Z', '2199-12-31T23:59:59Z', '2201-01-01T00:00:00Z'));
    const item = fc.record(
      {
        sku: field(fc.oneof(fc.nat(), fc.stringMatching(/^[\w.-]{1,70}$/))),
        offer_id: field(fc.string({ maxLength: 220 })),
        product_offer_id: field(fc.string()),
        name: field(fc.string({ maxLength: 600 })),
        product_name: field(fc.string()),
        quantity: field(fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fc.double())),
        price: field(fc.oneof(fc.constantFrom('99.00', '1 234,50', '-1', '1e3', ''), fc.double(), fc.record({ amount: anyValue, currency: anyValue }, { requiredKeys: [] }))),
        currency_code: field(fc.constantFrom('RUB', 'CNY', 'rub', 'RUBX', 'R1B')),
      },
      { requiredKeys: [] },
    );
    const posting = fc.record(
      {
        posting_number: fc.stringMatching(/^\d{8,10}-\d{4}-\d{1,3}$/),
        status: field(fc.oneof(fc.constantFrom('awaiting_packaging', 'awaiting_deliver', 'delivering', 'delivered', 'cancelled', 'arbitration', 'not_accepted'), fc.string())),
        substatus: field(fc.oneof(fc.constantFrom('posting_created', 'posting_in_carriage', 'posting_received', 'posting_in_arbitration', 'posting_canceled'), fc.string())),
        delivery_schema: field(fc.constantFrom('FBS', 'fbo', 'rFBS', 'realFBS', 'x')),
        tpl_integration_type: field(fc.constantFrom('non_integrated', 'ozon')),
        in_process_at: field(iso),
        shipment_date: field(iso),
        delivering_date: field(iso),
        fact_delivery_date: field(iso),
        cancelled_at: field(iso),
        tracking_number: field(fc.oneof(fc.stringMatching(/^[\w./ -]{0,120}$/), fc.string())),
        tracking_number_uploaded_at: field(iso),
        available_actions: field(fc.array(fc.oneof(fc.stringMatching(/^[\w.-]{1,80}$/), anyValue), { maxLength: 60 })),
        delivery_method: field(fc.record({ name: field(fc.string({ maxLength: 300 })), tpl_provider: field(fc.string({ maxLength: 300 })) }, { requiredKeys: [] })),
        in_customs: field(fc.boolean()),
        products: field(fc.array(item, { maxLength: 5 })),
        cancellation: field(
          fc.record(
            {
              cancel_reason_id: field(fc.oneof(fc.nat(1000), fc.string())),
              cancel_reason: field(fc.string({ maxLength: 700 })),
              cancellation_type: field(fc.constantFrom('seller', 'client', 'ozon', 'buyer')),
              cancellation_initiator: field(fc.constantFrom('Продавец', 'Покупатель', 'Ozon', 'seller', 'buyer', '')),
              affect_cancellation_rating: field(fc.boolean()),
              cancelled_at: field(iso),
            },
            { requiredKeys: [] },
          ),
        ),
        cancel_reason_id: field(fc.oneof(fc.nat(1000), fc.string())),
      },
      { requiredKeys: ['posting_number'] },
    );
    const mutatedReal = fc.tuple(fc.constantFrom(...realPostings), fc.dictionary(fc.constantFrom(...new Set(realPostings.flatMap((p) => Object.keys(p)))), anyValue, { maxKeys: 4 })).map(([p, patch]) => ({ ...p, ...patch }));
    fc.assert(
      fc.property(fc.array(fc.oneof(posting, mutatedReal, fc.constantFrom(...realPostings)), { minLength: 1, maxLength: 6 }), fc.constantFrom('FBS', 'FBO', 'rFBS'), fc.option(fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.constantFrom('abc', '1'.repeat(21), ' 12', '12 ', '-5', '1.5')), { nil: undefined }), (postings, scheme, storeId) => {
        count('walk fixed points');
        const body = JSON.parse(JSON.stringify({ result: { postings } }));
        for (const o of ordersFromJson(body, { scheme: scheme as 'FBS', ...(storeId && { storeId }) })) expect(validateOrder(o)).toEqual(o);
      }),
      params(3000, 9),
    );
  });

  it('validateBridgeMessage: fc.anything and near-miss messages → a same-origin /api/ path and a bounded string, or null', () => {
    const nearMiss = fc.record(
      {
        ns: fc.oneof(fc.constant(BRIDGE_NS), anyValue),
        v: fc.oneof(fc.constant(BRIDGE_VERSION), anyValue),
        kind: fc.oneof(fc.constant('body'), anyValue),
        path: fc.oneof(fc.constant('/api/posting-service/list'), fc.string().map((x) => `/api/${x}`), anyValue),
        text: fc.oneof(fc.array(orderInput, { maxLength: 20 }).map((o) => JSON.stringify({ result: { postings: o } })), fc.string(), anyValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyValue, nearMiss), (data) => {
        count('validateBridgeMessage');
        const b = validateBridgeMessage(data);
        if (b === null) return;
        expect(Object.keys(b)).toEqual(['path', 'text']);
        expect(b.path).toMatch(/^\/api\/[\w\-./~%]*$/);
        expect(b.path.length).toBeLessThanOrEqual(BRIDGE_LIMITS.pathLength);
        expect(typeof b.text).toBe('string');
        expect(b.text.length).toBeGreaterThan(0);
        expect(b.text.length).toBeLessThanOrEqual(BRIDGE_LIMITS.textLength);
      }),
      params(1500, 7),
    );
  });

  it('the isolated feed: any bridged text → schema-valid orders or nothing, never a throw', () => {
    const text = fc.oneof(
      fc.array(orderInput, { maxLength: 20 }).map((o) => JSON.stringify({ result: { postings: o } })),
      fc.array(fc.record({ posting_number: fc.oneof(fc.constant('16965409-0014-1'), fc.string()), status: anyValue, shipment_date: anyValue }), { maxLength: 5 }).map((p) => JSON.stringify({ postings: p })),
      fc.string(),
      fc.json(),
    );
    fc.assert(
      fc.property(text, (t) => {
        count('feed');
        const out: Order[] = [];
        const due: (() => void)[] = [];
        const feed = new JsonFeed(
          { setTimeout: (fn) => due.push(fn), clearTimeout: () => {} },
          { context: () => ({ scheme: 'FBS' }), deliver: (o) => out.push(...o), held: () => undefined },
        );
        const win = { location: { origin: 'https://seller.ozon.ru' } } as unknown as Window;
        const data = { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path: '/api/x', text: t };
        feed.accept({ data, source: win, origin: 'https://seller.ozon.ru' } as unknown as MessageEvent, win);
        while (due.length) due.shift()!();
        for (const o of out) {
          expect(o.postingNumber).toMatch(/^\d{8,10}-\d{4}-\d{1,3}$/);
          expect(firstBadValue(o)).toBeUndefined();
          // Validation yields exactly the known keys, never something the page invented.
          for (const k of Object.keys(o)) expect(k).toMatch(/^[a-zA-Z]+$/);
          expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
          expect(validateOrder(o)).toEqual(o);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      params(800, 8),
    );
  });

  it('parseOrdersCsv: random bytes → a report, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        count('csv.bytes');
        const r = parseOrdersCsv(bytes);
        expect(Array.isArray(r.orders)).toBe(true);
        expect(typeof r.report.lines).toBe('number');
        for (const o of r.orders) expect(firstBadValue(o)).toBeUndefined();
      }),
      params(300, 8),
    );
  });

  it('parseOrdersCsv: random CSV-ish text with the real headers → valid orders and per-line reasons', () => {
    const header = ['Номер отправления', 'Статус', 'Принят в обработку', 'Дата отгрузки', 'Артикул', 'Количество', 'Сумма отправления', 'Причина отмены', 'Инициатор отмены'];
    const cell = fc.oneof(
      fc.stringMatching(/^\d{8}-\d{4}-\d$/),
      fc.constantFrom('Доставлен', 'Отменён', 'Ожидает отгрузки', 'cancelled', '', '"', '""', '"a""b"', ';', ',', '\t', '\r\n', '14.04.2026 10:00:00', '2026-04-14 10:00', '31.02.2026', '=cmd|"/c calc"!A0'),
      weirdString,
      fc.double().map(String),
    );
    const line = fc.array(cell, { minLength: 0, maxLength: 12 });
    const csv = fc.tuple(fc.constantFrom(';', ',', '\t'), fc.array(line, { maxLength: 30 }), fc.boolean()).map(([d, lines, bom]) =>
      (bom ? '\ufeff' : '') + [header, ...lines].map((l) => l.map((c) => (/[";,\t\r\n]/.test(c) && Math.random() < 2 ? `"${c.replace(/"/g, '""')}"` : c)).join(d)).join('\n'),
    );
    fc.assert(
      fc.property(fc.oneof(csv, fc.string({ maxLength: 3000 })), (text) => {
        count('csv.text');
        const r = parseOrdersCsv(text);
        for (const o of r.orders) {
          expect(firstBadValue(o)).toBeUndefined();
          expect(STATUSES).toContain(o.status);
        }
        for (const s of r.report.skipped) {
          expect(Number.isInteger(s.line)).toBe(true);
          expect(s.reason.length).toBeGreaterThan(0);
        }
      }),
      params(300, 9),
    );
  });
});

// Found by `npm run fuzz:long` (seed 698871770), kept as fixed cases so the short run holds them too.
describe('regressions from the long fuzz run', () => {
  const MAX = 8.64e15;
  it('D1/T1: a limit past the Date range is no deadline (not an empty dueAt), in evaluateOrder and summarizeStore alike', () => {
    const paidAt = new Date(MAX - 10) as unknown as string; // paid + 24 h is past the range
    const order = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt } as Order;
    const now = MAX - 1000;
    const v = evaluateOrder(order, now);
    expect('deadline' in v).toBe(false);
    expect(v.level).toBe('none');
    expect(summarizeStore([order], now).atRisk).toEqual([]);
  });
  it('D8: a window ending past the Date range keeps its note without an end', () => {
    // As the fuzzer sent it: a Date object at the very end of the Date range, not an ISO string.
    const cancelRequestedAt = new Date(MAX - 10) as unknown as string;
    const order = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_packaging', cancelRequestedAt } as Order;
    const v = evaluateOrder(order, '2026-11-22T12:00:00Z');
    const d8 = v.notes?.find((n) => n.rule === 'D8');
    expect(d8).toBeDefined();
    expect(d8).not.toHaveProperty('until');
  });
  it('T1: an instant given as a fractional number (seed 309637028: shipBy -8.4e-323) counts down from what its ISO text says', () => {
    // Date keeps whole milliseconds (TimeClip); the countdown must come from the same instant as dueAt.
    for (const [shipBy, now] of [
      [-8.4e-323, 0],
      [Date.UTC(2026, 11, 8, 12) + 0.75, Date.UTC(2026, 11, 8, 10) + 0.5],
      [Date.UTC(2026, 11, 8, 12) - 0.25, -0.9],
    ] as const) {
      const order = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_deliver', shipBy } as unknown as Order;
      const v = evaluateOrder(order, now);
      expect(v.deadline).toBeDefined();
      expect(Object.is(v.deadline!.msLeft, Date.parse(v.deadline!.dueAt) - new Date(now).getTime())).toBe(true);
      expect(Number.isInteger(v.deadline!.msLeft)).toBe(true);
      expect(evaluateFacts(order, now).deadline).toEqual({ kind: v.deadline!.kind, dueAt: v.deadline!.dueAt });
    }
  });
  it('M6: GMV and the deposit penalty stay finite, whatever prices, quantities and percentage (seed 1369817142: GMV was Infinity)', () => {
    const now = Date.UTC(2026, 11, 8, 12);
    const order = (n: number, items: unknown[]): Order =>
      ({ postingNumber: `1234567${n}-0001-1`, scheme: 'FBS', status: 'delivered', paidAt: new Date(now - 86_400_000).toISOString(), items }) as unknown as Order;
    // Out of the bounds a stored item keeps (price ≤ 1e12, quantity ≤ 1e6): not counted as such.
    const huge = Array.from({ length: 40 }, (_, i) => order(i, [{ sku: 'A', price: 1e200, quantity: 1e200 }, { sku: 'B', price: 1e12, quantity: 1e300 }]));
    const r = summarizeStore(huge, now);
    expect(Number.isFinite(r.extras!.gmv)).toBe(true);
    expect(r.extras!.gmv).toBe(40 * 1e12);
    // The largest values a stored order may hold, and a rulebook edited to an absurd percentage.
    const big = Array.from({ length: 40 }, (_, i) => order(i, [{ sku: 'A', price: 1e12, quantity: 1e6 }]));
    const rb = withValues(defaultRulebook, { 'metrics.penaltyGmvPct': 1e308 });
    const p = summarizeStore(big, now, rb);
    expect(p.extras!.gmv).toBe(40 * 1e18);
    expect(Number.isFinite(p.extras!.depositPenalty!.amountRub)).toBe(true);
  });
  it('sanitizeOrder: a quantity that is an object without a prototype does not throw', () => {
    const quantity = Object.create(null) as object;
    const r = sanitizeOrder({ postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'delivered', items: [{ sku: '1', quantity: [quantity] }] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.order.items?.[0]?.quantity).toBe(1);
  });
});
