/**
 * Shape checks for orders that cross a trust boundary: a content script's
 * message (its data came from a web page), a stored value written by an older
 * or newer version of the extension, or a backup file the seller picked.
 *
 * Nothing here throws: a bad field is dropped (an absent fact), a record that
 * cannot stand (no posting number, no scheme) is refused with a reason.
 */
import type { Cancellation, Initiator, Order, OrderFlags, OrderItem, Scheme, Status } from '../rules/types';
import { INITIATORS, ORDER_INSTANT_KEYS, STATUSES } from '../rules/types';

const FLAG_KEYS: readonly (keyof OrderFlags)[] = ['digital', 'electronics', 'preorder', 'autoConfirmShipment', 'delayApproved'];
const FLAG_SOURCES = ['page', 'sku_list', 'store_setting'] as const;
const TEXT_KEYS = ['trackingNumber', 'carrier', 'currency'] as const;

/** Long enough for any real value; a page can't make us store megabytes in one field. */
const MAX_TEXT = 500;
const MAX_ITEMS = 200;
const MAX_ACTIONS = 50;

/** Company ids are numeric; anything path-like or huge is refused so it can't name a storage key. */
export const STORE_ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export function isStoreId(x: unknown): x is string {
  return typeof x === 'string' && STORE_ID_RE.test(x);
}

/** An instant as a UTC ISO string (`…Z`), or undefined when it is not one. */
export function toIso(x: unknown): string | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? safeIso(x) : undefined;
  if (typeof x !== 'string' || x.length > 40 || x.length < 8) return undefined;
  // Date.parse accepts "1" or "March": only ISO-looking text counts as an instant.
  if (!/^\d{4}-\d{2}-\d{2}/.test(x)) return undefined;
  return safeIso(Date.parse(x));
}

function safeIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function text(x: unknown, max = MAX_TEXT): string | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  if (typeof x !== 'string') return undefined;
  const s = x.trim();
  return s ? s.slice(0, max) : undefined;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

export function normalizeScheme(x: unknown): Scheme | undefined {
  if (typeof x !== 'string') return undefined;
  const s = x.trim().toLowerCase();
  if (s === 'fbs') return 'FBS';
  if (s === 'fbo') return 'FBO';
  if (s === 'rfbs' || s === 'realfbs' || s === 'real fbs') return 'rFBS';
  return undefined;
}

export type SanitizeResult = { ok: true; order: Order; fixed: string[] } | { ok: false; reason: string };

/**
 * Keeps every well-formed field of `raw` and drops the rest; unknown keys
 * (a future version's extras) are dropped too, so stored records keep one shape.
 */
export function sanitizeOrder(raw: unknown): SanitizeResult {
  if (!isObj(raw)) return { ok: false, reason: 'not an object' };
  const postingNumber = text(raw.postingNumber, 64);
  if (!postingNumber) return { ok: false, reason: 'no posting number' };
  const scheme = normalizeScheme(raw.scheme);
  if (!scheme) return { ok: false, reason: raw.scheme === undefined ? 'no scheme' : `bad scheme ${JSON.stringify(raw.scheme)?.slice(0, 20)}` };
  const fixed: string[] = [];
  let status: Status = 'unknown';
  if (typeof raw.status === 'string' && (STATUSES as readonly string[]).includes(raw.status)) status = raw.status as Status;
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
  for (const k of TEXT_KEYS) {
    if (raw[k] === undefined || raw[k] === null) continue;
    const v = text(raw[k]);
    if (v) order[k] = v;
    else fixed.push(k);
  }
  if (typeof raw.inCustoms === 'boolean') order.inCustoms = raw.inCustoms;
  if (typeof raw.archived === 'boolean') order.archived = raw.archived;

  if (isObj(raw.cancellation)) {
    const c = raw.cancellation;
    const initiator = (INITIATORS as readonly string[]).includes(c.initiator as string) ? (c.initiator as Initiator) : 'unknown';
    const cancellation: Cancellation = { initiator };
    const code = text(c.reasonCode, 32);
    if (code) cancellation.reasonCode = code;
    const rt = text(c.reasonText);
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
      .filter((a): a is string => typeof a === 'string' && a.length > 0 && a.length <= 64)
      .slice(0, MAX_ACTIONS);
  }
  if (Array.isArray(raw.items)) {
    const items: OrderItem[] = [];
    for (const it of raw.items.slice(0, MAX_ITEMS)) {
      const item = sanitizeItem(it);
      if (item) items.push(item);
      else fixed.push('items');
    }
    if (items.length) order.items = items;
  }
  return { ok: true, order, fixed };
}

function sanitizeItem(raw: unknown): OrderItem | undefined {
  if (!isObj(raw)) return undefined;
  const sku = text(raw.sku, 64);
  if (!sku) return undefined;
  // Only numbers and numeric text count: coercing any other value can run its code or throw
  // (an object without a prototype has no toString).
  const q = typeof raw.quantity === 'number' ? raw.quantity : typeof raw.quantity === 'string' ? Number(raw.quantity) : NaN;
  const item: OrderItem = { sku, quantity: Number.isFinite(q) && q >= 0 ? q : 1 };
  const offerId = text(raw.offerId, 128);
  if (offerId) item.offerId = offerId;
  const name = text(raw.name, 300);
  if (name) item.name = name;
  if (typeof raw.price === 'number' && Number.isFinite(raw.price)) item.price = raw.price;
  const category = text(raw.category, 64);
  if (category) item.category = category;
  return item;
}
