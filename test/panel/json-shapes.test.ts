/**
 * The shapes the real samples show (the shared real-samples SOURCES.md §1–§5),
 * each varied on its own: envelopes, prices, fraction widths, "not set"
 * sentinels, initiator labels, type case, empty and leftover cancellation
 * records, the panel's own field names, substatuses.
 */
import { describe, expect, it } from 'vitest';
import { ordersFromJson, isoInstant } from '../../panel/json';
import { postingStatus, mapSubstatus } from '../../rules/status';
import { postingCancellation, mapInitiator } from '../../rules/reasons';

const EMPTY_CANCELLATION = {
  cancel_reason_id: 0,
  cancel_reason: '',
  cancellation_type: '',
  cancelled_after_ship: false,
  affect_cancellation_rating: false,
  cancellation_initiator: '',
};

function posting(over: Record<string, unknown> = {}) {
  return {
    posting_number: '0132112277-0101-1',
    status: 'awaiting_packaging',
    in_process_at: '2026-03-30T11:26:00Z',
    shipment_date: '2026-03-31T09:00:00Z',
    cancellation: EMPTY_CANCELLATION,
    products: [{ sku: 827098843, offer_id: 'SK-58', name: 'Плойка', quantity: 1, price: '1530.0000', currency_code: 'RUB' }],
    ...over,
  };
}

const one = (body: unknown, scheme: 'FBS' | 'FBO' | 'rFBS' = 'FBS') => {
  const list = ordersFromJson(body, { scheme });
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('envelopes', () => {
  it.each([
    ['v4 list', (p: unknown) => ({ cursor: 'eyJsYXN0X2lkIjo0fQ==', has_next: true, postings: [p] })],
    ['v4 unfulfilled', (p: unknown) => ({ count: 2177, cursor: 'x', has_next: true, postings: [p] })],
    ['v3 list', (p: unknown) => ({ result: { postings: [p], has_next: false } })],
    ['v3 unfulfilled', (p: unknown) => ({ result: { postings: [p], count: 1 } })],
    ['v2 FBO list', (p: unknown) => ({ result: [p] })],
    ['v3 FBO list', (p: unknown) => ({ cursor: '', has_next: false, postings: [p] })],
    ['get', (p: unknown) => ({ result: p })],
  ])('%s', (_n, wrap) => {
    const o = one(wrap(posting()));
    expect(o.postingNumber).toBe('0132112277-0101-1');
    expect(o.shipBy).toBe('2026-03-31T09:00:00.000Z');
    expect(o.items).toEqual([{ sku: '827098843', offerId: 'SK-58', name: 'Плойка', quantity: 1, price: 1530 }]);
  });
});

describe('prices', () => {
  it.each([
    ['1259', 1259],
    ['81.0', 81],
    ['81.00', 81],
    ['279.000', 279],
    ['1530.0000', 1530],
    ['15.90000', 15.9],
    ['1390.000000', 1390],
    ['0.5', 0.5],
  ])('string %s', (price, want) => {
    expect(one({ postings: [posting({ products: [{ sku: 1, quantity: 1, price }] })] }).items![0]!.price).toBe(want);
  });

  it.each([
    [{ amount: '12990.00', currency: 'RUB' }, 12990, 'RUB'],
    [{ amount: '300', currency: 'RUB' }, 300, 'RUB'],
    [{ amount: 9.5, currency: 'cny' }, 9.5, 'CNY'],
    [{ amount: '28990', currency: 'KZT' }, 28990, 'KZT'],
  ])('object %j', (price, want, currency) => {
    const o = one({ postings: [posting({ products: [{ sku: 1, quantity: 1, price }] })] });
    expect(o.items![0]!.price).toBe(want);
    expect(o.currency).toBe(currency);
  });
});

describe('instants', () => {
  it.each([
    ['2021-08-25T10:48:38Z', '2021-08-25T10:48:38.000Z'],
    ['2021-09-01T00:25:30.12Z', '2021-09-01T00:25:30.120Z'],
    ['2021-09-01T00:23:45.607Z', '2021-09-01T00:23:45.607Z'],
    ['2026-05-10T23:59:51.653736Z', '2026-05-10T23:59:51.653Z'],
    ['2026-05-10T23:59:51.653736999Z', '2026-05-10T23:59:51.653Z'],
    ['2026-05-14T08:00:00.000Z', '2026-05-14T08:00:00.000Z'],
  ])('%s', (s, want) => {
    expect(isoInstant(s)).toBe(want);
    expect(one({ postings: [posting({ in_process_at: s })] }).paidAt).toBe(want);
  });

  it.each(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999900Z', '9999-12-31T23:59:59Z', ''])('"%s" means not set', (s) => {
    expect(isoInstant(s)).toBeUndefined();
    const o = one({ postings: [posting({ shipment_date: s, delivering_date: s })] });
    expect(o.shipBy).toBeUndefined();
    expect(o.firstScanAt).toBeUndefined();
  });
});

describe('cancellation', () => {
  it.each([
    ['Продавец', 'seller'],
    ['Клиент', 'buyer'],
    ['Покупатель', 'buyer'],
    ['Клиент или покупатель', 'buyer'], // the older documentation's wording
    ['Ozon', 'ozon'],
    ['Система', 'system'],
    ['Служба доставки', 'delivery'],
  ] as const)('initiator label «%s»', (label, who) => {
    const o = one({
      postings: [posting({ status: 'cancelled', cancellation: { ...EMPTY_CANCELLATION, cancel_reason_id: 352, cancellation_initiator: label } })],
    });
    expect(o.status).toBe('cancelled');
    expect(o.cancellation?.initiator).toBe(who);
    expect(o.cancellation?.reasonCode).toBe('352');
  });

  it('labels and codes of the conditional-cancellation endpoints too', () => {
    expect(mapInitiator('CLIENT')).toBe('buyer');
    expect(mapInitiator('OZON')).toBe('ozon');
    expect(mapInitiator(' служба  доставки ')).toBe('delivery');
  });

  it.each([
    ['seller', 'seller'],
    ['SELLER', 'seller'],
    ['Seller', 'seller'],
    ['client', 'buyer'],
    ['Client', 'buyer'],
    ['CUSTOMER', 'buyer'],
    ['customer', 'buyer'],
    ['Ozon', 'ozon'],
    ['OZON', 'ozon'],
    ['System', 'system'],
    ['DELIVERY', 'delivery'],
  ] as const)('cancellation_type %s', (type, who) => {
    const o = one({ postings: [posting({ status: 'cancelled', cancellation: { ...EMPTY_CANCELLATION, cancellation_type: type } })] });
    expect(o.cancellation).toEqual({ initiator: who, affectsRating: false });
  });

  it('an all-empty cancellation object on a live order is not a cancellation', () => {
    const o = one({ postings: [posting()] });
    expect(o.status).toBe('awaiting_packaging');
    expect(o.cancellation).toBeUndefined();
  });

  it('a non-zero cancel_reason_id on a delivered FBO posting is not a cancellation', () => {
    const fbo = { ...posting({ status: 'delivered', substatus: 'posting_delivered', cancel_reason_id: 7 }), cancellation: undefined };
    const o = one({ result: [fbo] }, 'FBO');
    expect(o.status).toBe('delivered');
    expect(o.cancellation).toBeUndefined();
  });

  it('a cancelled FBO posting: top-level id, v3 cancellation object without id', () => {
    const v2 = one({ result: [{ ...posting({ status: 'cancelled', cancel_reason_id: 352 }), cancellation: undefined }] }, 'FBO');
    expect(v2.cancellation).toEqual({ initiator: 'seller', reasonCode: '352' });
    const v3 = one(
      {
        postings: [
          posting({
            status: 'cancelled',
            cancel_reason_id: 0,
            cancellation: { cancel_reason: 'Покупатель отменил заказ', cancellation_initiator: 'Покупатель', cancellation_type: 'Client' },
          }),
        ],
      },
      'FBO',
    );
    expect(v3.cancellation).toEqual({ initiator: 'buyer', reasonText: 'Покупатель отменил заказ' });
  });

  it('postingCancellation keeps a record only for a cancelled or not-yet-known status', () => {
    const c = { cancel_reason_id: 352, cancellation_type: 'seller' };
    expect(postingCancellation('cancelled', c)).toEqual({ initiator: 'seller', reasonCode: '352' });
    expect(postingCancellation('unknown', c)).toEqual({ initiator: 'seller', reasonCode: '352' });
    for (const s of ['delivered', 'in_transit', 'awaiting_packaging', 'awaiting_shipment'] as const) expect(postingCancellation(s, c)).toBeUndefined();
    expect(postingCancellation('cancelled', EMPTY_CANCELLATION)).toBeUndefined();
  });

  it('a conditional-cancellation request names a posting but is no posting', () => {
    const req = {
      result: {
        cancellation_id: 90066344,
        posting_number: '47134289-0029-1',
        cancellation_reason: { id: 508, name: 'Покупатель отменил заказ' },
        cancelled_at: '2022-04-07T06:37:26.871105Z',
        state: { id: 5, name: 'Автоматически отменена', state: 'REJECTED' },
        cancellation_initiator: 'CLIENT',
      },
    };
    expect(ordersFromJson(req, { scheme: 'FBS' })).toEqual([]);
  });
});

describe("the panel's own field names", () => {
  it('product_offer_id / product_name beside offer_id / name', () => {
    const o = one({
      postings: [
        posting({
          products: [
            { sku: 11, product_offer_id: 'PANEL-OFFER', product_name: 'Из панели', quantity: 2, price: '10' },
            { sku: 12, offer_id: 'API-OFFER', name: 'Из API', quantity: 1, price: '20' },
            { sku: 13, offer_id: 'BOTH', product_offer_id: 'OTHER', name: 'Имя', product_name: 'Другое', quantity: 1 },
          ],
        }),
      ],
    });
    expect(o.items).toEqual([
      { sku: '11', offerId: 'PANEL-OFFER', name: 'Из панели', quantity: 2, price: 10 },
      { sku: '12', offerId: 'API-OFFER', name: 'Из API', quantity: 1, price: 20 },
      { sku: '13', offerId: 'BOTH', name: 'Имя', quantity: 1 },
    ]);
  });
});

describe('substatus (L3)', () => {
  it.each([
    ['awaiting_deliver', 'posting_driver_pick_up', 'picked_up'],
    ['awaiting_packaging', 'posting_transferring_to_delivery', 'awaiting_shipment'],
    ['delivering', 'posting_received', 'delivered'],
    ['delivering', 'posting_delivered', 'delivered'],
    ['delivering', 'posting_in_client_arbitration', 'disputed'],
    ['delivered', 'posting_received', 'delivered'],
    // never backwards, never over a final status, never into a cancellation
    ['delivering', 'posting_in_carriage', 'in_transit'],
    ['awaiting_approve', 'posting_created', 'awaiting_confirmation'],
    ['awaiting_packaging', 'posting_awaiting_passport_data', 'awaiting_packaging'],
    ['awaiting_packaging', 'posting_canceled', 'awaiting_packaging'],
    ['cancelled', 'posting_returned_to_warehouse', 'cancelled'],
    ['delivered', 'posting_in_arbitration', 'delivered'],
    // no usable status: the substatus decides
    [undefined, 'posting_canceled', 'cancelled'],
    ['something_new', 'posting_on_way_to_pickup_point', 'in_transit'],
    [undefined, 'posting_created', 'unknown'],
  ] as const)('%s + %s → %s', (status, sub, want) => {
    expect(postingStatus(status, sub)).toBe(want);
    expect(one({ postings: [posting({ status, substatus: sub })] }).status).toBe(want);
  });

  it('substatus codes only: free text is not looked up', () => {
    expect(mapSubstatus('Доставлен')).toBe('unknown');
    expect(mapSubstatus('POSTING_RECEIVED')).toBe('delivered');
  });
});
