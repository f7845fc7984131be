/**
 * Ozon's own orders export (docs/ozon-domain.md §3) in: rows → orders, with a
 * per-line report. Forgiving about the file, strict about each line:
 * - bytes (decode.ts): UTF-8 with or without BOM, or cp1251;
 * - records and fields (parse.ts): `;` or `,` (or tab) as read from the header
 *   line, quoted fields;
 * - columns found by NAME (layouts.ts), never by position;
 * - one line per product, merged into one posting (quantities per SKU add up);
 * - `14.04.2026 19:01` and `2026-04-14 19:01:23` through the rules' own
 *   parsePanelTime (T1/T3: Moscow unless the seller's offset is given);
 * - `1 234,50` numbers (decimal comma, space / NBSP thousands).
 * A bad line is skipped with its 1-based file line number (the header is
 * line 1) and a reason; it never stops the lines after it. An unknown status
 * word is data (L3: imported as `unknown`), reported as a warning only.
 *
 * Buyer personal data (names, addresses, phones) is never read.
 */
import type { Cancellation, Order, OrderItem, Scheme, Status } from '../rules';
import { defaultRulebook, type Rulebook } from '../rules';
import { parsePanelTime } from '../rules';
import { mapStatus } from '../rules';
import { cancellationFromApi } from '../rules';
import { t } from '../lib/i18n';
import { parseScheme } from '../rules';
import { POSTING_NUMBER_EXACT } from '../rules';
import { decodeCsvBytes, type CsvEncoding } from './decode';
import { clean, detectDelimiter, parseCsvNumber, parseFields, splitFields, splitRecords, type RawRecord } from './parse';
import { DATE_COLS, mapColumns, schemeFromColumns, type Col, type ColMap } from './layouts';

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


/** A cell of the current line, by our column name (empty markers read as absent). */
type Get = (c: Col) => string | undefined;
type LineDates = Partial<Record<(typeof DATE_COLS)[number], string>>;

/** What one import carries from line to line. */
interface ImportRun {
  opts: CsvImportOptions;
  report: CsvReport;
  cols: ColMap;
  /** The scheme of the whole file, and whether anything (not the placeholder) said it. */
  scheme: Scheme;
  schemeAnswered: boolean;
  /** Postings the scheme column did not answer for while nothing else told the scheme. */
  schemeUnanswered: number;
  /** The newest instant read so far (ms). */
  latest: number;
  drafts: Map<string, Draft>;
  parseTime: (v: string) => ReturnType<typeof parsePanelTime>;
}

/** Parses an Ozon orders export. Never throws; see the module comment for what it accepts. */
export function parseOrdersCsv(input: ArrayBuffer | Uint8Array | string, opts: CsvImportOptions = {}): CsvImportResult {
  const { text, encoding } = textOf(input);
  const report = newReport(encoding, opts);
  const head = readHeader(text, report);
  if (!head) return { orders: [], report };
  const run = startRun(head.cols, head.normHeaders, report, opts);
  const fieldsOf = splitFields(head.records, head.delimiter);
  for (let r = 0; r < head.records.length; r++) readLine(run, head.records[r]!, () => fieldsOf(r), head.nCols);
  return { orders: finish(run), report };
}

function textOf(input: ArrayBuffer | Uint8Array | string): { text: string; encoding: CsvEncoding } {
  if (typeof input === 'string') return { text: input.replace(/^\ufeff/, ''), encoding: 'utf-8' };
  const d = decodeCsvBytes(input);
  return { text: d.text.replace(/^\ufeff/, ''), encoding: d.encoding };
}

function newReport(encoding: CsvEncoding, opts: CsvImportOptions): CsvReport {
  return {
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
}

/**
 * The header line: the separator, the columns, the data records after it.
 * Undefined (with `report.error`) when there is no header or no posting-number column.
 */
function readHeader(
  text: string,
  report: CsvReport,
): { delimiter: string; records: RawRecord[]; nCols: number; cols: ColMap; normHeaders: string[] } | undefined {
  const firstEol = text.search(/\r?\n|\r/);
  const headerLine = firstEol < 0 ? text : text.slice(0, firstEol);
  if (!headerLine.trim()) {
    report.error = t('csv_err_empty');
    return undefined;
  }
  const delimiter = detectDelimiter(headerLine);
  report.delimiter = delimiter;
  const records = splitRecords(text, delimiter);
  const header = records.shift();
  const headerFields = header ? parseFields(header.text, delimiter) : undefined;
  if (!headerFields) {
    report.error = t('csv_err_no_posting_column');
    return undefined;
  }
  const { cols, normHeaders } = mapColumns(headerFields);
  report.columns = Object.keys(cols);
  if (!cols.postingNumber) {
    report.error = t('csv_err_no_posting_column');
    return undefined;
  }
  return { delimiter, records, nCols: headerFields.length, cols, normHeaders };
}

/**
 * The file's scheme: the seller's word; else per line from a scheme column;
 * else a column only one scheme's export has; else the panel page exported
 * from; else nobody said — a placeholder, and the seller is asked (needsScheme).
 */
function startRun(cols: ColMap, normHeaders: string[], report: CsvReport, opts: CsvImportOptions): ImportRun {
  let scheme: Scheme = opts.scheme ?? 'FBS';
  let from: SchemeSource = opts.scheme ? 'option' : 'unsure';
  if (!opts.scheme) {
    const byColumns = schemeFromColumns(normHeaders);
    if (byColumns) {
      scheme = byColumns;
      from = 'columns';
    } else if (opts.pageScheme) {
      scheme = opts.pageScheme;
      from = 'page';
    }
  }
  report.scheme = scheme;
  report.schemeFrom = !opts.scheme && cols.scheme ? 'column' : from;
  const tz = { tzOffsetMinutes: opts.tzOffsetMinutes, rulebook: opts.rulebook ?? defaultRulebook };
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
  return { opts, report, cols, scheme, schemeAnswered: from !== 'unsure', schemeUnanswered: 0, latest: -Infinity, drafts: new Map(), parseTime };
}

/** One data line: checked, dated, and merged into its posting's draft; a bad one is skipped with its reason. */
function readLine(run: ImportRun, rec: RawRecord, fieldsOf: () => string[] | undefined, nCols: number): void {
  if (!rec.text.trim() || /^[;,\t\s"]*$/.test(rec.text)) return; // blank or separators only
  const { report, cols } = run;
  const skip = (x: CsvLineIssue): void => {
    report.skipped.push(x);
  };
  report.lines++;
  const fields = lineFields(rec, fieldsOf, nCols);
  if (!Array.isArray(fields)) return skip(fields);
  const get: Get = (c) => (cols[c] ? clean(fields[cols[c]!.index]) : undefined);
  const pn = get('postingNumber');
  if (!pn) return skip(issue(rec.line, 'no_posting'));
  // The posting number's one shape (rules/posting-number.ts) refuses totals rows and stray text.
  if (!POSTING_NUMBER_EXACT.test(pn)) return skip(issue(rec.line, 'bad_posting', pn.slice(0, 40)));
  const dated = lineDates(run, get, rec.line);
  if ('bad' in dated) return skip(dated.bad);
  let draft = run.drafts.get(pn);
  if (!draft) {
    draft = { order: newOrder(run, pn, get, dated.dates, rec.line), items: new Map() };
    run.drafts.set(pn, draft);
  }
  addItem(draft, get);
}

/** The line's fields, or why it cannot be read: broken quotes, fewer or more fields than the header. */
function lineFields(rec: RawRecord, fieldsOf: () => string[] | undefined, nCols: number): string[] | CsvLineIssue {
  const fields = rec.broken ? undefined : fieldsOf();
  if (!fields) return issue(rec.line, 'broken_quotes');
  if (fields.length < nCols) return issue(rec.line, 'short_line', fields.length, nCols);
  if (fields.length > nCols && fields.slice(nCols).some((f) => f.trim() !== '')) return issue(rec.line, 'long_line', fields.length, nCols);
  return fields;
}

/** Every date on the line must read, or the line is not trusted. */
function lineDates(run: ImportRun, get: Get, line: number): { dates: LineDates } | { bad: CsvLineIssue } {
  const dates: LineDates = {};
  for (const c of DATE_COLS) {
    const v = get(c);
    if (!v) continue;
    const p = run.parseTime(v);
    if (!p.ok) return { bad: issue(line, 'bad_date', run.cols[c]!.title, v.slice(0, 40)) };
    dates[c] = p.iso;
    const msv = Date.parse(p.iso);
    if (msv > run.latest) run.latest = msv;
  }
  return { dates };
}

/** A posting's order from its first line (later lines of the posting only add items). */
function newOrder(run: ImportRun, pn: string, get: Get, dates: LineDates, line: number): Order {
  const status = lineStatus(run, get, line);
  const order: Order = { postingNumber: pn, scheme: lineScheme(run, get), status };
  if (run.opts.storeId) order.storeId = run.opts.storeId;
  placeInWindow(run, order, dates);
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
  return order;
}

/** The status word; an unknown one is data (L3: `unknown`), reported as a warning. */
function lineStatus(run: ImportRun, get: Get, line: number): Status {
  const statusText = get('status');
  if (!statusText) return 'unknown';
  const status = mapStatus(statusText);
  if (status === 'unknown') run.report.warnings.push(issue(line, 'unknown_status', statusText.slice(0, 60)));
  return status;
}

/** The file's scheme, unless the seller left it open and the line's scheme column says one. */
function lineScheme(run: ImportRun, get: Get): Scheme {
  if (!run.opts.scheme && run.cols.scheme) {
    const s = parseScheme(get('scheme'));
    if (s) return s;
  }
  if (!run.schemeAnswered) run.schemeUnanswered++;
  return run.scheme;
}

/**
 * M1 places a posting in the window by paidAt: the processing date, or in
 * exports without one the order's creation date (the nearest fact the file has).
 */
function placeInWindow(run: ImportRun, order: Order, dates: LineDates): void {
  const { report } = run;
  if (dates.processedAt) {
    order.paidAt = dates.processedAt;
    report.placedBy.processed++;
  } else if (dates.createdAt) {
    order.paidAt = dates.createdAt;
    report.placedBy.created++;
    report.createdColumn ??= run.cols.createdAt!.title;
  } else report.undated++;
}

/** The line's product: a new SKU is added, a repeated one adds its quantity. */
function addItem(draft: Draft, get: Get): void {
  const sku = get('sku') ?? get('offerId');
  if (!sku) return;
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

/** The postings' orders, and the report's totals. */
function finish(run: ImportRun): Order[] {
  const { report } = run;
  const orders: Order[] = [];
  for (const d of run.drafts.values()) {
    if (d.items.size) d.order.items = [...d.items.values()];
    orders.push(d.order);
  }
  report.postings = orders.length;
  report.needsScheme = run.schemeUnanswered > 0;
  if (Number.isFinite(run.latest)) report.latestInstant = new Date(run.latest).toISOString();
  return orders;
}
