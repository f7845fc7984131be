/**
 * An export's text → records with their file line numbers → fields
 * (papaparse), and the cell values: empty markers, `1 234,50` numbers.
 * `;` or `,` (or tab) as read from the header line; quoted fields, even ones
 * that span lines; a runaway quote spoils one record, never the rest.
 */
import Papa from 'papaparse';

export interface RawRecord {
  text: string;
  /** 1-based physical line the record starts on. */
  line: number;
  broken?: boolean;
}

/** How many physical lines one quoted field may span before the quote is called broken. */
const MAX_LINES_PER_RECORD = 20;
/**
 * Every data line of an Ozon export opens with an order or posting number ("16965409-0014…").
 * Not the posting-number shape (rules/posting-number.ts): an order number ("16965409-0014") opens
 * a line too, and this only tells a record's first line from a quoted field's continuation.
 */
const ORDER_OR_POSTING_LINE_START = /^"?\d{5,}-\d/;

/**
 * Splits the text into records, honouring quotes that open a field (so a
 * product name may hold the separator or a line break) and tracking each
 * record's first physical line. An unclosed quote would otherwise swallow the
 * rest of the file: after MAX_LINES_PER_RECORD lines (or at the end) the
 * record is declared broken, its first line reported, and reading resumes on
 * the next line.
 */
export function splitRecords(text: string, delimiter: string): RawRecord[] {
  const out: RawRecord[] = [];
  const n = text.length;
  let start = 0;
  let line = 1;
  while (start < n) {
    let i = start;
    let inQuotes = false;
    let fieldStart = true;
    let newlines = 0;
    let broken = false;
    let end = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 34 /* " */) {
          if (text.charCodeAt(i + 1) === 34) i++;
          else inQuotes = false;
        } else if (c === 10 /* \n */) {
          newlines++;
          // A line that opens like a new posting ends a runaway quote early.
          if (newlines > MAX_LINES_PER_RECORD || ORDER_OR_POSTING_LINE_START.test(text.slice(i + 1, i + 24))) {
            broken = true;
            break;
          }
        }
        i++;
        continue;
      }
      if (c === 34 && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else if (c === 10 || c === 13) {
        end = i;
        break;
      } else if (text[i] === delimiter) fieldStart = true;
      else if (c !== 32) fieldStart = false;
      i++;
    }
    if (inQuotes && i >= n) broken = true;
    if (broken) {
      // Report the first physical line only and resume right after it.
      let eol = text.indexOf('\n', start);
      if (eol < 0) eol = n;
      out.push({ text: text.slice(start, eol).replace(/\r$/, ''), line, broken: true });
      start = eol + 1;
      line++;
      continue;
    }
    if (end < 0) end = n;
    out.push({ text: text.slice(start, end), line });
    line += newlines + 1;
    // \r\n, lone \r and \n all end one line.
    if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) start = end + 2;
    else start = end + 1;
  }
  return out;
}

export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  let inQ = false;
  for (const ch of headerLine) {
    if (ch === '"') inQ = !inQ;
    else if (!inQ && ch in counts) counts[ch]!++;
  }
  const best = (Object.entries(counts) as [string, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ';';
}

const EMPTY_VALUES = new Set(['', '-', '—', '–', 'n/a', 'нет данных', 'null']);
export function clean(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v.replace(/[\u00a0\u202f]/g, ' ').trim();
  return EMPTY_VALUES.has(s.toLowerCase()) ? undefined : s;
}

/** "1 234,50" / "1 234.50" / "1,234.50" / "12,5" → number; NaN when not a number. */
export function parseCsvNumber(v: string | undefined): number {
  if (v === undefined) return NaN;
  let s = v.replace(/[\s\u00a0\u202f\u2009']/g, '').replace(/[₽$€¥]|руб\.?|rub|cny|usd/gi, '');
  if (!s) return NaN;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // The later mark is the decimal one.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) s = s.replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

/**
 * Fields of every record. One papaparse pass over the records (already split
 * with their line numbers) is three times faster than one call per record;
 * if that pass disagrees with the split (a quote error, a row count that
 * differs), each record is parsed on its own so a bad one spoils nothing else.
 */
export function splitFields(records: RawRecord[], delimiter: string): (i: number) => string[] | undefined {
  const good: number[] = [];
  for (let i = 0; i < records.length; i++) if (!records[i]!.broken) good.push(i);
  const res = Papa.parse<string[]>(good.map((i) => records[i]!.text).join('\n'), {
    delimiter,
    newline: '\n',
    header: false,
    skipEmptyLines: false,
  });
  if (res.data.length === good.length && !res.errors.some((e) => e.type === 'Quotes')) {
    const byRecord = new Map<number, string[]>();
    good.forEach((rec, k) => byRecord.set(rec, res.data[k]!));
    return (i) => byRecord.get(i);
  }
  return (i) => parseFields(records[i]!.text, delimiter);
}

/** One record's fields through papaparse; undefined when its quotes are broken. */
export function parseFields(line: string, delimiter: string): string[] | undefined {
  const r = Papa.parse<string[]>(line, { delimiter, header: false, skipEmptyLines: false });
  if (r.errors.some((e) => e.type === 'Quotes')) return undefined;
  const row = r.data[0];
  return Array.isArray(row) ? row : undefined;
}
