/**
 * The shape of the order history: every order the content script reads (or a
 * CSV import brings) is kept per store, keyed by posting number, so 30 days of
 * history accumulate as the seller browses and survive browser and MV3
 * service-worker restarts. The storage items that hold it are in items.ts; how
 * a stored value is read back into this shape, repair.ts; how observations
 * merge into it, merge.ts; how long it is kept, prune.ts.
 */
import type { Order, Status } from '../../rules';
import type { PanelOrigin } from '../../panel/origins';

export type HistorySource = 'page' | 'json' | 'csv';
export const HISTORY_SOURCES: readonly HistorySource[] = ['page', 'json', 'csv'];

export interface StatusChange {
  status: Status;
  at: string;
}

export interface HistoryRecord {
  order: Order;
  /** When the extension first learned of the order. */
  firstSeen: string;
  /** When it last saw the order (to LAST_SEEN_STEP_MS precision: see below). */
  lastSeen: string;
  /** The instant of the newest fact merged into `order`. */
  observedAt: string;
  /** Per field: the instant of its fact, only where older than `observedAt`. */
  fieldAt?: Record<string, string>;
  /** Status changes, oldest first; bounded to MAX_STATUS_HISTORY. */
  statusHistory: StatusChange[];
  /** Where the newest fact came from. */
  source: HistorySource;
  /**
   * The panel origin (panel/origins.ts) the order was last seen on, so its
   * links open there. Taken from the sending tab's URL by the background,
   * never from page data. Absent in records from before origins were kept and
   * in CSV imports: links then use the store's origin, else the default.
   */
  origin?: PanelOrigin;
}

export interface StoreEntry {
  id: string;
  label?: string;
  count: number;
  lastSeen?: string;
  /** Bumped on every write: lets the background trust its in-memory copy, and watchers tell stores apart. */
  rev: number;
  /** Set when orders had to go for space (the cap or the storage quota), so the popup can say so. */
  pruned?: { count: number; at: string; reason: 'cap' | 'quota' };
  /** The last orders list was a cross-border one (/app/postings/crossborder/…): links go there. */
  crossborder?: boolean;
  /** The panel origin this store was last seen on; not part of the store's key (same company id = same store). */
  origin?: PanelOrigin;
}

export interface StoreInfo {
  id: string;
  label?: string;
  orders: number;
  lastSeen?: string;
  pruned?: StoreEntry['pruned'];
  crossborder?: boolean;
  origin?: PanelOrigin;
}

export interface LoadReport {
  storeId: string;
  kept: number;
  dropped: { key: string; reason: string }[];
  /** Records kept after repairing a field (dropped bad values). */
  repaired: number;
  /** Set when the stored value as a whole could not be read as the current shape. */
  problem?: string;
}

export interface MergeResult {
  storeId: string;
  added: number;
  updated: number;
  unchanged: number;
  /** Incoming orders refused (bad shape), with reasons. */
  rejected: { postingNumber?: string; reason: string }[];
  /** Orders removed in this write: past retention, over the cap, or for the quota. */
  pruned: number;
  /** New orders not kept because they are already past retention (an old export). */
  tooOld: number;
}

export interface Coverage {
  count: number;
  paidAt?: { from: string; to: string };
  firstSeen?: { from: string; to: string };
  lastSeen?: string;
}

/** Orders whose latest relevant instant is older than this are dropped (history is kept 90 days: older orders cannot change the 30-day figures). */
export const RETENTION_DAYS = 90;
/** Storage must stay bounded: at most this many orders per store, oldest dropped first. */
export const MAX_ORDERS_PER_STORE = 50_000;
export const MAX_STATUS_HISTORY = 20;
/**
 * Re-seeing an unchanged order moves lastSeen/observedAt only in steps this big.
 * Why: each write rewrites the store's whole item; without a step every scroll
 * of the panel would rewrite megabytes for nothing.
 */
export const LAST_SEEN_STEP_MS = 5 * 60_000;

export const DAY_MS = 86_400_000;
/** The version of a store's storage item (items.ts; v1 was the prototype's plain array). */
export const STORE_VERSION = 2;

/** A store's storage item: its records by posting number. */
export interface StoreData {
  orders: Record<string, HistoryRecord>;
}
/** The index item: one small entry per store, read first. */
export interface IndexData {
  stores: Record<string, StoreEntry>;
}
