import { describe, expect, it } from 'vitest';
import { priceFrom } from '../../panel/values';

describe('values in cells', () => {
  it('prices in every notation', () => {
    expect(priceFrom('1 299 ₽')).toEqual({ price: 1299, currency: 'RUB' });
    expect(priceFrom('459,50 ₽')).toEqual({ price: 459.5, currency: 'RUB' });
    expect(priceFrom('1,250.00 ₽')).toEqual({ price: 1250, currency: 'RUB' });
    expect(priceFrom('¥ 89.90')).toEqual({ price: 89.9, currency: 'CNY' });
    expect(priceFrom('1.234.567,89 руб.')).toEqual({ price: 1234567.89, currency: 'RUB' });
    expect(priceFrom('—')).toEqual({});
  });
});
