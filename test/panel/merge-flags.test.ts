import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeAll, mergeOrder } from '../../panel/merge';
import { applySellerFlags } from '../../panel/flags';
import { defaultSettings, type Settings } from '../../storage/settings';
import type { Order } from '../../rules/types';

const dom: Order = {
  postingNumber: '16965409-0014-1',
  scheme: 'FBS',
  status: 'awaiting_packaging',
  storeId: '1',
  paidAt: '2026-05-12T06:01:00.000Z',
  shipBy: '2026-05-13T10:00:00.000Z',
  trackingNumber: 'DOM123456',
  carrier: 'Ozon',
  cancellation: { initiator: 'seller', reasonText: 'из строки' },
  items: [{ sku: '1', quantity: 1 }],
};
const json: Order = {
  postingNumber: '16965409-0014-1',
  scheme: 'rFBS',
  status: 'awaiting_confirmation',
  paidAt: '2026-05-12T06:01:37.000Z',
  shipBy: '2026-05-13T09:59:59.000Z',
  availableActions: [],
  cancellation: { initiator: 'unknown', reasonCode: '352' },
};

describe('mergeOrder', () => {
  it('T3: JSON instants beat times read from text; P1 actions; P2 shipment_date; the DOM fills gaps', () => {
    expect(mergeOrder(dom, json)).toEqual({
      postingNumber: '16965409-0014-1',
      scheme: 'rFBS',
      status: 'awaiting_confirmation',
      storeId: '1',
      paidAt: '2026-05-12T06:01:37.000Z',
      shipBy: '2026-05-13T09:59:59.000Z',
      availableActions: [],
      trackingNumber: 'DOM123456',
      carrier: 'Ozon',
      cancellation: { initiator: 'seller', reasonCode: '352', reasonText: 'из строки' },
      items: [{ sku: '1', quantity: 1 }],
    });
  });

  it('an unknown JSON status never overrides the row (L3)', () => {
    expect(mergeOrder(dom, { ...json, status: 'unknown' }).status).toBe('awaiting_packaging');
  });

  it('one side only → a copy; mismatched numbers keep the row', () => {
    const a = mergeOrder(dom, undefined);
    expect(a).toEqual(dom);
    expect(a).not.toBe(dom);
    a.items![0]!.quantity = 9;
    expect(dom.items![0]!.quantity).toBe(1);
    expect(mergeOrder(undefined, json)).toEqual(json);
    expect(mergeOrder(dom, { ...json, postingNumber: '16965409-0014-2' })).toEqual(dom);
    expect(() => mergeOrder(undefined, undefined)).toThrow(TypeError);
  });

  it('mergeAll enriches every DOM order by posting number', () => {
    const other = { ...dom, postingNumber: '16965409-0014-2' };
    const out = mergeAll([dom, other], new Map([[json.postingNumber, json]]));
    expect(out[0]!.status).toBe('awaiting_confirmation');
    expect(out[1]).toEqual(other);
  });
});

describe('applySellerFlags (C2 facts from settings)', () => {
  const settings: Settings = {
    ...defaultSettings,
    skuFlags: {
      '1': { digital: ['GIFT-CARD'], electronics: ['123456'], preorder: [] },
      '*': { digital: [], electronics: [], preorder: ['pre-1'] },
    },
    autoConfirmShipment: { '1': true, '2': false },
  };

  it('C2: flags from the SKU / offer-id lists and the store switch, with their sources', () => {
    const o: Order = { ...dom, items: [{ sku: '123456', offerId: 'Pre-1', quantity: 1 }] };
    const out = applySellerFlags(o, settings, '1');
    expect(out.flags).toEqual({ electronics: true, preorder: true, autoConfirmShipment: true });
    expect(out.flagSources).toEqual({ electronics: 'sku_list', preorder: 'sku_list', autoConfirmShipment: 'store_setting' });
    expect(o.flags).toBeUndefined();
  });

  it('matches offer ids case-insensitively; another store gets only the shared lists', () => {
    const o: Order = { ...dom, storeId: '2', items: [{ sku: '9', offerId: ' gift-card ', quantity: 1 }] };
    expect(applySellerFlags(o, settings, '2')).toBe(o);
    expect(applySellerFlags(o, settings, '1').flags).toEqual({ digital: true, autoConfirmShipment: true });
  });

  it('keeps a flag the page set, never sets false', () => {
    const o: Order = { ...dom, items: [{ sku: '123456', quantity: 1 }], flags: { electronics: true }, flagSources: { electronics: 'page' } };
    const out = applySellerFlags(o, { ...settings, autoConfirmShipment: {} }, '1');
    expect(out).toBe(o);
    expect(applySellerFlags(dom, defaultSettings, '1')).toBe(dom);
  });
});

describe('mergeOrder: a row that adds nothing gets the JSON order itself', () => {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const iso = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms).toISOString());
  const jsonOrder = fc.record(
    {
      postingNumber: fc.constant('16965409-0014-1'),
      scheme: fc.constantFrom('FBS' as const, 'FBO' as const, 'rFBS' as const),
      status: fc.constantFrom('awaiting_packaging' as const, 'cancelled' as const, 'delivered' as const, 'unknown' as const),
      storeId: maybe(fc.constantFrom('1', '2')),
      paidAt: maybe(iso),
      shipBy: maybe(iso),
      trackingNumber: maybe(fc.constant('TRK1')),
      carrier: maybe(fc.constant('СДЭК')),
      inCustoms: maybe(fc.boolean()),
      cancelledAt: maybe(iso),
      availableActions: maybe(fc.subarray(['cancel', 'ship'])),
      items: maybe(fc.array(fc.record({ sku: fc.constantFrom('1', '2'), quantity: fc.nat(3) }), { maxLength: 2 })),
      currency: maybe(fc.constant('RUB')),
      cancellation: maybe(fc.record({ initiator: fc.constantFrom('buyer' as const, 'unknown' as const), reasonCode: maybe(fc.constant('352')) }, { requiredKeys: ['initiator'] })),
      // A field the merge does not carry over from the JSON (the walk never makes it): never the fast path.
      cancelRequestedAt: maybe(iso),
    },
    { requiredKeys: ['postingNumber', 'scheme', 'status'] },
  ) as fc.Arbitrary<Order>;
  const bareDom = fc.record(
    {
      postingNumber: fc.constant('16965409-0014-1'),
      scheme: fc.constantFrom('FBS' as const, 'FBO' as const),
      status: fc.constantFrom('awaiting_packaging' as const, 'unknown' as const),
      storeId: maybe(fc.constantFrom('1', '3')),
    },
    { requiredKeys: ['postingNumber', 'scheme', 'status'] },
  ) as fc.Arbitrary<Order>;

  it('equals the field-by-field merge (a DOM field the JSON lacks forces that path; without it, the same order)', () => {
    fc.assert(
      fc.property(bareDom, jsonOrder, iso, (d, j, t) => {
        const fast = mergeOrder(d, j);
        const slow = mergeOrder({ ...d, lastTrackingAt: t }, j) as Partial<Order>;
        delete slow.lastTrackingAt;
        expect(fast).toEqual(slow);
        // The JSON order itself exactly when the merge would be a copy of it.
        const same = j.status !== 'unknown' && (j.storeId !== undefined || d.storeId === undefined) && j.cancelRequestedAt === undefined;
        expect(fast === j).toBe(same);
      }),
      { numRuns: 1000 },
    );
  });
});
