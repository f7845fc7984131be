/**
 * summarizeStore: the store's cancellation risk over the last 30 days
 * (docs/contract.md §2, rules M1–M7, D5 for the at-risk list, A3).
 *
 * One pass over the orders; only orders in an open stage get their deadline
 * computed (terminal orders have none), through the same arithmetic as
 * evaluateOrder but without building a Verdict. Archived orders count like
 * any other (A3): archiving hides an order, it does not remove it from a metric.
 */
import { defaultRulebook, type NumParam, type Rulebook } from './rulebook';
import { mapInitiator, normalizeReasonCode, reasonFamily, type ReasonFamily } from './reasons';
import { dayKey, isoUtc, isValidMs, MS_DAY, MS_MINUTE } from './time';
import { instantMs, levelFor, rawDeadline, readScheme, readStatus } from './evaluate';
import { rulebookCfg } from './rulebook-cfg';
import { MAX_PRICE, MAX_QUANTITY } from './order-schema';
import { INITIATORS, type Initiator, type Order, type OrderItem, type Status, type StoreRisk, type StoreRiskExtras } from './types';

const INITIATOR_SET: ReadonlySet<string> = new Set(INITIATORS);

function readInitiator(x: unknown): Initiator {
  if (typeof x === 'string' && INITIATOR_SET.has(x)) return x as Initiator;
  return typeof x === 'string' ? mapInitiator(x) : 'unknown';
}

/** byReason's key: the code as given (trimmed), 'unknown' when absent. */
function reasonKey(x: unknown): string {
  if (typeof x === 'string') {
    const t = x.trim();
    return t ? t : 'unknown';
  }
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  return 'unknown';
}

function num(p: NumParam | undefined, fallback: NumParam, min = 0): number {
  const v = p?.value;
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback.value;
}

/** M7: which baseline a free-form category falls under (apparel / shoes / bags, beauty, baby). */
export function categoryBaselineKey(category: string): 'apparel' | 'beauty' | 'baby' | undefined {
  const c = category.toLowerCase().replace(/ё/g, 'е');
  if (/(apparel|cloth|fashion|shoe|footwear|bag|одежд|обув|сумк|服装|服饰|女装|男装|鞋|包)/u.test(c)) return 'apparel';
  if (/(beauty|cosmetic|makeup|skin ?care|красот|косметик|уход за|美妆|美容|化妆|护肤)/u.test(c)) return 'beauty';
  if (/(baby|infant|kids|child|toddler|детск|детям|малыш|младен|母婴|婴|儿童|童装)/u.test(c)) return 'baby';
  return undefined;
}

/** Whole cancellations the window can take with the rate still ≤ pct. */
function budgetFor(orders: number, total: number, pct: number): number {
  // The epsilon keeps 280 × 2.5 % = 7 from becoming 6.999… through binary fractions.
  return Math.max(0, Math.floor((orders * pct) / 100 + 1e-9) - total);
}

const DEADLINE_STATUSES: ReadonlySet<Status> = new Set<Status>(['awaiting_confirmation', 'awaiting_packaging', 'awaiting_shipment', 'picked_up', 'in_transit']);

interface DayAcc {
  orders: number;
  cancelled: number;
  autoCancelled: number;
  sellerCancelled: number;
}

/**
 * The store's risk (contract §2). `now` is an ISO instant, epoch ms or a
 * Date; an invalid `now` gives an empty window (all zeros) and no at-risk list.
 */
export function summarizeStore(orders: Order[], now: string | number | Date, rulebook: Rulebook = defaultRulebook): StoreRisk {
  const rb = rulebook && typeof rulebook === 'object' ? rulebook : defaultRulebook;
  const d = defaultRulebook.metrics;
  const m = (rb.metrics ?? {}) as Partial<Rulebook['metrics']>;
  const cfg = rulebookCfg(rb);
  const windowDays = num(m.windowDays, d.windowDays, 0);
  const safeMax = num(m.safeMaxPct, d.safeMaxPct);
  const warningMax = num(m.warningMaxPct, d.warningMaxPct);
  const rw = (m.reasonWeights ?? {}) as Partial<Rulebook['metrics']['reasonWeights']>;
  const weights: Record<string, number> = {
    C03: num(rw.C03, d.reasonWeights.C03),
    C07: num(rw.C07, d.reasonWeights.C07),
    C11: num(rw.C11, d.reasonWeights.C11),
  };
  const topN = Math.floor(num(m.topSkuCount, d.topSkuCount));
  const off = cfg.moscowOffsetMinutes;

  const nowMs = instantMs(now);
  const valid = nowMs === nowMs;
  const start = nowMs - windowDays * MS_DAY;

  let n = 0;
  let total = 0;
  let buyer = 0;
  let seller = 0;
  let system = 0;
  let weightSum = 0;
  let gmv = 0;
  let currency: string | undefined;
  let mixedCurrency = false;
  let refundsWithoutReturn = 0;
  let minPaid = Infinity;
  let maxPaid = -Infinity;
  const byReason: Record<string, number> = {};
  const families: Record<ReasonFamily, number> = { C03: 0, C07: 0, C11: 0, other: 0 };
  const skus = new Map<string, { cancelled: number; byReason: Record<string, number> }>();
  const days = new Map<number, DayAcc>();
  const cats = new Map<string, { orders: number; cancelled: number }>();
  const risky: { pn: string; due: number }[] = [];
  // M3 per-SKU daily review: seller cancellations by sku|day, then that sku's orders that day.
  const sellerSkuDay = new Map<string, Map<number, number>>();
  // Every window order's distinct SKUs with its paid day, collected as the first pass reads its items:
  // the second pass then reads these flat lists, not 100,000 orders' item objects again.
  const winSku: string[] = [];
  const winSkuDay: number[] = [];
  /** An order's SKUs already collected (one array for every order: a new one per order was most of the old second pass's garbage). */
  const seen: string[] = [];

  const list: unknown[] = Array.isArray(orders) ? orders : [];
  for (let i = 0; i < list.length; i++) {
    const o = list[i] as Partial<Order> | null;
    if (!o || typeof o !== 'object') continue;
    try {
      const status = readStatus(o.status);
      if (valid && DEADLINE_STATUSES.has(status)) {
        const dl = rawDeadline(o, status, readScheme(o.scheme), cfg);
        // Same rule as evaluateOrder: a limit past the Date range is no deadline at all.
        const level = dl && isValidMs(dl.due) ? levelFor(dl.due - nowMs, cfg.atRiskMs, cfg.criticalMs) : 'none';
        if (level === 'at_risk' || level === 'critical' || level === 'overdue') {
          const pn = typeof o.postingNumber === 'string' ? o.postingNumber : typeof o.postingNumber === 'number' ? String(o.postingNumber) : '';
          risky.push({ pn, due: dl!.due });
        }
      }

      if (o.refundedWithoutReturnAt !== undefined) {
        const rf = instantMs(o.refundedWithoutReturnAt);
        if (rf > start && rf <= nowMs) refundsWithoutReturn++;
      }
      const paid = instantMs(o.paidAt);
      if (!(paid > start && paid <= nowMs)) continue;
      n++;
      if (paid < minPaid) minPaid = paid;
      if (paid > maxPaid) maxPaid = paid;
      const dayIdx = Math.floor((paid + off * MS_MINUTE) / MS_DAY);
      let day = days.get(dayIdx);
      if (!day) days.set(dayIdx, (day = { orders: 0, cancelled: 0, autoCancelled: 0, sellerCancelled: 0 }));
      day.orders++;

      if (typeof o.currency === 'string' && o.currency) {
        if (currency === undefined) currency = o.currency;
        else if (currency !== o.currency) mixedCurrency = true;
      }
      // Each field read once (a second read of a getter may answer otherwise, or throw).
      const rawItems: unknown = o.items;
      const items = Array.isArray(rawItems) ? (rawItems as unknown[]) : undefined;
      let orderCats: string[] | undefined;
      /** This order's distinct SKUs are winSku[skuFrom …]. */
      const skuFrom = winSku.length;
      if (items) {
        seen.length = 0;
        for (let k = 0; k < items.length; k++) {
          const it = items[k] as Partial<OrderItem> | null | undefined;
          if (!it || typeof it !== 'object') continue;
          const rawSku: unknown = it.sku;
          const sku = typeof rawSku === 'string' ? rawSku : typeof rawSku === 'number' ? String(rawSku) : '';
          if (sku && !seen.includes(sku)) {
            seen.push(sku);
            winSku.push(sku);
            winSkuDay.push(dayIdx);
          }
          const rawPrice: unknown = it.price;
          const rawQty: unknown = it.quantity;
          // Within the bounds a stored order's item keeps (rules/order-schema.ts): beyond them a value
          // is garbage, and products of such values summed over a store overflowed GMV to Infinity.
          const price = typeof rawPrice === 'number' && rawPrice > 0 && rawPrice <= MAX_PRICE ? rawPrice : 0;
          const qty = typeof rawQty === 'number' && rawQty > 0 && rawQty <= MAX_QUANTITY ? rawQty : 1;
          gmv += price * qty;
          const rawCat: unknown = it.category;
          const c = typeof rawCat === 'string' ? rawCat.trim() : '';
          if (c) {
            if (!orderCats) orderCats = [c];
            else if (!orderCats.includes(c)) orderCats.push(c);
          }
        }
      }
      const cancelled = status === 'cancelled';
      if (orderCats) {
        for (const c of orderCats) {
          let acc = cats.get(c);
          if (!acc) cats.set(c, (acc = { orders: 0, cancelled: 0 }));
          acc.orders++;
          if (cancelled) acc.cancelled++;
        }
      }
      if (!cancelled) continue;

      total++;
      day.cancelled++;
      const c = o.cancellation && typeof o.cancellation === 'object' ? o.cancellation : undefined;
      const who = c ? readInitiator(c.initiator) : 'unknown';
      if (who === 'buyer') buyer++;
      else if (who === 'seller') {
        seller++;
        day.sellerCancelled++;
      } else if (who === 'system') {
        system++;
        day.autoCancelled++;
      }
      const key = reasonKey(c?.reasonCode);
      byReason[key] = (byReason[key] ?? 0) + 1;
      const norm = key === 'unknown' ? undefined : normalizeReasonCode(key);
      const w = norm !== undefined && Object.prototype.hasOwnProperty.call(weights, norm) ? weights[norm]! : 1;
      weightSum += w;
      families[reasonFamily(norm)]++;

      // Its distinct SKUs, as the items loop above collected them.
      for (let j = skuFrom; j < winSku.length; j++) {
        const sku = winSku[j]!;
        let acc = skus.get(sku);
        if (!acc) skus.set(sku, (acc = { cancelled: 0, byReason: {} }));
        acc.cancelled++;
        acc.byReason[key] = (acc.byReason[key] ?? 0) + 1;
        if (who === 'seller') {
          let byDay = sellerSkuDay.get(sku);
          if (!byDay) sellerSkuDay.set(sku, (byDay = new Map()));
          byDay.set(dayIdx, (byDay.get(dayIdx) ?? 0) + 1);
        }
      }
    } catch {
      // A hostile getter on one order must not sink the whole summary.
      continue;
    }
  }

  const pct = (x: number) => (n > 0 ? (x * 100) / n : 0);
  const cancellationRate = pct(total);
  const weightedRate = pct(weightSum);
  const sellerRate = pct(seller);
  const autoCancelRate = pct(system);
  const tierOf = (r: number): StoreRisk['tier'] => (r <= safeMax ? 'safe' : r <= warningMax ? 'warning' : 'critical');
  const tier = tierOf(cancellationRate);
  const budget = { toWarning: budgetFor(n, total, safeMax), toCritical: budgetFor(n, total, warningMax) };

  const topSkus = [...skus.entries()]
    .sort((a, b) => b[1].cancelled - a[1].cancelled || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, topN)
    .map(([sku, acc]) => ({ sku, cancelled: acc.cancelled, byReason: acc.byReason }));

  const TIER_RANK = { safe: 0, warning: 1, critical: 2 } as const;
  const actions: string[] = [];
  if (tier !== 'safe') actions.push('M1');
  // M2: the reason weights push the store into a worse tier than the plain count does.
  if (TIER_RANK[tierOf(weightedRate)] > TIER_RANK[tier]) actions.push('M2');
  if (sellerRate > num(m.sellerRankPct, d.sellerRankPct)) actions.push('M3');
  if (autoCancelRate > num(m.acrRankPct, d.acrRankPct)) actions.push('M4');
  if (cancellationRate > num(m.responsePlanPct, d.responsePlanPct)) actions.push('M5');
  if (cancellationRate > warningMax) actions.push('M6');

  risky.sort((a, b) => a.due - b.due || (a.pn < b.pn ? -1 : a.pn > b.pn ? 1 : 0));
  const atRisk = risky.map((r) => r.pn);

  // Extras: per-day series, M4 spikes, M3 per-SKU daily reviews, M6 exposure, M7 baselines.
  const perDay: StoreRiskExtras['perDay'] = [];
  const autoCancelSpikes: NonNullable<StoreRiskExtras['autoCancelSpikes']> = [];
  if (valid && n > 0) {
    const last = Math.floor((nowMs + off * MS_MINUTE) / MS_DAY);
    // An edited rulebook may hold a huge window: the series keeps the last year at most.
    const first = Math.max(Math.floor((start + 1 + off * MS_MINUTE) / MS_DAY), last - 365);
    const spikePp = num(m.acrSpikePp, d.acrSpikePp);
    let prevRate: number | undefined;
    for (let di = first; di <= last; di++) {
      const acc = days.get(di) ?? { orders: 0, cancelled: 0, autoCancelled: 0, sellerCancelled: 0 };
      const day = dayKey(di);
      perDay.push({ day, ...acc });
      // Days without orders have no rate: compare with the last day that had some.
      if (acc.orders === 0) continue;
      const rate = (acc.autoCancelled * 100) / acc.orders;
      if (prevRate !== undefined && rate - prevRate > spikePp) autoCancelSpikes.push({ day, rate, jumpPp: rate - prevRate });
      prevRate = rate;
    }
  }

  const skuReviews: NonNullable<StoreRiskExtras['skuReviews']> = [];
  if (sellerSkuDay.size) {
    // Second pass only for the (sku, day) pairs that had a seller cancellation.
    const ordersOf = new Map<string, Map<number, number>>();
    for (let j = 0; j < winSku.length; j++) {
      const sku = winSku[j]!;
      const dayIdx = winSkuDay[j]!;
      const byDay = sellerSkuDay.get(sku);
      if (!byDay || !byDay.has(dayIdx)) continue;
      let counts = ordersOf.get(sku);
      if (!counts) ordersOf.set(sku, (counts = new Map()));
      counts.set(dayIdx, (counts.get(dayIdx) ?? 0) + 1);
    }
    const limit = num(m.skuDailySellerPct, d.skuDailySellerPct);
    for (const [sku, byDay] of sellerSkuDay) {
      for (const [dayIdx, sc] of byDay) {
        const ordersThatDay = Math.max(sc, ordersOf.get(sku)?.get(dayIdx) ?? 0);
        const rate = (sc * 100) / ordersThatDay;
        if (rate > limit) skuReviews.push({ sku, day: dayKey(dayIdx), orders: ordersThatDay, sellerCancelled: sc, rate });
      }
    }
    skuReviews.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  const baselines = (m.categoryBaselines ?? {}) as Partial<Rulebook['metrics']['categoryBaselines']>;
  const categories: NonNullable<StoreRiskExtras['categories']> = [...cats.entries()]
    .sort((a, b) => b[1].orders - a[1].orders || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([category, acc]) => {
      const key = categoryBaselineKey(category);
      const rate = acc.orders ? (acc.cancelled * 100) / acc.orders : 0;
      const row: NonNullable<StoreRiskExtras['categories']>[number] = { category, orders: acc.orders, cancelled: acc.cancelled, rate };
      if (key) {
        row.baselineKey = key;
        row.baseline = num(baselines[key], d.categoryBaselines[key]);
        row.aboveBaseline = rate > row.baseline;
      }
      return row;
    });

  // M6: a rulebook edited to an absurd percentage must not make the amount Infinity either.
  const penaltyPct = (gmv * num(m.penaltyGmvPct, d.penaltyGmvPct)) / 100;
  const penaltyAmount = Math.max(Number.isFinite(penaltyPct) ? penaltyPct : Number.MAX_VALUE, num(m.penaltyMinRub, d.penaltyMinRub));
  const extras: StoreRiskExtras = {
    gmv,
    depositPenalty: {
      applies: cancellationRate > warningMax,
      amountRub: penaltyAmount,
      rule: 'M6',
      consecutivePeriods: Math.floor(num(m.penaltyConsecutivePeriods, d.penaltyConsecutivePeriods)),
    },
    categories,
    autoCancelSpikes,
    skuReviews,
    reasonFamilies: families,
    perDay,
  };
  if (currency && !mixedCurrency) extras.currency = currency;
  if (mixedCurrency) extras.mixedCurrency = true;
  if (n > 0) extras.coverage = { from: isoUtc(minPaid), to: isoUtc(maxPaid) };
  const e = (rb.eligibility ?? {}) as Partial<Rulebook['eligibility']>;
  const refundLimit = num(e.refundWithoutReturnMaxPerMonth, defaultRulebook.eligibility.refundWithoutReturnMaxPerMonth);
  extras.refundsWithoutReturn = { count: refundsWithoutReturn, limit: refundLimit, highRisk: refundsWithoutReturn > refundLimit, rule: 'C5' };

  return {
    windowDays,
    orders: n,
    cancelled: { total, buyer, seller, system, byReason },
    cancellationRate,
    weightedRate,
    tier,
    sellerRate,
    autoCancelRate,
    budget,
    topSkus,
    actions,
    atRisk,
    extras,
  };
}
