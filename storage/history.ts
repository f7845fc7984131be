/**
 * The order history: every order the content script reads (or a CSV import
 * brings) is kept per store, keyed by posting number, so 30 days of history
 * accumulate as the seller browses and survive browser and MV3 service-worker
 * restarts.
 *
 * Layout in `browser.storage.local` (@wxt-dev/storage versioned items):
 * - `local:historyIndex`       { stores: { <storeId>: StoreEntry } } — small, read first
 * - `local:history:<storeId>`  { orders: { <postingNumber>: HistoryRecord } }
 * - `local:layout`             { <storeId>: LayoutFlag } — "the panel layout changed"
 *
 * Readers (popup, options) read storage directly. Writers are the background
 * only: every write goes through one promise-queue mutex, so two panel tabs
 * messaging at once lose nothing.
 *
 * Merge rule ("newer facts win, field by field"):
 * - Each record knows `observedAt`, the instant of its newest fact, and, in
 *   the sparse `fieldAt`, the instant of every field that is older than that.
 * - An incoming field replaces the stored one when the observation is at
 *   least as new as the stored field's own fact; an older observation only
 *   fills fields the record lacks. An absent field never erases a known one.
 * - Page facts are stamped with the moment the background received them. A
 *   CSV import is stamped with the export's time (the file's lastModified,
 *   which the download sets; else the newest instant inside the file), so an
 *   export taken before the seller last looked at the panel never rolls a
 *   fresher page fact back — it can only fill what the page did not show.
 * - A status of `unknown` and a cancellation initiator `unknown` say "could
 *   not read it": they count as absent when a known value is stored.
 */
import { storage } from 'wxt/utils/storage';
import { browser } from 'wxt/browser';
import type { Order, OrderItem, Status } from '../rules/types';
import { ORDER_INSTANT_KEYS, STATUSES } from '../rules/types';
import { TERMINAL_STATUSES } from '../rules/status';
import { createMutex } from './mutex';
import { isStoreId, repairOrder, storeKeyOf, toIso, UNKNOWN_STORE } from '../rules/order-schema';
import { isObj } from '../rules/plain';
import { isPanelOrigin, type PanelOrigin } from '../panel/origins';
import { readStoreNames } from './store-names';

export type HistorySource = 'page' | 'json' | 'csv';
const SOURCES: readonly HistorySource[] = ['page', 'json', 'csv'];

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

export interface LayoutFlag {
  broken: true;
  url: string;
  detail?: string;
  at: string;
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

const DAY_MS = 86_400_000;
const STORE_VERSION = 2;

interface StoreData {
  orders: Record<string, HistoryRecord>;
}
interface IndexData {
  stores: Record<string, StoreEntry>;
}
type LayoutData = Record<string, LayoutFlag>;

const indexItem = storage.defineItem<IndexData>('local:historyIndex', {
  fallback: { stores: {} },
  version: 1,
});

export const layoutItem = storage.defineItem<LayoutData>('local:layout', {
  fallback: {},
  version: 1,
});

/**
 * v1 was the prototype's shape: a plain array of orders, each with an
 * optional `seenAt`. v2 keys records by posting number with their seen times
 * and status history. The migration shares `sanitizeStore`, which also
 * repairs whatever a failed or foreign write left behind, and never throws.
 */
export function migrateStoreV1toV2(old: unknown): StoreData {
  return sanitizeStore(old, 'migration', Date.now()).data;
}

const storeItems = new Map<string, ReturnType<typeof defineStoreItem>>();
function defineStoreItem(storeId: string) {
  return storage.defineItem<StoreData>(`local:history:${storeId}`, {
    fallback: { orders: {} },
    version: STORE_VERSION,
    migrations: { 2: migrateStoreV1toV2 },
  });
}
function storeItem(storeId: string) {
  let item = storeItems.get(storeId);
  if (!item) {
    item = defineStoreItem(storeId);
    storeItems.set(storeId, item);
  }
  return item;
}

/** The background's copy of what it last wrote, valid while the index still holds the same rev. */
const memory = new Map<string, { rev: number; data: StoreData }>();
/** When each store was last checked for retention (this worker's life only; a restart checks again). */
const lastPrune = new Map<string, number>();
const PRUNE_EVERY_MS = 3_600_000;
const writeLock = createMutex();

/** For tests: forget item definitions (so migrations run again) and the in-memory copies. */
export function _resetHistoryForTests(): void {
  storeItems.clear();
  memory.clear();
  lastPrune.clear();
}

// ---------------------------------------------------------------- helpers

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : NaN);
const maxIso = (a: string | undefined, b: string | undefined): string | undefined =>
  !a ? b : !b ? a : ms(a) >= ms(b) ? a : b;
const minIso = (a: string | undefined, b: string | undefined): string | undefined =>
  !a ? b : !b ? a : ms(a) <= ms(b) ? a : b;

function normStoreId(storeId: string | undefined | null): string {
  return storeKeyOf(storeId);
}

function toMs(at: string | number | Date | undefined): number {
  if (at === undefined) return Date.now();
  const v = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(v) ? v : Date.now();
}

/**
 * A JSON text cut short (a backup file truncated on disk, a half-written
 * value): keeps every record that was complete. It walks the text once,
 * remembers the last point where a value inside a container ended, cuts
 * there and closes the containers still open.
 */
export function parseTruncatedJson(textIn: string): unknown {
  try {
    return JSON.parse(textIn);
  } catch {
    /* fall through to salvage */
  }
  const stack: string[] = [];
  let inStr = false;
  let esc = false;
  let lastCut = -1;
  let lastStack: string[] = [];
  for (let i = 0; i < textIn.length; i++) {
    const c = textIn[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length) {
        lastCut = i + 1;
        lastStack = stack.slice();
      }
    }
  }
  if (lastCut < 0) return undefined;
  const closers = lastStack
    .reverse()
    .map((o) => (o === '{' ? '}' : ']'))
    .join('');
  try {
    return JSON.parse(textIn.slice(0, lastCut) + closers);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- load / repair

function sanitizeRecord(raw: unknown, nowMs: number): { ok: true; rec: HistoryRecord; repaired: boolean } | { ok: false; reason: string } {
  if (!isObj(raw)) return { ok: false, reason: 'not an object' };
  // v2 records wrap the order; v1 (and a bare order from elsewhere) is the order itself.
  const wrapped = isObj(raw.order);
  const s = repairOrder(wrapped ? raw.order : raw);
  if (!s.ok) return s;
  const order = s.order;
  let repaired = s.fixed.length > 0;
  const fallbackAt =
    toIso(raw.observedAt) ??
    toIso(raw.lastSeen) ??
    toIso(raw.seenAt) ??
    toIso(raw.firstSeen) ??
    order.paidAt ??
    new Date(nowMs).toISOString();
  const observedAt = toIso(raw.observedAt) ?? fallbackAt;
  const lastSeen = toIso(raw.lastSeen) ?? toIso(raw.seenAt) ?? observedAt;
  const firstSeen = minIso(toIso(raw.firstSeen) ?? lastSeen, lastSeen)!;
  if (wrapped && (!toIso(raw.observedAt) || !toIso(raw.lastSeen) || !toIso(raw.firstSeen))) repaired = true;
  const statusHistory: StatusChange[] = [];
  if (Array.isArray(raw.statusHistory)) {
    for (const e of raw.statusHistory) {
      if (!isObj(e)) continue;
      const at = toIso(e.at);
      const st = e.status;
      if (at && typeof st === 'string' && st !== 'unknown' && (STATUSES as readonly string[]).includes(st))
        statusHistory.push({ status: st as Status, at });
    }
    statusHistory.sort((a, b) => ms(a.at) - ms(b.at));
  }
  if (!statusHistory.length && order.status !== 'unknown') statusHistory.push({ status: order.status, at: observedAt });
  const rec: HistoryRecord = {
    order,
    firstSeen,
    lastSeen,
    observedAt,
    statusHistory: boundHistory(compressHistory(statusHistory)),
    source: (SOURCES as readonly unknown[]).includes(raw.source) ? (raw.source as HistorySource) : 'page',
  };
  // Only one of the listed origins is ever kept; anything else is dropped (links fall back to the default).
  if (isPanelOrigin(raw.origin)) rec.origin = raw.origin;
  else if (raw.origin !== undefined) repaired = true;
  if (isObj(raw.fieldAt)) {
    const fa: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.fieldAt)) {
      const at = toIso(v);
      if (at && k in order && ms(at) < ms(observedAt)) fa[k] = at;
    }
    if (Object.keys(fa).length) rec.fieldAt = fa;
  }
  return { ok: true, rec, repaired };
}

/**
 * Reads any stored value into the current shape, keeping every valid record
 * and reporting the rest. Accepts the v1 array, the v2 map, an array or map of
 * bare orders, JSON text (even truncated), and a future shape that still
 * holds `orders` or `records`.
 */
export function sanitizeStore(raw: unknown, storeId: string, nowMs = Date.now()): { data: StoreData; report: LoadReport } {
  const report: LoadReport = { storeId, kept: 0, dropped: [], repaired: 0 };
  const data: StoreData = { orders: {} };
  let value = raw;
  if (value === null || value === undefined) return { data, report };
  if (typeof value === 'string') {
    const parsed = parseTruncatedJson(value);
    if (parsed === undefined) {
      report.problem = 'stored value is unreadable text';
      return { data, report };
    }
    try {
      JSON.parse(value);
    } catch {
      report.problem = 'stored value was truncated; complete records kept';
    }
    value = parsed;
  }
  let entries: [string, unknown][];
  if (Array.isArray(value)) entries = value.map((v, i) => [String(i), v]);
  else if (isObj(value)) {
    const holder = value.orders ?? value.records;
    if (Array.isArray(holder)) entries = holder.map((v, i) => [String(i), v]);
    else if (isObj(holder)) entries = Object.entries(holder);
    else {
      report.problem = 'stored value has no orders';
      return { data, report };
    }
  } else {
    report.problem = `stored value is a ${typeof value}`;
    return { data, report };
  }
  for (const [key, v] of entries) {
    const r = sanitizeRecord(v, nowMs);
    if (!r.ok) {
      report.dropped.push({ key, reason: r.reason });
      continue;
    }
    const pn = r.rec.order.postingNumber;
    const prev = data.orders[pn];
    // The same posting twice (a v1 list kept duplicates): merge, never lose one.
    data.orders[pn] = prev ? mergeHistoryRecords(prev, r.rec) : r.rec;
    if (r.repaired) report.repaired++;
  }
  report.kept = Object.keys(data.orders).length;
  return { data, report };
}

async function readRaw(storeId: string): Promise<{ data: StoreData; report: LoadReport }> {
  try {
    const raw = await storeItem(storeId).getValue();
    return sanitizeStore(raw, storeId);
  } catch (e) {
    return {
      data: { orders: {} },
      report: { storeId, kept: 0, dropped: [], repaired: 0, problem: `storage read failed: ${String(e)}` },
    };
  }
}

async function readIndex(): Promise<IndexData> {
  try {
    const v = await indexItem.getValue();
    if (isObj(v) && isObj(v.stores)) {
      const stores: Record<string, StoreEntry> = {};
      for (const [id, e] of Object.entries(v.stores)) {
        if (!isStoreId(id) || !isObj(e)) continue;
        stores[id] = {
          id,
          count: typeof e.count === 'number' ? e.count : 0,
          rev: typeof e.rev === 'number' ? e.rev : 0,
          ...(typeof e.label === 'string' && { label: e.label }),
          ...(toIso(e.lastSeen) && { lastSeen: toIso(e.lastSeen) }),
          ...(isObj(e.pruned) && { pruned: e.pruned as StoreEntry['pruned'] }),
          ...(e.crossborder === true && { crossborder: true }),
          ...(isPanelOrigin(e.origin) && { origin: e.origin }),
        };
      }
      return { stores };
    }
  } catch {
    /* an unreadable index is rebuilt from the store items below */
  }
  return { stores: {} };
}

/**
 * Store ids that have a history item, found by key (used when the index is
 * lost). `getKeys` (Chrome 130+) lists keys without reading values; elsewhere
 * the whole area is read, so that path runs only when the index is empty.
 */
async function storeIdsFromKeys(indexEmpty: boolean): Promise<string[]> {
  try {
    const area = browser.storage.local as unknown as { getKeys?: () => Promise<string[]> };
    let keys: string[] | undefined;
    if (typeof area.getKeys === 'function') {
      try {
        keys = await area.getKeys();
      } catch {
        keys = undefined; // older browsers (and the test double) lack it
      }
    }
    if (!keys) {
      if (!indexEmpty) return [];
      keys = Object.keys(await storage.snapshot('local'));
    }
    return keys
      .filter((k) => k.startsWith('history:') && !k.endsWith('$'))
      .map((k) => k.slice('history:'.length))
      .filter(isStoreId);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------- merge (pure)

type Field = keyof Order;
// Every instant comes from the one shared list, so a new instant field is merged, never dropped.
const SCALAR_FIELDS: Field[] = [
  'storeId',
  'scheme',
  'status',
  ...ORDER_INSTANT_KEYS,
  'trackingNumber',
  'carrier',
  'inCustoms',
  'archived',
  'currency',
  'availableActions',
];
const OBJECT_FIELDS = ['cancellation', 'flags', 'flagSources'] as const;

function compressHistory(list: StatusChange[]): StatusChange[] {
  const out: StatusChange[] = [];
  for (const e of list) {
    const last = out[out.length - 1];
    if (last && last.status === e.status) continue; // a run keeps its earliest instant
    out.push(e);
  }
  return out;
}

function boundHistory(list: StatusChange[]): StatusChange[] {
  // Keep the first (how it started) and the latest ones (what happened lately).
  if (list.length <= MAX_STATUS_HISTORY) return list;
  return [list[0]!, ...list.slice(list.length - (MAX_STATUS_HISTORY - 1))];
}

function addStatus(list: StatusChange[], status: Status, at: string): StatusChange[] {
  if (status === 'unknown') return list;
  const merged = [...list, { status, at }].sort((a, b) => ms(a.at) - ms(b.at) || (a.status === status ? 1 : -1));
  return boundHistory(compressHistory(merged));
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function mergeItems(stored: OrderItem[] | undefined, incoming: OrderItem[], incomingNewer: boolean): OrderItem[] {
  if (!stored?.length) return incoming.map((i) => ({ ...i }));
  const out = stored.map((i) => ({ ...i }));
  for (const inc of incoming) {
    const at = out.findIndex((i) => i.sku === inc.sku);
    if (at < 0) {
      out.push({ ...inc });
      continue;
    }
    const cur = out[at]!;
    out[at] = incomingNewer ? { ...cur, ...stripUndefined(inc) } : { ...stripUndefined(inc), ...cur };
  }
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Merges one observation of an order into its record (or starts one).
 * Pure: `at` is the observation's instant (it also moves first/last seen).
 */
export function mergeRecord(
  rec: HistoryRecord | undefined,
  incoming: Order,
  atIn: string,
  source: HistorySource,
  originIn?: PanelOrigin,
): { rec: HistoryRecord; change: 'added' | 'updated' | 'unchanged'; touched: boolean } {
  const at = toIso(atIn) ?? new Date().toISOString();
  const origin = isPanelOrigin(originIn) ? originIn : undefined;
  if (!rec) {
    const order = stripUndefined({ ...incoming });
    return {
      rec: {
        order,
        firstSeen: at,
        lastSeen: at,
        observedAt: at,
        statusHistory: addStatus([], order.status, at),
        source,
        ...(origin && { origin }),
      },
      change: 'added',
      touched: true,
    };
  }
  const atMs = ms(at);
  const fieldTime = (f: string): number => ms(rec.fieldAt?.[f] ?? rec.observedAt);
  const order: Order = { ...rec.order };
  const times: Record<string, string> = {};
  const cur = order as unknown as Record<string, unknown>;
  const inc = incoming as unknown as Record<string, unknown>;

  for (const f of SCALAR_FIELDS) {
    const v = inc[f];
    if (v === undefined || v === null) continue;
    if (f === 'status' && v === 'unknown' && cur.status !== 'unknown') continue;
    const known = cur[f] !== undefined;
    if (!known || atMs >= fieldTime(f)) {
      cur[f] = Array.isArray(v) ? [...v] : v;
      times[f] = at;
    }
  }
  for (const f of OBJECT_FIELDS) {
    const v = inc[f] as Record<string, unknown> | undefined;
    if (!v || typeof v !== 'object') continue;
    const stored = cur[f] as Record<string, unknown> | undefined;
    const newer = !stored || atMs >= fieldTime(f);
    let next: Record<string, unknown>;
    if (!stored) next = stripUndefined({ ...v });
    else if (newer) {
      next = { ...stored, ...stripUndefined(v) };
      // "unknown" initiator means the page did not say: keep a known one.
      if (f === 'cancellation' && v.initiator === 'unknown' && stored.initiator && stored.initiator !== 'unknown')
        next.initiator = stored.initiator;
    } else next = { ...stripUndefined(v), ...stored };
    cur[f] = next;
    if (newer) times[f] = at;
  }
  if (incoming.items?.length) {
    const newer = !order.items?.length || atMs >= fieldTime('items');
    order.items = mergeItems(order.items, incoming.items, newer);
    if (newer) times.items = at;
  }

  const observedAt = maxIso(rec.observedAt, at)!;
  // Field instants: new ones from this observation, the old ones otherwise; only those older than observedAt are kept.
  const fieldAt: Record<string, string> = {};
  for (const k of Object.keys(order)) {
    if (k === 'postingNumber') continue;
    const t = times[k] ?? rec.fieldAt?.[k] ?? rec.observedAt;
    if (ms(t) < ms(observedAt)) fieldAt[k] = t;
  }
  const statusHistory =
    incoming.status && incoming.status !== 'unknown' ? addStatus(rec.statusHistory, incoming.status, at) : rec.statusHistory;

  const changed = !sameJson(order, rec.order) || !sameJson(statusHistory, rec.statusHistory);
  const lastSeenMs = ms(rec.lastSeen);
  const moveSeen = atMs - lastSeenMs >= LAST_SEEN_STEP_MS;
  const firstSeen = minIso(rec.firstSeen, at)!;
  // "Last seen on": an observation at least as new as the record's newest moves the origin; an older one only fills it.
  const nextOrigin = origin && (!rec.origin || atMs >= ms(rec.observedAt)) ? origin : rec.origin;
  const touched = changed || moveSeen || firstSeen !== rec.firstSeen || nextOrigin !== rec.origin;
  if (!touched) return { rec, change: 'unchanged', touched: false };
  const next: HistoryRecord = {
    order,
    firstSeen,
    lastSeen: moveSeen ? at : rec.lastSeen,
    observedAt: changed || moveSeen ? observedAt : rec.observedAt,
    statusHistory,
    source: atMs >= ms(rec.observedAt) ? source : rec.source,
    ...(nextOrigin && { origin: nextOrigin }),
  };
  if (!changed && !moveSeen) {
    if (rec.fieldAt) next.fieldAt = rec.fieldAt;
  } else if (Object.keys(fieldAt).length) next.fieldAt = fieldAt;
  return { rec: next, change: changed ? 'updated' : 'unchanged', touched: true };
}

/** Two records of one posting (a backup being restored, a duplicate): nothing of either is lost. */
export function mergeHistoryRecords(a: HistoryRecord, b: HistoryRecord): HistoryRecord {
  const [older, newer] = ms(a.observedAt) <= ms(b.observedAt) ? [a, b] : [b, a];
  // Replay the newer record's fields at their own instants onto the older record.
  let merged = mergeRecord(older, newer.order, newer.observedAt, newer.source, newer.origin).rec;
  if (newer.fieldAt) {
    for (const [f, at] of Object.entries(newer.fieldAt)) {
      const partial = { postingNumber: newer.order.postingNumber, scheme: newer.order.scheme, status: 'unknown' as Status };
      (partial as unknown as Record<string, unknown>)[f] = (newer.order as unknown as Record<string, unknown>)[f];
      merged = mergeRecord(merged, partial, at, newer.source).rec;
    }
  }
  let history = merged.statusHistory;
  for (const e of [...older.statusHistory, ...newer.statusHistory]) history = addStatus(history, e.status, e.at);
  return {
    ...merged,
    firstSeen: minIso(a.firstSeen, b.firstSeen)!,
    lastSeen: maxIso(a.lastSeen, b.lastSeen)!,
    observedAt: maxIso(a.observedAt, b.observedAt)!,
    statusHistory: history,
  };
}

/** The newest instant that still makes the order matter (for retention and the cap). */
export function relevantAt(rec: HistoryRecord): number {
  const o = rec.order;
  let t = -Infinity;
  for (const v of [o.paidAt, o.confirmedAt, o.shipBy, o.trackingUploadedAt, o.firstScanAt, o.lastTrackingAt, o.cancelledAt, o.deliveredAt]) {
    const x = ms(v);
    if (x > t) t = x;
  }
  // An open order still being seen still matters, however old its dates; a finished one does not.
  if (!TERMINAL_STATUSES.has(o.status) || t === -Infinity) t = Math.max(t, ms(rec.lastSeen));
  return t;
}

/** Drops records past retention, then the oldest above `cap`. Returns how many went. */
export function pruneRecords(
  orders: Record<string, HistoryRecord>,
  nowMs: number,
  cap = MAX_ORDERS_PER_STORE,
): { expired: number; overCap: number } {
  const limit = nowMs - RETENTION_DAYS * DAY_MS;
  let expired = 0;
  for (const [pn, rec] of Object.entries(orders)) {
    if (relevantAt(rec) < limit) {
      delete orders[pn];
      expired++;
    }
  }
  const keys = Object.keys(orders);
  let overCap = 0;
  if (keys.length > cap) {
    const byAge = keys.map((k) => [k, relevantAt(orders[k]!)] as const).sort((x, y) => x[1] - y[1]);
    for (let i = 0; i < keys.length - cap; i++) delete orders[byAge[i]![0]];
    overCap = keys.length - cap;
  }
  return { expired, overCap };
}

function dropOldest(orders: Record<string, HistoryRecord>, n: number): number {
  const byAge = Object.keys(orders)
    .map((k) => [k, relevantAt(orders[k]!)] as const)
    .sort((x, y) => x[1] - y[1]);
  const k = Math.min(n, byAge.length);
  for (let i = 0; i < k; i++) delete orders[byAge[i]![0]];
  return k;
}

// ---------------------------------------------------------------- writes (background only)

async function dataForWrite(storeId: string, index: IndexData): Promise<StoreData> {
  const rev = index.stores[storeId]?.rev ?? 0;
  const mem = memory.get(storeId);
  if (mem && rev > 0 && mem.rev === rev) return mem.data;
  const { data } = await readRaw(storeId);
  return data;
}

function isQuotaError(e: unknown): boolean {
  return /quota|QUOTA_BYTES|exceeded/i.test(String((e as Error)?.message ?? e));
}

export interface WriteOptions {
  /** Injected clock for retention (tests); default Date.now(). */
  now?: number;
  /** Overrides MAX_ORDERS_PER_STORE (tests, or a smaller budget). */
  cap?: number;
  label?: string;
  crossborder?: boolean;
  /** The panel origin the orders were seen on (the sending tab's; panel/origins.ts). */
  origin?: PanelOrigin;
}

/**
 * Writes a store's data and its index entry, pruning retention and the cap,
 * and, when the storage quota refuses the write, the oldest orders a tenth at
 * a time until it fits (recorded in `pruned` for the popup).
 */
async function commit(
  storeId: string,
  data: StoreData,
  index: IndexData,
  opts: WriteOptions,
): Promise<number> {
  const nowMs = opts.now ?? Date.now();
  const cap = opts.cap ?? MAX_ORDERS_PER_STORE;
  // Retention moves by days: a full pass per write (every scroll of the panel) is wasted work.
  let expired = 0;
  let overCap = 0;
  const last = lastPrune.get(storeId);
  if (last === undefined || Math.abs(nowMs - last) >= PRUNE_EVERY_MS || Object.keys(data.orders).length > cap) {
    ({ expired, overCap } = pruneRecords(data.orders, nowMs, cap));
    lastPrune.set(storeId, nowMs);
  }
  let quotaDropped = 0;
  const prev = index.stores[storeId];
  for (let attempt = 0; ; attempt++) {
    try {
      await storeItem(storeId).setValue(data);
      break;
    } catch (e) {
      memory.delete(storeId);
      const count = Object.keys(data.orders).length;
      if (!isQuotaError(e) || attempt >= 8 || count === 0) throw e;
      quotaDropped += dropOldest(data.orders, Math.max(1, Math.ceil(count / 10)));
    }
  }
  let lastSeen: string | undefined;
  for (const rec of Object.values(data.orders)) lastSeen = maxIso(lastSeen, rec.lastSeen);
  const rev = (prev?.rev ?? 0) + 1;
  const entry: StoreEntry = { ...(prev ?? { id: storeId }), id: storeId, count: Object.keys(data.orders).length, rev };
  if (lastSeen) entry.lastSeen = lastSeen;
  else delete entry.lastSeen;
  if (opts.label) entry.label = opts.label.slice(0, 120);
  if (opts.crossborder !== undefined) {
    if (opts.crossborder) entry.crossborder = true;
    else delete entry.crossborder;
  }
  if (isPanelOrigin(opts.origin)) entry.origin = opts.origin;
  if (overCap || quotaDropped) {
    entry.pruned = {
      count: overCap + quotaDropped + (prev?.pruned?.count ?? 0),
      at: new Date(nowMs).toISOString(),
      reason: quotaDropped ? 'quota' : 'cap',
    };
  }
  index.stores[storeId] = entry;
  await indexItem.setValue(index);
  memory.set(storeId, { rev, data });
  return expired + overCap + quotaDropped;
}

/**
 * Merges observed orders into a store's history. Background only (single
 * writer); concurrent calls are queued, so none is lost.
 */
export function mergeOrders(
  storeIdIn: string,
  orders: unknown[],
  source: HistorySource,
  observedAt?: string | number | Date,
  opts: WriteOptions = {},
): Promise<MergeResult> {
  const storeId = normStoreId(storeIdIn);
  return writeLock.run(async () => {
    const result: MergeResult = { storeId, added: 0, updated: 0, unchanged: 0, rejected: [], pruned: 0, tooOld: 0 };
    const retentionLimit = (opts.now ?? Date.now()) - RETENTION_DAYS * DAY_MS;
    const at = new Date(toMs(observedAt)).toISOString();
    const index = await readIndex();
    const data = await dataForWrite(storeId, index);
    let dirty = false;
    for (const raw of Array.isArray(orders) ? orders : []) {
      const s = repairOrder(raw);
      if (!s.ok) {
        const pn = (raw as { postingNumber?: unknown })?.postingNumber;
        result.rejected.push({ ...(typeof pn === 'string' && { postingNumber: pn.slice(0, 64) }), reason: s.reason });
        continue;
      }
      const order = s.order;
      if (storeId !== UNKNOWN_STORE) order.storeId = storeId;
      const m = mergeRecord(data.orders[order.postingNumber], order, at, source, opts.origin);
      if (m.change === 'added' && relevantAt(m.rec) < retentionLimit) {
        result.tooOld++;
        continue;
      }
      if (m.change === 'added') result.added++;
      else if (m.change === 'updated') result.updated++;
      else result.unchanged++;
      if (m.touched) {
        data.orders[order.postingNumber] = m.rec;
        dirty = true;
      }
    }
    const prev = index.stores[storeId];
    const metaChanged =
      (opts.label && opts.label !== prev?.label) ||
      (opts.crossborder !== undefined && !!opts.crossborder !== !!prev?.crossborder) ||
      (isPanelOrigin(opts.origin) && opts.origin !== prev?.origin);
    if (dirty || metaChanged || !prev) {
      if (Object.keys(data.orders).length || prev) result.pruned = await commit(storeId, data, index, opts);
    }
    return result;
  });
}

/** Removes one store's history (the options page's "forget this store"). */
export function clearStore(storeIdIn: string): Promise<void> {
  const storeId = normStoreId(storeIdIn);
  return writeLock.run(async () => {
    await storeItem(storeId).removeValue();
    const index = await readIndex();
    delete index.stores[storeId];
    await indexItem.setValue(index);
    memory.delete(storeId);
  });
}

/** Removes every store's history and the layout flags (settings are left alone). */
export function clearAll(): Promise<void> {
  return writeLock.run(async () => {
    const index = await readIndex();
    const ids = new Set([...Object.keys(index.stores), ...(await storeIdsFromKeys(true))]);
    for (const id of ids) await storeItem(id).removeValue();
    await indexItem.removeValue();
    await layoutItem.removeValue();
    memory.clear();
  });
}

// ---------------------------------------------------------------- reads (anyone)

export async function listStores(): Promise<StoreInfo[]> {
  const index = await readIndex();
  // The index lost (or never written by an old version): rebuild the list from the items themselves.
  for (const id of await storeIdsFromKeys(Object.keys(index.stores).length === 0)) {
    if (index.stores[id]) continue;
    const { data } = await readRaw(id);
    let lastSeen: string | undefined;
    for (const r of Object.values(data.orders)) lastSeen = maxIso(lastSeen, r.lastSeen);
    index.stores[id] = { id, count: Object.keys(data.orders).length, rev: 0, ...(lastSeen && { lastSeen }) };
  }
  const named = await readStoreNames(); // the seller's own name for a store wins (storage/store-names.ts)
  return Object.values(index.stores)
    .map((e) => ({
      id: e.id,
      orders: e.count,
      ...((named[e.id] ?? e.label) && { label: named[e.id] ?? e.label }),
      ...(e.lastSeen && { lastSeen: e.lastSeen }),
      ...(e.pruned && { pruned: e.pruned }),
      ...(e.crossborder && { crossborder: true }),
      ...(e.origin && { origin: e.origin }),
    }))
    .sort((a, b) => (ms(b.lastSeen) || 0) - (ms(a.lastSeen) || 0) || a.id.localeCompare(b.id));
}

/** A store's records and a report of anything that could not be kept. Never throws. */
export async function readStore(storeId: string): Promise<{ records: HistoryRecord[]; report: LoadReport }> {
  const id = normStoreId(storeId);
  const { data, report } = await readRaw(id);
  return { records: Object.values(data.orders), report };
}

export async function loadHistory(storeId: string): Promise<HistoryRecord[]> {
  return (await readStore(storeId)).records;
}

export async function loadOrders(storeId: string): Promise<Order[]> {
  return (await readStore(storeId)).records.map((r) => r.order);
}

/**
 * Every store's orders (the icon count, reminders, the all-stores overview).
 * Runs every minute in the background: a store whose index rev has not moved
 * since it was last read comes from memory instead of storage.
 */
export interface StoreOrders {
  storeId: string;
  orders: Order[];
  crossborder: boolean;
  /** The origin the store was last seen on (links of orders without their own). */
  origin?: PanelOrigin;
  /** Posting number → the origin that order was last seen on, where known. */
  origins: Record<string, PanelOrigin>;
  /** The store's name (the seller's own, storage/store-names.ts), for the morning summary. */
  label?: string;
}

export async function loadAllOrders(): Promise<StoreOrders[]> {
  const index = await readIndex();
  const out: StoreOrders[] = [];
  for (const s of await listStores()) {
    const rev = index.stores[s.id]?.rev ?? 0;
    const mem = memory.get(s.id);
    let data: StoreData;
    if (rev > 0 && mem && mem.rev === rev) data = mem.data;
    else {
      data = (await readRaw(s.id)).data;
      if (rev > 0) memory.set(s.id, { rev, data });
    }
    const recs = Object.values(data.orders);
    out.push({
      storeId: s.id,
      orders: recs.map((r) => r.order),
      crossborder: !!s.crossborder,
      ...(s.origin && { origin: s.origin }),
      origins: originsOf(recs),
      ...(s.label && { label: s.label }),
    });
  }
  return out;
}

/** Posting number → the origin its order was last seen on, for the records that know it. */
export function originsOf(records: HistoryRecord[]): Record<string, PanelOrigin> {
  const out: Record<string, PanelOrigin> = Object.create(null) as Record<string, PanelOrigin>;
  for (const r of records) if (r.origin) out[r.order.postingNumber] = r.origin;
  return out;
}

/** What the figures rest on: "126 orders seen between 2 Nov and 21 Nov". */
export async function coverage(storeId: string): Promise<Coverage> {
  return coverageOf(await loadHistory(storeId));
}

export function coverageOf(records: HistoryRecord[]): Coverage {
  const c: Coverage = { count: records.length };
  let pFrom: string | undefined, pTo: string | undefined, sFrom: string | undefined, sTo: string | undefined, last: string | undefined;
  for (const r of records) {
    if (r.order.paidAt) {
      pFrom = minIso(pFrom, r.order.paidAt);
      pTo = maxIso(pTo, r.order.paidAt);
    }
    sFrom = minIso(sFrom, r.firstSeen);
    sTo = maxIso(sTo, r.firstSeen);
    last = maxIso(last, r.lastSeen);
  }
  if (pFrom && pTo) c.paidAt = { from: pFrom, to: pTo };
  if (sFrom && sTo) c.firstSeen = { from: sFrom, to: sTo };
  if (last) c.lastSeen = last;
  return c;
}

/** Calls back with the ids of the stores whose history changed (any context). */
export function watchHistory(cb: (changedStoreIds: string[]) => void): () => void {
  return indexItem.watch((next, prev) => {
    const a = isObj(next?.stores) ? next.stores : {};
    const b = isObj(prev?.stores) ? prev.stores : {};
    const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
    const changed = [...ids].filter((id) => a[id]?.rev !== b[id]?.rev || a[id]?.count !== b[id]?.count);
    if (changed.length) cb(changed);
  });
}

// ---------------------------------------------------------------- layout flag

export async function getLayoutFlags(): Promise<LayoutData> {
  try {
    const v = await layoutItem.getValue();
    return isObj(v) ? v : {};
  } catch {
    return {};
  }
}

/** Raised by `layout:status` {broken:true}, cleared by {broken:false} for the same store. */
export function setLayoutStatus(storeIdIn: string, url: string, broken: boolean, detail?: string, at = Date.now()): Promise<void> {
  const storeId = normStoreId(storeIdIn);
  return writeLock.run(async () => {
    const flags = { ...(await getLayoutFlags()) };
    const cur = flags[storeId];
    if (broken) {
      const next: LayoutFlag = { broken: true, url: String(url).slice(0, 500), at: new Date(at).toISOString() };
      if (detail) next.detail = String(detail).slice(0, 500);
      // Repeated reports of the same breakage don't rewrite storage.
      if (cur && cur.url === next.url && cur.detail === next.detail) return;
      flags[storeId] = next;
    } else {
      if (!cur) return;
      delete flags[storeId];
    }
    await layoutItem.setValue(flags);
  });
}

export function watchLayout(cb: (flags: LayoutData) => void): () => void {
  return layoutItem.watch((v) => cb(isObj(v) ? v : {}));
}

// ---------------------------------------------------------------- backup (options page)

export const BACKUP_FORMAT = 'ozon-order-guard/history';

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  stores: { id: string; label?: string; records: HistoryRecord[] }[];
}

export interface ImportAllReport {
  stores: number;
  added: number;
  updated: number;
  unchanged: number;
  dropped: { store?: string; key: string; reason: string }[];
  problem?: string;
}

export async function exportAll(now = Date.now()): Promise<Backup> {
  const stores: Backup['stores'] = [];
  for (const s of await listStores()) {
    stores.push({ id: s.id, ...(s.label && { label: s.label }), records: await loadHistory(s.id) });
  }
  return { format: BACKUP_FORMAT, version: STORE_VERSION, exportedAt: new Date(now).toISOString(), stores };
}

/**
 * Restores a backup (text or parsed): every valid record is merged record by
 * record (first/last seen, status history and fields all kept), every invalid
 * one reported. A truncated file keeps its complete records. Background only.
 */
export function importAll(json: unknown, opts: WriteOptions = {}): Promise<ImportAllReport> {
  return writeLock.run(async () => {
    const report: ImportAllReport = { stores: 0, added: 0, updated: 0, unchanged: 0, dropped: [] };
    let value = json;
    if (typeof value === 'string') {
      value = parseTruncatedJson(value);
      if (value === undefined) {
        report.problem = 'not a backup file (unreadable JSON)';
        return report;
      }
    }
    if (!isObj(value) || !Array.isArray(value.stores)) {
      report.problem = 'not a backup file (no stores)';
      return report;
    }
    if (value.format !== undefined && value.format !== BACKUP_FORMAT) {
      report.problem = `not a backup file (format ${String(value.format).slice(0, 40)})`;
      return report;
    }
    const index = await readIndex();
    for (const [i, s] of value.stores.entries()) {
      if (!isObj(s)) {
        report.dropped.push({ key: `stores[${i}]`, reason: 'not an object' });
        continue;
      }
      const storeId = isStoreId(s.id) ? s.id : UNKNOWN_STORE;
      const { data: incoming, report: r } = sanitizeStore({ orders: s.records }, storeId, opts.now);
      for (const d of r.dropped) report.dropped.push({ store: storeId, ...d });
      if (r.problem) report.dropped.push({ store: storeId, key: 'records', reason: r.problem });
      const data = await dataForWrite(storeId, index);
      for (const [pn, rec] of Object.entries(incoming.orders)) {
        if (storeId !== UNKNOWN_STORE) rec.order.storeId = storeId;
        const cur = data.orders[pn];
        if (!cur) {
          data.orders[pn] = rec;
          report.added++;
          continue;
        }
        const merged = mergeHistoryRecords(cur, rec);
        if (sameJson(merged, cur)) report.unchanged++;
        else {
          data.orders[pn] = merged;
          report.updated++;
        }
      }
      report.stores++;
      await commit(storeId, data, index, { ...opts, ...(typeof s.label === 'string' && { label: s.label }) });
    }
    return report;
  });
}

// ── Which store each panel tab shows ─────────────────────────────────────────
// Why: the popup opens on "the store of the active panel tab", but it cannot read
// the panel's company-id cookie and the extension has no "tabs" permission. The
// content script's messages carry the store id and the sender's tab id, so the
// background remembers the pair; the popup asks for its active tab's id (which
// tabs.query returns without the permission). Bounded: tab ids are reused.

const MAX_TAB_STORES = 64;

interface TabStores {
  /** tab id → { store id, when last reported } */
  tabs: Record<string, { storeId: string; at: number }>;
}

const tabStoresItem = storage.defineItem<TabStores>('local:tabStores', {
  fallback: { tabs: {} },
  version: 1,
});

/** Background only: the store `storeId` is what tab `tabId` showed last. */
export async function rememberTabStore(tabId: number, storeId: string, at = Date.now()): Promise<void> {
  if (!Number.isInteger(tabId) || tabId < 0 || !storeId) return;
  const cur = await tabStoresItem.getValue();
  const tabs = { ...(cur?.tabs ?? {}) };
  if (tabs[tabId]?.storeId === storeId && at - tabs[tabId].at < LAST_SEEN_STEP_MS) return;
  tabs[tabId] = { storeId, at };
  const ids = Object.keys(tabs);
  if (ids.length > MAX_TAB_STORES) {
    ids.sort((a, b) => tabs[a]!.at - tabs[b]!.at);
    for (const id of ids.slice(0, ids.length - MAX_TAB_STORES)) delete tabs[id];
  }
  await tabStoresItem.setValue({ tabs });
}

/** The store a panel tab showed last, if the content script ever reported one from it. */
export async function storeOfTab(tabId: number | undefined): Promise<string | undefined> {
  if (tabId === undefined) return undefined;
  const cur = await tabStoresItem.getValue();
  const hit = cur?.tabs?.[tabId];
  return hit && typeof hit.storeId === 'string' ? hit.storeId : undefined;
}
