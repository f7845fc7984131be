// @vitest-environment node
/**
 * lib/orders-wire.ts: the orders of an `orders:seen` message with their repeated texts (product
 * names, the carrier) in a table. What the background reads back is what the page sent, and a
 * forged table can only drop a text, never throw, never put a non-string where a text goes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeOrderObjects, decodeOrders, encodeOrders, encodeOrdersJson, WIRE_TEXTS_MAX } from '../../lib/orders-wire';
import type { Order } from '../../rules';

const order = (n: number, carrier?: string, names: (string | undefined)[] = []): Order => ({
  postingNumber: `${10_000_000 + n}-0001-1`,
  scheme: 'FBS',
  status: 'awaiting_packaging',
  ...(carrier !== undefined && { carrier }),
  ...(names.length && { items: names.map((name, i) => ({ sku: String(100 + i), quantity: 1, ...(name !== undefined && { name }) })) }),
});

describe('orders on the wire', () => {
  it('reads back exactly what was written, texts repeated or not', () => {
    const text = fc.string({ maxLength: 40 });
    const arbOrder = fc.record({
      n: fc.nat(1_000_000),
      carrier: fc.option(text, { nil: undefined }),
      names: fc.array(fc.option(text, { nil: undefined }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(arbOrder, { maxLength: 30 }), (specs) => {
        const orders = specs.map((s) => order(s.n, s.carrier, s.names));
        const plain = JSON.parse(JSON.stringify(orders));
        // As objects with a table (tools; the browser hands the background a copy) …
        const w = encodeOrders(orders);
        expect(decodeOrderObjects(structuredClone(w.orders), structuredClone(w.texts))).toEqual(plain);
        // … and as JSON texts (the older form), the same orders.
        const j = encodeOrdersJson(orders);
        expect(decodeOrders(j.ordersJson, j.textsJson)).toEqual(plain);
        // Encoding leaves the sender's orders as they were.
        expect(orders).toEqual(specs.map((s) => order(s.n, s.carrier, s.names)));
      }),
      { numRuns: 500 },
    );
  });

  it('writes each text once: a list of the same few products and one carrier is a fraction of the plain text', () => {
    const names = ['Чехол силиконовый для iPhone 15 Pro, прозрачный', 'Термокружка из нержавеющей стали 500 мл'];
    const orders = Array.from({ length: 1000 }, (_, i) => order(i, 'Ozon Логистика самостоятельно, Москва', [names[i % 2]]));
    const w = encodeOrders(orders);
    expect(w.texts).toEqual(['Ozon Логистика самостоятельно, Москва', names[0], names[1]]);
    const plain = JSON.stringify(orders).length;
    expect(JSON.stringify(w.orders).length + JSON.stringify(w.texts).length).toBeLessThan(plain * 0.7);
    const j = encodeOrdersJson(orders);
    expect(j.ordersJson.length + j.textsJson.length).toBeLessThan(plain * 0.7);
    // Orders with nothing to share are written as they are.
    const bare = [order(1)];
    expect(encodeOrders(bare).orders).toEqual(bare);
    expect(encodeOrdersJson(bare).ordersJson).toBe(JSON.stringify(bare));
  });

  it('reads orders written without a table as they are (older senders, tools)', () => {
    const orders = [order(1, 'СДЭК', ['a'])];
    expect(decodeOrders(JSON.stringify(orders))).toEqual(orders);
    expect(decodeOrderObjects(structuredClone(orders))).toEqual(orders);
  });

  it('a forged table drops the text it cannot give, and refuses what is not a table; never throws', () => {
    const raw = JSON.stringify([
      { postingNumber: '1', carrier: 5, items: [{ sku: '1', name: -1 }, { sku: '2', name: 0.5 }, { sku: '3', name: '7' }, { sku: '4', name: 1 }, 'junk', null] },
      { postingNumber: '2', carrier: { toString: 1 }, items: 'x' },
      { postingNumber: '3', carrier: 0 },
      { postingNumber: '4', carrier: 2 },
      42,
    ]);
    const out = decodeOrders(raw, JSON.stringify(['ok', { not: 'a string' }, '__proto__'])) as Record<string, unknown>[];
    expect(out[0]).toEqual({ postingNumber: '1', items: [{ sku: '1' }, { sku: '2' }, { sku: '3', name: '7' }, { sku: '4' }, 'junk', null] });
    expect(out[1]).toEqual({ postingNumber: '2', items: 'x' });
    expect(out[2]).toEqual({ postingNumber: '3', carrier: 'ok' });
    expect(out[3]).toEqual({ postingNumber: '4', carrier: '__proto__' });
    expect(out[4]).toBe(42);
    expect(({} as Record<string, unknown>).ok).toBeUndefined();
    expect(decodeOrders(raw, '{"0":"a"}')).toBe('texts must be an array');
    expect(decodeOrders(raw, '["a"')).toBe('textsJson is not JSON');
    expect(decodeOrders(raw, 7)).toBe('textsJson must be a JSON text');
    expect(decodeOrders(raw, JSON.stringify(Array.from({ length: WIRE_TEXTS_MAX + 1 }, () => 'a')))).toBe('too many texts in one message');
    expect(decodeOrders('{"a":1}', '[]')).toBe('orders must be an array');
    expect(decodeOrders('[', '[]')).toBe('ordersJson is not JSON');
    // The object form refuses and drops alike.
    const objs = decodeOrderObjects(JSON.parse(raw), ['ok', { not: 'a string' }, '__proto__']) as Record<string, unknown>[];
    expect(objs).toEqual(out);
    expect(decodeOrderObjects(JSON.parse(raw), { 0: 'a' })).toBe('texts must be an array');
    expect(decodeOrderObjects(JSON.parse(raw), Array.from({ length: WIRE_TEXTS_MAX + 1 }, () => 'a'))).toBe('too many texts in one message');
    expect(decodeOrderObjects({ a: 1 }, [])).toBe('orders must be an array');
    expect(decodeOrderObjects('[]')).toBe('orders must be an array');
    fc.assert(
      fc.property(fc.json(), fc.json(), (a, b) => {
        expect(() => decodeOrders(a, b)).not.toThrow();
        expect(() => decodeOrderObjects(JSON.parse(a), JSON.parse(b))).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('plain orders on the wire (the content script\'s form)', () => {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const text = fc.string({ maxLength: 30 });
  const iso = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms).toISOString());
  const fullOrder: fc.Arbitrary<Order> = fc.record(
    {
      postingNumber: fc.stringMatching(/^\d{8}-\d{4}-\d$/),
      storeId: maybe(fc.stringMatching(/^\d{1,9}$/)),
      scheme: fc.constantFrom('FBS' as const, 'FBO' as const, 'rFBS' as const),
      status: fc.constantFrom('awaiting_packaging' as const, 'cancelled' as const, 'in_transit' as const),
      paidAt: maybe(iso),
      confirmedAt: maybe(iso),
      shipBy: maybe(iso),
      trackingNumber: maybe(text),
      trackingUploadedAt: maybe(iso),
      firstScanAt: maybe(iso),
      lastTrackingAt: maybe(iso),
      cancelledAt: maybe(iso),
      deliveredAt: maybe(iso),
      cancelRequestedAt: maybe(iso),
      refundedWithoutReturnAt: maybe(iso),
      carrier: maybe(fc.constantFrom('Ozon Логистика', 'СДЭК', '')),
      inCustoms: maybe(fc.boolean()),
      archived: maybe(fc.boolean()),
      flags: maybe(fc.record({ digital: fc.boolean(), preorder: fc.boolean() }, { requiredKeys: [] })),
      flagSources: maybe(fc.record({ digital: fc.constantFrom('page' as const, 'sku_list' as const) }, { requiredKeys: [] })),
      availableActions: maybe(fc.subarray(['cancel', 'ship', 'arbitration'])),
      cancellation: maybe(fc.record({ initiator: fc.constantFrom('buyer' as const, 'seller' as const), reasonCode: maybe(fc.constantFrom('C03', '352')), affectsRating: maybe(fc.boolean()) }, { requiredKeys: ['initiator'] })),
      items: maybe(fc.array(fc.record({ sku: fc.constantFrom('1', '22', '333'), quantity: fc.nat(9), offerId: maybe(text), name: maybe(fc.oneof(fc.constantFrom('Кабель', 'Чехол'), text)), price: maybe(fc.double({ min: 0, max: 1e6, noNaN: true })), category: maybe(text), weightKg: maybe(fc.double({ min: 0, max: 100, noNaN: true })) }, { requiredKeys: ['sku', 'quantity'] }), { maxLength: 4 })),
      currency: maybe(fc.constantFrom('RUB', 'CNY')),
    },
    { requiredKeys: ['postingNumber', 'scheme', 'status'] },
  ) as fc.Arbitrary<Order>;

  it('reads back exactly what was sent (the browser\'s copy between), every field of an Order', () => {
    fc.assert(
      fc.property(fc.array(fullOrder, { maxLength: 25 }), (orders) => {
        const before = structuredClone(orders);
        // components/overlay/sender.ts sends the orders themselves; the background reads its copy (background/router.ts).
        expect(decodeOrderObjects(structuredClone(orders))).toEqual(JSON.parse(JSON.stringify(orders)));
        expect(orders).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});
