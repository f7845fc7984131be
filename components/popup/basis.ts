/**
 * What the popup's store figures rest on: how many orders of the window, over
 * how many days of history, and whether that is enough to name a tier (M1's
 * basis floor, rulebook metrics.minOrdersForTier / minHistoryDaysForTier).
 * Only what the seller READS changes below the floor; the contract's
 * data-orders / data-rate / data-tier keep StoreRisk's values (docs/contract.md §4).
 */
import type { Order, StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';

const DAY = 86_400_000;

export interface Basis {
  /** Orders in the window (StoreRisk.orders). */
  orders: number;
  /** Days from the window's earliest paid order to now (at least 1 when there is any order). */
  days: number;
  minOrders: number;
  minDays: number;
  /** Both floors met: the tier is worth naming. */
  enough: boolean;
}

export function basisOf(risk: StoreRisk, orders: readonly Order[], now: number, rb: Rulebook): Basis {
  const windowStart = now - risk.windowDays * DAY;
  let earliest = Infinity;
  for (const o of orders) {
    const p = o.paidAt ? Date.parse(o.paidAt) : NaN;
    if (p > windowStart && p <= now && p < earliest) earliest = p;
  }
  const days = Number.isFinite(earliest) ? Math.min(risk.windowDays, Math.max(1, Math.ceil((now - earliest) / DAY))) : 0;
  const minOrders = rb.metrics.minOrdersForTier?.value ?? 0;
  const minDays = rb.metrics.minHistoryDaysForTier?.value ?? 0;
  return { orders: risk.orders, days, minOrders, minDays, enough: risk.orders >= minOrders && days >= minDays };
}
