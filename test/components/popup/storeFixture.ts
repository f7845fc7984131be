/**
 * A realistic store for the popup's screenshots and real-browser checks:
 * ~120 orders over the last 30 days with cancellations of every kind the
 * popup explains (C03 / C07 / C11 / Ozon ids, buyer / seller / system),
 * item categories (M7), and a few open orders close to their deadlines (D5).
 * Deterministic for a given `now`.
 */
import type { Order } from '../../../rules/types';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();

const SKUS = [
  { sku: '1438820111', name: 'Summer linen shirt', category: 'Apparel', price: 1890 },
  { sku: '1438820222', name: 'Canvas tote bag', category: 'Bags', price: 990 },
  { sku: '1502233301', name: 'Vitamin C serum 30 ml', category: 'Beauty', price: 1290 },
  { sku: '1502233402', name: 'Baby teether, silicone', category: 'Baby', price: 450 },
  { sku: '1611000505', name: 'USB-C cable 2 m', category: 'Electronics accessories', price: 390 },
  { sku: '1611000606', name: 'Phone stand, aluminium', category: 'Electronics accessories', price: 760 },
];

export function popupStoreOrders(now: number, prefix = '4412'): Order[] {
  const out: Order[] = [];
  let n = 0;
  const pn = () => `${prefix}${String(++n).padStart(4, '0')}-0${String(n % 1000).padStart(3, '0')}-1`;
  // Cancellations: [daysAgo, initiator, reason, sku index]
  const cancels: [number, NonNullable<Order['cancellation']>['initiator'], string | undefined, number][] = [
    [2, 'seller', 'C03', 0],
    [3, 'system', 'C07', 4],
    [5, 'seller', '352', 0],
    [8, 'buyer', undefined, 2],
    [11, 'seller', 'C11', 2],
    [14, 'system', 'C07', 5],
    [20, 'delivery', '667', 1],
  ];
  for (let i = 0; i < 118; i++) {
    const s = SKUS[i % SKUS.length]!;
    const daysAgo = 0.4 + ((i * 7) % 29) + (i % 3) * 0.2;
    const paid = now - daysAgo * D;
    out.push({
      postingNumber: pn(),
      scheme: i % 5 === 0 ? 'FBO' : 'FBS',
      status: daysAgo > 6 ? 'delivered' : daysAgo > 2 ? 'in_transit' : 'awaiting_shipment',
      paidAt: iso(paid),
      confirmedAt: iso(paid + 2 * H),
      ...(daysAgo > 2 && { trackingNumber: `RR${100000 + i}CN`, firstScanAt: iso(paid + 20 * H), lastTrackingAt: iso(now - H) }),
      ...(daysAgo <= 2 && { shipBy: iso(paid + 3 * D) }),
      items: [{ sku: s.sku, name: s.name, quantity: 1 + (i % 2), price: s.price, category: s.category }],
      currency: 'RUB',
    });
  }
  for (const [daysAgo, initiator, reasonCode, si] of cancels) {
    const s = SKUS[si]!;
    const paid = now - daysAgo * D;
    out.push({
      postingNumber: pn(),
      scheme: 'FBS',
      status: 'cancelled',
      paidAt: iso(paid),
      cancelledAt: iso(paid + 5 * H),
      cancellation: { initiator, ...(reasonCode && { reasonCode }) },
      items: [{ sku: s.sku, name: s.name, quantity: 1, price: s.price, category: s.category }],
      currency: 'RUB',
    });
  }
  // Open orders near their limits: D1 confirm (overdue, critical, at risk) and a D2 ship-by from the page.
  const openAt = (msLeft: number): Order => ({
    postingNumber: pn(),
    scheme: 'FBS',
    status: 'awaiting_confirmation',
    paidAt: iso(now + msLeft - 24 * H),
    items: [{ sku: SKUS[0]!.sku, name: SKUS[0]!.name, quantity: 1, price: SKUS[0]!.price }],
    currency: 'RUB',
  });
  out.push(openAt(-12 * MIN), openAt(24 * MIN), openAt(95 * MIN));
  out.push({
    postingNumber: pn(),
    scheme: 'FBS',
    status: 'awaiting_packaging',
    paidAt: iso(now - 30 * H),
    confirmedAt: iso(now - 29 * H),
    shipBy: iso(now + 70 * MIN),
    items: [{ sku: SKUS[1]!.sku, name: SKUS[1]!.name, quantity: 1, price: SKUS[1]!.price }],
    currency: 'RUB',
  });
  return out;
}
