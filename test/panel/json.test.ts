import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoUtc, parseIsoMs } from '../../rules';
import { ordersFromJson, isoInstant, jsonWalk } from '../../panel/json';

const base = {
  posting_number: '16965409-0014-1',
  status: 'awaiting_packaging',
  in_process_at: '2026-05-12T06:01:02Z',
  shipment_date: '2026-05-13T10:00:00Z',
  tracking_number: '',
  available_actions: ['cancel', 'ship'],
  delivery_method: { name: 'Ozon Логистика курьеру', tpl_provider: 'Ozon Логистика' },
  cancellation: { cancel_reason_id: 0, cancel_reason: '', cancellation_type: '', affect_cancellation_rating: false, cancellation_initiator: '' },
  products: [{ sku: 123456789, offer_id: 'A-1', name: 'Кабель', quantity: 2, price: '590.000000', currency_code: 'RUB' }],
};

const expected = {
  postingNumber: '16965409-0014-1',
  scheme: 'FBS',
  status: 'awaiting_packaging',
  paidAt: '2026-05-12T06:01:02.000Z',
  shipBy: '2026-05-13T10:00:00.000Z',
  availableActions: ['cancel', 'ship'],
  carrier: 'Ozon Логистика',
  items: [{ sku: '123456789', offerId: 'A-1', name: 'Кабель', quantity: 2, price: 590 }],
  currency: 'RUB',
};

describe('ordersFromJson', () => {
  it('maps a v3 {result:{postings}} body (P1 available_actions, P2 shipment_date)', () => {
    expect(ordersFromJson({ result: { postings: [base], has_next: false } }, { scheme: 'FBS' })).toEqual([expected]);
  });

  it('maps a v4 {postings, cursor} body with object prices and delivery_schema', () => {
    const v4 = {
      postings: [{ ...base, delivery_schema: 'rFBS', products: [{ sku: '5', offer_id: 'B', name: 'N', quantity: 1, price: { amount: '9.50', currency: 'CNY' } }] }],
      cursor: 'x',
      has_next: true,
    };
    expect(ordersFromJson(v4, { scheme: 'FBS', storeId: '77' })).toEqual([
      { ...expected, scheme: 'rFBS', storeId: '77', items: [{ sku: '5', offerId: 'B', name: 'N', quantity: 1, price: 9.5 }], currency: 'CNY' },
    ]);
  });

  it('maps an FBO {result:[…]} body with a top-level cancel_reason_id', () => {
    const fbo = {
      result: [
        { order_id: 1, posting_number: '0100169990-0103-1', status: 'cancelled', cancel_reason_id: 352, created_at: '2026-05-01T00:00:00Z', in_process_at: '2026-05-01T00:05:00Z', products: [{ sku: 42, name: 'X', quantity: 1, offer_id: 'O', price: '10' }] },
        { order_id: 2, posting_number: '0100169991-0103-1', status: 'delivered', cancel_reason_id: 0, in_process_at: '2026-05-01T00:06:00+03:00', products: [] },
      ],
    };
    expect(ordersFromJson(fbo, { scheme: 'FBO' })).toEqual([
      { postingNumber: '0100169990-0103-1', scheme: 'FBO', status: 'cancelled', paidAt: '2026-05-01T00:05:00.000Z', cancellation: { initiator: 'seller', reasonCode: '352' }, items: [{ sku: '42', offerId: 'O', name: 'X', quantity: 1, price: 10 }] },
      { postingNumber: '0100169991-0103-1', scheme: 'FBO', status: 'delivered', paidAt: '2026-04-30T21:06:00.000Z' },
    ]);
  });

  it('maps the cancellation record, the driver pick-up substatus and delivering_date', () => {
    const [o] = ordersFromJson(
      [
        {
          ...base,
          status: 'cancelled',
          cancellation: { cancel_reason_id: 402, cancel_reason: 'Другое (вина продавца)', cancellation_type: 'seller', cancellation_initiator: 'Продавец', affect_cancellation_rating: true },
        },
      ],
      { scheme: 'FBS' },
    );
    expect(o!.cancellation).toEqual({ initiator: 'seller', reasonCode: '402', reasonText: 'Другое (вина продавца)', affectsRating: true });
    const [p] = ordersFromJson({ x: { ...base, status: 'awaiting_deliver', substatus: 'posting_driver_pick_up', delivering_date: '2026-05-13T09:00:00Z', tracking_number: 'RU1234567CN' } }, { scheme: 'FBS' });
    expect(p).toMatchObject({ status: 'picked_up', firstScanAt: '2026-05-13T09:00:00.000Z', trackingNumber: 'RU1234567CN' });
    const [q] = ordersFromJson([{ posting_number: '16965409-0014-1', status_alias: 'delivering' }], { scheme: 'FBS' });
    expect(q!.status).toBe('in_transit');
    const [r] = ordersFromJson([{ posting_number: '16965409-0014-1', status: 'teleported' , in_process_at: '2026-05-12T06:01:02Z'}], { scheme: 'FBS' });
    expect(r!.status).toBe('unknown');
  });

  it('finds postings under arbitrary wrapping and merges duplicates', () => {
    const body = { data: { page: [{ group: { items: [base] } }], extra: [{ posting_number: base.posting_number, tracking_number: 'ZX123456' }] } };
    const out = ordersFromJson(body, { scheme: 'FBS' });
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ ...expected, trackingNumber: 'ZX123456' });
  });

  it('drops wrongly-typed fields one by one, never throws', () => {
    const bad = {
      posting_number: '16965409-0014-1',
      status: 42,
      status_alias: 'awaiting_packaging',
      in_process_at: 'yesterday',
      shipment_date: '2026-02-31T10:00:00Z',
      tracking_number: { x: 1 },
      available_actions: 'cancel',
      delivery_method: 'Ozon',
      cancellation: [],
      products: [{ sku: null }, { sku: 7, quantity: 'lots', price: 'free' }, 'x', null],
      delivering_date: '0001-01-01T00:00:00Z',
    };
    expect(ordersFromJson({ result: { postings: [bad] } }, { scheme: 'FBS' })).toEqual([
      { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging', items: [{ sku: '7', quantity: 1 }] },
    ]);
    for (const junk of [null, undefined, 0, 'x', true, [], {}, [[[]]], { posting_number: 5 }, { posting_number: 'abc' }, { posting_number: '16965409-0014-1' }]) {
      expect(() => ordersFromJson(junk, { scheme: 'FBS' })).not.toThrow();
      expect(ordersFromJson(junk, { scheme: 'FBS' })).toEqual([]);
    }
  });

  it('ignores __proto__ / constructor / prototype keys and pollutes nothing', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":"yes","postings":[{"posting_number":"16965409-0014-1","status":"delivered"}]},"constructor":{"prototype":{"polluted":"yes"}},"result":{"postings":[{"posting_number":"16965409-0014-2","status":"delivered","__proto__":{"polluted":"yes"}}]}}',
    );
    const out = ordersFromJson(body, { scheme: 'FBS' });
    expect(out.map((o) => o.postingNumber)).toEqual(['16965409-0014-2']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out[0] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never mutates its input', () => {
    const body = { result: { postings: [structuredClone(base)] } };
    const before = JSON.stringify(body);
    Object.freeze(body.result.postings[0]);
    ordersFromJson(body, { scheme: 'FBS' });
    expect(JSON.stringify(body)).toBe(before);
  });

  it('survives 10,000 levels of nesting, cycles and huge arrays', () => {
    let deep: unknown = { posting_number: '16965409-0014-1', status: 'delivered' };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => ordersFromJson(deep, { scheme: 'FBS' })).not.toThrow();
    // Beyond the depth cap: not found (a posting sits 2–4 levels deep in real bodies).
    expect(ordersFromJson(deep, { scheme: 'FBS' })).toEqual([]);

    const cyc: Record<string, unknown> = { posting_number: '16965409-0014-1', status: 'delivered' };
    cyc.self = cyc;
    cyc.list = [cyc, { back: cyc }];
    expect(ordersFromJson(cyc, { scheme: 'FBS' })).toHaveLength(1);

    const huge = { postings: Array.from({ length: 300_000 }, (_, i) => (i % 1000 === 0 ? { ...base, posting_number: `1${String(i).padStart(7, '0')}-0001-1` } : i)) };
    const out = ordersFromJson(huge, { scheme: 'FBS' });
    expect(out.length).toBe(300);
    const capped = ordersFromJson({ postings: Array.from({ length: 1000 }, (_, i) => ({ ...base, posting_number: `2${String(i).padStart(7, '0')}-0001-1` })) }, { scheme: 'FBS', maxNodes: 100 });
    expect(capped.length).toBeLessThan(100);
  });
});

describe('isoInstant (T3: only zoned instants count)', () => {
  it('normalises zoned ISO and refuses the rest', () => {
    expect(isoInstant('2026-05-12T06:01:02Z')).toBe('2026-05-12T06:01:02.000Z');
    expect(isoInstant('2026-05-12T09:01:02+03:00')).toBe('2026-05-12T06:01:02.000Z');
    expect(isoInstant('2026-05-12T06:01:02.123456Z')).toBe('2026-05-12T06:01:02.123Z');
    expect(isoInstant('2026-05-12T06:01:02')).toBeUndefined();
    expect(isoInstant('2026-02-31T06:01:02Z')).toBeUndefined();
    expect(isoInstant('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(isoInstant(1715500000000)).toBeUndefined();
    expect(isoInstant('')).toBeUndefined();
  });
});

describe('jsonWalk: the same walk in slices (the interceptor yields between them)', () => {
  const body = () => {
    const postings = Array.from({ length: 1200 }, (_, i) => ({ ...base, posting_number: `${16965409 + i}-0014-1` }));
    // A duplicate far down the body fills a gap of an order taken in an earlier slice.
    postings.push({ posting_number: '16965409-0014-1', tracking_number: 'TRK123456' } as unknown as (typeof postings)[number]);
    return { result: { postings, extra: [{ nested: { posting_number: '26965409-0014-1', status: 'delivered' } }] } };
  };

  it('yielding every few hundred nodes gives exactly ordersFromJson\'s orders, in the same order', () => {
    const b = body();
    const whole = ordersFromJson(b, { scheme: 'FBS' });
    const w = jsonWalk(b, { scheme: 'FBS' });
    let slices = 0;
    const taken: ReturnType<typeof w.take>[] = [];
    while (!w.run(() => true)) {
      slices++;
      taken.push(w.take());
    }
    taken.push(w.take());
    expect(slices).toBeGreaterThan(10);
    expect(w.all()).toEqual(whole);
    expect(whole.find((o) => o.postingNumber === '16965409-0014-1')!.trackingNumber).toBe('TRK123456');
    // Every posting taken once, the filled-in duplicate once more as a new object; taken orders are never mutated.
    const flat = taken.flat();
    expect(flat).toHaveLength(whole.length + 1);
    const first = flat.find((o) => o.postingNumber === '16965409-0014-1')!;
    expect(first.trackingNumber).toBeUndefined();
    expect(flat.filter((o) => o.postingNumber === '16965409-0014-1').at(-1)).toEqual(whole[0]);
  });

  it('does not walk into a posting\'s documented leaf fields, but finds a posting nested under any other field', () => {
    const outer = {
      ...base,
      posting_number: '16965409-0014-1',
      // Under a documented leaf field (products): not a posting of this body (the API puts none there).
      products: [{ sku: 1, offer_id: 'A', quantity: 1, posting_number: '36965409-0014-1', status: 'delivered' }],
      // Under fields the walk still descends into: found.
      related_postings: { list: [{ posting_number: '46965409-0014-1', status: 'delivered' }] },
      somewhere_new: { posting_number: '56965409-0014-1', status: 'cancelled' },
    };
    const got = ordersFromJson({ result: { postings: [outer] } }, { scheme: 'FBS' }).map((o) => o.postingNumber);
    expect(got).toEqual(['16965409-0014-1', '46965409-0014-1', '56965409-0014-1']);
    // The outer posting's own items still come from its products.
    expect(ordersFromJson({ result: { postings: [outer] } }, { scheme: 'FBS' })[0]!.items?.[0]?.sku).toBe('1');
  });

  it('keeps the node cap across slices', () => {
    const b = body();
    const w = jsonWalk(b, { scheme: 'FBS', maxNodes: 500 });
    while (!w.run(() => true));
    expect(w.all()).toEqual(ordersFromJson(b, { scheme: 'FBS', maxNodes: 500 }));
    // The postings share their nested objects (one spread of `base`), so a node is about a posting.
    expect(w.all().length).toBeLessThan(500);
  });
});

describe('isoInstant: the API\'s own form takes a short route to the same answer', () => {
  // The general route (every form the reader accepts), kept here as the reference the short one must equal.
  const Y2000 = Date.UTC(2000, 0, 1);
  const Y2201 = Date.UTC(2201, 0, 1);
  const reference = (s: string): string | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
    const t = parseIsoMs(s.replace(' ', 'T'));
    return Number.isFinite(t) && t >= Y2000 && t < Y2201 ? isoUtc(t) : undefined;
  };
  it('equals the general route for instants in every form, and for near-misses of the short form', () => {
    const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2210, 0, 1) }).map((ms) => new Date(ms).toISOString());
    const text = fc.oneof(
      instant, // …T10:00:00.103Z (24)
      instant.map((s) => s.slice(0, 19) + 'Z'), // …T10:00:00Z (20)
      instant.map((s) => s.slice(0, 19) + '+03:00'),
      instant.map((s) => s.slice(0, 10) + ' ' + s.slice(11)),
      instant.map((s) => s.slice(0, 10) + 't' + s.slice(11)),
      instant.map((s) => s.slice(0, 19) + 'z'),
      // Near-misses: one character of the short form replaced.
      fc.tuple(instant, fc.nat(23), fc.constantFrom('9', '0', 'x', ':', '-', '.', ' ', 'T', 'Z')).map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1)),
      fc.tuple(instant, fc.nat(19), fc.constantFrom('9', '6', 'x', ':', 'Z')).map(([s, i, c]) => (s.slice(0, 19) + 'Z').slice(0, i) + c + (s.slice(0, 19) + 'Z').slice(i + 1)),
      fc.constantFrom('2026-02-30T10:00:00Z', '2026-12-06T24:00:00Z', '2026-12-06T10:60:00Z', '2026-12-06T10:00:60Z', '0001-01-01T00:00:00Z', '2026-12-06T10:00:00.12Z', '2026-12-06T10:00:00.1234Z'),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(isoInstant(s)).toBe(reference(s));
      }),
      { numRuns: 4000 },
    );
  });
});
