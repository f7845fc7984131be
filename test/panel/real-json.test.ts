/**
 * Every file of the real samples' `api/` folder through the panel's JSON
 * reader, checked field by field against values read from each file by hand
 * (posting number, scheme, status, paidAt, shipBy, cancellation, items,
 * currency). A file that names no posting, or only a request about one,
 * must give no order at all.
 */
import { describe, expect, it } from 'vitest';
import { ordersFromJson } from '../../panel/json';
import type { Order } from '../../rules/types';
import { readRealApi, realApiFiles } from '../real/samples';

type Expect = Pick<Order, 'postingNumber' | 'scheme' | 'status' | 'paidAt' | 'shipBy' | 'cancellation' | 'items' | 'currency'>;

const fboDelivered16965409: Expect = {
  postingNumber: '16965409-0014-1',
  scheme: 'FBO',
  status: 'delivered',
  // 2.120000Z / .12Z / .120Z: the same instant in 6, 2 and 3 digits.
  paidAt: '2021-09-01T00:25:30.120Z',
  shipBy: undefined,
  // The 2026 copy carries cancel_reason_id 7 on this delivered posting: not a cancellation.
  cancellation: undefined,
  items: [
    {
      sku: '160249683',
      offerId: '978-5-906864-56-7',
      name: 'Так говорил Омар Хайям. Жизнеописание. Афоризмы и рубайят. Классика в словах и картинках',
      quantity: 1,
      price: 81,
    },
  ],
  currency: 'RUB',
};

const fboGet50520644: Expect = {
  postingNumber: '50520644-0012-7',
  scheme: 'FBO',
  status: 'delivered',
  paidAt: '2021-09-01T00:34:56.103Z',
  shipBy: undefined,
  cancellation: undefined,
  items: [{ sku: '254665483', offerId: 'PS1033', name: 'Мочалка натуральная из люфы с деревянной ручкой', quantity: 1, price: 137 }],
  currency: 'RUB',
};

const coffee = { sku: '180550365', offerId: '250-7898-1', name: 'Кофе ароматизированный "Шоколадный апельсин" 250 гр', quantity: 1, price: 279 };
const fbsGet57195475: Expect = {
  postingNumber: '57195475-0050-3',
  scheme: 'FBS',
  // Substatus posting_awaiting_passport_data names no stage: the status stands.
  status: 'awaiting_packaging',
  paidAt: '2021-11-20T09:14:16.000Z',
  shipBy: '2021-11-23T10:00:00.000Z',
  cancellation: undefined,
  items: [coffee],
  currency: 'RUB',
};

const fbsList05708065: Expect = {
  postingNumber: '05708065-0029-1',
  scheme: 'FBS',
  status: 'awaiting_shipment', // awaiting_deliver
  paidAt: '2022-05-13T07:07:32.000Z',
  shipBy: '2022-05-13T10:00:00.000Z',
  cancellation: undefined,
  // The file's name has a leading space; "1390.000000" is 6 decimals.
  items: [{ sku: '358924380', offerId: '205953', name: 'Электронный конструктор PinLab Позитроник', quantity: 1, price: 1390 }],
  currency: 'RUB',
};

const unfulfilled23713478: Expect = {
  postingNumber: '23713478-0018-3',
  scheme: 'FBS',
  status: 'awaiting_packaging',
  paidAt: '2021-08-25T10:48:38.000Z',
  shipBy: '2021-08-26T10:00:00.000Z',
  cancellation: undefined,
  items: [{ sku: '140048123', offerId: 'УТ-0001365', name: 'Мяч, цвет: черный, 5 кг', quantity: 1, price: 1259 }],
  currency: 'RUB',
};

const curler = { sku: '827098843', offerId: 'SK-58 (малиновый)', name: 'Профессиональная плойка Cronier cr-2013 для афро кудрей 9 мм', quantity: 1, price: 1530 };
const fbs0132112277: Expect = {
  postingNumber: '0132112277-0101-1',
  scheme: 'FBS',
  status: 'awaiting_packaging', // substatus posting_created: the same stage
  paidAt: '2026-03-30T11:26:00.000Z',
  shipBy: '2026-03-31T09:00:00.000Z',
  cancellation: undefined,
  items: [curler],
  currency: 'RUB',
};

/** Expected orders per file (every file of the folder must be listed: a new sample fails until read). */
const EXPECTED: Record<string, Expect[]> = {
  // Requests and reference lists: a posting number at most, never a posting's facts.
  'v1_conditional-cancellation_get__diphantxm.json': [],
  'v1_conditional-cancellation_get__ozon_swagger_2025-09.json': [],
  'v1_conditional-cancellation_list__diphantxm.json': [],
  'v1_conditional-cancellation_list__ozon_swagger_2025-09.json': [],
  'v1_posting_fbo_cancel-reason_list__diphantxm.json': [],
  'v1_posting_fbo_cancel-reason_list__ozon_swagger_2025-09.json': [],
  'v1_posting_fbs_cancel-reason__diphantxm.json': [],
  'v1_posting_fbs_cancel-reason__ozon_swagger_2025-09.json': [],
  'v2_posting_fbs_cancel-reason_list__diphantxm.json': [],
  'v2_posting_fbs_cancel-reason_list__ozon_swagger_2025-09.json': [],
  'v1_rating_history__diphantxm.json': [],
  'v1_rating_summary__diphantxm_2023.json': [],
  'v1_rating_summary__diphantxm_2024.json': [],
  'v2_conditional-cancellation_list__ozon_swagger_2025-09.json': [],
  'v2_posting_digital_list__ozon_swagger_2026.json': [
    {
      postingNumber: '42776709-0200-5',
      scheme: 'FBS',
      status: 'delivered',
      paidAt: '2025-05-10T06:49:29.108Z',
      shipBy: undefined,
      // A filled {cancellation_initiator: "Клиент", cancellation_type: "Client"} on a delivered posting.
      cancellation: undefined,
      items: [{ sku: '1624109204', offerId: 'S5257022-30', name: 'Слипоны демисезонные для мальчиков', quantity: 1, price: 1461 }],
      currency: 'RUB',
    },
  ],
  'v2_posting_fbo_get__diphantxm_2023.json': [fboGet50520644],
  'v2_posting_fbo_get__diphantxm_2025.json': [fboGet50520644],
  'v2_posting_fbo_get__ozon_swagger_2025-09.json': [fboGet50520644],
  'v2_posting_fbo_get__ozon_swagger_2026.json': [fboGet50520644],
  'v2_posting_fbo_list__diphantxm_2023.json': [fboDelivered16965409],
  'v2_posting_fbo_list__diphantxm_2025.json': [fboDelivered16965409],
  'v2_posting_fbo_list__ozon_swagger_2025-09.json': [fboDelivered16965409],
  'v2_posting_fbo_list__ozon_swagger_2026.json': [fboDelivered16965409],
  // No currency_code on the product in these three ("279.0000", 4 decimals).
  'v2_posting_fbs_get-by-barcode__diphantxm_2023.json': [{ ...fbsGet57195475, currency: undefined }],
  'v2_posting_fbs_get-by-barcode__diphantxm_2025.json': [{ ...fbsGet57195475, currency: undefined }],
  'v2_posting_fbs_get-by-barcode__ozon_swagger_2025-09.json': [{ ...fbsGet57195475, currency: undefined }],
  'v3_posting_fbo_list__ozon_swagger_2026.json': [
    {
      postingNumber: '9121072335-0187-1',
      scheme: 'FBO',
      status: 'delivered', // substatus posting_received
      paidAt: '2026-05-11T00:00:07.716Z', // .716614Z
      shipBy: undefined,
      cancellation: undefined, // cancellation: null, cancel_reason_id: 0
      items: [{ sku: '9880276314', offerId: 'SM-GALAXY-A54-128', name: 'Смартфон Samsung Galaxy A54', quantity: 1, price: 28990 }],
      currency: 'RUB', // only inside price {amount: "28990", currency: "RUB"}
    },
  ],
  'v3_posting_fbs_get__diphantxm_2023.json': [fbsGet57195475],
  'v3_posting_fbs_get__diphantxm_2025.json': [fbsGet57195475],
  'v3_posting_fbs_get__ozon_swagger_2025-09.json': [fbsGet57195475],
  'v3_posting_fbs_get__ozon_swagger_2026.json': [fbs0132112277],
  'v3_posting_fbs_list__diphantxm_2023.json': [fbsList05708065],
  'v3_posting_fbs_list__diphantxm_2025.json': [fbsList05708065],
  'v3_posting_fbs_list__ozon_swagger_2025-09.json': [fbsList05708065],
  'v3_posting_fbs_list__ozon_swagger_2026.json': [fbs0132112277],
  'v3_posting_fbs_unfulfilled_list__diphantxm_2023.json': [unfulfilled23713478],
  'v3_posting_fbs_unfulfilled_list__diphantxm_2025.json': [unfulfilled23713478],
  'v3_posting_fbs_unfulfilled_list__ozon_swagger_2025-09.json': [unfulfilled23713478],
  // The v4 shape pasted into the v3 page: top-level postings, object prices.
  'v3_posting_fbs_unfulfilled_list__ozon_swagger_2026.json': [
    { ...fbs0132112277, postingNumber: '0132112277-0102-1', paidAt: '2026-03-30T11:26:08.000Z' },
  ],
  'v4_posting_fbs_list__ozon_swagger_2026.json': [
    {
      postingNumber: '0208245774-0029-1',
      scheme: 'FBS',
      status: 'awaiting_packaging',
      paidAt: '2026-05-14T08:00:00.000Z',
      shipBy: '2026-05-18T12:00:00.000Z',
      cancellation: undefined,
      items: [
        { sku: '1904686181', offerId: 'b4408110', name: 'Смартфон Xiaomi Note 12', quantity: 1, price: 12990 },
        { sku: '1904686182', offerId: 'h667722', name: 'Наушники Bluetooth', quantity: 2, price: 3490 },
      ],
      currency: 'RUB',
    },
  ],
  'v4_posting_fbs_unfulfilled_list__ozon_swagger_2026.json': [
    {
      postingNumber: '41517061-0214-1',
      scheme: 'FBS',
      status: 'awaiting_shipment', // awaiting_deliver + posting_in_carriage
      paidAt: '2026-05-04T06:44:37.000Z',
      shipBy: '2026-05-05T06:44:37.000Z',
      cancellation: undefined,
      items: [{ sku: '4116250392', offerId: 'S5200657-28', name: 'Кроссовки для мальчика демисезонные из натуральной кожи', quantity: 1, price: 300 }],
      currency: 'RUB',
    },
  ],
};

const pick = (o: Order): Expect => ({
  postingNumber: o.postingNumber,
  scheme: o.scheme,
  status: o.status,
  paidAt: o.paidAt,
  shipBy: o.shipBy,
  cancellation: o.cancellation,
  items: o.items,
  currency: o.currency,
});

describe('every real API sample', () => {
  const files = realApiFiles();

  it('the folder holds the 41 files of SOURCES.md, and each is listed here', () => {
    expect(files.length).toBe(41);
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of Object.keys(EXPECTED)) {
    it(file, () => {
      // The list page's scheme, as the interceptor takes it from the page URL.
      const scheme = /_fbo_/.test(file) ? 'FBO' : 'FBS';
      const orders = ordersFromJson(readRealApi(file), { scheme });
      expect(orders.map(pick)).toEqual(EXPECTED[file]);
    });
  }
});
