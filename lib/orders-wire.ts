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
import { isObj, own, type Obj, type Order, type OrderItem } from '../rules';

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

/**
 * The columns of the positional form, in row order: every field of an Order, the ones nearly every
 * order has first, so a row ends at its last field present and the rare fields cost nothing
 * (trailing empties are not written). Fixed, not gathered from each order's own keys: a row is
 * then a run of plain property reads, which a cold engine runs several times faster than the
 * per-order key walk and name lookups it replaced (1,000 orders encoded and stringified on a cold
 * start in Node: 13.7 → 3.3 ms; in the panel, the send of a new list's orders was ≈ 17 ms of the
 * extension's ≈ 100 ms at 1,000 rows: docs/performance.md "Thirteenth pass"). The decoder reads the
 * names from the message, so it needs no change and reads older senders alike.
 */
export const ORDER_WIRE_KEYS = [
  'postingNumber',
  'scheme',
  'status',
  'storeId',
  'paidAt',
  'shipBy',
  'carrier',
  'items',
  'currency',
  'availableActions',
  'trackingNumber',
  'trackingUploadedAt',
  'firstScanAt',
  'deliveredAt',
  'cancelledAt',
  'cancellation',
  'inCustoms',
  'confirmedAt',
  'lastTrackingAt',
  'cancelRequestedAt',
  'refundedWithoutReturnAt',
  'archived',
  'flags',
  'flagSources',
] as const satisfies readonly (keyof Order)[];

/** The columns of an item row, likewise. */
export const ITEM_WIRE_KEYS = ['sku', 'quantity', 'offerId', 'name', 'price', 'category', 'weightKg'] as const satisfies readonly (keyof OrderItem)[];

/** `true` only when `T` names every key of `K`; otherwise the keys it misses (a compile error where it is assigned `true`). */
type Covers<T extends readonly PropertyKey[], K> = [Exclude<K, T[number]>] extends [never] ? true : { missing: Exclude<K, T[number]> };
/** A field added to Order or OrderItem and not to the columns above fails to compile here: it would never reach the background. */
export const WIRE_KEYS_COVER: Covers<typeof ORDER_WIRE_KEYS, keyof Order> & Covers<typeof ITEM_WIRE_KEYS, keyof OrderItem> = true;

/** A row as written: trailing empties dropped, `undefined` as null (what a JSON copy would make of it anyway). */
function rowOf(values: unknown[]): unknown[] {
  let n = values.length;
  while (n > 0 && values[n - 1] == null) n--;
  values.length = n;
  for (let i = 0; i < n; i++) if (values[i] === undefined) values[i] = null;
  return values;
}

export function encodeOrderRows(orders: readonly Order[]): OrdersWireRows {
  const { list: texts, ref } = interner();
  const name = (v: unknown): unknown => (typeof v === 'string' ? ref(v) : v);
  const rows: unknown[][] = [];
  for (const o of orders) {
    let items: unknown[] | undefined;
    if (Array.isArray(o.items)) {
      items = [];
      for (const it of o.items as unknown[]) {
        if (!isObj(it)) {
          items.push(it);
          continue;
        }
        const t = it as unknown as OrderItem;
        // ITEM_WIRE_KEYS's order.
        items.push(rowOf([t.sku, t.quantity, t.offerId, name(t.name), t.price, t.category, t.weightKg]));
      }
    }
    // ORDER_WIRE_KEYS's order (test/lib/orders-wire.test.ts holds each value to its column).
    rows.push(
      rowOf([
        o.postingNumber,
        o.scheme,
        o.status,
        o.storeId,
        o.paidAt,
        o.shipBy,
        name(o.carrier),
        items,
        o.currency,
        o.availableActions,
        o.trackingNumber,
        o.trackingUploadedAt,
        o.firstScanAt,
        o.deliveredAt,
        o.cancelledAt,
        o.cancellation,
        o.inCustoms,
        o.confirmedAt,
        o.lastTrackingAt,
        o.cancelRequestedAt,
        o.refundedWithoutReturnAt,
        o.archived,
        o.flags,
        o.flagSources,
      ]),
    );
  }
  return { keys: [...ORDER_WIRE_KEYS], rows, itemKeys: [...ITEM_WIRE_KEYS], texts };
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
