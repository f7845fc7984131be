/**
 * rules/words.ts: the fold without a Unicode property regex must be the regex's fold, character
 * for character (it replaced `.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()` in the status
 * table (L3), the reasons and initiators (C2) and the carrier whitelist (D3)), and the text the
 * panel writes must never need the regex (its compile is what the file saves a page load).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { FAST_ALPHABET, NON_WORD_FAST, foldWords } from '../../rules/words';
import { mapInitiator, mapStatus, normalizeStatusText } from '../../rules';
import { normalizeCarrier } from '../../rules/rulebook-cfg';

const WORD = /^[\p{L}\p{N}]$/u;
const byRegex = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
/** normalizeStatusText as it was written with the regexes. */
const statusByRegex = (input: string): string =>
  input
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/(?:\s\d+)+$/u, '');

/** Characters where a fold could go wrong: cases, ё, zero-width marks, spaces, CJK and fullwidth punctuation, combining marks, astral letters and emoji, lone surrogates. */
const TRICKY = [
  'a', 'Z', '0', '9', '_', '-', '/', '.', ',', ':', ';', '(', ')', '"', "'", ' ', '\t', '\n',
  'Ё', 'ё', 'Е', 'Ж', 'я', 'Σ', 'ς', 'İ', 'ß', 'ǅ', 'ӏ', '҂', '\u0483', '\u0489', 'ѐ', 'ԯ',
  '\u00a0', '«', '»', '\u2009', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '—', '–', '…', '№',
  '待', '发', '货', '、', '。', '〇', '々', '〡', '「', '」', '【', '】', '（', '）', '：', '１', 'Ａ', 'ａ', '！', '＠',
  '²', '½', 'µ', 'ª', 'é', '\u0301', '٣', 'ก', '\u{20000}', '\u{1F600}', '\u{1D7CE}', '\ud800', '\udc00',
];

afterEach(() => vi.restoreAllMocks());

describe('the plain classes', () => {
  it('agree with [\\p{L}\\p{N}] on every code unit of the Basic Multilingual Plane they cover', () => {
    const nonWord = new RegExp(NON_WORD_FAST.source);
    let covered = 0;
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (!FAST_ALPHABET.test(ch)) continue;
      covered++;
      if (nonWord.test(ch) === WORD.test(ch)) expect.fail(`U+${c.toString(16).padStart(4, '0')}: the plain class says ${nonWord.test(ch) ? 'non-word' : 'word'}`);
    }
    // ASCII, Cyrillic, the CJK ideographs and the punctuation around them: the panel's own text; never a surrogate.
    expect(covered).toBeGreaterThan(21_000);
    expect(FAST_ALPHABET.test('\ud83d\ude00')).toBe(false);
  });
});

describe('foldWords', () => {
  it('is the regex fold on the panel’s own words', () => {
    for (const s of ['Ожидают сборки (12)', 'awaiting_packaging', 'Awaiting shipment', '待发货（12）', 'Доставляется — курьер', '  «Отменён»  ', '', '---', 'Ozon平台', 'СДЭК / CDEK'])
      expect(foldWords(s)).toBe(byRegex(s));
  });

  it('is the regex fold on random text of tricky characters and on any Unicode text', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TRICKY), { maxLength: 24 }), (parts) => {
      const s = parts.join('');
      expect(foldWords(s)).toBe(byRegex(s));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      expect(foldWords(s)).toBe(byRegex(s));
    }), { numRuns: 3000 });
  });

  it('never uses the property regex for ASCII, Russian, Kazakh or Chinese text', () => {
    const used: string[] = [];
    const replace = String.prototype.replace as (this: string, re: RegExp, by: string) => string;
    vi.spyOn(String.prototype, 'replace').mockImplementation(function (this: string, re: unknown, by: unknown) {
      if (re instanceof RegExp && re.source.includes('\\p{')) used.push(String(this));
      return replace.call(this, re as RegExp, by as string);
    } as typeof String.prototype.replace);
    for (const s of ['Ожидают сборки (12)', 'Ожидает отгрузки', 'Awaiting shipment', '待发货（12）', '已取消', 'Отменён продавцом', 'Қазақстан', '«Почта России»'])
      foldWords(s);
    expect(used).toEqual([]);
    // …and uses it for text it does not cover, which still folds as the regex does.
    expect(foldWords('Café—OK')).toBe('café ok');
    expect(used).toEqual(['café—ok']);
  });
});

describe('the folds built on it', () => {
  it('normalizeStatusText is the regex version on random text', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TRICKY, ' 12', ' 3 4', '(7)'), { maxLength: 20 }), (parts) => {
      const s = parts.join('');
      expect(normalizeStatusText(s)).toBe(statusByRegex(s));
    }), { numRuns: 3000 });
  });

  it('keeps every status, initiator and carrier reading (L3, C2, D3)', () => {
    expect(mapStatus('Ожидают сборки (12)')).toBe('awaiting_packaging');
    expect(mapStatus('ОТМЕНЁН')).toBe('cancelled');
    expect(mapStatus('待发货\u200b')).toBe(mapStatus('待发货'));
    expect(mapInitiator('Вина продавца')).toBe('seller');
    expect(mapInitiator('  Служба   доставки ')).toBe('delivery');
    expect(normalizeCarrier('Почта России / EMS')).toBe(byRegex('Почта России / EMS'));
  });
});
