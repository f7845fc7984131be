/**
 * How long the history is kept: retention (RETENTION_DAYS past the newest
 * instant that still makes an order matter) and the per-store cap, oldest
 * first. Pure over a store's records; store.ts calls it on write.
 */
import { TERMINAL_STATUSES } from '../../rules';
import { DAY_MS, MAX_ORDERS_PER_STORE, RETENTION_DAYS, type HistoryRecord } from './schema';
import { ms } from './helpers';

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

/** Drops the `n` oldest records (the storage quota refused a write). Returns how many went. */
export function dropOldest(orders: Record<string, HistoryRecord>, n: number): number {
  const byAge = Object.keys(orders)
    .map((k) => [k, relevantAt(orders[k]!)] as const)
    .sort((x, y) => x[1] - y[1]);
  const k = Math.min(n, byAge.length);
  for (let i = 0; i < k; i++) delete orders[byAge[i]![0]];
  return k;
}
