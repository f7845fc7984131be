/**
 * The forms of the orders an `orders:seen` message may carry (background/messages.ts) besides plain
 * order objects, which is what the content script sends (components/overlay/sender.ts): the
 * orders with the texts that repeat from order to order (product names, the carrier) as numbers
 * into a table holding each once (`orders` + `texts`), and the same as JSON texts (`ordersJson` +
 * `textsJson`). The background reads all three; tools and tests write the table forms.
 *
 * Why the content script no longer writes them: measured in Chromium on the page's main thread,
 * the browser's copy of plain orders costs about what the compacter forms cost, and the encoding,
 * which runs cold on every list, was the larger part of the send (docs/performance.md,
 * "Fourteenth pass"). A JSON text is dearer still: the browser escapes every quote again.
 *
 * The table is untrusted on the way in like the orders: a reference that is not a number naming an
 * entry of the table, or an entry that is not a string, leaves the field out (the background's
 * order check then decides as for any missing field). Orders written without a table read as they are.
 */
import { isObj, own, type Obj, type Order } from '../rules';

export interface OrdersWire {
  /** The orders, `carrier` and `items[].name` as numbers into `texts`. */
  orders: unknown[];
  /** The texts, each once. */
  texts: string[];
}

/** The JSON-text form of the same wire. */
export interface OrdersWireJson {
  ordersJson: string;
  textsJson: string;
}

/** More texts than this in one message: refused (a message carries at most 5,000 orders). */
export const WIRE_TEXTS_MAX = 50_000;

/** A list of strings, each once, and a string's index in it (added when new): the texts table, the field names. */
function interner(): { list: string[]; ref(s: string): number } {
  const list: string[] = [];
  const index = new Map<string, number>();
  return {
    list,
    ref(s) {
      let i = index.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        index.set(s, i);
      }
      return i;
    },
  };
}

export function encodeOrders(orders: readonly Order[]): OrdersWire {
  const { list: texts, ref } = interner();
  const out: unknown[] = [];
  for (const o of orders) {
    if (o.carrier === undefined && !o.items?.length) {
      out.push(o);
      continue;
    }
    const c: Record<string, unknown> = { ...o };
    if (typeof o.carrier === 'string') c.carrier = ref(o.carrier);
    if (o.items?.length) c.items = o.items.map((it) => (typeof it.name === 'string' ? { ...it, name: ref(it.name) } : it));
    out.push(c);
  }
  return { orders: out, texts };
}

/** encodeOrders as JSON texts (the older form of the message; tools and tests). */
export function encodeOrdersJson(orders: readonly Order[]): OrdersWireJson {
  const w = encodeOrders(orders);
  return { ordersJson: JSON.stringify(w.orders), textsJson: JSON.stringify(w.texts) };
}

/** JSON.parse that says "not JSON" instead of throwing. */
const NOT_JSON: unique symbol = Symbol('not JSON');
function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The orders of a JSON-text wire (still unchecked objects: the caller validates each), or a string
 * saying why the message is refused. `textsJson` absent: the orders carry their texts themselves.
 */
export function decodeOrders(ordersJson: string, textsJson?: unknown): unknown[] | string {
  const parsed = parseText(ordersJson);
  if (parsed === NOT_JSON) return 'ordersJson is not JSON';
  if (!Array.isArray(parsed)) return 'orders must be an array';
  if (textsJson === undefined) return parsed;
  if (typeof textsJson !== 'string') return 'textsJson must be a JSON text';
  const texts = parseText(textsJson);
  if (texts === NOT_JSON) return 'textsJson is not JSON';
  return resolveTexts(parsed, texts);
}

/**
 * The orders of an object wire (`orders` + `texts`, as the message arrived: the background's own
 * copies, resolved in place), or a string saying why the message is refused. `texts` absent: the
 * orders carry their texts themselves.
 */
export function decodeOrderObjects(orders: unknown, texts?: unknown): unknown[] | string {
  if (!Array.isArray(orders)) return 'orders must be an array';
  if (texts === undefined) return orders;
  return resolveTexts(orders, texts);
}

function resolveTexts(orders: unknown[], texts: unknown): unknown[] | string {
  if (!Array.isArray(texts)) return 'texts must be an array';
  if (texts.length > WIRE_TEXTS_MAX) return 'too many texts in one message';
  /** `o[key]` given as a reference: the text it names, or the field left out. */
  const resolve = (o: Obj, key: string): void => {
    if (!Object.prototype.hasOwnProperty.call(o, key)) return;
    const v = o[key];
    if (typeof v === 'string') return;
    const s: unknown = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < texts.length ? texts[v] : undefined;
    if (typeof s === 'string') o[key] = s;
    else delete o[key];
  };
  for (const o of orders) {
    if (!isObj(o)) continue;
    resolve(o, 'carrier');
    const items = own(o, 'items');
    if (Array.isArray(items)) for (const it of items) if (isObj(it)) resolve(it, 'name');
  }
  return orders;
}
