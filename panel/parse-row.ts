/**
 * One row's cells → an Order (what the DOM alone says). Columns come from
 * the grid's header where there is one (columns.ts), else from label/value
 * pairs inside the row ("Статус: …", `<dt>`/`<dd>`, the drawer's sections),
 * else from the content itself (a status word, a "до 12.05.2026 14:00").
 *
 * Everything is read from `textContent` (never HTML: `<img onerror>` written
 * as text stays text), capped in length, and parsed strictly: a malformed
 * date leaves the field unset (never an Invalid Date), an unknown status word
 * is `unknown` (L3). Times are wall-clock text, read in the panel's zone (T3).
 */
import { mapStatus } from '../rules';
import { cancellationFromApi } from '../rules';
import { parsePanelTime } from '../rules';
import type { Order, Status } from '../rules';
import { fieldOfHeader, rowCells, type Field } from './columns';
import { extractDateTime, normalizeLooseDateTime, timeFromText, RE_ISO_ZONED, RE_MSK } from './dates';
import { clean, isEmptyValue, leafTexts, valueText, MAX_CELL, MAX_VALUE, type Value } from './cell-text';
import { itemsFrom, nestedItems, trackingFrom } from './values';
import type { PrintedTimes, ReadContext } from './types';
import { isDialogEl } from './dom';

// ---------------------------------------------------------------- status

/**
 * A status word followed by a counter or a note in the same text
 * («Ожидает отгрузки • 2 дн.», "Awaiting shipment · 5 h", «Доставляется | 3»):
 * the part before the first separator. Only separators that never occur
 * inside a status word.
 */
const STATUS_TAIL = /\s*(?:[•·|‧∙]|\s[–—]\s).*$/su;

function statusOfText(t: string): Status {
  const s = mapStatus(t);
  if (s !== 'unknown') return s;
  const head = t.replace(STATUS_TAIL, '');
  return head && head !== t ? mapStatus(head) : 'unknown';
}

/** Attributes that name an icon-only status (`<span role="img" aria-label="Доставляется">`). */
const STATUS_ATTRS = ['aria-label', 'title', 'data-tooltip', 'alt'];

function statusFromAttributes(el: Element): Status {
  const w = el.ownerDocument.createTreeWalker(el, 1);
  let seen = 0;
  for (let n: Element | null = el; n && seen < 30; n = w.nextNode() as Element | null, seen++) {
    for (const a of STATUS_ATTRS) {
      const v = n.getAttribute(a);
      if (!v || v.length > 200) continue;
      const s = statusOfText(clean(v, 200));
      if (s !== 'unknown') return s;
    }
  }
  return 'unknown';
}

function statusFrom(v: Value | undefined): Status {
  if (v === undefined) return 'unknown';
  const whole = valueText(v, 300);
  if (whole.length <= 200) {
    const s = statusOfText(whole);
    if (s !== 'unknown') return s;
  }
  if (typeof v !== 'string') {
    for (const t of leafTexts(v, 12)) {
      const s = statusOfText(t);
      if (s !== 'unknown') return s;
    }
    // Icon-only status: a cell with (almost) no text of its own.
    if (whole.length <= 40) return statusFromAttributes(v);
  }
  return 'unknown';
}

// ---------------------------------------------------------------- labels

// The label never ends in a digit: "Ship by May 12, 2026, 2:17 PM" splits at no colon.
const LABEL_INLINE = /^([^:：]{2,40}?[^\d\s:：])\s*[:：]\s*(.+)$/u;

/**
 * Label/value pairs inside a row without a usable header: "Статус: …" in one
 * text, `<dt>`/`<dd>`, a short label element followed by its value.
 */
function scanLabels(row: Element, values: Map<Field, Value>): void {
  const doc = row.ownerDocument;
  const w = doc.createTreeWalker(row, 1);
  let seen = 0;
  for (let n = w.nextNode() as Element | null; n && seen < 600; n = w.nextNode() as Element | null) {
    seen++;
    if (n.hasAttribute('data-ozon-guard') || n.childElementCount > 0) continue;
    const text = clean(n.textContent, 400);
    if (!text || text.length > 400) continue;
    const inline = LABEL_INLINE.exec(text);
    if (inline) {
      const f = fieldOfHeader(inline[1]!);
      if (f && f !== 'ignore' && !values.has(f)) values.set(f, inline[2]!);
      if (f) continue;
    }
    if (text.length > 60) continue;
    const f = fieldOfHeader(text);
    if (!f || f === 'ignore' || values.has(f)) continue;
    const next = n.nextElementSibling;
    const labelLike = /[:：]$/.test(text) || n.tagName === 'DT' || n.tagName === 'TH' || (next !== null && n.parentElement?.childElementCount === 2);
    if (!labelLike) continue;
    if (next && clean(next.textContent, 50)) values.set(f, next);
    else {
      const parentText = clean(n.parentElement?.textContent, MAX_CELL);
      const rest = parentText.startsWith(text) ? parentText.slice(text.length).trim() : '';
      if (rest) values.set(f, rest);
    }
  }
}

const SHIP_BY_PREFIX = /^(?:отгрузить до|собрать до|отгрузка до|упаковать до|до|ship by|ship before|pack by|by|发货截止|截止|最晚)\s*[:：]?\s*(.+)$/iu;

/** Header-less content: a status word cell, a "до <date>" cell. */
function scanContent(cells: Element[], values: Map<Field, Value>, row: Element, nowMs: number): void {
  const pool = cells.length >= 2 ? cells : Array.from(row.children);
  for (const c of pool) {
    const t = clean(c.textContent, 300);
    if (!t) {
      // An icon-only status cell: its words are in aria-label / title.
      if (!values.has('status') && c.childElementCount > 0 && statusFromAttributes(c) !== 'unknown') values.set('status', c);
      continue;
    }
    if (t.length > 200) continue;
    if (!values.has('status')) {
      const s = statusFrom(c);
      if (s !== 'unknown') {
        values.set('status', c);
        continue;
      }
    }
    if (!values.has('shipBy')) {
      const m = SHIP_BY_PREFIX.exec(t);
      if (m && (extractDateTime(m[1]!) || normalizeLooseDateTime(m[1]!, undefined, nowMs))) values.set('shipBy', m[1]!);
    }
  }
}

// ---------------------------------------------------------------- the row

/**
 * Which of the row's fields still matter next to the panel's JSON order for
 * the same posting: mergeOrder lets the JSON win for every field it has
 * (T3, P1, P2), so the DOM is read only for what the JSON lacks, and not for
 * what the JSON's status says the posting cannot have (no cancellation on an
 * open order, no tracking number before packing). With no JSON, everything.
 */
interface Need {
  status: boolean;
  paidAt: boolean;
  shipBy: boolean;
  cancelledAt: boolean;
  tracking: boolean;
  carrier: boolean;
  items: boolean;
  cancellation: boolean;
  any: boolean;
}

const NEED_ALL: Need = { status: true, paidAt: true, shipBy: true, cancelledAt: true, tracking: true, carrier: true, items: true, cancellation: true, any: true };

/**
 * Statuses whose row has no cancellation to show: an order the panel's JSON calls open or
 * delivered was not cancelled (L1), so a missing cancellation (and cancel time) in its JSON is
 * an absence, not a gap the row could fill. Cancelled, returned, undeliverable, disputed and
 * unknown postings are still read for them.
 */
const NEVER_CANCELLED: ReadonlySet<Status> = new Set<Status>(['created', 'awaiting_confirmation', 'awaiting_packaging', 'awaiting_shipment', 'picked_up', 'in_transit', 'delivered']);

/**
 * Statuses before the handover to the carrier (evaluate.ts AFTER_HANDOVER is the rest of the
 * open path): a posting not yet packed has no tracking number for its row to print (D3), so the
 * JSON's empty `tracking_number` is the answer.
 */
const BEFORE_HANDOVER: ReadonlySet<Status> = new Set<Status>(['created', 'awaiting_confirmation', 'awaiting_packaging']);

function needOf(j: Order | undefined): Need {
  if (!j) return NEED_ALL;
  const c = j.cancellation;
  // Every row of a list the JSON describes was a full DOM read while these two were counted as
  // gaps: ≈ 130 µs a row, most of the overlay's cost on a 1,000-row page (docs/performance.md).
  const cancelled = !NEVER_CANCELLED.has(j.status);
  const n: Need = {
    status: j.status === 'unknown',
    paidAt: j.paidAt === undefined,
    shipBy: j.shipBy === undefined,
    cancelledAt: cancelled && j.cancelledAt === undefined,
    tracking: !BEFORE_HANDOVER.has(j.status) && j.trackingNumber === undefined,
    carrier: j.carrier === undefined,
    // The row's items and currency come from one read: read when the JSON lacks either.
    items: j.items === undefined || j.currency === undefined,
    // mergeCancellation keeps the row's initiator, code, text and rating wherever the JSON's are missing.
    cancellation: cancelled && (!c || c.initiator === 'unknown' || c.reasonCode === undefined || c.reasonText === undefined || c.affectsRating === undefined),
    any: false,
  };
  n.any = n.status || n.paidAt || n.shipBy || n.cancelledAt || n.tracking || n.carrier || n.items || n.cancellation;
  return n;
}

/**
 * The Order one row shows, for the posting `postingNumber` (its first number).
 *
 * `json`: the panel's own order for that posting, when the content script
 * holds one. Fields the JSON has are then not read from the row at all (the
 * merge would drop them): the result is a partial reading, and
 * `mergeOrder(result, json)` equals `mergeOrder(parseRow(row, n, ctx), json)`.
 */
export function parseRow(row: Element, postingNumber: string, ctx: ReadContext, json?: Order): Order {
  return parseRowWithTimes(row, postingNumber, ctx, json).order;
}

/**
 * parseRow, plus the row's printed times (T3 evidence, printedTimes) from the same mapping of
 * its cells: the zone tracker asks for them on a sample of JSON-backed rows, and reading the
 * row's cells a second time for them cost about as much as the read itself.
 */
export function parseRowWithTimes(
  row: Element,
  postingNumber: string,
  ctx: ReadContext,
  json?: Order,
): { order: Order; printed: (nowMs: number) => PrintedTimes; zoned: boolean } {
  const need = needOf(json);
  const order: Order = { postingNumber, scheme: ctx.page.scheme, status: 'unknown' };
  if (!need.any) {
    // Only the status needs a value of its own; the JSON's wins (it is known).
    if (ctx.page.tabStatus) order.status = ctx.page.tabStatus;
    if (ctx.storeId) order.storeId = ctx.storeId;
    return { order, printed: (nowMs) => printedTimes(row, nowMs), zoned: false };
  }
  const { cells, values } = labelledValues(row);
  const nowMs = ctx.nowMs ?? Date.now();
  if ((need.status && !values.has('status')) || (need.shipBy && !values.has('shipBy'))) scanContent(cells, values, row, nowMs);

  let status: Status = need.status ? statusFrom(values.get('status')) : 'unknown';
  if (status === 'unknown' && ctx.page.tabStatus) status = ctx.page.tabStatus;
  order.status = status;
  if (ctx.storeId) order.storeId = ctx.storeId;
  const tz = ctx.tzOffsetMinutes;

  const paidAt = need.paidAt && values.has('paidAt') ? timeFromText(valueText(values.get('paidAt'), 300), tz, nowMs) : undefined;
  if (paidAt) order.paidAt = paidAt;
  const shipBy = need.shipBy && values.has('shipBy') ? timeFromText(valueText(values.get('shipBy'), 300), tz, nowMs) : undefined;
  if (shipBy) order.shipBy = shipBy;
  const cancelledAt = need.cancelledAt && values.has('cancelledAt') ? timeFromText(valueText(values.get('cancelledAt'), 300), tz, nowMs) : undefined;
  if (cancelledAt) order.cancelledAt = cancelledAt;

  const tracking = need.tracking && values.has('tracking') ? trackingFrom(valueText(values.get('tracking'), 300)) : undefined;
  if (tracking) order.trackingNumber = tracking;

  if (need.carrier) {
    const carrier = valueText(values.get('carrier'), 300);
    if (!isEmptyValue(carrier)) order.carrier = carrier.slice(0, 200);
  }

  if (need.cancellation) {
    const reason = valueText(values.get('reason'), MAX_VALUE);
    const initiator = valueText(values.get('initiator'), 200);
    if (!isEmptyValue(reason) || !isEmptyValue(initiator)) {
      const c = cancellationFromApi({
        cancel_reason: isEmptyValue(reason) ? null : reason,
        cancellation_initiator: isEmptyValue(initiator) ? null : initiator,
      });
      if (c) order.cancellation = c;
    }
  }

  if (need.items) {
    const productEl = values.get('product');
    const nested = productEl !== undefined && typeof productEl !== 'string' ? nestedItems(productEl) : {};
    const { items, currency } = nested.items ? nested : itemsFrom(values);
    if (items) order.items = items;
    if (currency) order.currency = currency;
  }
  // `zoned`: a time was to be read in the page's zone (ctx.tzOffsetMinutes), so the zone matters to this row (T3).
  return { order, printed: (at) => printedFrom(cells, values, row, at), zoned: need.paidAt || need.shipBy || need.cancelledAt };
}

// ---------------------------------------------------------------- T3 evidence

export type { PrintedTimes } from './types';

function printedWall(v: Value | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = valueText(v, 300);
  // A time that names its zone («МСК», an ISO offset) says nothing about the page's own zone.
  if (!t || RE_MSK.test(t) || RE_ISO_ZONED.test(t)) return undefined;
  const dt = extractDateTime(t);
  if (!dt) return undefined;
  const r = parsePanelTime(dt, { tzOffsetMinutes: 0 });
  return r.ok ? Date.parse(r.iso) : undefined;
}

/** A row's cells and the values its header columns (or, without a header, its labels) name. */
function labelledValues(row: Element): { cells: Element[]; values: Map<Field, Value> } {
  const { cells, header } = rowCells(row);
  const values = new Map<Field, Value>();
  if (header) {
    for (const [i, f] of header.columns) {
      const c = cells[i];
      if (c && !values.has(f)) values.set(f, c);
    }
  }
  if (!header || isDialogEl(row)) scanLabels(row, values);
  return { cells, values };
}

/**
 * T3: the ship-by and paid-at times a row prints, as bare wall clocks, found
 * the way parseRow finds them (header columns, labels, a "до <date>" cell).
 * Only full dates: a relative «завтра 10:00» would need the zone being learned.
 */
export function printedTimes(row: Element, nowMs: number): PrintedTimes {
  const { cells, values } = labelledValues(row);
  return printedFrom(cells, values, row, nowMs);
}

function printedFrom(cells: Element[], values: Map<Field, Value>, row: Element, nowMs: number): PrintedTimes {
  // A copy: parseRow's own map stays as it read it.
  values = new Map(values);
  if (!values.has('shipBy')) scanContent(cells, values, row, nowMs);
  const out: PrintedTimes = {};
  const ship = printedWall(values.get('shipBy'));
  if (ship !== undefined) out.shipBy = ship;
  const paid = printedWall(values.get('paidAt'));
  if (paid !== undefined) out.paidAt = paid;
  return out;
}
