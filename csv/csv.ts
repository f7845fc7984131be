/**
 * Ozon's own orders export (docs/ozon-domain.md §3) in, and the at-risk list and
 * the window's cancellations out.
 *
 * Import is forgiving about the file and strict about each line:
 * - bytes: UTF-8 with or without BOM, or cp1251 (detected: invalid UTF-8, or
 *   the UTF-8 text being cp1251 mojibake of a known header);
 * - `;` or `,` (or tab) as read from the header line; quoted fields;
 * - columns found by NAME (Russian or English, normalised, with synonyms),
 *   never by position, because the column set varies by scheme, language and date;
 * - one line per product, merged into one posting (quantities per SKU add up);
 * - `14.04.2026 19:01` and `2026-04-14 19:01:23` through the rules' own
 *   parsePanelTime (T1/T3: Moscow unless the seller's offset is given);
 * - `1 234,50` numbers (decimal comma, space / NBSP thousands).
 * A bad line is skipped with its 1-based file line number (the header is
 * line 1) and a reason; it never stops the lines after it. An unknown status
 * word is data (L3: imported as `unknown`), reported as a warning only.
 *
 * Buyer personal data (names, addresses, phones) is never read, and never
 * written by the exports.
 */
import Papa from 'papaparse';
import type { Cancellation, Order, OrderItem, Scheme, Status, Verdict } from '../rules/types';
import { defaultRulebook, type Rulebook } from '../rules/rulebook';
import { parsePanelTime, formatMoscow, MS_DAY } from '../rules/time';
import { durationText } from '../lib/duration';
import { mapStatus } from '../rules/status';
import { cancellationFromApi, reasonTitle } from '../rules/reasons';
import { evaluateOrder } from '../rules/evaluate';
import { t, tp, lang } from '../lib/i18n';
import { parseScheme } from '../rules/order-schema';
import { POSTING_NUMBER_EXACT } from '../rules/posting-number';
import { atZone, isNight, zoneName } from '../lib/when';
import { browserZone } from '../storage/settings';

// ---------------------------------------------------------------- decoding

export type CsvEncoding = 'utf-8' | 'windows-1251';

let cp1251Encoder: Map<string, number> | undefined;
/** char → cp1251 byte, built from the decoder itself (no table to get wrong). */
function cp1251Bytes(text: string): Uint8Array | undefined {
  if (!cp1251Encoder) {
    cp1251Encoder = new Map();
    const all = new Uint8Array(256).map((_, i) => i);
    const chars = new TextDecoder('windows-1251').decode(all);
    for (let i = 0; i < 256; i++) cp1251Encoder.set(chars[i]!, i);
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = cp1251Encoder.get(text[i]!);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

/** Words every Ozon export header holds; used to tell real text from mojibake. */
const HEADER_PROBES = /номер отправления|номер заказа|posting number|order number|статус|status/i;

/**
 * Bytes → text. UTF-8 first (BOM stripped); invalid UTF-8 is cp1251. A
 * UTF-8 file whose header only makes sense after undoing a cp1251
 * round-trip ("РќРѕРјРµСЂ" for «Номер») is repaired.
 */
export function decodeCsvBytes(input: ArrayBuffer | Uint8Array): { text: string; encoding: CsvEncoding; repairedMojibake?: boolean } {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
  const head = text.slice(0, 2000);
  if (!HEADER_PROBES.test(head) && /[РС][\u0080-\u045f]/.test(head)) {
    const raw = cp1251Bytes(text);
    if (raw) {
      try {
        const fixed = new TextDecoder('utf-8', { fatal: true }).decode(raw);
        if (HEADER_PROBES.test(fixed.slice(0, 2000))) return { text: fixed, encoding: 'utf-8', repairedMojibake: true };
      } catch {
        /* not mojibake after all */
      }
    }
  }
  return { text, encoding: 'utf-8' };
}

// ---------------------------------------------------------------- columns

type Col =
  | 'orderNumber'
  | 'postingNumber'
  | 'processedAt'
  | 'createdAt'
  | 'shipBy'
  | 'shipByNoDelay'
  | 'status'
  | 'deliveredAt'
  | 'handedOverAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'cancelInitiator'
  | 'postingAmount'
  | 'postingCurrency'
  | 'productName'
  | 'sku'
  | 'offerId'
  | 'price'
  | 'itemCurrency'
  | 'paidByCustomer'
  | 'customerCurrency'
  | 'quantity'
  | 'trackingNumber'
  | 'deliveryMethod'
  | 'scheme';

/** Lower-case, ё → е, punctuation and any whitespace → one space. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}

const SYNONYMS: Record<Col, string[]> = {
  orderNumber: ['номер заказа', 'order number', 'order id'],
  postingNumber: ['номер отправления', 'posting number', 'posting', 'shipment number', 'номер отправления ozon'],
  processedAt: ['принят в обработку', 'processed at', 'accepted for processing', 'in process at', 'дата принятия в обработку', 'processing date'],
  // The older exports (2020) have no processing date, only the order's creation date (docs/real-panel.md).
  createdAt: ['дата создания заказа', 'дата создания', 'дата заказа', 'order created at', 'order creation date', 'order date', 'created at', 'creation date'],
  shipBy: ['дата отгрузки', 'shipment date', 'shipping date', 'ship by', 'отгрузить до'],
  shipByNoDelay: ['дата отгрузки без просрочки', 'shipment date without delay', 'shipment date without delays'],
  status: ['статус', 'status', 'статус отправления', 'posting status'],
  deliveredAt: ['дата доставки', 'delivery date', 'delivered at', 'date of delivery'],
  handedOverAt: [
    'фактическая дата передачи в доставку',
    'actual date of transfer to delivery',
    'actual delivery transfer date',
    'actual shipment date',
    'date of transfer to delivery',
  ],
  cancelledAt: ['дата отмены', 'cancellation date', 'cancelled at', 'canceled at', 'cancel date'],
  cancelReason: ['причина отмены', 'cancellation reason', 'cancel reason', 'reason for cancellation'],
  cancelInitiator: ['инициатор отмены', 'cancellation initiator', 'cancelled by', 'canceled by', 'cancel initiator'],
  postingAmount: ['сумма отправления', 'posting amount', 'shipment amount', 'posting total'],
  postingCurrency: ['код валюты отправления', 'posting currency code', 'shipment currency code', 'posting currency'],
  productName: ['название товара', 'наименование товара', 'product name', 'product', 'item name', 'товар'],
  sku: ['sku', 'ozon sku', 'ozon id', 'sku ozon'],
  offerId: ['артикул', 'offer id', 'article', 'артикул продавца', 'seller article', 'article number', 'item code'],
  // «Итоговая стоимость товара» (2020 layout) is per unit: «Сумма отправления» = it × «Количество» on every line.
  price: ['ваша цена', 'your price', 'price', 'цена', 'итоговая стоимость товара', 'final product price'],
  itemCurrency: ['код валюты товара', 'product currency code', 'item currency code', 'currency code'],
  paidByCustomer: ['оплачено покупателем', 'paid by customer', 'paid by buyer', 'стоимость товара для покупателя', 'customer paid'],
  customerCurrency: ['код валюты покупателя', 'customer currency code', 'buyer currency code'],
  quantity: ['количество', 'quantity', 'qty', 'кол во', 'количество товара'],
  trackingNumber: ['трек номер', 'tracking number', 'трек номер отправления', 'track number', 'tracking'],
  deliveryMethod: ['способ доставки', 'delivery method', 'служба доставки', 'delivery service', 'shipping method'],
  scheme: ['схема', 'схема доставки', 'схема работы', 'delivery schema', 'delivery scheme', 'scheme', 'fulfillment scheme'],
};
const HEADER_INDEX = new Map<string, Col>();
for (const [col, names] of Object.entries(SYNONYMS) as [Col, string[]][]) for (const n of names) HEADER_INDEX.set(normalizeHeader(n), col);

/**
 * Columns only one scheme's export has (docs/real-panel.md: the ~2025 FBS
 * layout of 29 columns and FBO layout of 25). A column being PRESENT tells
 * the scheme; one being absent never does (older and trimmed exports lack
 * optional columns of either kind).
 */
const FBO_MARKERS = ['кластер отгрузки', 'объемный вес товаров кг', 'склад отгрузки', 'кластер доставки'].map(normalizeHeader);
const FBS_MARKERS = ['дата отгрузки без просрочки', 'shipment date without delay', 'подъем на этаж'].map(normalizeHeader);

const DATE_COLS = ['processedAt', 'createdAt', 'shipBy', 'shipByNoDelay', 'deliveredAt', 'handedOverAt', 'cancelledAt'] as const;

/** The header's own words for a column, for messages ("bad date in «Принят в обработку»"). */
type ColMap = Partial<Record<Col, { index: number; title: string }>>;

// ---------------------------------------------------------------- lines

interface RawRecord {
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
function splitRecords(text: string, delimiter: string): RawRecord[] {
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

function detectDelimiter(headerLine: string): string {
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
function clean(v: string | undefined): string | undefined {
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


// ---------------------------------------------------------------- import

export interface CsvImportOptions {
  /** The scheme of the whole file, when the seller says so; else from a column or the column set. */
  scheme?: Scheme;
  /** The scheme of the panel's order list the seller exported from (the open panel tab), when known. */
  pageScheme?: Scheme;
  /** T3: the panel's x-o3-timezone (getTimezoneOffset sign, -480 = UTC+8). Default: Moscow (T1). */
  tzOffsetMinutes?: number;
  rulebook?: Rulebook;
  /** Stamped on every order. */
  storeId?: string;
}

export interface CsvLineIssue {
  line: number;
  /** Stable machine code: no_posting, bad_posting, bad_date, broken_quotes, short_line, long_line, unknown_status. */
  code: string;
  /** The reason in the interface language. */
  reason: string;
}

/** Where an import's scheme came from (the import report names it: `csv_sum_scheme_<source>`). */
export const SCHEME_SOURCES = ['option', 'column', 'columns', 'page', 'unsure'] as const;
export type SchemeSource = (typeof SCHEME_SOURCES)[number];

export interface CsvReport {
  /** Data lines read (the header and blank lines not counted). */
  lines: number;
  postings: number;
  skipped: CsvLineIssue[];
  /** Lines imported with a remark (an unknown status word …). */
  warnings: CsvLineIssue[];
  encoding: CsvEncoding;
  delimiter: string;
  scheme: Scheme;
  /**
   * Where the scheme came from: the seller's choice, a scheme column, a
   * column only one scheme's export has, the panel page exported from; or
   * `unsure` (nothing said it: the scheme is a placeholder and the seller
   * must be asked before the orders are kept — see needsScheme).
   */
  schemeFrom: SchemeSource;
  /** True when no source told the scheme of some posting: ask the seller before committing. */
  needsScheme: boolean;
  /**
   * How the postings were placed in the 30-day window (M1 counts by paidAt):
   * by the processing date («Принят в обработку»), or — in exports without
   * one, like the 2020 layout — by the order's creation date.
   */
  placedBy: { processed: number; created: number };
  /** Title of the creation-date column, when it placed any posting. */
  createdColumn?: string;
  /** Postings with no date to place them in the window: not in the 30-day figures. */
  undated: number;
  /** Columns recognised, by our name. */
  columns: string[];
  /** The newest instant in the file: a lower bound for when it was exported. */
  latestInstant?: string;
  /** Set when nothing could be read at all (no header, no posting-number column). */
  error?: string;
}

export interface CsvImportResult {
  orders: Order[];
  report: CsvReport;
}

interface Draft {
  order: Order;
  items: Map<string, OrderItem>;
}

function issue(line: number, code: string, ...subs: (string | number)[]): CsvLineIssue {
  return { line, code, reason: t(`csv_skip_${code}`, ...subs) };
}

/** Parses an Ozon orders export. Never throws; see the module comment for what it accepts. */
export function parseOrdersCsv(input: ArrayBuffer | Uint8Array | string, opts: CsvImportOptions = {}): CsvImportResult {
  let text: string;
  let encoding: CsvEncoding = 'utf-8';
  if (typeof input === 'string') text = input.replace(/^\ufeff/, '');
  else {
    const d = decodeCsvBytes(input);
    text = d.text.replace(/^\ufeff/, '');
    encoding = d.encoding;
  }
  const report: CsvReport = {
    lines: 0,
    postings: 0,
    skipped: [],
    warnings: [],
    encoding,
    delimiter: ';',
    scheme: opts.scheme ?? 'FBS',
    schemeFrom: opts.scheme ? 'option' : 'unsure',
    needsScheme: !opts.scheme,
    placedBy: { processed: 0, created: 0 },
    undated: 0,
    columns: [],
  };
  const firstEol = text.search(/\r?\n|\r/);
  const headerLine = firstEol < 0 ? text : text.slice(0, firstEol);
  if (!headerLine.trim()) {
    report.error = t('csv_err_empty');
    return { orders: [], report };
  }
  const delimiter = detectDelimiter(headerLine);
  report.delimiter = delimiter;
  const records = splitRecords(text, delimiter);
  const header = records.shift();
  const headerFields = header ? parseFields(header.text, delimiter) : undefined;
  if (!headerFields) {
    report.error = t('csv_err_no_posting_column');
    return { orders: [], report };
  }
  const cols: ColMap = {};
  const normHeaders = headerFields.map(normalizeHeader);
  normHeaders.forEach((h, index) => {
    const col = HEADER_INDEX.get(h);
    if (col && !cols[col]) cols[col] = { index, title: headerFields[index]!.replace(/^\ufeff/, '').trim() };
  });
  report.columns = Object.keys(cols);
  if (!cols.postingNumber) {
    report.error = t('csv_err_no_posting_column');
    return { orders: [], report };
  }
  // Scheme: the seller's word; else per line from a scheme column; else a
  // column only one scheme's export has; else the panel page exported from;
  // else nobody said — a placeholder, and the seller is asked (needsScheme).
  let fileScheme: Scheme = opts.scheme ?? 'FBS';
  let fileFrom: CsvReport['schemeFrom'] = opts.scheme ? 'option' : 'unsure';
  if (!opts.scheme) {
    const fbo = normHeaders.some((h) => FBO_MARKERS.includes(h));
    const fbs = normHeaders.some((h) => FBS_MARKERS.includes(h));
    if (fbo !== fbs) {
      fileScheme = fbo ? 'FBO' : 'FBS';
      fileFrom = 'columns';
    } else if (opts.pageScheme) {
      fileScheme = opts.pageScheme;
      fileFrom = 'page';
    }
  }
  report.scheme = fileScheme;
  report.schemeFrom = !opts.scheme && cols.scheme ? 'column' : fileFrom;
  /** Postings the scheme column did not answer for while nothing else told the scheme. */
  let schemeUnanswered = 0;

  const tz = { tzOffsetMinutes: opts.tzOffsetMinutes, rulebook: opts.rulebook ?? defaultRulebook };
  const drafts = new Map<string, Draft>();
  let latest = -Infinity;
  const nCols = headerFields.length;

  const fieldsOf = splitFields(records, delimiter);
  // Exports repeat the same instants on every line of a posting: parse each text once.
  const timeCache = new Map<string, ReturnType<typeof parsePanelTime>>();
  const parseTime = (v: string) => {
    let p = timeCache.get(v);
    if (!p) {
      p = parsePanelTime(v, tz);
      timeCache.set(v, p);
    }
    return p;
  };

  for (let r = 0; r < records.length; r++) {
    const rec = records[r]!;
    if (!rec.text.trim() || /^[;,\t\s"]*$/.test(rec.text)) continue; // blank or separators only
    report.lines++;
    if (rec.broken) {
      report.skipped.push(issue(rec.line, 'broken_quotes'));
      continue;
    }
    const fields = fieldsOf(r);
    if (!fields) {
      report.skipped.push(issue(rec.line, 'broken_quotes'));
      continue;
    }
    if (fields.length < nCols) {
      report.skipped.push(issue(rec.line, 'short_line', fields.length, nCols));
      continue;
    }
    if (fields.length > nCols && fields.slice(nCols).some((f) => f.trim() !== '')) {
      report.skipped.push(issue(rec.line, 'long_line', fields.length, nCols));
      continue;
    }
    const get = (c: Col): string | undefined => (cols[c] ? clean(fields[cols[c]!.index]) : undefined);

    const pn = get('postingNumber');
    if (!pn) {
      report.skipped.push(issue(rec.line, 'no_posting'));
      continue;
    }
    // The posting number's one shape (rules/posting-number.ts) refuses totals rows and stray text.
    if (!POSTING_NUMBER_EXACT.test(pn)) {
      report.skipped.push(issue(rec.line, 'bad_posting', pn.slice(0, 40)));
      continue;
    }
    // Every date on the line must read, or the line is not trusted.
    const dates: Partial<Record<(typeof DATE_COLS)[number], string>> = {};
    let bad: CsvLineIssue | undefined;
    for (const c of DATE_COLS) {
      const v = get(c);
      if (!v) continue;
      const p = parseTime(v);
      if (!p.ok) {
        bad = issue(rec.line, 'bad_date', cols[c]!.title, v.slice(0, 40));
        break;
      }
      dates[c] = p.iso;
      const msv = Date.parse(p.iso);
      if (msv > latest) latest = msv;
    }
    if (bad) {
      report.skipped.push(bad);
      continue;
    }

    let draft = drafts.get(pn);
    if (!draft) {
      const statusText = get('status');
      let status: Status = 'unknown';
      if (statusText) {
        status = mapStatus(statusText);
        if (status === 'unknown') report.warnings.push(issue(rec.line, 'unknown_status', statusText.slice(0, 60)));
      }
      let scheme = fileScheme;
      let answered = fileFrom !== 'unsure';
      if (!opts.scheme && cols.scheme) {
        const s = parseScheme(get('scheme'));
        if (s) {
          scheme = s;
          answered = true;
        }
      }
      if (!answered) schemeUnanswered++;
      const order: Order = { postingNumber: pn, scheme, status };
      if (opts.storeId) order.storeId = opts.storeId;
      // M1 places a posting in the window by paidAt: the processing date, or in
      // exports without one the order's creation date (the nearest fact the file has).
      if (dates.processedAt) {
        order.paidAt = dates.processedAt;
        report.placedBy.processed++;
      } else if (dates.createdAt) {
        order.paidAt = dates.createdAt;
        report.placedBy.created++;
        report.createdColumn ??= cols.createdAt!.title;
      } else report.undated++;
      // shipment_date is the deadline (P2); the "without delay" column is its fallback.
      const shipBy = dates.shipBy ?? dates.shipByNoDelay;
      if (shipBy) order.shipBy = shipBy;
      if (dates.deliveredAt) order.deliveredAt = dates.deliveredAt;
      if (dates.cancelledAt) order.cancelledAt = dates.cancelledAt;
      // «Фактическая дата передачи в доставку» is recognised but not used as firstScanAt:
      // the export carries no later tracking, and D4 counted from the hand-over would
      // call every normal cross-border transit (≈ 8 days) stalled.
      const tracking = get('trackingNumber');
      if (tracking) order.trackingNumber = tracking;
      const method = get('deliveryMethod');
      if (method) order.carrier = method;
      const currency = get('postingCurrency') ?? get('itemCurrency') ?? get('customerCurrency');
      if (currency) order.currency = currency.toUpperCase();
      const reason = get('cancelReason');
      const initiator = get('cancelInitiator');
      if (reason || initiator) {
        const c: Cancellation | undefined = cancellationFromApi({ cancel_reason: reason ?? null, cancellation_initiator: initiator ?? null });
        if (c) order.cancellation = c;
      }
      draft = { order, items: new Map() };
      drafts.set(pn, draft);
    }
    const sku = get('sku') ?? get('offerId');
    if (sku) {
      const qRaw = parseCsvNumber(get('quantity'));
      const quantity = Number.isFinite(qRaw) && qRaw > 0 ? qRaw : 1;
      let price = parseCsvNumber(get('price'));
      if (!Number.isFinite(price)) {
        const paid = parseCsvNumber(get('paidByCustomer'));
        if (Number.isFinite(paid)) price = paid / quantity;
      }
      const prev = draft.items.get(sku);
      if (prev) prev.quantity += quantity;
      else {
        const item: OrderItem = { sku, quantity };
        const offerId = get('offerId');
        if (offerId) item.offerId = offerId;
        const name = get('productName');
        if (name) item.name = name.slice(0, 300);
        if (Number.isFinite(price)) item.price = price;
        draft.items.set(sku, item);
      }
    }
  }
  const orders: Order[] = [];
  for (const d of drafts.values()) {
    if (d.items.size) d.order.items = [...d.items.values()];
    orders.push(d.order);
  }
  report.postings = orders.length;
  report.needsScheme = schemeUnanswered > 0;
  if (Number.isFinite(latest)) report.latestInstant = new Date(latest).toISOString();
  return { orders, report };
}

/**
 * Fields of every record. One papaparse pass over the records (already split
 * with their line numbers) is three times faster than one call per record;
 * if that pass disagrees with the split (a quote error, a row count that
 * differs), each record is parsed on its own so a bad one spoils nothing else.
 */
function splitFields(records: RawRecord[], delimiter: string): (i: number) => string[] | undefined {
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
function parseFields(line: string, delimiter: string): string[] | undefined {
  const r = Papa.parse<string[]>(line, { delimiter, header: false, skipEmptyLines: false });
  if (r.errors.some((e) => e.type === 'Quotes')) return undefined;
  const row = r.data[0];
  return Array.isArray(row) ? row : undefined;
}

/**
 * "412 postings: 380 new, 32 updated, 3 lines skipped — line 17: no posting number".
 * `merged` is what the history merge answered.
 */
export function importSummary(report: CsvReport, merged?: { added: number; updated: number; tooOld?: number }): string {
  if (report.error) return report.error;
  const parts: string[] = [];
  if (merged) {
    parts.push(tp('csv_sum_new', merged.added));
    parts.push(tp('csv_sum_updated', merged.updated));
    if (merged.tooOld) parts.push(tp('csv_sum_too_old', merged.tooOld));
  }
  if (report.skipped.length) parts.push(tp('csv_sum_skipped', report.skipped.length));
  let s = tp('csv_sum_postings', report.postings);
  if (parts.length) s += `: ${parts.join(', ')}`;
  const shown = report.skipped.slice(0, 3).map((x) => t('csv_sum_line', x.line, x.reason));
  if (shown.length) s += ` — ${shown.join('; ')}${report.skipped.length > shown.length ? '; …' : ''}`;
  // Each note is a sentence of its own here (the notes are written to stand in a list too).
  return [s, ...importNotes(report).map((n) => n.charAt(0).toLocaleUpperCase() + n.slice(1))].join('. ');
}

/**
 * What the seller must know about how the file was read: the scheme and
 * where it came from, postings placed in the window by their creation date,
 * postings that could be placed nowhere (M1: not in the 30-day figures).
 */
export function importNotes(report: CsvReport): string[] {
  if (report.error) return [];
  const notes: string[] = [];
  notes.push(report.needsScheme ? t('csv_sum_scheme_unsure') : t(`csv_sum_scheme_${report.schemeFrom}`, report.scheme));
  if (report.placedBy.created > 0) notes.push(tp('csv_sum_by_created', report.placedBy.created, report.createdColumn ?? ''));
  if (report.undated > 0) notes.push(tp('csv_sum_undated', report.undated));
  return notes;
}

// ---------------------------------------------------------------- export

/** Excel opens a UTF-8 file as UTF-8 (Chinese, Russian) only with a BOM. */
const BOM = '\ufeff';

/**
 * One cell: quoted when it holds the separator, a quote or a line break;
 * text a spreadsheet would run as a formula (= + - @) is prefixed with '.
 */
export function csvCell(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).replace('.', lang() === 'ru' ? ',' : '.') : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+([.,]\d+)?$/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(header: string[], rows: (string | number | undefined)[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

function skus(o: Order): string {
  return (o.items ?? []).map((i) => i.sku).join(', ');
}
function names(o: Order): string {
  return (o.items ?? [])
    .map((i) => i.name ?? i.offerId ?? '')
    .filter(Boolean)
    .join(', ');
}
function quantity(o: Order): number | undefined {
  if (!o.items?.length) return undefined;
  return o.items.reduce((n, i) => n + (i.quantity || 0), 0);
}
function amount(o: Order): number | undefined {
  if (!o.items?.some((i) => typeof i.price === 'number')) return undefined;
  return Math.round(o.items.reduce((n, i) => n + (i.price ?? 0) * (i.quantity || 0), 0) * 100) / 100;
}
function msk(iso: string | undefined, rb: Rulebook): string {
  return iso ? formatMoscow(iso, { rulebook: rb, withYear: true, lang: lang() === 'ru' ? 'ru' : 'en' }) : '';
}
export { durationText };

/**
 * The same instant in the seller's own zone (T2, lib/when.ts: the one wording
 * of times), with the night mark for a deadline in the seller's night.
 */
function own(iso: string | undefined, zone: string, night = false): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  const s = atZone(ms, zone);
  return s && night && isNight(ms, zone) ? `${s} (${t('csv_night')})` : s;
}

const RISK_LEVELS = new Set(['at_risk', 'critical', 'overdue']);

/**
 * The at-risk list (level at_risk / critical / overdue), soonest first.
 * Verdicts may be passed in (the popup has them); otherwise computed.
 */
export function exportAtRiskCsv(
  orders: Order[],
  now: string | number | Date,
  rulebook: Rulebook = defaultRulebook,
  verdicts?: Map<string, Verdict>,
  zone: string = browserZone(),
): string {
  const nowMs = new Date(now).getTime();
  const zoneWord = zoneName(zone, nowMs);
  const rows = orders
    .map((o) => ({ o, v: verdicts?.get(o.postingNumber) ?? evaluateOrder(o, nowMs, rulebook) }))
    .filter((x) => RISK_LEVELS.has(x.v.level) && x.v.deadline)
    .sort(
      (a, b) =>
        Date.parse(a.v.deadline!.dueAt) - Date.parse(b.v.deadline!.dueAt) || a.o.postingNumber.localeCompare(b.o.postingNumber),
    )
    .map(({ o, v }) => {
      const d = v.deadline!;
      return [
        o.postingNumber,
        t(`status_${o.status}`),
        o.scheme,
        t(`deadline_${d.kind}`),
        msk(d.dueAt, rulebook),
        own(d.dueAt, zone, true),
        d.autoCancelAt ? msk(d.autoCancelAt, rulebook) : '',
        own(d.autoCancelAt, zone, true),
        durationText(Date.parse(d.dueAt) - nowMs),
        t(`level_${v.level}`),
        d.rule,
        skus(o),
        names(o),
        quantity(o),
      ];
    });
  return toCsv(
    [
      t('csv_col_posting'),
      t('csv_col_status'),
      t('csv_col_scheme'),
      t('csv_col_deadline'),
      t('csv_col_due_msk'),
      t('csv_col_due_own', zoneWord),
      t('csv_col_autocancel_msk'),
      t('csv_col_autocancel_own', zoneWord),
      t('csv_col_time_left'),
      t('csv_col_level'),
      t('csv_col_rule'),
      t('csv_col_sku'),
      t('csv_col_product'),
      t('csv_col_quantity'),
    ],
    rows,
  );
}

/** The window's cancellations (M5: export 30 days of cancellations, group by reason), newest first. */
export function exportCancellationsCsv(
  orders: Order[],
  now: string | number | Date,
  rulebook: Rulebook = defaultRulebook,
  zone: string = browserZone(),
): string {
  const nowMs = new Date(now).getTime();
  const zoneWord = zoneName(zone, nowMs);
  const from = nowMs - rulebook.metrics.windowDays.value * MS_DAY;
  const l = lang();
  const rows = orders
    .filter((o) => {
      const p = o.paidAt ? Date.parse(o.paidAt) : NaN;
      return o.status === 'cancelled' && p > from && p <= nowMs;
    })
    .sort(
      (a, b) =>
        (Date.parse(b.cancelledAt ?? b.paidAt!) || 0) - (Date.parse(a.cancelledAt ?? a.paidAt!) || 0) ||
        a.postingNumber.localeCompare(b.postingNumber),
    )
    .map((o) => {
      const code = o.cancellation?.reasonCode;
      return [
        o.postingNumber,
        o.scheme,
        msk(o.paidAt, rulebook),
        own(o.paidAt, zone),
        msk(o.cancelledAt, rulebook),
        own(o.cancelledAt, zone),
        t(`initiator_${o.cancellation?.initiator ?? 'unknown'}`),
        code ?? '',
        code ? reasonTitle(code, l) : (o.cancellation?.reasonText ?? t('reason_unknown')),
        o.cancellation?.affectsRating === undefined ? '' : o.cancellation.affectsRating ? t('csv_yes') : t('csv_no'),
        skus(o),
        names(o),
        quantity(o),
        amount(o),
        o.currency ?? '',
      ];
    });
  return toCsv(
    [
      t('csv_col_posting'),
      t('csv_col_scheme'),
      t('csv_col_paid_msk'),
      t('csv_col_paid_own', zoneWord),
      t('csv_col_cancelled_msk'),
      t('csv_col_cancelled_own', zoneWord),
      t('csv_col_initiator'),
      t('csv_col_reason_code'),
      t('csv_col_reason'),
      t('csv_col_affects_rating'),
      t('csv_col_sku'),
      t('csv_col_product'),
      t('csv_col_quantity'),
      t('csv_col_amount'),
      t('csv_col_currency'),
    ],
    rows,
  );
}
