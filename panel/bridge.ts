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
import { isObj, own } from '../rules';
import { MAX_ACTIONS, MAX_ITEMS, MAX_TEXT, strictOrder, strictText } from '../rules';
import type { Order } from '../rules';
import type { BridgeBatch } from './types';

/** The message's namespace: `data.ns`. */
export const BRIDGE_NS = 'ozon-order-guard';
export const BRIDGE_VERSION = 1;
/** A message's own limits; an order's are the order schema's (rules/order-schema.ts, its table of limits). */
export const BRIDGE_LIMITS = {
  ordersPerMessage: 5000,
  itemsPerOrder: MAX_ITEMS,
  actionsPerOrder: MAX_ACTIONS,
  stringLength: MAX_TEXT,
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

/**
 * One order, strictly (rules/order-schema.ts, mode `strict`): the required fields must be right
 * or the order is dropped; an optional field that is wrong is dropped alone. Unknown keys never
 * pass. Flags are not accepted from the page: they come from the seller's own settings (flags.ts).
 */
export const validateOrder: (v: unknown) => Order | undefined = strictOrder;

/** The isolated side's check of a `message` event's data; null for anything not ours or malformed. Never throws. */
export function validateBridgeMessage(data: unknown): BridgeBatch | null {
  try {
    if (!isObj(data)) return null;
    if (own(data, 'ns') !== BRIDGE_NS || own(data, 'v') !== BRIDGE_VERSION || own(data, 'kind') !== 'orders') return null;
    const orders = own(data, 'orders');
    if (!Array.isArray(orders)) return null;
    const source = strictText(own(data, 'source'), BRIDGE_LIMITS.sourceLength) ?? '';
    const out: Order[] = [];
    const n = Math.min(orders.length, BRIDGE_LIMITS.ordersPerMessage);
    for (let i = 0; i < n; i++) {
      const o = strictOrder(orders[i]);
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
