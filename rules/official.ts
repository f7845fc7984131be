/**
 * The 'official' profile: Ozon's own documented metrics (docs/ozon-domain.md
 * §4.1–4.2), beside the seed rules' 30-day rate. These extend the rulebook's
 * ids; their numbers live in `rulebook.official`:
 *
 * - **O1 Cancellation rating** (`rating_order_cancellation`): seller-fault
 *   cancellations ÷ FBS/rFBS postings over the last 7 days, not counting
 *   today and yesterday (Moscow calendar days). Ozon publishes the warning /
 *   danger thresholds per seller (`/v1/rating/history`), so they are inputs,
 *   not rulebook numbers.
 * - **O2 Error index** (FBS & rFBS): seller-fault cancellations ÷ postings
 *   over the last 14 days, not counting today; zones green ≤ 4 %, blue ≤ 10 %,
 *   yellow ≤ 20 %, orange ≤ 40 %, red above.
 * - **O3 Error-index fees**: in the blue zone 3 %, yellow 6 %, orange and red
 *   9 % of the cancelled items' price, at most 1,500 RUB an order.
 *
 * A posting belongs to the Moscow day of its `paidAt` (the API's
 * `in_process_at`, "Принят в обработку"); a seller-fault cancellation is one
 * whose initiator is the seller or that Ozon marks `affect_cancellation_rating`.
 * FBO postings are not part of either metric.
 */
import { defaultRulebook, type NumParam, type Rulebook } from './rulebook';
import { dayKey, MS_DAY, MS_MINUTE } from './time';
import { instantMs, readScheme, readStatus } from './evaluate';
import { rulebookCfg } from './rulebook-cfg';
import { mapInitiator } from './reasons';
import type { Order } from './types';

export type ErrorZone = 'green' | 'blue' | 'yellow' | 'orange' | 'red';

export interface OfficialThresholds {
  /** `warning_threshold` of rating_order_cancellation, percent. */
  warningPct?: number;
  /** `danger_threshold` ("sales will be blocked"), percent. */
  dangerPct?: number;
}

export interface OfficialWindow {
  /** First and last Moscow day counted, 'YYYY-MM-DD' (inclusive). */
  from: string;
  to: string;
  /** FBS/rFBS postings paid in those days. */
  postings: number;
  /** Of those, cancelled by the seller's fault. */
  sellerFault: number;
  /** Percent, unrounded; 0 with no postings. */
  rate: number;
}

export interface OfficialSummary {
  profile: 'official';
  /** O1 */
  cancelRating: OfficialWindow & {
    rule: 'O1';
    /** Against the thresholds given (Ozon's own per-seller figures); absent without them. */
    status?: 'ok' | 'warning' | 'critical';
    /** More seller-fault cancellations the window can take with the rate still ≤ each threshold. */
    toWarning?: number;
    toDanger?: number;
  };
  /** O2 */
  errorIndex: OfficialWindow & {
    rule: 'O2';
    zone: ErrorZone;
    /** The zone one step worse, absent in red. */
    nextZone?: ErrorZone;
    /** "N more … puts you in the next zone": the count of further seller-fault cancellations that crosses into nextZone. */
    moreToNextZone?: number;
    /** How many more the window can take and stay in this zone (moreToNextZone − 1). */
    budgetInZone?: number;
    /** The zone bounds in force (percent, inclusive upper bounds; red has none). */
    zones: { zone: ErrorZone; maxPct?: number }[];
  };
  /** O3 */
  fees: {
    rule: 'O3';
    /** Fee rate of the current zone, percent of the cancelled items' price. */
    pct: number;
    /** Fee rate in the next zone, if it were reached. */
    nextZonePct?: number;
    capRub: number;
    /** Σ per-posting fees at the current zone's rate. */
    totalRub: number;
    postings: { postingNumber: string; priceRub: number; feeRub: number }[];
  };
}

const ZONES: ErrorZone[] = ['green', 'blue', 'yellow', 'orange', 'red'];

function num(p: NumParam | undefined, fallback: NumParam, min = 0): number {
  const v = p?.value;
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback.value;
}

/** Whole extra cancellations that keep k/n ≤ pct (0 when already over). */
function roomUnder(n: number, k: number, pct: number): number {
  return Math.max(0, Math.floor((n * pct) / 100 + 1e-9) - k);
}

function isSellerFault(o: Partial<Order>): boolean {
  const c = o.cancellation;
  if (!c || typeof c !== 'object') return false;
  if (c.affectsRating === true) return true;
  const who = c.initiator;
  return who === 'seller' || (typeof who === 'string' && who !== 'buyer' && mapInitiator(who) === 'seller');
}

/** Σ price × quantity of the posting's items (price missing → 0, quantity missing → 1). */
function postingPrice(o: Partial<Order>): number {
  let sum = 0;
  if (!Array.isArray(o.items)) return 0;
  for (const it of o.items) {
    if (!it || typeof it !== 'object') continue;
    const price = typeof it.price === 'number' && Number.isFinite(it.price) && it.price > 0 ? it.price : 0;
    const qty = typeof it.quantity === 'number' && Number.isFinite(it.quantity) && it.quantity > 0 ? it.quantity : 1;
    sum += price * qty;
  }
  return sum;
}

/**
 * O1–O3 over the orders given. `now` as an ISO instant, epoch ms or Date;
 * `thresholds` are Ozon's per-seller figures for O1 when known.
 */
export function summarizeOfficial(
  orders: Order[],
  now: string | number | Date,
  rulebook: Rulebook = defaultRulebook,
  thresholds: OfficialThresholds = {},
): OfficialSummary {
  const rb = rulebook && typeof rulebook === 'object' ? rulebook : defaultRulebook;
  const d = defaultRulebook.official;
  const p = (rb.official ?? {}) as Partial<Rulebook['official']>;
  const off = rulebookCfg(rb).moscowOffsetMinutes;
  const nowMs = instantMs(now);
  const today = Number.isFinite(nowMs) ? Math.floor((nowMs + off * MS_MINUTE) / MS_DAY) : NaN;

  const o1To = today - Math.floor(num(p.cancelRatingExcludeDays, d.cancelRatingExcludeDays));
  const o1From = o1To - Math.max(1, Math.floor(num(p.cancelRatingWindowDays, d.cancelRatingWindowDays))) + 1;
  const o2To = today - Math.floor(num(p.errorIndexExcludeDays, d.errorIndexExcludeDays));
  const o2From = o2To - Math.max(1, Math.floor(num(p.errorIndexWindowDays, d.errorIndexWindowDays))) + 1;

  const bounds = [
    num(p.errorZoneGreenMaxPct, d.errorZoneGreenMaxPct),
    num(p.errorZoneBlueMaxPct, d.errorZoneBlueMaxPct),
    num(p.errorZoneYellowMaxPct, d.errorZoneYellowMaxPct),
    num(p.errorZoneOrangeMaxPct, d.errorZoneOrangeMaxPct),
  ];
  const feePcts = [
    0,
    num(p.errorFeeBluePct, d.errorFeeBluePct),
    num(p.errorFeeYellowPct, d.errorFeeYellowPct),
    num(p.errorFeeOrangeRedPct, d.errorFeeOrangeRedPct),
    num(p.errorFeeOrangeRedPct, d.errorFeeOrangeRedPct),
  ];
  const capRub = num(p.errorFeeMaxRub, d.errorFeeMaxRub);

  let n1 = 0;
  let k1 = 0;
  let n2 = 0;
  let k2 = 0;
  const faulted: { postingNumber: string; priceRub: number }[] = [];
  const list: unknown[] = Array.isArray(orders) && Number.isFinite(today) ? orders : [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') continue;
    try {
      const o = raw as Partial<Order>;
      if (readScheme(o.scheme) === 'FBO') continue;
      const paid = instantMs(o.paidAt);
      if (!(paid === paid)) continue;
      const day = Math.floor((paid + off * MS_MINUTE) / MS_DAY);
      const in1 = day >= o1From && day <= o1To;
      const in2 = day >= o2From && day <= o2To;
      if (!in1 && !in2) continue;
      const fault = readStatus(o.status) === 'cancelled' && isSellerFault(o);
      if (in1) {
        n1++;
        if (fault) k1++;
      }
      if (in2) {
        n2++;
        if (fault) {
          k2++;
          const pn = typeof o.postingNumber === 'string' ? o.postingNumber : '';
          faulted.push({ postingNumber: pn, priceRub: postingPrice(o) });
        }
      }
    } catch {
      continue;
    }
  }

  const rate1 = n1 ? (k1 * 100) / n1 : 0;
  const rate2 = n2 ? (k2 * 100) / n2 : 0;
  const dayStr = (x: number) => (Number.isFinite(x) ? dayKey(x) : '');

  const cancelRating: OfficialSummary['cancelRating'] = { rule: 'O1', from: dayStr(o1From), to: dayStr(o1To), postings: n1, sellerFault: k1, rate: rate1 };
  const warn = typeof thresholds?.warningPct === 'number' && Number.isFinite(thresholds.warningPct) ? thresholds.warningPct : undefined;
  const danger = typeof thresholds?.dangerPct === 'number' && Number.isFinite(thresholds.dangerPct) ? thresholds.dangerPct : undefined;
  if (warn !== undefined || danger !== undefined) {
    cancelRating.status = danger !== undefined && rate1 > danger ? 'critical' : warn !== undefined && rate1 > warn ? 'warning' : 'ok';
    if (warn !== undefined) cancelRating.toWarning = roomUnder(n1, k1, warn);
    if (danger !== undefined) cancelRating.toDanger = roomUnder(n1, k1, danger);
  }

  let zi = bounds.findIndex((b) => rate2 <= b);
  if (zi < 0) zi = 4;
  const errorIndex: OfficialSummary['errorIndex'] = {
    rule: 'O2',
    from: dayStr(o2From),
    to: dayStr(o2To),
    postings: n2,
    sellerFault: k2,
    rate: rate2,
    zone: ZONES[zi]!,
    zones: ZONES.map((zone, i) => (i < 4 ? { zone, maxPct: bounds[i]! } : { zone })),
  };
  if (zi < 4) {
    errorIndex.nextZone = ZONES[zi + 1]!;
    if (n2 > 0) {
      const room = roomUnder(n2, k2, bounds[zi]!);
      errorIndex.budgetInZone = room;
      errorIndex.moreToNextZone = room + 1;
    }
  }

  const pct = feePcts[zi]!;
  const postings = faulted.map((f) => ({ ...f, feeRub: Math.min((f.priceRub * pct) / 100, capRub) }));
  const fees: OfficialSummary['fees'] = {
    rule: 'O3',
    pct,
    capRub,
    totalRub: postings.reduce((s, x) => s + x.feeRub, 0),
    postings,
  };
  if (zi < 4) fees.nextZonePct = feePcts[zi + 1]!;

  return { profile: 'official', cancelRating, errorIndex, fees };
}
