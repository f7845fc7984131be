/**
 * The rulebook: every number of docs/rulebook.md, each with its rule id and
 * the seed document it came from. This is the ONLY file that holds a rule's
 * number; code reads `rulebook.<group>.<name>.value`, the options page lists
 * and edits the same params (by walking `paramsOf`), and tooltips cite `rule`.
 *
 * Seeds: S0 can a paid order be cancelled, S1 auto-cancellation deadlines,
 * S2 too many cancellations, S3 cancel after shipping (buyer), S4 archiving.
 * `API` marks figures from Ozon's own Seller API docs (the official profile).
 */

export type Unit =
  | 'min' // minutes
  | 'h' // hours
  | 'd' // days
  | 's' // seconds
  | '%' // percent, 0–100
  | 'pp' // percentage points
  | 'x' // a weight / multiplier, ≥ 0
  | 'RUB'
  | 'kg'
  | 'count'
  | 'list'; // a list of strings

/** OOG: the project's own choice where the sources are silent (docs/rulebook.md), always stated with its reason. */
export type Seed = 'S0' | 'S1' | 'S2' | 'S3' | 'S4' | 'API' | 'OOG';

export interface Param<T = number> {
  value: T;
  rule: string;
  seed: Seed;
  unit: Unit;
}

export type NumParam = Param<number>;
export type ListParam = Param<string[]>;

export interface Rulebook {
  /** Bumped when the shape changes; stored overrides are migrated by it. */
  version: 1;
  /** Which store metric the popup headlines: the seed rules (M1) or Ozon's documented metrics. */
  profile: 'seed' | 'official';
  time: {
    moscowOffsetMinutes: NumParam; // T1
  };
  deadlines: {
    confirmHours: NumParam; // D1
    confirmDelayApprovedHours: NumParam; // D1 (SHIP-DELAY)
    autoCancelAfterHours: NumParam; // D1 / D2: system cancels this long after the limit
    shipHoursFBO: NumParam; // D2
    shipHoursFBS: NumParam; // D2
    shipHoursRFBS: NumParam; // D2 (rFBS not named: treated as FBS)
    firstScanHours: NumParam; // D3
    carrierWhitelist: ListParam; // D3
    transitStallDays: NumParam; // D4
    transitAvgDomesticDays: NumParam; // D4 (information)
    transitAvgCrossBorderDays: NumParam; // D4 (information)
    atRiskHours: NumParam; // D5
    criticalMinutes: NumParam; // D5 (reminder 30 min before)
    sellerCancelWindowMinutes: NumParam; // D6
    autoWaybillMedianSeconds: NumParam; // D6 (11 min 23 s)
    buyerCancelRequestMinutes: NumParam; // D7
    buyerConfirmHours: NumParam; // D8
  };
  eligibility: {
    refundWithoutReturnMaxPerMonth: NumParam; // C5
    highRiskNoListingDays: NumParam; // C5
    returnRefundHours: NumParam; // C3 (refund within 48 h of receiving the item)
  };
  metrics: {
    windowDays: NumParam; // M1
    safeMaxPct: NumParam; // M1 (≤ 2.5 safe)
    warningMaxPct: NumParam; // M1 (≤ 4.0 warning, above: critical)
    platformAvgPct: NumParam; // M1
    warningPromoFreezeDays: NumParam; // M1
    reasonWeights: {
      C03: NumParam; // M2 out of stock
      C07: NumParam; // M2 logistics delay
      C11: NumParam; // M2 description mismatch
    };
    sellerRankPct: NumParam; // M3 (> 3 % → rank −15 %)
    sellerRankPenaltyPct: NumParam; // M3
    sellerNoPromoPct: NumParam; // M3 (> 5 % → no Ozon Day)
    skuDailySellerPct: NumParam; // M3 (one SKU > 5 % in one day → review)
    cancelScoreWeightPct: NumParam; // M3 (12 % of the health score)
    acrRankPct: NumParam; // M4 (> 2.5 %)
    acrRankPenaltyMinPct: NumParam; // M4 (−15 %)
    acrRankPenaltyMaxPct: NumParam; // M4 (−30 %)
    acrTrafficPct: NumParam; // M4 (> 5 % → traffic limited)
    acrScoreWeightPct: NumParam; // M4 (18 %)
    acrSpikePp: NumParam; // M4 (one-day jump > 10 pp)
    rootCauseReportHours: NumParam; // M4 (72 h)
    responsePlanPct: NumParam; // M5 (> 3.0 %)
    topSkuCount: NumParam; // M5 (top 5)
    listingRewriteHours: NumParam; // M5 (C11 → rewrite within 24 h)
    penaltyConsecutivePeriods: NumParam; // M6
    penaltyGmvPct: NumParam; // M6 (0.5 % of GMV)
    penaltyMinRub: NumParam; // M6 (≥ 50,000 RUB)
    categoryBaselines: {
      apparel: NumParam; // M7 apparel / shoes / bags
      beauty: NumParam; // M7
      baby: NumParam; // M7
    };
    freeReturnMaxKg: NumParam; // M8
    /**
     * M1's basis: below this many orders in the window the popup shows "not enough data yet" instead of a
     * tier. A floor, not a statistic (the project's choice, OOG): under 20 orders ONE cancellation moves the
     * rate by more than 5 percentage points, past both lines at once, so the tier would follow single orders.
     */
    minOrdersForTier: NumParam; // M1 (OOG)
    /** M1's basis: fewer days of history than this (a week, so weekdays and a weekend are in it) is noise too. */
    minHistoryDaysForTier: NumParam; // M1 (OOG)
  };
  /** Ozon's documented metrics (docs/ozon-domain.md §4.1–4.2), the 'official' profile. */
  official: {
    cancelRatingWindowDays: NumParam; // O1: last 7 days …
    cancelRatingExcludeDays: NumParam; // O1: … not counting today and yesterday
    errorIndexWindowDays: NumParam; // O2: 14 days …
    errorIndexExcludeDays: NumParam; // O2: … not counting today
    errorZoneGreenMaxPct: NumParam; // O2 zones 4 / 10 / 20 / 40
    errorZoneBlueMaxPct: NumParam;
    errorZoneYellowMaxPct: NumParam;
    errorZoneOrangeMaxPct: NumParam;
    errorFeeBluePct: NumParam; // O3 fees 3 / 6 / 9 % of the cancelled item's price
    errorFeeYellowPct: NumParam;
    errorFeeOrangeRedPct: NumParam;
    errorFeeMaxRub: NumParam; // O3 at most 1,500 RUB an order
  };
}

const p = (value: number, rule: string, seed: Seed, unit: Unit): NumParam => ({ value, rule, seed, unit });

export const defaultRulebook: Rulebook = {
  version: 1,
  profile: 'seed',
  time: {
    moscowOffsetMinutes: p(180, 'T1', 'S1', 'min'),
  },
  deadlines: {
    confirmHours: p(24, 'D1', 'S1', 'h'),
    confirmDelayApprovedHours: p(48, 'D1', 'S1', 'h'),
    autoCancelAfterHours: p(1, 'D1', 'S1', 'h'),
    shipHoursFBO: p(24, 'D2', 'S1', 'h'),
    shipHoursFBS: p(48, 'D2', 'S1', 'h'),
    shipHoursRFBS: p(48, 'D2', 'S1', 'h'),
    firstScanHours: p(24, 'D3', 'S1', 'h'),
    carrierWhitelist: {
      value: ['Cainiao Ozon Line', 'Ozon Logistics', 'DPD Russia'],
      rule: 'D3',
      seed: 'S1',
      unit: 'list',
    },
    transitStallDays: p(7, 'D4', 'S1', 'd'),
    transitAvgDomesticDays: p(2.3, 'D4', 'S4', 'd'),
    transitAvgCrossBorderDays: p(7.8, 'D4', 'S4', 'd'),
    atRiskHours: p(2, 'D5', 'S1', 'h'),
    criticalMinutes: p(30, 'D5', 'S1', 'min'),
    sellerCancelWindowMinutes: p(10, 'D6', 'S0', 'min'),
    autoWaybillMedianSeconds: p(683, 'D6', 'S0', 's'),
    buyerCancelRequestMinutes: p(30, 'D7', 'S0', 'min'),
    buyerConfirmHours: p(24, 'D8', 'S0', 'h'),
  },
  eligibility: {
    refundWithoutReturnMaxPerMonth: p(3, 'C5', 'S0', 'count'),
    highRiskNoListingDays: p(7, 'C5', 'S0', 'd'),
    returnRefundHours: p(48, 'C3', 'S0', 'h'),
  },
  metrics: {
    windowDays: p(30, 'M1', 'S2', 'd'),
    safeMaxPct: p(2.5, 'M1', 'S2', '%'),
    warningMaxPct: p(4.0, 'M1', 'S2', '%'),
    platformAvgPct: p(1.8, 'M1', 'S2', '%'),
    warningPromoFreezeDays: p(7, 'M1', 'S2', 'd'),
    reasonWeights: {
      C03: p(1.0, 'M2', 'S2', 'x'),
      C07: p(0.8, 'M2', 'S2', 'x'),
      C11: p(1.5, 'M2', 'S2', 'x'),
    },
    sellerRankPct: p(3, 'M3', 'S0', '%'),
    sellerRankPenaltyPct: p(15, 'M3', 'S0', '%'),
    sellerNoPromoPct: p(5, 'M3', 'S0', '%'),
    skuDailySellerPct: p(5, 'M3', 'S0', '%'),
    cancelScoreWeightPct: p(12, 'M3', 'S0', '%'),
    acrRankPct: p(2.5, 'M4', 'S1', '%'),
    acrRankPenaltyMinPct: p(15, 'M4', 'S1', '%'),
    acrRankPenaltyMaxPct: p(30, 'M4', 'S1', '%'),
    acrTrafficPct: p(5, 'M4', 'S1', '%'),
    acrScoreWeightPct: p(18, 'M4', 'S1', '%'),
    acrSpikePp: p(10, 'M4', 'S1', 'pp'),
    rootCauseReportHours: p(72, 'M4', 'S1', 'h'),
    responsePlanPct: p(3.0, 'M5', 'S2', '%'),
    topSkuCount: p(5, 'M5', 'S2', 'count'),
    listingRewriteHours: p(24, 'M5', 'S2', 'h'),
    penaltyConsecutivePeriods: p(2, 'M6', 'S2', 'count'),
    penaltyGmvPct: p(0.5, 'M6', 'S2', '%'),
    penaltyMinRub: p(50000, 'M6', 'S2', 'RUB'),
    categoryBaselines: {
      apparel: p(3.1, 'M7', 'S2', '%'),
      beauty: p(2.9, 'M7', 'S2', '%'),
      baby: p(2.7, 'M7', 'S2', '%'),
    },
    freeReturnMaxKg: p(2, 'M8', 'S0', 'kg'),
    minOrdersForTier: p(20, 'M1', 'OOG', 'count'),
    minHistoryDaysForTier: p(7, 'M1', 'OOG', 'd'),
  },
  official: {
    cancelRatingWindowDays: p(7, 'O1', 'API', 'd'),
    cancelRatingExcludeDays: p(2, 'O1', 'API', 'd'),
    errorIndexWindowDays: p(14, 'O2', 'API', 'd'),
    errorIndexExcludeDays: p(1, 'O2', 'API', 'd'),
    errorZoneGreenMaxPct: p(4, 'O2', 'API', '%'),
    errorZoneBlueMaxPct: p(10, 'O2', 'API', '%'),
    errorZoneYellowMaxPct: p(20, 'O2', 'API', '%'),
    errorZoneOrangeMaxPct: p(40, 'O2', 'API', '%'),
    errorFeeBluePct: p(3, 'O3', 'API', '%'),
    errorFeeYellowPct: p(6, 'O3', 'API', '%'),
    errorFeeOrangeRedPct: p(9, 'O3', 'API', '%'),
    errorFeeMaxRub: p(1500, 'O3', 'API', 'RUB'),
  },
};

/** A param together with its dotted path, e.g. 'deadlines.confirmHours'. */
export interface ParamEntry {
  path: string;
  param: Param<number> | Param<string[]>;
}

function isParam(x: unknown): x is Param<unknown> {
  return !!x && typeof x === 'object' && 'value' in x && 'rule' in x && 'unit' in x;
}

/** Every param of a rulebook, in declaration order (for the options page and validation). */
export function paramsOf(rb: Rulebook): ParamEntry[] {
  const out: ParamEntry[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (isParam(v)) out.push({ path, param: v as ParamEntry['param'] });
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, path);
    }
  };
  walk(rb, '');
  return out;
}

/** Reads a param by dotted path; undefined when the path names no param. */
export function getParam(rb: Rulebook, path: string): ParamEntry['param'] | undefined {
  let node: unknown = rb;
  for (const k of path.split('.')) {
    if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, k)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return isParam(node) ? (node as ParamEntry['param']) : undefined;
}

/**
 * A new rulebook with the given values applied (path → value), leaving
 * rule ids, seeds and units as the defaults say. Unknown paths are ignored.
 * Validation is `validateRulebook`'s job (rules/rulebook-check.ts).
 */
export function withValues(
  base: Rulebook,
  values: Record<string, number | string[]>,
  profile?: Rulebook['profile'],
): Rulebook {
  const rb = structuredClone(base) as Rulebook;
  if (profile) rb.profile = profile;
  for (const [path, value] of Object.entries(values)) {
    const param = getParam(rb, path);
    if (param) (param as Param<unknown>).value = value;
  }
  return rb;
}
