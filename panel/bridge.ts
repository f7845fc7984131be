/**
 * The MAIN-world → isolated-world bridge. The interceptor (MAIN world, the
 * page's own realm) posts plain data with `window.postMessage`; the isolated
 * content script listens and re-validates every field.
 *
 * Why no secret nonce: the MAIN-world script runs in the page's realm, so any
 * secret it holds the page can read too. Instead the isolated side treats
 * every message as forged until proven well-formed, and what a forged message
 * can do is bounded by design: it can only claim facts about posting numbers
 * the DOM already shows (rows come from the DOM, never from messages), every
 * value is checked against a strict schema and capped, and the content is
 * data — never HTML, never a selector, never code.
 */
import { INITIATORS, ORDER_INSTANT_KEYS, SCHEMES, STATUSES, type Cancellation, type Initiator, type Order, type OrderItem, type Scheme, type Status } from '../rules/types';
import { parseIsoMs, isoUtc } from '../rules/time';
import { POSTING_NUMBER_EXACT } from './page';
import type { BridgeBatch } from './types';

/** The message's namespace: `data.ns`. */
export const BRIDGE_NS = 'ozon-order-guard';
export const BRIDGE_VERSION = 1;
export const BRIDGE_LIMITS = {
  ordersPerMessage: 5000,
  itemsPerOrder: 200,
  actionsPerOrder: 64,
  stringLength: 500,
  sourceLength: 300,
} as const;

/** What travels through `postMessage`. */
export interface BridgeMessage {
  ns: typeof BRIDGE_NS;
  v: typeof BRIDGE_VERSION;
  kind: 'orders';
  source: string;
  orders: Order[];
}

const STATUS_SET = new Set<string>(STATUSES);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(o: Obj, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function str(v: unknown, max: number = BRIDGE_LIMITS.stringLength): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s && s.length <= max ? s : undefined;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: what the MAIN side sends (isoUtc), and what isoUtc of its strict parse gives back. */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function instant(v: unknown): string | undefined {
  const s = str(v, 40);
  if (!s) return undefined;
  // Already canonical: the strict parse is the whole check (re-serialising it, thousands per list, gave the same text).
  if (s.length === 24 && CANONICAL_ISO.test(s)) return Number.isFinite(parseIsoMs(s)) ? s : undefined;
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  const ms = parseIsoMs(s);
  return Number.isFinite(ms) ? isoUtc(ms) : undefined;
}

function safeNumber(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
}

function validItem(v: unknown): OrderItem | undefined {
  if (!isObj(v)) return undefined;
  const sku = str(get(v, 'sku'), 200);
  const quantity = safeNumber(get(v, 'quantity'), 0, 1e6);
  if (!sku || quantity === undefined || !Number.isInteger(quantity)) return undefined;
  const item: OrderItem = { sku, quantity };
  const offerId = str(get(v, 'offerId'), 200);
  if (offerId) item.offerId = offerId;
  const name = str(get(v, 'name'));
  if (name) item.name = name;
  const price = safeNumber(get(v, 'price'), 0, 1e12);
  if (price !== undefined) item.price = price;
  const category = str(get(v, 'category'), 200);
  if (category) item.category = category;
  return item;
}

function validCancellation(v: unknown): Cancellation | undefined {
  if (!isObj(v)) return undefined;
  const initiator = get(v, 'initiator');
  if (typeof initiator !== 'string' || !(INITIATORS as readonly string[]).includes(initiator)) return undefined;
  const c: Cancellation = { initiator: initiator as Initiator };
  const code = str(get(v, 'reasonCode'), 32);
  if (code && /^[\w.-]+$/.test(code)) c.reasonCode = code;
  const text = str(get(v, 'reasonText'));
  if (text) c.reasonText = text;
  const a = get(v, 'affectsRating');
  if (typeof a === 'boolean') c.affectsRating = a;
  return c;
}

/**
 * One order, strictly: the required fields must be right or the order is
 * dropped; an optional field that is wrong is dropped alone. Unknown keys
 * never pass. Flags are not accepted from the page: they come from the
 * seller's own settings (flags.ts).
 */
export function validateOrder(v: unknown): Order | undefined {
  if (!isObj(v)) return undefined;
  const postingNumber = get(v, 'postingNumber');
  const scheme = get(v, 'scheme');
  const status = get(v, 'status');
  if (typeof postingNumber !== 'string' || !POSTING_NUMBER_EXACT.test(postingNumber)) return undefined;
  if (typeof scheme !== 'string' || !(SCHEMES as readonly string[]).includes(scheme)) return undefined;
  if (typeof status !== 'string' || !STATUS_SET.has(status)) return undefined;
  const o: Order = { postingNumber, scheme: scheme as Scheme, status: status as Status };
  const storeId = str(get(v, 'storeId'), 20);
  if (storeId && /^\d+$/.test(storeId)) o.storeId = storeId;
  for (const k of ORDER_INSTANT_KEYS) {
    const t = instant(get(v, k));
    if (t) o[k] = t;
  }
  const tn = str(get(v, 'trackingNumber'), 100);
  if (tn && /^[\w./ -]+$/.test(tn)) o.trackingNumber = tn;
  const carrier = str(get(v, 'carrier'), 200);
  if (carrier) o.carrier = carrier;
  const customs = get(v, 'inCustoms');
  if (typeof customs === 'boolean') o.inCustoms = customs;
  const c = validCancellation(get(v, 'cancellation'));
  if (c) o.cancellation = c;
  const actions = get(v, 'availableActions');
  if (Array.isArray(actions) && actions.length <= BRIDGE_LIMITS.actionsPerOrder) {
    const list = actions.filter((a): a is string => typeof a === 'string' && a.length <= 64 && /^[\w.-]+$/.test(a));
    if (list.length === actions.length) o.availableActions = [...new Set(list)];
  }
  const items = get(v, 'items');
  if (Array.isArray(items) && items.length <= BRIDGE_LIMITS.itemsPerOrder) {
    const list: OrderItem[] = [];
    for (const it of items) {
      const ok = validItem(it);
      if (ok) list.push(ok);
    }
    if (list.length) o.items = list;
  }
  const currency = str(get(v, 'currency'), 3);
  if (currency && /^[A-Z]{3}$/.test(currency)) o.currency = currency;
  return o;
}

/** The isolated side's check of a `message` event's data; null for anything not ours or malformed. Never throws. */
export function validateBridgeMessage(data: unknown): BridgeBatch | null {
  try {
    if (!isObj(data)) return null;
    if (get(data, 'ns') !== BRIDGE_NS || get(data, 'v') !== BRIDGE_VERSION || get(data, 'kind') !== 'orders') return null;
    const orders = get(data, 'orders');
    if (!Array.isArray(orders)) return null;
    const source = str(get(data, 'source'), BRIDGE_LIMITS.sourceLength) ?? '';
    const out: Order[] = [];
    const n = Math.min(orders.length, BRIDGE_LIMITS.ordersPerMessage);
    for (let i = 0; i < n; i++) {
      const o = validateOrder(orders[i]);
      if (o) out.push(o);
    }
    return { orders: out, source: /^\/[\w\-./~%]*$/.test(source) ? source : '' };
  } catch {
    return null;
  }
}

/** The MAIN side: a batch → messages (chunked to the per-message cap). */
export function toBridgeMessages(batch: BridgeBatch): BridgeMessage[] {
  const out: BridgeMessage[] = [];
  for (let i = 0; i < batch.orders.length; i += BRIDGE_LIMITS.ordersPerMessage) {
    out.push({
      ns: BRIDGE_NS,
      v: BRIDGE_VERSION,
      kind: 'orders',
      source: batch.source.slice(0, BRIDGE_LIMITS.sourceLength),
      orders: batch.orders.slice(i, i + BRIDGE_LIMITS.ordersPerMessage),
    });
  }
  return out;
}

/**
 * The MAIN side's poster: `installInterceptor(window, bridgePoster(window))`.
 * Targeted at the page's own origin so nothing leaves the tab.
 */
export function bridgePoster(win: Window): (batch: BridgeBatch) => void {
  return (batch) => {
    for (const m of toBridgeMessages(batch)) {
      try {
        win.postMessage(m, win.location.origin);
      } catch {
        /* a detached window: nothing to tell */
      }
    }
  };
}

/**
 * The isolated side's filter for window messages: only this very window (not a
 * frame) and its own origin. A null source is how synthetic events (and some
 * engines) report the window itself. The data is validated separately, as untrusted.
 */
export function fromThisWindow(e: MessageEvent, win: Window): boolean {
  if (e.source !== null && e.source !== win) return false;
  return !e.origin || !win.location || e.origin === win.location.origin;
}

/** The validated, non-empty batch a window message carries, or null. Never throws into the page. */
export function bridgeBatchOf(e: MessageEvent, win: Window): BridgeBatch | null {
  try {
    if (!fromThisWindow(e, win)) return null;
    const batch = validateBridgeMessage(e.data);
    return batch && batch.orders.length ? batch : null;
  } catch {
    return null;
  }
}
