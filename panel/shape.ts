/**
 * Text → its shape, for the page report (panel/report.ts): what a piece of
 * text LOOKS like without what it SAYS. Digits become 9, Latin letters a,
 * Cyrillic я, CJK 汉 (other letters a, other digits 9); whitespace,
 * punctuation and symbols (₽, ¥, «», …) stay as they are, and so does the
 * length. A shape keeps what the reader (panel/rows.ts, panel/parse-row.ts)
 * decides on — where a posting number is, how long a text is, where a date
 * and a time are — and none of the buyer's names, phones, addresses or prices.
 *
 * Two kinds of panel words are kept because they are the panel's calendar, not
 * anybody's data, and a fixture page rebuilt from the report needs them to
 * read as dates: CJK date units right after a digit (`2026年4月14日`) month
 * names beside a day number (`14 апреля 2026`, `Apr 14`) and AM / PM after a time.
 *
 * Pure: no DOM, no browser API.
 */

import { POSTING_NUMBER_WORD_SOURCE } from '../rules';

/** The posting-number shape (rules/posting-number.ts, its one definition), every occurrence between word boundaries. */
export const POSTING_IN_TEXT_G = new RegExp(POSTING_NUMBER_WORD_SOURCE, 'g');

const MONTHS = [
  // ru, genitive (how a date prints) and nominative
  'января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря',
  'январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь',
  'янв', 'фев', 'мар', 'апр', 'июн', 'июл', 'авг', 'сен', 'сент', 'окт', 'ноя', 'дек',
  // en
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
];
/** A month name right after a day number ("14 апреля") or right before one ("Apr 14"): the panel's calendar word. */
const MONTH_BY_DAY = new RegExp(
  `(?<=\\d[\\s\\u00a0]?)(?:${MONTHS.join('|')})(?![\\p{L}])|(?<![\\p{L}])(?:${MONTHS.join('|')})(?=\\.?[\\s\\u00a0]\\d)`,
  'giu',
);
/** AM / PM right after a time ("7:01 PM"). */
const MERIDIEM = /(?<=\d[\s\u00a0]?)(?:AM|PM|am|pm)(?![\p{L}])/gu;
/** A CJK date / time unit right after a digit: 2026年4月14日, 19时01分. */
const CJK_UNIT_AFTER_DIGIT = /(?<=\d)[年月日号时分秒]/gu;

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;

/** One character's shape. */
export function shapeChar(ch: string): string {
  if (ch >= '0' && ch <= '9') return '9';
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) return 'a';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return ch; // ASCII whitespace and punctuation
  if (DIGIT.test(ch)) return '9';
  if (!LETTER.test(ch)) return ch; // whitespace, punctuation, symbols, marks
  if (CYRILLIC.test(ch)) return 'я';
  if (CJK.test(ch)) return '汉';
  if (LATIN.test(ch)) return 'a';
  return 'a';
}

/** Spans [start, end) of the calendar words kept as they are. */
function keptSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  if (!/\d/.test(text)) return out;
  for (const re of [MONTH_BY_DAY, MERIDIEM, CJK_UNIT_AFTER_DIGIT]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The shape of a text (same length in UTF-16 code units for BMP text). */
export function shapeText(text: string): string {
  const spans = keptSpans(text);
  let out = '';
  let si = 0;
  for (let i = 0; i < text.length; ) {
    const span = spans[si];
    if (span && i >= span[0]) {
      if (i < span[1]) {
        out += text.slice(i, span[1]);
        i = span[1];
      }
      si++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out += shapeChar(ch);
    i += ch.length;
  }
  return out;
}

/**
 * The shape of a text and where its posting numbers are: `[offset, ordinal]`
 * for each, the ordinal being the number's index among the distinct numbers
 * of the page (`ordinalOf`), so a fixture page can put the same number back
 * wherever the page showed the same one. The number itself is not kept.
 */
export function shapeWithPostings(
  text: string,
  ordinalOf: (posting: string) => number,
): { shape: string; postings?: [number, number][] } {
  const shape = shapeText(text);
  if (text.length < 15 || text.indexOf('-') < 0) return { shape };
  let postings: [number, number][] | undefined;
  POSTING_IN_TEXT_G.lastIndex = 0;
  for (let m = POSTING_IN_TEXT_G.exec(text); m; m = POSTING_IN_TEXT_G.exec(text)) {
    (postings ??= []).push([m.index, ordinalOf(m[0])]);
  }
  return postings ? { shape, postings } : { shape };
}
