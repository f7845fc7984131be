// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import {
  cancellationFromApi,
  mapInitiator,
  normalizeReasonCode,
  reasonCodeFromText,
  reasonFamily,
  reasonInfo,
  reasonTitle,
} from '../../rules/reasons';
import type { Initiator } from '../../rules/types';

describe('cancel reasons (M2, M5, ozon-domain §1.6)', () => {
  it.each([
    ['352', 'C03', 'Товар закончился на складе продавца'],
    ['400', 'C03', 'Остался только бракованный товар'],
    ['401', 'other', 'Продавец отклонил арбитраж'],
    ['402', 'other', 'Другое (вина продавца)'],
    ['665', 'other', 'Покупатель не забрал заказ'],
    ['666', 'C07', 'Возврат из службы доставки: нет доставки в указанный регион'],
    ['667', 'C07', 'Заказ утерян службой доставки'],
    ['C03', 'C03', 'Нет в наличии'],
    ['C07', 'C07', 'Задержка доставки'],
    ['C11', 'C11', 'Товар не соответствует описанию'],
  ])('M5 reason %s belongs to family %s, Russian title %j', (code, family, ru) => {
    expect(reasonFamily(code)).toBe(family);
    expect(reasonInfo(code)?.code).toBe(code);
    expect(reasonTitle(code, 'ru')).toBe(ru);
    // The title maps back to the code.
    expect(reasonCodeFromText(ru)).toBe(code);
    expect(reasonCodeFromText(reasonTitle(code, 'en'))).toBe(code);
    expect(reasonCodeFromText(reasonTitle(code, 'zh'))).toBe(code);
  });

  it('M2 codes normalise: numbers, seed spellings, empty and 0', () => {
    expect(normalizeReasonCode(352)).toBe('352');
    expect(normalizeReasonCode(' 352 ')).toBe('352');
    expect(normalizeReasonCode('c3')).toBe('C03');
    expect(normalizeReasonCode('C07')).toBe('C07');
    expect(normalizeReasonCode(0)).toBeUndefined();
    expect(normalizeReasonCode('0')).toBeUndefined();
    expect(normalizeReasonCode('')).toBeUndefined();
    expect(normalizeReasonCode(null)).toBeUndefined();
    expect(normalizeReasonCode(NaN)).toBeUndefined();
    expect(reasonFamily('999')).toBe('other');
    expect(reasonFamily(undefined)).toBe('other');
    expect(reasonTitle('999')).toBe('999');
  });

  it.each([
    ['Товар закончился', '352'],
    ['ТОВАР ЗАКОНЧИЛСЯ НА СКЛАДЕ ПРОДАВЦА.', '352'],
    ['Order lost by delivery service', '667'],
    ['Out of stock', 'C03'],
    ['Нет в наличии на складе', 'C03'],
    ['Logistics delay', 'C07'],
    ['Задержка отправки', 'C07'],
    ['Not as described', 'C11'],
    ['与描述不符', 'C11'],
    ['缺货', 'C03'],
  ])('M5 reason text %j → %s', (text, code) => {
    expect(reasonCodeFromText(text)).toBe(code);
  });

  it.each(['', 'Передумал', 'Changed my mind', undefined])('M5 reason text %j → undefined (no guess)', (text) => {
    expect(reasonCodeFromText(text)).toBeUndefined();
  });
});

describe('mapInitiator (M1, M3)', () => {
  const table: [string | undefined, Initiator][] = [
    ['seller', 'seller'],
    ['client', 'buyer'],
    ['customer', 'buyer'],
    ['ozon', 'ozon'],
    ['system', 'system'],
    ['delivery', 'delivery'],
    ['Продавец', 'seller'],
    ['Клиент', 'buyer'],
    ['покупатель', 'buyer'],
    ['Покупатель', 'buyer'],
    ['Ozon', 'ozon'],
    ['Озон', 'ozon'],
    ['Система', 'system'],
    ['Служба доставки', 'delivery'],
    ['SELLER', 'seller'],
    ['Buyer', 'buyer'],
    ['Carrier', 'delivery'],
    ['卖家', 'seller'],
    ['买家', 'buyer'],
    ['客户', 'buyer'],
    ['系统', 'system'],
    ['物流', 'delivery'],
    ['平台', 'ozon'],
    ['buyer', 'buyer'],
    ['unknown', 'unknown'],
    ['', 'unknown'],
    ['someone', 'unknown'],
    [undefined, 'unknown'],
  ];
  it.each(table)('M3 initiator %j → %s', (x, who) => {
    expect(mapInitiator(x)).toBe(who);
  });
});

describe('cancellationFromApi', () => {
  it('M3 the API object becomes the contract Cancellation', () => {
    expect(
      cancellationFromApi({
        cancel_reason_id: 352,
        cancel_reason: 'Товар закончился на складе продавца',
        cancellation_type: 'seller',
        cancellation_initiator: 'Продавец',
        affect_cancellation_rating: true,
      }),
    ).toEqual({ initiator: 'seller', reasonCode: '352', reasonText: 'Товар закончился на складе продавца', affectsRating: true });
    expect(cancellationFromApi({ cancel_reason_id: 0, cancel_reason: '', cancellation_type: '', affect_cancellation_rating: false })).toBeUndefined();
    expect(cancellationFromApi({ cancellation_initiator: 'Служба доставки', cancel_reason_id: 667 })).toEqual({
      initiator: 'delivery',
      reasonCode: '667',
    });
    // No initiator given: the reason's own type decides.
    expect(cancellationFromApi({ cancel_reason_id: '665' })?.initiator).toBe('buyer');
    expect(cancellationFromApi({ cancel_reason: 'Out of stock', cancellation_type: 'client' })).toEqual({
      initiator: 'buyer',
      reasonCode: 'C03',
      reasonText: 'Out of stock',
    });
    expect(cancellationFromApi(null)).toBeUndefined();
  });
});
