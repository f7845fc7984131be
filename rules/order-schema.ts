/**
 * The one schema of an `Order` that crossed a trust boundary (docs/contract.md §2), with ONE
 * table of limits and two modes:
 *
 * - `strict` — page data (panel/bridge.ts: what the page-world observer posts). Malformed is
 *   refused: a wrong required field drops the order, a wrong optional field drops that field,
 *   a value over its limit is refused, not cut. Flags and `archived` are never accepted from the
 *   page: they come from the seller's own settings (panel/flags.ts).
 * - `repair` — what the extension stored (storage/history.ts: records of an older or newer
 *   version, a backup file, a CSV import through the background). Keep what can be kept: a bad
 *   field is dropped (an absent fact) and named in `fixed`, an over-long text is cut to its
 *   limit, and only a record that cannot stand (no posting number, no scheme) is refused with a
 *   reason. Nothing here throws.
 *
 * Also defined here once: the store id check and the unknown store's key, and the scheme
 * normalisation every reader uses. The posting number's shape is rules/posting-number.ts.
 * Pure: no DOM, no browser API, no clock.
 */
import { INITIATORS, ORDER_INSTANT_KEYS, SCHEMES, STATUSES, type Cancellation, type Initiator, type Order, type OrderFlags, type OrderItem, type Scheme, type Status } from './types';
import { isoUtc, parseIsoMs } from './time';
import { isPostingNumber } from './posting-number';
import { isObj, own } from './plain';

// ------------------------------------------------------------------ the table of limits
//
// Every limit of an order, for both modes. Why one value each: `repair` must never be tighter
// than `strict`, or an order the page check accepted would be cut when read back from storage;
// so each limit is the page check's, which real values sit far below (docs/real-panel.md
// "Values and formats": SKUs and offer ids are tens of characters, the panel offers about ten
// actions). They exist so a page or a file can't make us keep megabytes in one field.
// Plain constants, not an object: the bundler inlines them, while an object's keys would stay in
// the content script, whose size has a budget (docs/performance.md).

/** Any free text (a reason's text, an item's name). */
export const MAX_TEXT = 500;
/** Items of one order (a page of the panel shows far fewer). */
export const MAX_ITEMS = 200;
/** The panel's action ids offered for one posting (was 50 in storage: 64 is the page check's). */
export const MAX_ACTIONS = 64;
export const MAX_ACTION_LENGTH = 64;
/** SKU, offer id and category (were 64 / 128 / 64 in storage: 200 is the page check's). */
export const MAX_SKU = 200;
export const MAX_OFFER_ID = 200;
export const MAX_CATEGORY = 200;
export const MAX_CARRIER = 200;
export const MAX_TRACKING_NUMBER = 100;
/** ISO 4217: three letters. */
export const MAX_CURRENCY = 3;
export const MAX_REASON_CODE = 32;
/** An instant as text ("2026-04-14T10:00:00.000+03:00" is 29). */
export const MAX_INSTANT_TEXT = 40;
/** A stored record's key as written by any version (repair keeps it; strict needs the exact shape). */
export const MAX_POSTING_NUMBER_TEXT = 64;
/** A store key (isStoreId, STORE_ID_RE's {1,64}): path-safe, so it can name a storage key. */
/** A company id the page states: digits only, at most this many. */
export const MAX_PAGE_STORE_ID_DIGITS = 20;
/** An item's quantity and price. */
export const MAX_QUANTITY = 1e6;
export const MAX_PRICE = 1e12;

// ------------------------------------------------------------------ store ids

/** The store key of orders whose store is not known (history, settings, messages, the options page). */
export const UNKNOWN_STORE = 'unknown';

/** Company ids are numeric; anything path-like or huge is refused so it can't name a storage key. */
// A literal: a RegExp built at load time is kept in every bundle that imports this module.
export const STORE_ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A company id as a page states it (strictOrder, the panel's JSON walk): digits only, at most MAX_PAGE_STORE_ID_DIGITS. */
export function isPageStoreId(s: string): boolean {
  return s.length <= MAX_PAGE_STORE_ID_DIGITS && /^\d+$/.test(s);
}

export function isStoreId(x: unknown): x is string {
  return typeof x === 'string' && STORE_ID_RE.test(x);
}

/** The store key to file `x` under: a valid store id, else UNKNOWN_STORE. */
export function storeKeyOf(x: unknown): string {
  return isStoreId(x) ? x : UNKNOWN_STORE;
}

// ------------------------------------------------------------------ scheme

/**
 * A fulfilment scheme as written anywhere (the panel's JSON `delivery_schema`, a CSV column,
 * a stored record): FBS, FBO, or rFBS under its names ("rFBS", "realFBS", "real FBS", "erFBS"),
 * any case and spacing. Undefined for anything else; each reader picks its own default.
 */
export function parseScheme(x: unknown): Scheme | undefined {
  if (typeof x !== 'string') return undefined;
  // The canonical names first, as every stored and bridged order carries them: the folding below
  // (a new string and a regex run) was on every evaluation's path (summarizeStore, the badges).
  if (x === 'FBS' || x === 'FBO' || x === 'rFBS') return x;
  const s = x.toLowerCase().replace(/\s+/g, '');
  if (s === 'fbs') return 'FBS';
  if (s === 'fbo') return 'FBO';
  if (s === 'rfbs' || s === 'realfbs' || s === 'erfbs') return 'rFBS';
  return undefined;
}

// ------------------------------------------------------------------ instants

/** An instant as a UTC ISO string (`…Z`), or undefined (repair: a number or ISO-looking text). */
export function toIso(x: unknown): string | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? safeIso(x) : undefined;
  if (typeof x !== 'string' || x.length > MAX_INSTANT_TEXT || x.length < 8) return undefined;
  // Date.parse accepts "1" or "March": only ISO-looking text counts as an instant.
  if (!/^\d{4}-\d{2}-\d{2}/.test(x)) return undefined;
  return safeIso(Date.parse(x));
}

function safeIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: what the page-world side sends (isoUtc), and what isoUtc of its strict parse gives back. */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Strict: zoned ISO text only (T3: a zone-less time is not an instant). */
function strictInstant(v: unknown): string | undefined {
  const s = strictText(v, MAX_INSTANT_TEXT);
  if (!s) return undefined;
  // Already canonical: the strict parse is the whole check (re-serialising it, thousands per list, gave the same text).
  if (s.length === 24 && CANONICAL_ISO.test(s)) return Number.isFinite(parseIsoMs(s)) ? s : undefined;
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  const ms = parseIsoMs(s);
  return Number.isFinite(ms) ? isoUtc(ms) : undefined;
}

// ------------------------------------------------------------------ strict

/** Strict text: trimmed, non-empty, within `max`, else refused (also the panel's JSON reader's, panel/json.ts). */
export function strictText(v: unknown, max: number = MAX_TEXT): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s && s.length <= max ? s : undefined;
}

function strictNumber(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
}

const STATUS_SET = new Set<string>(STATUSES);
const TOKEN = /^[\w.-]+$/;

function strictItem(v: unknown): OrderItem | undefined {
  if (!isObj(v)) return undefined;
  const sku = strictText(own(v, 'sku'), MAX_SKU);
  const quantity = strictNumber(own(v, 'quantity'), 0, MAX_QUANTITY);
  if (!sku || quantity === undefined || !Number.isInteger(quantity)) return undefined;
  const item: OrderItem = { sku, quantity };
  const offerId = strictText(own(v, 'offerId'), MAX_OFFER_ID);
  if (offerId) item.offerId = offerId;
  const name = strictText(own(v, 'name'));
  if (name) item.name = name;
  const price = strictNumber(own(v, 'price'), 0, MAX_PRICE);
  if (price !== undefined) item.price = price;
  const category = strictText(own(v, 'category'), MAX_CATEGORY);
  if (category) item.category = category;
  return item;
}

function strictCancellation(v: unknown): Cancellation | undefined {
  if (!isObj(v)) return undefined;
  const initiator = own(v, 'initiator');
  if (typeof initiator !== 'string' || !(INITIATORS as readonly string[]).includes(initiator)) return undefined;
  const c: Cancellation = { initiator: initiator as Initiator };
  const code = strictText(own(v, 'reasonCode'), MAX_REASON_CODE);
  if (code && TOKEN.test(code)) c.reasonCode = code;
  const text = strictText(own(v, 'reasonText'));
  if (text) c.reasonText = text;
  const a = own(v, 'affectsRating');
  if (typeof a === 'boolean') c.affectsRating = a;
  return c;
}

/**
 * Mode `strict` (page data): the order, or undefined when a required field is wrong. Its own
 * entry point, not a mode argument, so the content script's bundle never carries the repair code.
 */
export function strictOrder(v: unknown): Order | undefined {
  if (!isObj(v)) return undefined;
  const postingNumber = own(v, 'postingNumber');
  const scheme = own(v, 'scheme');
  const status = own(v, 'status');
  if (!isPostingNumber(postingNumber)) return undefined;
  if (typeof scheme !== 'string' || !(SCHEMES as readonly string[]).includes(scheme)) return undefined;
  if (typeof status !== 'string' || !STATUS_SET.has(status)) return undefined;
  const o: Order = { postingNumber, scheme: scheme as Scheme, status: status as Status };
  const storeId = strictText(own(v, 'storeId'), MAX_PAGE_STORE_ID_DIGITS);
  if (storeId && isPageStoreId(storeId)) o.storeId = storeId;
  for (const k of ORDER_INSTANT_KEYS) {
    const t = strictInstant(own(v, k));
    if (t) o[k] = t;
  }
  const tn = strictText(own(v, 'trackingNumber'), MAX_TRACKING_NUMBER);
  if (tn && /^[\w./ -]+$/.test(tn)) o.trackingNumber = tn;
  const carrier = strictText(own(v, 'carrier'), MAX_CARRIER);
  if (carrier) o.carrier = carrier;
  const customs = own(v, 'inCustoms');
  if (typeof customs === 'boolean') o.inCustoms = customs;
  const c = strictCancellation(own(v, 'cancellation'));
  if (c) o.cancellation = c;
  const actions = own(v, 'availableActions');
  if (Array.isArray(actions) && actions.length <= MAX_ACTIONS) {
    const list = actions.filter((a): a is string => typeof a === 'string' && a.length <= MAX_ACTION_LENGTH && TOKEN.test(a));
    if (list.length === actions.length) o.availableActions = [...new Set(list)];
  }
  const items = own(v, 'items');
  if (Array.isArray(items) && items.length <= MAX_ITEMS) {
    const list: OrderItem[] = [];
    for (const it of items) {
      const ok = strictItem(it);
      if (ok) list.push(ok);
    }
    if (list.length) o.items = list;
  }
  const currency = strictText(own(v, 'currency'), MAX_CURRENCY);
  if (currency && /^[A-Z]{3}$/.test(currency)) o.currency = currency;
  return o;
}

// ------------------------------------------------------------------ repair

const FLAG_KEYS: readonly (keyof OrderFlags)[] = ['digital', 'electronics', 'preorder', 'autoConfirmShipment', 'delayApproved'];
const FLAG_SOURCES = ['page', 'sku_list', 'store_setting'] as const;
const TEXT_LIMITS = { trackingNumber: MAX_TRACKING_NUMBER, carrier: MAX_CARRIER, currency: MAX_CURRENCY } as const;

/** Repair text: a finite number reads as its digits; text is trimmed and cut to `max`. */
function repairText(x: unknown, max: number = MAX_TEXT): string | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  if (typeof x !== 'string') return undefined;
  const s = x.trim();
  return s ? s.slice(0, max) : undefined;
}

export type RepairResult = { ok: true; order: Order; fixed: string[] } | { ok: false; reason: string };

/** Mode `repair` (stored records): the order with the fields it had to drop, or why it cannot stand. */
export function repairOrder(raw: unknown): RepairResult {
  if (!isObj(raw)) return { ok: false, reason: 'not an object' };
  const postingNumber = repairText(raw.postingNumber, MAX_POSTING_NUMBER_TEXT);
  if (!postingNumber) return { ok: false, reason: 'no posting number' };
  const scheme = parseScheme(raw.scheme);
  if (!scheme) return { ok: false, reason: raw.scheme === undefined ? 'no scheme' : `bad scheme ${JSON.stringify(raw.scheme)?.slice(0, 20)}` };
  const fixed: string[] = [];
  let status: Status = 'unknown';
  if (typeof raw.status === 'string' && STATUS_SET.has(raw.status)) status = raw.status as Status;
  else fixed.push('status');

  const order: Order = { postingNumber, scheme, status };
  const storeId = raw.storeId;
  if (storeId !== undefined) {
    if (isStoreId(storeId)) order.storeId = storeId;
    else fixed.push('storeId');
  }
  for (const k of ORDER_INSTANT_KEYS) {
    if (raw[k] === undefined || raw[k] === null) continue;
    const v = toIso(raw[k]);
    if (v) order[k] = v;
    else fixed.push(k);
  }
  for (const k of Object.keys(TEXT_LIMITS) as (keyof typeof TEXT_LIMITS)[]) {
    if (raw[k] === undefined || raw[k] === null) continue;
    const v = repairText(raw[k], TEXT_LIMITS[k]);
    if (v) order[k] = v;
    else fixed.push(k);
  }
  if (typeof raw.inCustoms === 'boolean') order.inCustoms = raw.inCustoms;
  if (typeof raw.archived === 'boolean') order.archived = raw.archived;

  if (isObj(raw.cancellation)) {
    const c = raw.cancellation;
    const initiator = (INITIATORS as readonly string[]).includes(c.initiator as string) ? (c.initiator as Initiator) : 'unknown';
    const cancellation: Cancellation = { initiator };
    const code = repairText(c.reasonCode, MAX_REASON_CODE);
    if (code) cancellation.reasonCode = code;
    const rt = repairText(c.reasonText);
    if (rt) cancellation.reasonText = rt;
    if (typeof c.affectsRating === 'boolean') cancellation.affectsRating = c.affectsRating;
    order.cancellation = cancellation;
  }
  if (isObj(raw.flags)) {
    const flags: OrderFlags = {};
    for (const k of FLAG_KEYS) if (typeof raw.flags[k] === 'boolean') flags[k] = raw.flags[k] as boolean;
    if (Object.keys(flags).length) order.flags = flags;
  }
  if (isObj(raw.flagSources)) {
    const fs: NonNullable<Order['flagSources']> = {};
    for (const k of FLAG_KEYS) {
      const v = raw.flagSources[k];
      if ((FLAG_SOURCES as readonly unknown[]).includes(v)) fs[k] = v as (typeof FLAG_SOURCES)[number];
    }
    if (Object.keys(fs).length) order.flagSources = fs;
  }
  if (Array.isArray(raw.availableActions)) {
    order.availableActions = raw.availableActions
      .filter((a): a is string => typeof a === 'string' && a.length > 0 && a.length <= MAX_ACTION_LENGTH)
      .slice(0, MAX_ACTIONS);
  }
  if (Array.isArray(raw.items)) {
    const items: OrderItem[] = [];
    for (const it of raw.items.slice(0, MAX_ITEMS)) {
      const item = repairItem(it);
      if (item) items.push(item);
      else fixed.push('items');
    }
    if (items.length) order.items = items;
  }
  return { ok: true, order, fixed };
}

function repairItem(raw: unknown): OrderItem | undefined {
  if (!isObj(raw)) return undefined;
  const sku = repairText(raw.sku, MAX_SKU);
  if (!sku) return undefined;
  // Only numbers and numeric text count: coercing any other value can run its code or throw
  // (an object without a prototype has no toString).
  const q = typeof raw.quantity === 'number' ? raw.quantity : typeof raw.quantity === 'string' ? Number(raw.quantity) : NaN;
  const item: OrderItem = { sku, quantity: Number.isFinite(q) && q >= 0 ? q : 1 };
  const offerId = repairText(raw.offerId, MAX_OFFER_ID);
  if (offerId) item.offerId = offerId;
  const name = repairText(raw.name);
  if (name) item.name = name;
  if (typeof raw.price === 'number' && Number.isFinite(raw.price)) item.price = raw.price;
  const category = repairText(raw.category, MAX_CATEGORY);
  if (category) item.category = category;
  return item;
}
