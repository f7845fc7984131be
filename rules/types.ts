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

export interface OrderItem {
  sku: string;
  offerId?: string;
  name?: string;
  quantity: number;
  price?: number;
  /** Free-form category, used for the M7 baselines where known. */
  category?: string;
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
  cancellation?: Cancellation;
  flags?: OrderFlags;
  /** Where each flag came from (page, settings list, store switch), for the badge card. */
  flagSources?: Partial<Record<keyof OrderFlags, 'page' | 'sku_list' | 'store_setting'>>;
  availableActions?: string[];
  items?: OrderItem[];
  currency?: string;
}

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

export interface Verdict {
  postingNumber: string;
  cancel: { allowed: boolean; rule: string; next?: string };
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
  /** Window GMV (sum of item price × quantity of window orders), by currency. */
  gmv: number;
  currency?: string;
  /** M6: what a deposit penalty would be if this period and the next are above the critical line. */
  depositPenalty?: { applies: boolean; amountRub: number; rule: 'M6' };
  /** M7: category → { rate, baseline } where items carry a category. */
  categories?: { category: string; orders: number; cancelled: number; rate: number; baseline?: number }[];
  /** M4: one-day auto-cancel spikes (percentage points jump day over day). */
  autoCancelSpikes?: { day: string; rate: number; jumpPp: number }[];
  /** Cancellations per Moscow calendar day over the window, oldest first. */
  perDay: { day: string; orders: number; cancelled: number }[];
  /** The earliest and latest paidAt the figures rest on. */
  coverage?: { from: string; to: string };
}
