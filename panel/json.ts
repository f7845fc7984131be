/**
 * Orders from the panel's own JSON (the responses the MAIN-world interceptor
 * observes and posts as text, parsed and walked in the isolated world:
 * components/overlay/json-feed.ts). The body's wrapping is unknown and
 * changes between API versions (v3 `{result:{postings}}`, v4 `{postings, cursor}`, FBO `{result:[…]}`,
 * docs/ozon-domain.md §1.2 / §2.3), so the walker looks for ANY object with a
 * string `posting_number` and maps the public Seller API field names.
 *
 * The body is page data: every field is type-checked on its own and a wrong
 * type drops that field, never the whole order and never a throw. The walk is
 * iterative (a 10,000-deep body cannot overflow the stack), capped in depth
 * and nodes, cycle-safe, skips prototype-polluting keys and never mutates.
 */
import { postingStatus } from '../rules';
import { isoUtc, parseIsoMs } from '../rules';
import { postingCancellation, type ApiCancellation } from '../rules';
import type { Cancellation, Order, OrderItem, Scheme, Status } from '../rules';
import { POSTING_NUMBER_EXACT } from '../rules';
import { isObj, own, type Obj } from '../rules';
// The order schema's limits and text check (rules/order-schema.ts): what this reader yields passes the page check.
import { MAX_ACTIONS, MAX_ITEMS, MAX_PRICE, isPageStoreId, parseScheme, strictText as str } from '../rules';

export interface JsonOptions {
  scheme: Scheme;
  storeId?: string;
  /** Depth cap of the walk (default 12: postings sit 2–4 levels deep). */
  maxDepth?: number;
  /** Node cap of the walk (default 200,000). */
  maxNodes?: number;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);


/** An id that may come as a number or a string: a non-empty digit/word token. */
function idText(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? String(v) : undefined;
  const s = str(v, 64);
  return s && /^[\w.-]+$/.test(s) && s !== '0' ? s : undefined;
}

/** The years an order's instant can fall in (2000–2200), as epoch ms bounds. */
const YEAR_2000_MS = Date.UTC(2000, 0, 1);
const YEAR_2201_MS = Date.UTC(2201, 0, 1);

/**
 * An absolute instant → UTC ISO. The API's instants carry a zone (`Z` or an
 * offset); zone-less text is not an instant and is refused (T3: only the
 * page's text is read in a zone, never the JSON). Go's zero time
 * (`0001-01-01T00:00:00Z`), which the API uses for "not set", is dropped.
 */
export function isoInstant(v: unknown): string | undefined {
  const s = str(v, 40);
  if (!s) return undefined;
  const n = s.length;
  if ((n === 20 || (n === 24 && s.charCodeAt(19) === 46)) && s.charCodeAt(10) === 84 && s.charCodeAt(16) === 58 && s.charCodeAt(n - 1) === 90) {
    // The API's own form (`…T10:00:00Z`, `…T10:00:00.103Z`: ../shared/real-samples): the strict parse
    // is the whole check and the text is already what isoUtc would write back. Three per posting of
    // every list body, where the general route's regex, copy and re-serialisation cost ≈ 5 µs each.
    const t = parseIsoMs(s);
    if (!Number.isFinite(t) || t < YEAR_2000_MS || t >= YEAR_2201_MS) return undefined;
    return n === 24 ? s : s.slice(0, 19) + '.000Z';
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  // Strict: no rollover (Feb 31 is refused, not March 3rd).
  const t = parseIsoMs(s.replace(' ', 'T'));
  if (!Number.isFinite(t)) return undefined;
  if (t < YEAR_2000_MS || t >= YEAR_2201_MS) return undefined;
  return isoUtc(t);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const s = v.trim().replace(/\s/g, '').replace(',', '.');
    if (!/^-?\d+(?:\.\d+)?$/.test(s) || s.length > 24) return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function currencyCode(v: unknown): string | undefined {
  const s = str(v, 8);
  return s && /^[A-Za-z]{3}$/.test(s) ? s.toUpperCase() : undefined;
}

function schemeOf(p: Obj, fallback: Scheme): Scheme {
  const ds = parseScheme(str(own(p, 'delivery_schema'), 32));
  if (ds) return ds;
  // v3 tpl_integration_type: `non_integrated` is the seller's own delivery, i.e. realFBS.
  if (fallback !== 'FBO' && str(own(p, 'tpl_integration_type'), 32) === 'non_integrated') return 'rFBS';
  return fallback;
}

function statusOf(p: Obj): Status {
  // L3 with the substatus as the status's detail (rules/status.ts postingStatus).
  return postingStatus(str(own(p, 'status'), 100), str(own(p, 'substatus'), 100), str(own(p, 'status_alias'), 100));
}

function priceOf(v: unknown): { price?: number; currency?: string } {
  if (isObj(v)) {
    const out: { price?: number; currency?: string } = {};
    const n = num(own(v, 'amount')) ?? num(own(v, 'value')) ?? num(own(v, 'price'));
    if (n !== undefined && n >= 0 && n <= MAX_PRICE) out.price = n;
    const c = currencyCode(own(v, 'currency')) ?? currencyCode(own(v, 'currency_code'));
    if (c) out.currency = c;
    return out;
  }
  const n = num(v);
  return n !== undefined && n >= 0 && n <= MAX_PRICE ? { price: n } : {};
}

function itemsOf(p: Obj): { items?: OrderItem[]; currency?: string } {
  const list = own(p, 'products') ?? own(p, 'items');
  if (!Array.isArray(list)) return {};
  const items: OrderItem[] = [];
  let currency: string | undefined;
  for (let i = 0; i < list.length && items.length < MAX_ITEMS; i++) {
    const it = list[i];
    if (!isObj(it)) continue;
    const sku = idText(own(it, 'sku'));
    const offerId = str(own(it, 'offer_id'), 200) ?? str(own(it, 'product_offer_id'), 200);
    if (!sku && !offerId) continue;
    const q = num(own(it, 'quantity'));
    const item: OrderItem = {
      // The contract needs a sku; an item known only by its offer id is keyed by that.
      sku: sku ?? offerId!,
      quantity: q !== undefined && Number.isInteger(q) && q >= 0 && q <= 1e6 ? q : 1,
    };
    if (offerId) item.offerId = offerId;
    const name = str(own(it, 'name')) ?? str(own(it, 'product_name'));
    if (name) item.name = name;
    const pr = priceOf(own(it, 'price'));
    if (pr.price !== undefined) item.price = pr.price;
    currency ??= pr.currency ?? currencyCode(own(it, 'currency_code'));
    items.push(item);
  }
  const out: { items?: OrderItem[]; currency?: string } = {};
  if (items.length) out.items = items;
  if (currency) out.currency = currency;
  return out;
}

function cancellationOf(p: Obj, status: Status): Cancellation | undefined {
  const c = own(p, 'cancellation');
  const api: ApiCancellation = {};
  if (isObj(c)) {
    const id = idText(own(c, 'cancel_reason_id'));
    if (id) api.cancel_reason_id = id;
    const text = str(own(c, 'cancel_reason'));
    if (text) api.cancel_reason = text;
    const type = str(own(c, 'cancellation_type'), 64);
    if (type) api.cancellation_type = type;
    const who = str(own(c, 'cancellation_initiator'), 100);
    if (who) api.cancellation_initiator = who;
    const a = own(c, 'affect_cancellation_rating');
    if (typeof a === 'boolean') api.affect_cancellation_rating = a;
  }
  // FBO postings carry only a top-level cancel_reason_id (docs/ozon-domain.md §1.3).
  api.cancel_reason_id ??= idText(own(p, 'cancel_reason_id'));
  api.cancel_reason ??= str(own(p, 'cancel_reason'));
  // A live posting's empty record ({cancel_reason_id: 0, …}) and a delivered
  // FBO posting's leftover cancel_reason_id yield undefined (rules/reasons.ts).
  return postingCancellation(status, api);
}

function actionsOf(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < v.length && out.length < MAX_ACTIONS; i++) {
    const a = str(v[i], 64);
    if (a && /^[\w.-]+$/.test(a) && !out.includes(a)) out.push(a);
  }
  // An empty list is the panel's own answer too ("nothing allowed"): keep it.
  return out;
}

const TRACKING_UPLOADED_KEYS = [
  'tracking_number_uploaded_at',
  'tracking_number_set_at',
  'tracking_number_updated_at',
  'tracking_number_added_at',
];

/** Maps one posting-like object; undefined when it carries no fact beyond its number. */
export function orderFromPosting(p: Obj, opts: JsonOptions): Order | undefined {
  const postingNumber = str(own(p, 'posting_number'), 32);
  if (!postingNumber || !POSTING_NUMBER_EXACT.test(postingNumber)) return undefined;
  // A conditional-cancellation record (a buyer's request, with its own id and
  // approval state, which may yet be rejected) names a posting but states
  // nothing about it: its `cancelled_at` is when the request was made.
  if (own(p, 'cancellation_id') !== undefined && own(p, 'status') === undefined) return undefined;
  const status = statusOf(p);
  const order: Order = { postingNumber, scheme: schemeOf(p, opts.scheme), status };
  let facts = status !== 'unknown' ? 1 : 0;
  const set = <K extends keyof Order>(k: K, v: Order[K] | undefined) => {
    if (v === undefined) return;
    order[k] = v;
    facts++;
  };
  if (opts.storeId) order.storeId = opts.storeId;
  set('paidAt', isoInstant(own(p, 'in_process_at')));
  set('shipBy', isoInstant(own(p, 'shipment_date')));
  const tn = str(own(p, 'tracking_number'), 100);
  set('trackingNumber', tn && /^[\w./ -]+$/.test(tn) ? tn : undefined);
  for (const k of TRACKING_UPLOADED_KEYS) {
    const v = isoInstant(own(p, k));
    if (v) {
      set('trackingUploadedAt', v);
      break;
    }
  }
  // "Дата передачи отправления в доставку": the carrier has it, i.e. the first scan (D3/D4).
  set('firstScanAt', isoInstant(own(p, 'delivering_date')));
  set('deliveredAt', isoInstant(own(p, 'fact_delivery_date')));
  const c = own(p, 'cancellation');
  set('cancelledAt', isoInstant(own(p, 'cancelled_at')) ?? (isObj(c) ? isoInstant(own(c, 'cancelled_at')) : undefined));
  set('availableActions', actionsOf(own(p, 'available_actions')));
  const dm = own(p, 'delivery_method');
  if (isObj(dm)) set('carrier', str(own(dm, 'tpl_provider'), 200) ?? str(own(dm, 'name'), 200));
  set('carrier', order.carrier ? undefined : str(own(p, 'tpl_provider'), 200));
  const customs = own(p, 'in_customs') ?? own(p, 'is_in_customs');
  if (typeof customs === 'boolean') set('inCustoms', customs);
  else if (/customs/i.test(str(own(p, 'substatus'), 100) ?? '')) set('inCustoms', true);
  const { items, currency } = itemsOf(p);
  set('items', items);
  set('currency', currency);
  set('cancellation', cancellationOf(p, status));
  return facts > 0 ? order : undefined;
}

/** Fills `a`'s gaps from `b` (same posting seen twice in one body); whether anything was filled. */
function fillGaps(a: Order, b: Order): boolean {
  let changed = false;
  for (const k of Object.keys(b) as (keyof Order)[]) {
    if (a[k] === undefined || (k === 'status' && a.status === 'unknown' && b.status !== 'unknown')) {
      if (a[k] === b[k]) continue;
      (a as unknown as Record<string, unknown>)[k] = b[k];
      changed = true;
    }
  }
  return changed;
}

/** A walk over one body that can stop and resume (see jsonWalk). */
export interface JsonWalk {
  /**
   * Walks on until the body is done (true) or `shouldYield()` says stop
   * (false; asked every few hundred nodes). Never throws.
   */
  run(shouldYield?: () => boolean): boolean;
  /**
   * The orders that are new, or that a later duplicate filled in, since the
   * last take. An order once taken is never mutated again: a duplicate that
   * fills it in is a new object, taken again (the isolated side's merge of
   * the two equals the one filled order).
   */
  take(): Order[];
  /** Every order so far, one per posting number, in document order. */
  all(): Order[];
}

/** How many nodes the walk visits between two `shouldYield` questions. */
const YIELD_EVERY = 256;
/** A posting mapped counts as this many nodes of that budget: it costs about as much as that many visits. */
const POSTING_WEIGHT = 8;

/**
 * A posting's own fields whose values the Seller API documents with no
 * posting inside (products, money, addresses, its delivery method …: every
 * object-valued field of every posting in the Seller API bodies of
 * ../shared/real-samples/api, read by test/panel/real-json.test.ts).
 * The walk does not descend into them below a posting: they were ≈ 9 of the
 * ≈ 10 nodes per posting of a list body, visited on the page's main thread
 * for nothing (docs/performance.md). Any other field of a posting, and every
 * field whose name speaks of postings, is still walked, so a posting nested
 * where no one expects it is still found.
 */
const POSTING_LEAVES = new Set([
  'products',
  'financial_data',
  'analytics_data',
  'delivery_method',
  'cancellation',
  'cancellation_reason',
  'customer',
  'addressee',
  'barcodes',
  'requirements',
  'legal_info',
  'optional',
  'tariffication',
  'tariffication_steps',
  'additional_data',
  'available_actions',
  'prr_option',
  'reasons',
  'container',
  'state',
  'external_order',
]);

/**
 * The walk behind ordersFromJson, resumable: the isolated content script runs
 * it in slices of a few milliseconds (components/overlay/json-feed.ts) so a
 * 5,000-posting body is not one long task on the page's main thread (no
 * extension task over 50 ms: docs/performance.md). Same order, limits and
 * guarantees as one uninterrupted walk.
 */
export function jsonWalk(body: unknown, opts: JsonOptions): JsonWalk {
  // The store stamped on every order passes the order schema's own test (rules/order-schema.ts
  // strictOrder): the walk's orders are delivered without a second check (json-feed.ts).
  if (opts.storeId !== undefined && !isPageStoreId(opts.storeId)) {
    const { storeId: _bad, ...rest } = opts;
    opts = rest;
  }
  const maxDepth = opts.maxDepth ?? 12;
  const maxNodes = opts.maxNodes ?? 200_000;
  const out = new Map<string, Order>();
  /** Orders not taken yet (mutable until taken). */
  const fresh = new Set<Order>();
  const seen = new Set<object>();
  // Two parallel stacks and no per-node arrays: this walk visits every node of
  // a 5,000-posting body (~200,000) in the page's main thread, and the tuple
  // and children array per node were most of its cost.
  const vals: unknown[] = [body];
  const depths: number[] = [0];
  let nodes = 0;
  let done = false;
  const run = (shouldYield?: () => boolean): boolean => {
    if (done) return true;
    let budget = YIELD_EVERY;
    try {
      while (vals.length) {
        if (shouldYield && --budget <= 0) {
          budget = YIELD_EVERY;
          if (shouldYield()) return false;
        }
        const v = vals.pop();
        const depth = depths.pop()!;
        if (typeof v !== 'object' || v === null) continue;
        if (seen.has(v)) continue;
        seen.add(v);
        if (++nodes > maxNodes) break;
        const deeper = depth + 1 <= maxDepth;
        // Children are pushed last-first so the walk keeps document order (the stack pops the last first).
        if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) {
            const c: unknown = v[i];
            if (deeper && typeof c === 'object' && c !== null) {
              vals.push(c);
              depths.push(depth + 1);
            }
          }
        } else {
          const o = v as Obj;
          const posting = typeof own(o, 'posting_number') === 'string';
          if (posting) {
            budget -= POSTING_WEIGHT;
            const order = orderFromPosting(o, opts);
            if (order) {
              const prev = out.get(order.postingNumber);
              if (!prev) {
                out.set(order.postingNumber, order);
                fresh.add(order);
              } else if (fresh.has(prev)) {
                fillGaps(prev, order);
              } else {
                const next = { ...prev };
                if (fillGaps(next, order)) {
                  out.set(order.postingNumber, next);
                  fresh.add(next);
                }
              }
            }
          }
          if (!deeper) continue;
          const keys = Object.keys(o);
          for (let i = keys.length - 1; i >= 0; i--) {
            const k = keys[i]!;
            const c: unknown = o[k];
            // Most of a posting's fields are text and numbers: the name checks only for objects.
            if (typeof c !== 'object' || c === null || FORBIDDEN.has(k) || (posting && POSTING_LEAVES.has(k))) continue;
            vals.push(c);
            depths.push(depth + 1);
          }
        }
      }
    } catch {
      // A getter or proxy in a hand-made object: keep what was read.
    }
    done = true;
    vals.length = 0;
    depths.length = 0;
    seen.clear();
    return true;
  };
  return {
    run,
    take() {
      const list = [...fresh];
      fresh.clear();
      return list;
    },
    all: () => [...out.values()],
  };
}

/**
 * Every posting in a JSON body, however wrapped. Never throws, never mutates
 * `body`; one Order per posting number (a later duplicate fills gaps).
 */
export function ordersFromJson(body: unknown, opts: JsonOptions): Order[] {
  const w = jsonWalk(body, opts);
  w.run();
  return w.all();
}
