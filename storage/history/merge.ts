/**
 * How observations of an order merge into its history record (pure).
 *
 * The rule ("newer facts win, field by field"):
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
import type { Order, OrderItem, Status } from '../../rules';
import { ORDER_INSTANT_KEYS } from '../../rules';
import { samePlain, toIso } from '../../rules';
import { isPanelOrigin, type PanelOrigin } from '../../panel/origins';
import { LAST_SEEN_STEP_MS, MAX_STATUS_HISTORY, type HistoryRecord, type HistorySource, type StatusChange } from './schema';
import { maxIso, minIso, ms } from './helpers';

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

export function compressHistory(list: StatusChange[]): StatusChange[] {
  const out: StatusChange[] = [];
  for (const e of list) {
    const last = out[out.length - 1];
    if (last && last.status === e.status) continue; // a run keeps its earliest instant
    out.push(e);
  }
  return out;
}

export function boundHistory(list: StatusChange[]): StatusChange[] {
  // Keep the first (how it started) and the latest ones (what happened lately).
  if (list.length <= MAX_STATUS_HISTORY) return list;
  return [list[0]!, ...list.slice(list.length - (MAX_STATUS_HISTORY - 1))];
}

function addStatus(list: StatusChange[], status: Status, at: string): StatusChange[] {
  if (status === 'unknown') return list;
  const merged = [...list, { status, at }].sort((a, b) => ms(a.at) - ms(b.at) || (a.status === status ? 1 : -1));
  return boundHistory(compressHistory(merged));
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

  const changed = !samePlain(order, rec.order) || !samePlain(statusHistory, rec.statusHistory);
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
