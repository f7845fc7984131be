/**
 * The public shapes of the rules module (docs/contract.md §2).
 *
 * Everything here is plain JSON: instants are UTC ISO-8601 strings so an
 * Order can be stored, messaged between the page, the content script and the
 * background, and compared, without any Date objects crossing a boundary.
 */

export type Scheme = 'FBS' | 'FBO' | 'rFBS';

export type Status =
  | 'created' // placed, not yet processed (awaiting_verification)
  | 'awaiting_confirmation' // paid, seller has not confirmed (awaiting_approve)
  | 'awaiting_packaging' // paid, no waybill yet ("Paid" in the rulebook)
  | 'awaiting_shipment' // packed / waybill made ("Processing")
  | 'picked_up' // driver_pickup, sent_by_seller
  | 'in_transit' // delivering
  | 'delivered'
  | 'cancelled'
  | 'returned'
  | 'failed_to_deliver'
  | 'disputed' // arbitration, client_arbitration, not_accepted
  | 'unknown';

export const STATUSES: readonly Status[] = [
  'created',
  'awaiting_confirmation',
  'awaiting_packaging',
  'awaiting_shipment',
  'picked_up',
  'in_transit',
  'delivered',
  'cancelled',
  'returned',
  'failed_to_deliver',
  'disputed',
  'unknown',
];

export type Initiator = 'buyer' | 'seller' | 'system' | 'ozon' | 'delivery' | 'unknown';

export const SCHEMES: readonly Scheme[] = ['FBS', 'FBO', 'rFBS'];
export const INITIATORS: readonly Initiator[] = ['buyer', 'seller', 'system', 'ozon', 'delivery', 'unknown'];

export interface OrderItem {
  sku: string;
  offerId?: string;
  name?: string;
  quantity: number;
  price?: number;
  /** Free-form category, used for the M7 baselines where known. */
  category?: string;
  /** Item weight, for the M8 return-cost note where known. */
  weightKg?: number;
}

export interface OrderFlags {
  digital?: boolean;
  electronics?: boolean;
  preorder?: boolean;
  autoConfirmShipment?: boolean;
  delayApproved?: boolean;
}

export interface Cancellation {
  initiator: Initiator;
  reasonCode?: string; // 'C03' | 'C07' | 'C11' | Ozon's numeric id as text
  reasonText?: string;
  affectsRating?: boolean;
}

export interface Order {
  postingNumber: string;
  storeId?: string;
  scheme: Scheme;
  status: Status;
  paidAt?: string;
  confirmedAt?: string;
  shipBy?: string;
  trackingNumber?: string;
  trackingUploadedAt?: string;
  carrier?: string;
  firstScanAt?: string;
  lastTrackingAt?: string;
  inCustoms?: boolean;
  cancelledAt?: string;
  deliveredAt?: string;
  /** D8: when the seller asked the buyer to agree to a cancellation (the buyer then has 24 h). */
  cancelRequestedAt?: string;
  /** C5: when the seller refunded this order without a return, where known. */
  refundedWithoutReturnAt?: string;
  /** A3: archived in the panel / extension; it still counts in every metric. */
  archived?: boolean;
  cancellation?: Cancellation;
  flags?: OrderFlags;
  /** Where each flag came from (page, settings list, store switch), for the badge card. */
  flagSources?: Partial<Record<keyof OrderFlags, 'page' | 'sku_list' | 'store_setting'>>;
  availableActions?: string[];
  items?: OrderItem[];
  currency?: string;
}

/** Every field of an Order that holds an instant (UTC ISO): validators and mergers share this list. */
export const ORDER_INSTANT_KEYS = [
  'paidAt',
  'confirmedAt',
  'shipBy',
  'trackingUploadedAt',
  'firstScanAt',
  'lastTrackingAt',
  'cancelledAt',
  'deliveredAt',
  'cancelRequestedAt',
] as const satisfies readonly (keyof Order)[];

export type Level = 'none' | 'ok' | 'at_risk' | 'critical' | 'overdue';

export type DeadlineKind = 'confirm' | 'ship' | 'first_scan' | 'transit_stall';

export interface Deadline {
  kind: DeadlineKind;
  dueAt: string;
  autoCancelAt?: string;
  msLeft: number;
  rule: string;
  source: 'page' | 'rulebook';
}

/** Informational notes beyond the contract (D6, D7, D3 carrier …). */
export interface VerdictNote {
  rule: string;
  /** A stable machine key; the UI turns it into words through i18n. */
  key: string;
  /** Instant the note is about (window end), when it has one. */
  until?: string;
  /** Whether the window/condition is still open at `now`. */
  open?: boolean;
}

/**
 * The machine form of `cancel.next`, so the UI can translate it:
 * - confirm_now: cancel is locked (C2) in the confirm stage — confirm before the deadline
 * - ship_now: cancel is closed (C1 tracking number / C2 lock) — ship on time
 * - return_or_refuse: after hand-over — a return request or the buyer refusing delivery (C3)
 * - return_request: delivered — only a return request (C3)
 * - resolve_dispute: disputed — settle it in the Disputed tab, then a return (C3)
 * - report_stalled_then_archive: transit stalled past D4 — "Report issue", then archive once Failed to Deliver
 * - wait_buyer: created, not yet processed — only the buyer can cancel (C4)
 * - archive: already closed (L1) — nothing to cancel; archive it (A1)
 * - check_status: status not recognised (L3) — check the order in the panel
 * - panel_blocks: the panel's own action list says no (P1)
 */
export type NextKey =
  | 'confirm_now'
  | 'ship_now'
  | 'return_or_refuse'
  | 'return_request'
  | 'resolve_dispute'
  | 'report_stalled_then_archive'
  | 'wait_buyer'
  | 'archive'
  | 'check_status'
  | 'panel_blocks';

export interface Verdict {
  postingNumber: string;
  cancel: { allowed: boolean; rule: string; next?: string; nextKey?: NextKey };
  archive: { allowed: boolean; rule: string };
  deadline?: Deadline;
  level: Level;
  rules: string[];
  notes?: VerdictNote[];
}

export interface StoreRisk {
  windowDays: number;
  orders: number;
  cancelled: {
    total: number;
    buyer: number;
    seller: number;
    system: number;
    byReason: Record<string, number>;
  };
  cancellationRate: number;
  weightedRate: number;
  tier: 'safe' | 'warning' | 'critical';
  sellerRate: number;
  autoCancelRate: number;
  budget: { toWarning: number; toCritical: number };
  topSkus: { sku: string; cancelled: number; byReason: Record<string, number> }[];
  actions: string[];
  atRisk: string[];
  /** Extras beyond the contract: M6 exposure, M7 baselines, M4 spikes, per-day series. */
  extras?: StoreRiskExtras;
}

export interface StoreRiskExtras {
  /** Window GMV: Σ item price × quantity over the window's orders (price missing → 0, quantity missing → 1). */
  gmv: number;
  /** The orders' currency when they all share one. */
  currency?: string;
  /** The window's orders carry more than one currency (GMV then mixes them). */
  mixedCurrency?: boolean;
  /** M6: 0.5 % of the window GMV, at least 50,000 RUB; applies once the rate is above the critical line (two periods in a row). */
  depositPenalty?: { applies: boolean; amountRub: number; rule: 'M6'; consecutivePeriods?: number };
  /** M7: per item category (as the items name it), with the seed baseline where one applies. */
  categories?: {
    category: string;
    orders: number;
    cancelled: number;
    rate: number;
    baseline?: number;
    baselineKey?: 'apparel' | 'beauty' | 'baby';
    aboveBaseline?: boolean;
  }[];
  /** M4: days whose auto-cancel rate jumped more than acrSpikePp over the previous day with orders. */
  autoCancelSpikes?: { day: string; rate: number; jumpPp: number }[];
  /** M3: one SKU whose seller cancellations were above skuDailySellerPct of its orders on one Moscow day. */
  skuReviews?: { sku: string; day: string; orders: number; sellerCancelled: number; rate: number }[];
  /** M5: cancellations by playbook family (C03 delist / C07 logistics / C11 listing / other). */
  reasonFamilies?: { C03: number; C07: number; C11: number; other: number };
  /** Every Moscow calendar day of the window, oldest first, by paidAt. */
  perDay: { day: string; orders: number; cancelled: number; autoCancelled?: number; sellerCancelled?: number }[];
  /** The earliest and latest paidAt the figures rest on. */
  coverage?: { from: string; to: string };
  /** C5: refunds without a return in the window (by refundedWithoutReturnAt); more than `limit` marks a "High Risk Seller". */
  refundsWithoutReturn?: { count: number; limit: number; highRisk: boolean; rule: 'C5' };
}
