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
import { mapStatus } from '../rules/status';
import { cancellationFromApi } from '../rules/reasons';
import { parsePanelTime } from '../rules/time';
import { hasPostingNumber, isPostingNumber } from '../rules/posting-number';
import type { Order, OrderItem, Status } from '../rules/types';
import { fieldOfHeader, rowCells, type Field } from './columns';
import { normalizeLooseDateTime } from './dates';
import type { ReadContext } from './types';
import { isDialogEl } from './dom';

const MAX_CELL = 2000;
const MAX_VALUE = 500;

function clean(text: string | null | undefined, max = MAX_CELL): string {
  if (!text) return '';
  const t = text.length > max ? text.slice(0, max) : text;
  return t.replace(/[\s\u00a0\u202f\u200b]+/g, ' ').trim();
}

/** "—", "-", "нет", "n/a": a cell that says "nothing here". */
function isEmptyValue(t: string): boolean {
  return !t || /^(?:[-–—_.·/\\]+|нет|n\/?a|none|无|暂无|не указан[оа]?)$/iu.test(t);
}

type Value = Element | string;

/**
 * A cell's text with its text nodes joined by spaces (textContent would glue
 * "Артикул: A1" and "SKU: 123" of two blocks into "A1SKU: 123"), capped.
 */
function elementText(el: Element, max: number): string {
  const direct = el.textContent ?? '';
  if (el.childElementCount === 0) return clean(direct, max);
  const parts: string[] = [];
  let len = 0;
  const w = el.ownerDocument.createTreeWalker(el, 4);
  for (let n = w.nextNode(); n && len < max; n = w.nextNode()) {
    const d = (n as Text).data;
    parts.push(d.length > max ? d.slice(0, max) : d);
    len += d.length + 1;
  }
  return clean(parts.join(' '), max);
}

function valueText(v: Value | undefined, max = MAX_CELL): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? clean(v, max) : elementText(v, max);
}

/** Leaf texts of an element (short ones), in order; for cells holding several lines. */
function leafTexts(el: Element, limit = 40): string[] {
  const out: string[] = [];
  const doc = el.ownerDocument;
  const w = doc.createTreeWalker(el, 4);
  for (let n = w.nextNode(); n && out.length < limit; n = w.nextNode()) {
    const t = clean((n as Text).data, 300);
    if (t) out.push(t);
  }
  return out;
}

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

// ---------------------------------------------------------------- times

const RU_MONTHS: Record<string, number> = {
  янв: 1, фев: 2, мар: 3, апр: 4, мая: 5, май: 5, июн: 6, июл: 7, авг: 8, сен: 9, окт: 10, ноя: 11, дек: 12,
};
const EN_MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const RE_DMY = /(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:г\.?)?,?\s*(?:в\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_YMD = /(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_ZH = /(\d{4})年(\d{1,2})月(\d{1,2})日\s*,?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_RU_WORD = /(\d{1,2})\s+([а-яё]{3,9})\.?\s+(\d{4})\s*(?:г\.?)?,?\s*(?:в\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?/iu;
const RE_EN_MDY = /\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;
const RE_EN_DMY = /\b(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4}),?\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;
const RE_ISO_ZONED = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})/;
const RE_MSK = /(?:мск|msk|moscow|москв|莫斯科)/iu;

const p2 = (n: number | string) => String(n).padStart(2, '0');

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = /^p/i.test(ampm);
  if (h < 1 || h > 12) return -1;
  return pm ? (h % 12) + 12 : h % 12;
}

/**
 * The wall-clock date-time in a piece of text, as `YYYY-MM-DD HH:mm[:ss]`
 * (parsePanelTime's form). Needs a time of day: a bare date is not a
 * deadline, and the reader does not invent one.
 */
export function extractDateTime(text: string): string | undefined {
  let m = RE_DMY.exec(text);
  if (m) return `${m[3]}-${p2(m[2]!)}-${p2(m[1]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_YMD.exec(text))) return `${m[1]}-${p2(m[2]!)}-${p2(m[3]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_ZH.exec(text))) return `${m[1]}-${p2(m[2]!)}-${p2(m[3]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_RU_WORD.exec(text))) {
    const mo = RU_MONTHS[m[2]!.toLowerCase().replace('ё', 'е').slice(0, 3)];
    if (mo) return `${m[3]}-${p2(mo)}-${p2(m[1]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  }
  for (const re of [RE_EN_MDY, RE_EN_DMY]) {
    m = re.exec(text);
    if (!m) continue;
    const [day, mon] = re === RE_EN_MDY ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
    const mo = EN_MONTHS[mon.toLowerCase().slice(0, 3)];
    const h = hour12(Number(m[4]), m[7]);
    if (mo && h >= 0) return `${m[3]}-${p2(mo)}-${p2(day)} ${p2(h)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  }
  return undefined;
}

/** T3: a time read off the page → UTC ISO, or undefined when there is none or it is malformed. */
export function timeFromText(text: string, tzOffsetMinutes: number | undefined, nowMs?: number): string | undefined {
  const t = clean(text, 300);
  if (!t) return undefined;
  const opts = tzOffsetMinutes === undefined ? {} : { tzOffsetMinutes };
  const zoned = RE_ISO_ZONED.exec(t);
  if (zoned) {
    const r = parsePanelTime(zoned[0], opts);
    return r.ok ? r.iso : undefined;
  }
  // Relative («завтра до 10:00») and year-less forms count from now in the
  // panel's zone; a «МСК» tag moves that zone to Moscow too.
  const dt = extractDateTime(t) ?? normalizeLooseDateTime(t, RE_MSK.test(t) ? undefined : tzOffsetMinutes, nowMs ?? Date.now());
  if (!dt) return undefined;
  // A «МСК» tag pins Moscow time whatever the cookie says (T1).
  const r = parsePanelTime(RE_MSK.test(t) ? `${dt} МСК` : dt, opts);
  return r.ok ? r.iso : undefined;
}

// ---------------------------------------------------------------- other values

const TRACK_TOKEN = /[A-Z0-9][A-Z0-9-]{5,39}/gi;

function trackingFrom(text: string): string | undefined {
  if (isEmptyValue(text)) return undefined;
  for (const tok of text.match(TRACK_TOKEN) ?? []) {
    if (!/\d/.test(tok)) continue;
    if (isPostingNumber(tok)) continue;
    return tok;
  }
  return undefined;
}

const CURRENCY: [RegExp, string][] = [
  [/₽|руб|rub/i, 'RUB'],
  [/¥|元|cny|rmb|юан/i, 'CNY'],
  [/\$|usd/i, 'USD'],
  [/€|eur/i, 'EUR'],
  [/₸|kzt/i, 'KZT'],
  [/\bbyn\b/i, 'BYN'],
];
const PRICE = /\d[\d\s\u00a0\u202f,.]*/;

/** "1 299 ₽", "459,50 ₽", "1,250.00 ₽", "¥ 89.90" → number and currency. */
export function priceFrom(text: string): { price?: number; currency?: string } {
  if (isEmptyValue(text)) return {};
  const m = PRICE.exec(text);
  if (!m) return {};
  let t = m[0].replace(/[\s\u00a0\u202f]/g, '').replace(/[.,]+$/, '');
  const lastSep = Math.max(t.lastIndexOf(','), t.lastIndexOf('.'));
  if (lastSep >= 0) {
    const decimals = t.length - lastSep - 1;
    const seps = (t.match(/[.,]/g) ?? []).length;
    // One separator followed by 1–2 digits is the decimal point; anything else groups thousands.
    if (decimals <= 2 && !(seps === 1 && decimals === 3)) t = t.slice(0, lastSep).replace(/[.,]/g, '') + '.' + t.slice(lastSep + 1);
    else t = t.replace(/[.,]/g, '');
  }
  const n = Number(t);
  const out: { price?: number; currency?: string } = {};
  if (t && Number.isFinite(n) && n >= 0 && n < 1e9) out.price = n;
  for (const [re, code] of CURRENCY) {
    if (re.test(text)) {
      out.currency = code;
      break;
    }
  }
  return out;
}

const SKU_IN = /(?:^|[^\p{L}])(?:sku|ozon id|озон id)\s*[:：#№]?\s*(\d{4,15})(?!\d)/iu;
const OFFER_IN = /(?:артикул|арт\.|offer id|article|vendor code|货号|商家编码)\s*[:：#№]?\s*([^\s,;|]{1,64})/iu;
const QTY_IN = /(?:^|\s)(\d{1,4})\s*(?:шт|pcs?|件|个)\.?(?:\s|$)|(?:^|\s)[x×]\s*(\d{1,4})\b|(?:кол-во|количество|qty|quantity|数量)\s*[:：]?\s*(\d{1,4})/iu;

function itemsFrom(values: Map<Field, Value>): { items?: OrderItem[]; currency?: string } {
  const productEl = values.get('product');
  const productLines = productEl === undefined ? [] : typeof productEl === 'string' ? [clean(productEl, MAX_VALUE)] : leafTexts(productEl, 12);
  const productText = productLines.join(' \n ');
  const skuText = valueText(values.get('sku'), 100);
  const offerText = valueText(values.get('offerId'), 200);
  const qtyText = valueText(values.get('quantity'), 50);
  const priceText = valueText(values.get('price'), 200);

  const sku = (/^\d{4,15}$/.test(skuText) ? skuText : SKU_IN.exec(skuText)?.[1]) ?? SKU_IN.exec(productText)?.[1];
  const offer =
    OFFER_IN.exec(offerText)?.[1] ??
    (!isEmptyValue(offerText) && /^[^\s,;|]{1,64}$/.test(offerText) ? offerText : undefined) ??
    OFFER_IN.exec(productText)?.[1];
  const out: { items?: OrderItem[]; currency?: string } = {};
  const pr = priceFrom(priceText);
  if (pr.currency) out.currency = pr.currency;
  if (!sku && !offer) return out;
  const q = /^\d{1,4}$/.test(qtyText) ? Number(qtyText) : undefined;
  let qm: RegExpExecArray | null = null;
  for (const l of productLines) if ((qm = QTY_IN.exec(l))) break;
  const qty = q ?? (qm ? Number(qm[1] ?? qm[2] ?? qm[3]) : 1);
  const item: OrderItem = { sku: sku ?? offer!, quantity: Number.isFinite(qty) ? qty : 1 };
  if (offer) item.offerId = offer;
  if (productLines.length) {
    // The name is a line's text before any "SKU: …", "Артикул: …", "× 2" part.
    for (const l of productLines) {
      let cut = l.length;
      for (const re of [SKU_IN, OFFER_IN, QTY_IN]) {
        const m = re.exec(l);
        if (m && m.index < cut) cut = m.index;
      }
      const name = l.slice(0, cut).trim();
      if (name.length >= 2 && !/^\d[\d\s.,]*$/.test(name) && !hasPostingNumber(name)) {
        item.name = name.slice(0, 200);
        break;
      }
    }
  }
  if (pr.price !== undefined) item.price = pr.price;
  out.items = [item];
  return out;
}

/**
 * Several SKUs of one order as a nested table in its product cell (its own
 * SKU / name / qty / price header): one item per nested row. Only a nested
 * `<table>` or ARIA grid with a header naming a SKU or article column counts.
 */
function nestedItems(el: Element): { items?: OrderItem[]; currency?: string } {
  const grid = el.tagName === 'TABLE' ? el : el.querySelector('table,[role="grid"],[role="table"]');
  if (!grid) return {};
  const subRows: Element[] = [];
  const w = el.ownerDocument.createTreeWalker(grid, 1);
  for (let n = w.nextNode() as Element | null; n && subRows.length < 50; n = w.nextNode() as Element | null) {
    if ((n.tagName === 'TR' || n.getAttribute('role') === 'row') && n.parentElement?.tagName !== 'THEAD') subRows.push(n);
  }
  const out: { items?: OrderItem[]; currency?: string } = {};
  const items: OrderItem[] = [];
  for (const r of subRows) {
    const { cells, header } = rowCells(r);
    if (!header) return {};
    if (header.el === r || cells.every((c) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader')) continue;
    const values = new Map<Field, Value>();
    for (const [i, f] of header.columns) {
      const c = cells[i];
      if (c && !values.has(f)) values.set(f, c);
    }
    if (!values.has('sku') && !values.has('offerId')) return {};
    const one = itemsFrom(values);
    if (one.items) items.push(...one.items);
    out.currency ??= one.currency;
  }
  if (items.length) out.items = items;
  else delete out.currency;
  return out;
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
 * (T3, P1, P2), so the DOM is read only for what the JSON lacks. With no JSON,
 * everything.
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

function needOf(j: Order | undefined): Need {
  if (!j) return NEED_ALL;
  const c = j.cancellation;
  const n: Need = {
    status: j.status === 'unknown',
    paidAt: j.paidAt === undefined,
    shipBy: j.shipBy === undefined,
    cancelledAt: j.cancelledAt === undefined,
    tracking: j.trackingNumber === undefined,
    carrier: j.carrier === undefined,
    // The row's items and currency come from one read: read when the JSON lacks either.
    items: j.items === undefined || j.currency === undefined,
    // mergeCancellation keeps the row's initiator, code, text and rating wherever the JSON's are missing.
    cancellation: !c || c.initiator === 'unknown' || c.reasonCode === undefined || c.reasonText === undefined || c.affectsRating === undefined,
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
  const need = needOf(json);
  const order: Order = { postingNumber, scheme: ctx.page.scheme, status: 'unknown' };
  if (!need.any) {
    // Only the status needs a value of its own; the JSON's wins (it is known).
    if (ctx.page.tabStatus) order.status = ctx.page.tabStatus;
    if (ctx.storeId) order.storeId = ctx.storeId;
    return order;
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
  return order;
}

// ---------------------------------------------------------------- T3 evidence

/** A row's printed times that the panel's JSON also gives as instants (rules/page-zone.ts pairs them). */
export interface PrintedTimes {
  /** The wall clock printed, read as if it were UTC (epoch ms). */
  shipBy?: number;
  paidAt?: number;
}

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
  if (!values.has('shipBy')) scanContent(cells, values, row, nowMs);
  const out: PrintedTimes = {};
  const ship = printedWall(values.get('shipBy'));
  if (ship !== undefined) out.shipBy = ship;
  const paid = printedWall(values.get('paidAt'));
  if (paid !== undefined) out.paidAt = paid;
  return out;
}
