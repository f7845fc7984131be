/**
 * The open order the background and CSV tests build around a ship deadline: FBS, awaiting
 * shipment, paid 48 h and confirmed 47 h before `due`, which is its shipBy (D2, the page's
 * own deadline). Every reminder point and level then sits at a known distance from `due`.
 */
import type { Order } from '../../rules/types';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Order `n` due to ship at `due`; `extra` adds or replaces fields. */
export function shipOrder(n: string, due: number, extra: Partial<Order> = {}): Order {
  return {
    postingNumber: n,
    scheme: 'FBS',
    status: 'awaiting_shipment',
    paidAt: iso(due - 48 * H),
    confirmedAt: iso(due - 47 * H),
    shipBy: iso(due),
    ...extra,
  };
}
