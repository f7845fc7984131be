import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fmtNumber, fmtPercent, lang, pluralForm, t, tableFromMessagesJson, tp, useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';

afterEach(() => useMessages('en', loadLocale('en')));

describe('plurals and numbers per language', () => {
  it('Russian plural forms: 1 заказ, 2 заказа, 5 заказов, 21 заказ, 11 заказов, 22 заказа', () => {
    useMessages('ru', loadLocale('ru'));
    expect(lang()).toBe('ru');
    expect(tp('options_orders_count', 1)).toBe('1 заказ');
    expect(tp('options_orders_count', 2)).toBe('2 заказа');
    expect(tp('options_orders_count', 5)).toBe('5 заказов');
    expect(tp('options_orders_count', 21)).toBe('21 заказ');
    expect(tp('options_orders_count', 11)).toBe('11 заказов');
    expect(tp('options_orders_count', 22)).toBe('22 заказа');
    expect(tp('options_orders_count', 1.5)).toBe('2 заказа'); // "other": fractions
  });

  it('English one / other; Chinese has one form', () => {
    expect(tp('options_orders_count', 1)).toBe('1 order');
    expect(tp('options_orders_count', 3)).toBe('3 orders');
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(tp('options_orders_count', 1)).toBe('1 个订单');
    expect(tp('options_orders_count', 7)).toBe('7 个订单');
  });

  it('numbers and percents are formatted per language', () => {
    useMessages('ru', loadLocale('ru'));
    expect(fmtNumber(50000)).toBe('50\u00a0000');
    expect(fmtPercent(2.5)).toBe('2,50\u202f%');
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(fmtNumber(50000)).toBe('50,000');
    expect(t('tz_moscow')).toBe('莫斯科时间');
  });
});

describe('t fills $1…$9 as a regex replace would', () => {
  it('for any message and substitutions (a `$` without a digit, `$0`, a missing one, `$` in a substitution)', async () => {
    const fc = await import('fast-check');
    const byRegex = (m: string, subs: (string | number)[]) =>
      m.replace(/\$(\d)/g, (x, d: string) => {
        const v = subs[Number(d) - 1];
        return v === undefined ? x : String(v);
      });
    const piece = fc.constantFrom('$', '$$', '0', '1', '2', '9', 'a', ' ', 'заказ', '订单');
    const message = fc.array(piece, { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
    const sub = fc.oneof(fc.integer(), fc.constantFrom('$1', '$', 'x', ''), fc.string());
    fc.assert(
      fc.property(message, fc.array(sub, { maxLength: 9 }), (m, subs) => {
        useMessages('en', { k: m });
        expect(t('k', ...subs)).toBe(byRegex(m, subs));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tf: a message as a function of its substitutions (the badge hot path)', () => {
  it('gives what t gives, for every message of every language, with any substitutions', async () => {
    const fc = await import('fast-check');
    const { tf } = await import('../../lib/i18n');
    for (const l of ['en', 'ru', 'zh_CN'] as const) {
      const table = loadLocale(l);
      useMessages(l, table);
      const keys = Object.keys(table);
      fc.assert(
        fc.property(fc.constantFrom(...keys), fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 9, maxLength: 9 }), (key, subs) => {
          expect(tf(key)(...subs)).toBe(t(key, ...subs));
        }),
        { numRuns: 400 },
      );
    }
  });

  it('follows the strings in force, and gives the key itself for a missing one', async () => {
    const { tf } = await import('../../lib/i18n');
    useMessages('en', { k: 'a $2 b $1 c' });
    expect(tf('k')(1, 2)).toBe('a 2 b 1 c');
    useMessages('ru', { k: '$1!' });
    expect(tf('k')('x')).toBe('x!');
    expect(tf('nope')('x')).toBe('nope');
  });
});

describe('plural forms and small numbers without Intl (lib/i18n.ts pluralForm, fmtNumber)', () => {
  const LANGS_HERE = ['en', 'ru', 'zh_CN'] as const;
  const TAGS = { en: 'en-GB', ru: 'ru-RU', zh_CN: 'zh-CN' } as const;

  it('every whole number 0–100,000 takes the form Intl.PluralRules gives, in each language', () => {
    for (const l of LANGS_HERE) {
      const pr = new Intl.PluralRules(TAGS[l]);
      const wrong: number[] = [];
      for (let n = 0; n <= 100_000; n++) if (pluralForm(n, l) !== pr.select(n)) wrong.push(n);
      expect(wrong, l).toEqual([]);
    }
  });

  it('and any safe whole number, fractions and negatives too', () => {
    for (const l of LANGS_HERE) {
      const pr = new Intl.PluralRules(TAGS[l]);
      fc.assert(fc.property(fc.maxSafeNat(), (n) => pluralForm(n, l) === pr.select(n)));
      fc.assert(fc.property(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), (n) => pluralForm(n, l) === pr.select(n)));
    }
  });

  it('whole numbers below 1,000 are written as Intl writes them; the rest still by Intl', () => {
    for (const l of LANGS_HERE) {
      useMessages(l, loadLocale(l));
      const nf = new Intl.NumberFormat(TAGS[l], { maximumFractionDigits: 0 });
      for (let n = 0; n < 1000; n++) expect(fmtNumber(n)).toBe(nf.format(n));
      for (const n of [-0, -1, -999, 1000, 12_345, 0.5, 999.6, 1e21]) expect(fmtNumber(n), `${l} ${n}`).toBe(nf.format(n));
      expect(fmtNumber(2.345, 2)).toBe(new Intl.NumberFormat(TAGS[l], { maximumFractionDigits: 2 }).format(2.345));
    }
  });
});

describe('tableFromMessagesJson (lib/i18n.ts): the messages.json shape or a flat table', () => {
  it('messages.json ({key:{message}}) and the same table flat give the same table; anything else is left out', () => {
    for (const l of ['en', 'ru', 'zh_CN'] as const) {
      const flat = loadLocale(l);
      const nested = Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, { message: v, description: 'x' }]));
      expect(tableFromMessagesJson(nested)).toEqual(flat);
      expect(tableFromMessagesJson(JSON.parse(JSON.stringify(flat)))).toEqual(flat);
    }
    const proto = Object.create({ inherited: 'no' }) as Record<string, unknown>;
    proto.own = 'yes';
    expect(tableFromMessagesJson(proto)).toEqual({ own: 'yes' });
    expect(tableFromMessagesJson({ a: 'A', b: { message: 'B' }, c: 3, d: null, e: { message: 4 }, f: ['x'] })).toEqual({ a: 'A', b: 'B' });
    for (const bad of [null, undefined, 'text', 42]) expect(tableFromMessagesJson(bad)).toEqual({});
  });
});
