/**
 * The orders an `orders:seen` message carries (background/messages.ts), as the content script
 * writes them and the background reads them: the orders, in which the texts that repeat from order
 * to order (product names, the carrier) are numbers into a table holding each of them once.
 *
 * Why: the browser copies the message across on the page's main thread, for the price of its
 * size. On a 5,000-row list that copy was the largest single item of the extension's time
 * (docs/performance.md), and a quarter of every order's text was a carrier or a product name that
 * the previous order had already carried. The orders go as objects (`orders` + `texts`), not as a
 * JSON text: measured in Chromium, a JSON text full of quotes costs the browser about as much to
 * copy as the objects it holds (every quote is escaped again), on top of the JSON.stringify that
 * made it — ≈ 25 % more in all for 5,000 orders.
 *
 * The table is untrusted on the way in like the orders: a reference that is not a number naming an
 * entry of the table, or an entry that is not a string, leaves the field out (the background's
 * order check then decides as for any missing field). Orders written without a table, and the
 * JSON-text form (`ordersJson` + `textsJson`, older senders, tests, tools), read as they are.
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

/**
 * The positional form, the content script's own: the field names once per message (`keys`,
 * `itemKeys`), each order a row of its values in that order (null where it has none), each item a
 * row of its own, and the repeated texts in `texts` as above. The browser's copy of a message costs
 * per value, and an order's field names were nearly half the values it carried: on a 1,000-row
 * list the send was the largest single item of the extension's time (docs/performance.md).
 */
export interface OrdersWireRows {
  keys: string[];
  rows: unknown[][];
  itemKeys: string[];
  texts: string[];
}

/** More field names than this in one message: refused (an order has about twenty). */
export const WIRE_KEYS_MAX = 64;

export function encodeOrderRows(orders: readonly Order[]): OrdersWireRows {
  const { list: texts, ref } = interner();
  const keys = interner();
  const itemKeys = interner();
  const put = (row: unknown[], i: number, v: unknown): void => {
    while (row.length < i) row.push(null);
    row[i] = v;
  };
  const itemRow = (it: Record<string, unknown>): unknown[] => {
    const row: unknown[] = [];
    for (const k of Object.keys(it)) {
      const v = it[k];
      if (v === undefined || v === null) continue;
      put(row, itemKeys.ref(k), k === 'name' && typeof v === 'string' ? ref(v) : v);
    }
    return row;
  };
  const rows: unknown[][] = [];
  for (const o of orders) {
    const row: unknown[] = [];
    const rec = o as unknown as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (v === undefined || v === null) continue;
      const i = keys.ref(k);
      if (k === 'carrier' && typeof v === 'string') put(row, i, ref(v));
      else if (k === 'items' && Array.isArray(v)) put(row, i, v.map((it) => (isObj(it) ? itemRow(it) : it)));
      else put(row, i, v);
    }
    rows.push(row);
  }
  return { keys: keys.list, rows, itemKeys: itemKeys.list, texts };
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

/** A field name a row may carry: letters only (never `__proto__`), and never an Object.prototype name. */
const WIRE_KEY = /^[A-Za-z]{1,40}$/;
const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function keyList(v: unknown, what: string): string[] | string {
  if (!Array.isArray(v)) return `${what} must be an array`;
  if (v.length > WIRE_KEYS_MAX) return `too many ${what} in one message`;
  for (const k of v) if (typeof k !== 'string' || !WIRE_KEY.test(k) || PROTO_NAMES.has(k)) return `${what} must be field names`;
  return v as string[];
}

/**
 * The orders of a positional wire (encodeOrderRows; as the message arrived: still unchecked
 * objects, the caller validates each), or a string saying why the message is refused. A row that
 * is not an array, or longer than `keys`, is a `null` order (refused by the caller's check like
 * any other bad order); an item row likewise becomes `null`.
 */
export function decodeOrderRows(keys: unknown, rows: unknown, itemKeys?: unknown, texts?: unknown): unknown[] | string {
  const k = keyList(keys, 'keys');
  if (typeof k === 'string') return k;
  const ik = itemKeys === undefined ? [] : keyList(itemKeys, 'itemKeys');
  if (typeof ik === 'string') return ik;
  if (!Array.isArray(rows)) return 'rows must be an array';
  const objectOf = (row: unknown, names: string[], items: boolean): Obj | null => {
    if (!Array.isArray(row) || row.length > names.length) return null;
    const o: Obj = {};
    for (let i = 0; i < row.length; i++) {
      const v: unknown = row[i];
      if (v === null || v === undefined) continue;
      const name = names[i]!;
      o[name] = items && name === 'items' && Array.isArray(v) ? v.map((it) => objectOf(it, ik, false)) : v;
    }
    return o;
  };
  const out = rows.map((r) => objectOf(r, k, true));
  return texts === undefined ? out : resolveTexts(out, texts);
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
