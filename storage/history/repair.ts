/**
 * Reading any stored value back into the current shape (schema.ts), keeping
 * every valid record and reporting the rest; it never throws. The v1 → v2
 * migration of the storage item (items.ts) and a backup being restored
 * (backup.ts) go through the same door, so whatever a failed or foreign write
 * left behind is repaired the same way everywhere.
 */
import type { Status } from '../../rules';
import { STATUSES } from '../../rules';
import { repairOrder, toIso } from '../../rules';
import { isPanelOrigin } from '../../panel/origins';
import { HISTORY_SOURCES, type HistoryRecord, type HistorySource, type LoadReport, type StatusChange, type StoreData } from './schema';
import { boundHistory, compressHistory, mergeHistoryRecords } from './merge';
import { minIso, ms } from './helpers';
import { isObj } from '../../rules';

/**
 * v1 was the prototype's shape: a plain array of orders, each with an
 * optional `seenAt`. v2 keys records by posting number with their seen times
 * and status history. The migration shares `sanitizeStore`, which also
 * repairs whatever a failed or foreign write left behind, and never throws.
 */
export function migrateStoreV1toV2(old: unknown): StoreData {
  return sanitizeStore(old, 'migration', Date.now()).data;
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
    source: (HISTORY_SOURCES as readonly unknown[]).includes(raw.source) ? (raw.source as HistorySource) : 'page',
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
