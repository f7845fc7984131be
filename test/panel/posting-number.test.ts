/**
 * A posting number is read from one place (rules/posting-number.ts) and
 * from the element that holds it: digits of a neighbouring cell (a row
 * number, a quantity, a date that follows without a space) never join it,
 * whatever the markup. React grids put cells side by side with no
 * whitespace, so a row's textContent reads `112345678-0001-12026-12-04`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  findPostingNumber,
  findPostingNumbers,
  hasPostingNumber,
  isPostingNumber,
  POSTING_NUMBER_EXACT,
  showsPostingShape,
} from '../../rules/posting-number';
import { readRows } from '../../panel/rows';
import { ctxFor } from './helpers';

const ctx = ctxFor('https://seller.ozon.ru/app/postings/fbs?tab=all');

// Shapes seen in real data (docs/real-panel.md; real-samples SOURCES.md §8).
const REAL = ['75540890-0123-2', '02822716-0120-1', '0167382117-0118-1', '05708065-0029-10', '0132112277-0101-1', '12345678-0001-123'];

describe('the posting-number pattern', () => {
  it('accepts 8–10 leading digits (leading zero too), 4 digits, 1–3 trailing digits', () => {
    for (const n of REAL) expect(isPostingNumber(n), n).toBe(true);
    for (const n of ['1234567-0001-1', '12345678901-0001-1', '12345678-001-1', '12345678-00001-1', '12345678-0001-', '12345678-0001-1234', '12345678-0001', ' 12345678-0001-1', '12345678-0001-1\n', 'a2345678-0001-1']) {
      expect(isPostingNumber(n), n).toBe(false);
    }
    expect(isPostingNumber(12345678)).toBe(false);
    expect(POSTING_NUMBER_EXACT.test('12345678-0001-1')).toBe(true);
  });

  it('reads a number standing on its own in text and rejects adjacent digits on either side', () => {
    expect(findPostingNumber('Отправление 12345678-0001-1 отменено')).toEqual({ num: '12345678-0001-1', index: 12 });
    expect(findPostingNumber('№0167382117-0118-1')?.num).toBe('0167382117-0118-1');
    expect(findPostingNumber('货件编号：05708065-0029-10')?.num).toBe('05708065-0029-10');
    // Joins that must never read as a (different) number.
    for (const s of [
      '12345678-0001-12026-12-04', // a date right after, ISO
      '12345678-0001-1-2', // a code run on
      '2026-12345678-0001-1', // something before with a hyphen
      '12345678-0001-1234',
      '112345678901-0001-1',
      'A12345678-0001-1',
      '12345678-0001-1x',
    ]) {
      expect(findPostingNumber(s), s).toBeUndefined();
    }
    expect(hasPostingNumber('no number here 1234-5678')).toBe(false);
    expect(findPostingNumbers('12345678-0001-1, 87654321-0002-2; 1-2-3').map((m) => m.num)).toEqual(['12345678-0001-1', '87654321-0002-2']);
  });

  it('"does the page show numbers at all" still sees the shape inside joined text', () => {
    expect(showsPostingShape('112345678-0001-12026-12-04')).toBe(true);
    expect(hasPostingNumber('112345678-0001-12026-12-04')).toBe(false);
    expect(showsPostingShape('Нет отправлений')).toBe(false);
  });
});

// ---------------------------------------------------------------- the reader

const HEAD = ['№', 'Номер отправления', 'Количество', 'Дата создания'];

interface RowSpec {
  before: string;
  num: string;
  after: string;
  date: string;
}

type Markup = 'table' | 'divgrid' | 'divgrid-link' | 'divgrid-split' | 'divgrid-date-in-cell';

/** One list in a given markup; `sep` goes between cells (the empty string: no whitespace at all). */
function page(rows: RowSpec[], markup: Markup, sep = ''): string {
  if (markup === 'table') {
    const head = `<tr>${HEAD.map((h) => `<th>${h}</th>`).join(sep)}</tr>`;
    const body = rows.map((r) => `<tr>${[r.before, r.num, r.after, r.date].map((c) => `<td>${c}</td>`).join(sep)}</tr>`).join(sep);
    return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
  }
  const cellOf = (r: RowSpec): string => {
    if (markup === 'divgrid-link') return `<a class="pn_a1" href="/app/postings/fbs?postingDetails=${r.num}">${r.num}</a>`;
    if (markup === 'divgrid-split') {
      const [a, b, c] = r.num.split('-');
      return `<span class="x_3f">${a}</span>-<span class="x_3f">${b}</span>-<span class="x_9q">${c}</span>`;
    }
    return `<span class="t_0x">${r.num}</span>`;
  };
  const head = `<div class="h_7Kq">${HEAD.map((h) => `<div class="c_2Zp">${h}</div>`).join(sep)}</div>`;
  const body = rows
    .map((r) => {
      const cells =
        markup === 'divgrid-date-in-cell'
          ? // The number and the date share one cell, nothing between them.
            [`<div class="c_2Zp">${r.before}</div>`, `<div class="c_2Zp"><span>${r.num}</span>${r.date}</div>`, `<div class="c_2Zp">${r.after}</div>`]
          : [r.before, cellOf(r), r.after, r.date].map((c) => `<div class="c_2Zp">${c}</div>`);
      return `<div class="r_a8F">${cells.join(sep)}</div>`;
    })
    .join(sep);
  return `<div class="g_Q1x">${head}<div class="b_pL0">${body}</div></div>`;
}

function readNumbers(html: string): string[] {
  document.body.innerHTML = html;
  return readRows(document, ctx).map((r) => r.order.postingNumber);
}

const MARKUPS: Markup[] = ['table', 'divgrid', 'divgrid-link', 'divgrid-split', 'divgrid-date-in-cell'];

describe('the reader takes the number from the element that holds it', () => {
  const rows: RowSpec[] = [
    { before: '1', num: '12345678-0001-1', after: '2', date: '2026-12-04' }, // row number, quantity, ISO date
    { before: '12', num: '0167382117-0118-1', after: '10', date: '04.12.2026' }, // 10-digit prefix with a leading zero
    { before: '123', num: '05708065-0029-10', after: '3', date: '2026-12-04 10:00' }, // 2-digit tail
    { before: '9', num: '87654321-0002-123', after: '1', date: '2026-12-0410:00' }, // 3-digit tail
    { before: '2026-12-04', num: '00000001-0000-4', after: '1', date: '' }, // a date cell BEFORE the number (fast-check found it)
  ];
  const want = rows.map((r) => r.num);

  for (const markup of MARKUPS) {
    it(`${markup}, no whitespace between cells: row number, quantity and date stay out`, () => {
      const html = page(rows, markup);
      // The row's whole text really does run the digits together.
      document.body.innerHTML = html;
      expect(document.querySelector(markup === 'table' ? 'tbody tr' : '.r_a8F')!.textContent).toContain('112345678-0001-1');
      expect(readNumbers(html)).toEqual(want);
    });
    it(`${markup}, with whitespace between cells`, () => {
      expect(readNumbers(page(rows, markup, '\n  '))).toEqual(want);
    });
  }

  it('a lone row (a filtered list) with a row number and a date glued on either side', () => {
    const html = `<div class="r_a8F"><div>7</div><div><a href="?postingDetails=02822716-0120-1">02822716-0120-1</a></div><div>1</div><div>2026-12-04</div><div>Ожидает сборки</div></div>`;
    expect(readNumbers(html)).toEqual(['02822716-0120-1']);
  });
});

describe('property: a valid number among arbitrary neighbouring cells is read exactly', () => {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const num = fc
    .tuple(digits(8, 10), digits(4, 4), digits(1, 3))
    .map(([a, b, c]) => `${a}-${b}-${c}`);
  // A neighbouring cell: digits, hyphens, dots, colons, spaces, a tag or two; never a number of its own.
  const cellText = fc
    .array(
      fc.oneof(
        digits(1, 12),
        fc.constantFrom('-', '.', ':', ' ', '/', ',', '2026-12-04', '04.12.2026', '10:00', 'шт', '₽', '×'),
      ),
      { minLength: 0, maxLength: 5 },
    )
    .map((parts) => parts.join(''))
    .filter((s) => !showsPostingShape(s));
  const row = fc.record({ before: cellText, num, after: cellText, date: cellText });
  const list = fc.uniqueArray(row, { minLength: 2, maxLength: 5, selector: (r) => r.num });

  it('in every markup, with and without whitespace between cells', () => {
    fc.assert(
      fc.property(list, fc.constantFrom(...MARKUPS), fc.constantFrom('', ' ', '\n'), (rows, markup, sep) => {
        expect(readNumbers(page(rows, markup, sep))).toEqual(rows.map((r) => r.num));
      }),
      { numRuns: 150 },
    );
  });

  it('in text: the number between separators is found; glued to a digit or "-digit" it is not misread', () => {
    fc.assert(
      fc.property(num, digits(1, 6), fc.constantFrom(' ', ' | ', '\u00a0', ': ', '\t'), (n, d, sep) => {
        expect(findPostingNumber(`${d}${sep}${n}${sep}${d}`)?.num).toBe(n);
        // Glued digits on either side: never read as n; what is read (if anything) is not a piece of n's own cells.
        expect(findPostingNumber(`${d}${n}`)?.num).not.toBe(n);
        expect(findPostingNumber(`${n}${d}`)?.num).not.toBe(n);
        expect(findPostingNumber(`${n}-${d}`)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
