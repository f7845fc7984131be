/**
 * The rulebook's numbers in the units evaluateOrder's arithmetic needs (epoch
 * ms, a normalised carrier whitelist), read once per rulebook object. An
 * edited rulebook may hold garbage: every value falls back to the default's.
 */
import { defaultRulebook, type NumParam, type Rulebook } from './rulebook';
import { MS_DAY, MS_HOUR, MS_MINUTE } from './time';
import { foldWords } from './words';

/** The rulebook's numbers in the units the arithmetic needs. */
export interface RulebookCfg {
  confirmMs: number;
  confirmDelayMs: number;
  autoCancelAfterMs: number;
  shipFBOMs: number;
  shipFBSMs: number;
  shipRFBSMs: number;
  firstScanMs: number;
  carrierWhitelist: ReadonlySet<string>;
  transitStallMs: number;
  atRiskMs: number;
  criticalMs: number;
  sellerCancelWindowMs: number;
  buyerCancelRequestMs: number;
  buyerConfirmMs: number;
  returnRefundHours: number;
  freeReturnMaxKg: number;
  moscowOffsetMinutes: number;
}

/** A param's value when it is a finite number ≥ min, else the default's (an edited rulebook may hold garbage). */
function val(p: NumParam | undefined, fallback: NumParam, min = 0): number {
  const v = p?.value;
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback.value;
}

/**
 * The last carrier names normalised (D3): a store ships with a handful of
 * carriers, and the Unicode pass below ran for every order evaluated. Bounded
 * (cleared when full), so a hostile page printing a new name per row costs
 * what it cost before and holds nothing more.
 */
const carrierKeys = new Map<string, string>();
const CARRIER_KEYS_MAX = 64;

export function normalizeCarrier(name: string): string {
  const hit = carrierKeys.get(name);
  if (hit !== undefined) return hit;
  const key = foldWords(name);
  if (carrierKeys.size >= CARRIER_KEYS_MAX) carrierKeys.clear();
  carrierKeys.set(name, key);
  return key;
}

const cfgCache = new WeakMap<object, RulebookCfg>();

/**
 * The rulebook's numbers, cached per rulebook object. Rulebooks are treated as
 * immutable values: change one with `withValues`, which returns a new object.
 */
export function rulebookCfg(rb: Rulebook = defaultRulebook): RulebookCfg {
  if (rb && typeof rb === 'object') {
    const hit = cfgCache.get(rb);
    if (hit) return hit;
  }
  const d = defaultRulebook;
  const r = (rb && typeof rb === 'object' ? rb : d) as Partial<Rulebook>;
  const dl = (r.deadlines ?? {}) as Partial<Rulebook['deadlines']>;
  const el = (r.eligibility ?? {}) as Partial<Rulebook['eligibility']>;
  const tm = (r.time ?? {}) as Partial<Rulebook['time']>;
  const wl = dl.carrierWhitelist?.value;
  const cfg: RulebookCfg = {
    confirmMs: val(dl.confirmHours, d.deadlines.confirmHours) * MS_HOUR,
    confirmDelayMs: val(dl.confirmDelayApprovedHours, d.deadlines.confirmDelayApprovedHours) * MS_HOUR,
    autoCancelAfterMs: val(dl.autoCancelAfterHours, d.deadlines.autoCancelAfterHours) * MS_HOUR,
    shipFBOMs: val(dl.shipHoursFBO, d.deadlines.shipHoursFBO) * MS_HOUR,
    shipFBSMs: val(dl.shipHoursFBS, d.deadlines.shipHoursFBS) * MS_HOUR,
    shipRFBSMs: val(dl.shipHoursRFBS, d.deadlines.shipHoursRFBS) * MS_HOUR,
    firstScanMs: val(dl.firstScanHours, d.deadlines.firstScanHours) * MS_HOUR,
    carrierWhitelist: new Set(
      (Array.isArray(wl) ? wl : d.deadlines.carrierWhitelist.value).filter((x): x is string => typeof x === 'string').map(normalizeCarrier),
    ),
    transitStallMs: val(dl.transitStallDays, d.deadlines.transitStallDays) * MS_DAY,
    atRiskMs: val(dl.atRiskHours, d.deadlines.atRiskHours) * MS_HOUR,
    criticalMs: val(dl.criticalMinutes, d.deadlines.criticalMinutes) * MS_MINUTE,
    sellerCancelWindowMs: val(dl.sellerCancelWindowMinutes, d.deadlines.sellerCancelWindowMinutes) * MS_MINUTE,
    buyerCancelRequestMs: val(dl.buyerCancelRequestMinutes, d.deadlines.buyerCancelRequestMinutes) * MS_MINUTE,
    buyerConfirmMs: val(dl.buyerConfirmHours, d.deadlines.buyerConfirmHours) * MS_HOUR,
    returnRefundHours: val(el.returnRefundHours, d.eligibility.returnRefundHours),
    freeReturnMaxKg: val((r.metrics as Partial<Rulebook['metrics']> | undefined)?.freeReturnMaxKg, d.metrics.freeReturnMaxKg),
    moscowOffsetMinutes: val(tm.moscowOffsetMinutes, d.time.moscowOffsetMinutes, -18 * 60),
  };
  if (rb && typeof rb === 'object') cfgCache.set(rb, cfg);
  return cfg;
}
