/**
 * Seller API bodies → what the sync needs: the postings of one page (as
 * `Order`s, through the panel's own posting mapping in panel/json.ts — the
 * panel's JSON and the Seller API share field names), and where the next
 * page starts. The envelopes differ by method and version
 * (../shared/real-samples/SOURCES.md §1):
 *   v4 FBS list  {cursor, has_next, postings[]}
 *   v3 FBS list  {result: {postings[], has_next}}
 *   v3 FBO list  {cursor, has_next, postings[]}
 *   v2 FBO list  {result: [...]}              (no has_next: a short page is the last)
 * Everything here is pure and never throws on a strange body.
 */
import { orderFromPosting } from '../../panel/json';
import type { Order, Scheme } from '../../rules';
import { isObj, own, type Obj } from '../../rules';


export interface ListPage {
  /** The raw posting objects of the page. */
  postings: Obj[];
  /** Cursor methods: the cursor of the next page ('' / absent: none). */
  cursor?: string;
  /** Whether the API says there is more (undefined: it did not say). */
  hasNext?: boolean;
}

/** Reads any of the four list envelopes. */
export function readListPage(body: unknown): ListPage {
  if (!isObj(body)) return { postings: [] };
  const result = own(body, 'result');
  let list: unknown;
  let hasNext: unknown = own(body, 'has_next');
  let cursor: unknown = own(body, 'cursor');
  if (Array.isArray(own(body, 'postings'))) list = own(body, 'postings');
  else if (Array.isArray(result)) list = result;
  else if (isObj(result)) {
    list = own(result, 'postings');
    hasNext ??= own(result, 'has_next');
    cursor ??= own(result, 'cursor');
  }
  const postings = Array.isArray(list) ? list.filter(isObj) : [];
  const page: ListPage = { postings };
  if (typeof hasNext === 'boolean') page.hasNext = hasNext;
  if (typeof cursor === 'string' && cursor.length <= 4_000) page.cursor = cursor;
  return page;
}

/** id → title from a cancel-reason list (`{result:[{id,title}]}`). */
export function readReasonTitles(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = isObj(body) ? own(body, 'result') : undefined;
  if (!Array.isArray(list)) return out;
  for (const r of list.slice(0, 2_000)) {
    if (!isObj(r)) continue;
    const id = own(r, 'id');
    const title = own(r, 'title');
    if ((typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^\d{1,12}$/.test(id))) {
      if (typeof title === 'string' && title.trim()) out[String(id)] = title.trim().slice(0, 300);
    }
  }
  return out;
}

function rawReasonId(p: Obj): string | undefined {
  const c = own(p, 'cancellation');
  const id = (isObj(c) ? own(c, 'cancel_reason_id') : undefined) ?? own(p, 'cancel_reason_id');
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^\d{1,12}$/.test(id) && id !== '0') return id;
  return undefined;
}

/**
 * One API posting → Order, through panel/json.ts's orderFromPosting (the same
 * mapping the panel's JSON goes through). What this adds: the reason's title
 * from Ozon's cancel-reason list when the posting names only the id.
 */
export function orderFromApiPosting(p: Obj, scheme: Scheme, storeId: string, reasonTitles: Record<string, string> = {}): Order | undefined {
  const order = orderFromPosting(p, { scheme, storeId });
  if (!order) return undefined;
  if (order.cancellation && !order.cancellation.reasonText) {
    const id = rawReasonId(p);
    const title = id ? reasonTitles[id] : undefined;
    if (title) order.cancellation = { ...order.cancellation, reasonText: title };
  }
  return order;
}

export function ordersOfPage(page: ListPage, scheme: Scheme, storeId: string, reasonTitles?: Record<string, string>): Order[] {
  const out: Order[] = [];
  for (const p of page.postings) {
    const o = orderFromApiPosting(p, scheme, storeId, reasonTitles);
    if (o) out.push(o);
  }
  return out;
}

// ---------------------------------------------------------------- rating summary

export type RatingStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN_STATUS';
export type RatingDirection = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER' | 'NEUTRAL' | 'UNKNOWN_DIRECTION';

export interface RatingItem {
  rating: string;
  name?: string;
  group?: string;
  current?: number;
  past?: number;
  status: RatingStatus;
  direction: RatingDirection;
  valueType?: string;
  /** change.meaning: GOOD / BAD / NONE. */
  meaning?: string;
}

export interface RatingSummary {
  /** rating_order_cancellation (O1), when Ozon reports it. */
  cancellation?: RatingItem;
  /** The FBS/rFBS error index (O2), when Ozon reports it. */
  errorIndex?: RatingItem;
  penaltyScoreExceeded?: boolean;
  premium?: boolean;
  /** How many ratings the summary held in all. */
  items: number;
}

export const RATING_STATUSES: readonly RatingStatus[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN_STATUS'];
export const RATING_DIRECTIONS: readonly RatingDirection[] = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'NEUTRAL', 'UNKNOWN_DIRECTION'];
const STATUSES = new Set<RatingStatus>(RATING_STATUSES);
const DIRECTIONS = new Set<RatingDirection>(RATING_DIRECTIONS);
const text = (v: unknown, max = 200) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);
const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function ratingItem(it: Obj, group?: string): RatingItem | undefined {
  const rating = text(own(it, 'rating'), 100);
  if (!rating) return undefined;
  const status = text(own(it, 'status'), 40)?.toUpperCase() as RatingStatus | undefined;
  const direction = text(own(it, 'rating_direction'), 40)?.toUpperCase() as RatingDirection | undefined;
  const out: RatingItem = {
    rating,
    status: status && STATUSES.has(status) ? status : 'UNKNOWN_STATUS',
    direction: direction && DIRECTIONS.has(direction) ? direction : 'UNKNOWN_DIRECTION',
  };
  const name = text(own(it, 'name'));
  if (name) out.name = name;
  if (group) out.group = group;
  const cur = finite(own(it, 'current_value'));
  if (cur !== undefined) out.current = cur;
  const past = finite(own(it, 'past_value'));
  if (past !== undefined) out.past = past;
  const vt = text(own(it, 'value_type'), 40);
  if (vt) out.valueType = vt;
  const ch = own(it, 'change');
  const meaning = isObj(ch) ? text(own(ch, 'meaning'), 40) : undefined;
  if (meaning) out.meaning = meaning.replace(/^MEANING_/, '');
  return out;
}

/** The cancellation rating by its documented name (SOURCES.md §7). */
export const CANCELLATION_RATING = 'rating_order_cancellation';
/** The error index has no documented summary name yet: recognised by name (SOURCES.md §7, "индекс ошибок"). */
const ERROR_INDEX = /error[_\s-]?index|index[_\s-]?error|индекс\s+ошибок/i;

/** /v1/rating/summary → the two figures the popup sets beside ours. */
export function readRatingSummary(body: unknown): RatingSummary {
  const out: RatingSummary = { items: 0 };
  if (!isObj(body)) return out;
  const groups = own(body, 'groups');
  for (const g of Array.isArray(groups) ? groups.slice(0, 100) : []) {
    if (!isObj(g)) continue;
    const group = text(own(g, 'group_name'));
    const items = own(g, 'items');
    for (const raw of Array.isArray(items) ? items.slice(0, 200) : []) {
      if (!isObj(raw)) continue;
      const it = ratingItem(raw, group);
      if (!it) continue;
      out.items++;
      if (!out.cancellation && it.rating === CANCELLATION_RATING) out.cancellation = it;
      else if (!out.errorIndex && (ERROR_INDEX.test(it.rating) || ERROR_INDEX.test(it.name ?? ''))) out.errorIndex = it;
    }
  }
  const pse = own(body, 'penalty_score_exceeded');
  if (typeof pse === 'boolean') out.penaltyScoreExceeded = pse;
  const prem = own(body, 'premium');
  if (typeof prem === 'boolean') out.premium = prem;
  return out;
}
