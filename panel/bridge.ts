/**
 * The MAIN-world → isolated-world bridge. The interceptor (MAIN world, the
 * page's own realm, panel/interceptor.ts) hands the panel's own `/api/`
 * response BODY TEXT over as a DOM string, or posts it with `window.postMessage`
 * when nobody takes it (panel/bridge-message.ts bodyPoster); the isolated
 * content script reads both as the same message, checks it, parses it once
 * and walks it (components/overlay/json-feed.ts).
 *
 * Why text, not orders (docs/performance.md, "The panel's JSON"): a string
 * crosses the worlds as one copy of its bytes, while an array of ~1,000 order
 * objects cost a structured clone per object on both sides, and the MAIN
 * world had to carry the whole walker. The body is parsed exactly once either
 * way; now it is parsed where the orders are used.
 *
 * Why no secret nonce: the MAIN-world script runs in the page's realm, so any
 * secret it holds the page can read too. Instead the isolated side treats
 * every message as forged: a string of bounded length from this very window,
 * then JSON.parse in a try/catch, then the same walk and strict order schema
 * (rules/order-schema.ts) as the panel's real answers. What a forged body can
 * do is bounded by design: it can only claim facts about posting numbers the
 * DOM already shows (rows come from the DOM, never from messages), and the
 * content is data — never HTML, never a selector, never code.
 *
 * Both halves ship together in one build: there is one message version. The
 * MAIN half (panel/bridge-message.ts: the message, `bodyPoster`) imports
 * nothing, so the interceptor bundle stays small; it is re-exported here.
 */
import { MAX_ACTIONS, MAX_ITEMS, MAX_TEXT, strictOrder } from '../rules';
import type { Order } from '../rules';
import { BRIDGE_NS, BRIDGE_TEXT_MAX, BRIDGE_VERSION, fromThisWindow } from './bridge-message';

export { BRIDGE_NS, BRIDGE_VERSION, BRIDGE_TEXT_MAX, bodyPoster, fromThisWindow, type BridgeMessage } from './bridge-message';

/**
 * A message's own limits (`textLength`: panel/bridge-message.ts BRIDGE_TEXT_MAX); an order's are
 * the order schema's (rules/order-schema.ts, its table of limits).
 */
export const BRIDGE_LIMITS = {
  textLength: BRIDGE_TEXT_MAX,
  pathLength: 300,
  itemsPerOrder: MAX_ITEMS,
  actionsPerOrder: MAX_ACTIONS,
  stringLength: MAX_TEXT,
} as const;

/** A checked message: a same-origin API path and a body of bounded length (not parsed yet). */
export interface BridgeBody {
  path: string;
  text: string;
}

const PATH = /^\/api\/[\w\-./~%]*$/;

/**
 * One order, strictly (rules/order-schema.ts, mode `strict`): the required fields must be right
 * or the order is dropped; an optional field that is wrong is dropped alone. Unknown keys never
 * pass. Flags are not accepted from the page: they come from the seller's own settings (flags.ts).
 */
export const validateOrder: (v: unknown) => Order | undefined = strictOrder;

/**
 * The isolated side's check of a `message` event's data; null for anything not ours or malformed.
 * Types and the length cap are checked before anything reads the text. Never throws.
 */
export function validateBridgeMessage(data: unknown): BridgeBody | null {
  try {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
    const d = data as Record<string, unknown>;
    if (!own(d, 'ns', BRIDGE_NS) || !own(d, 'v', BRIDGE_VERSION) || !own(d, 'kind', 'body')) return null;
    const path = Object.prototype.hasOwnProperty.call(d, 'path') ? d.path : undefined;
    const text = Object.prototype.hasOwnProperty.call(d, 'text') ? d.text : undefined;
    if (typeof path !== 'string' || path.length > BRIDGE_LIMITS.pathLength || !PATH.test(path)) return null;
    if (typeof text !== 'string' || text.length === 0 || text.length > BRIDGE_LIMITS.textLength) return null;
    return { path, text };
  } catch {
    return null;
  }
}

function own(d: Record<string, unknown>, k: string, want: unknown): boolean {
  return Object.prototype.hasOwnProperty.call(d, k) && d[k] === want;
}

/** The checked body a window message carries, or null. Never throws into the page. */
export function bridgeBodyOf(e: MessageEvent, win: Window): BridgeBody | null {
  try {
    if (!fromThisWindow(e, win)) return null;
    return validateBridgeMessage(e.data);
  } catch {
    return null;
  }
}

/**
 * Parsed bodies by the event that carried them. Two listeners read the same
 * message (the order feed, components/overlay/json-feed.ts, and the page
 * report's key log, components/overlay/report-keys.ts): whichever asks first
 * parses, the other gets the same value, so a body is parsed once. Weak: an
 * entry goes with its event.
 */
const parsedByEvent = new WeakMap<object, { value: unknown }>();

/**
 * Bodies the order feed sends to its worker (components/overlay/json-offload.ts): never parsed on
 * the page's thread, so the page report's key log takes their key structure from the worker
 * instead of parsing them itself (components/overlay/report-keys.ts). Weak, like the parse above.
 */
const claimedEvents = new WeakSet<object>();

/** The order feed takes `e`'s body off the page's thread, key structure included. */
export function claimBody(e: MessageEvent): void {
  try {
    claimedEvents.add(e);
  } catch {
    /* not an object: the key log parses it as before */
  }
}

/** Whether the order feed took `e`'s body off the page's thread (claimBody). */
export function bodyClaimed(e: MessageEvent): boolean {
  return claimedEvents.has(e);
}

/** The body of `e` parsed (once per event); undefined when it is not JSON. Never throws. */
export function parseBridgeBody(e: MessageEvent, body: BridgeBody): unknown {
  const hit = parsedByEvent.get(e);
  if (hit) return hit.value;
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch {
    value = undefined;
  }
  try {
    parsedByEvent.set(e, { value });
  } catch {
    /* not an object to key by: parsed again if asked again */
  }
  return value;
}
