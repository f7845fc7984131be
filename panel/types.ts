/**
 * The reading layer's shapes: how a Seller Panel page becomes `Order`s.
 * The rules never see the DOM; this layer never decides a rule.
 */
import type { Order, Scheme, Status } from '../rules';

/** What the URL tells (panel/page.ts). */
export interface PageInfo {
  /** True on /app/postings/(fbs|fbo) and /app/postings/crossborder/(fbs|fbo)[/…]. */
  isPostings: boolean;
  scheme: Scheme;
  crossborder: boolean;
  /** The `tab=` value (all, awaiting_packaging, …) or undefined. */
  tab?: string;
  /** The status a tab implies, when it implies exactly one (`cancelled` → 'cancelled'). */
  tabStatus?: Status;
  /** `postingDetails=<n>` (drawer) or the /fbo/<n> detail page's posting number. */
  detailsPosting?: string;
  /** `postingNumber=<n>`: the list is filtered to this posting. */
  filterPosting?: string;
}

/** Facts the reader needs besides the DOM (cookies, T3). */
export interface ReadContext {
  page: PageInfo;
  /** T3: minutes, JS getTimezoneOffset sign (-480 = UTC+8); undefined → Moscow time. */
  tzOffsetMinutes?: number;
  storeId?: string;
  /** The panel's language (`x-o3-language`: ru, en, zh-Hans), where known. */
  language?: string;
  /**
   * "Now" (epoch ms) for relative dates («сегодня 14:30», «завтра до 10:00»);
   * Date.now() when absent. Tests pin it; the content script reads rows as
   * they render, so the page's "today" and ours are the same day.
   */
  nowMs?: number;
}

/** One recognised order row in the DOM. */
export interface RowRead {
  /** The row element (nearest ancestor that repeats among its siblings). */
  row: Element;
  /** The element to put the badge host into (inside `row`). */
  anchor: Element;
  /** What the DOM alone says; `postingNumber`, `scheme`, `status` always set. */
  order: Order;
  /**
   * Set when the row was read against the panel's JSON order for its
   * posting: `order` then holds only what that JSON lacks, and merged with
   * exactly this JSON order it equals the full reading merged with it. With
   * any other JSON (newer, evicted) the row must be read again.
   */
  json?: Order;
  /**
   * T3 evidence: the ship-by / paid-at wall clocks this row prints (parse-row.ts printedTimes),
   * found from the cells this very read already mapped, so the page's zone is learned without
   * reading the row a second time. Asked for only when the zone tracker samples the row.
   */
  printed?: (nowMs: number) => PrintedTimes;
  /**
   * Set when a time (paid-at, ship-by, cancelled-at) was to be read from the row in the page's
   * zone (ReadContext.tzOffsetMinutes) because the JSON lacks it: the zone matters to this row (T3).
   */
  zoned?: boolean;
}

/** A row's printed times that the panel's JSON also gives as instants (rules/page-zone.ts pairs them). */
export interface PrintedTimes {
  /** The wall clock printed, read as if it were UTC (epoch ms). */
  shipBy?: number;
  paidAt?: number;
}
