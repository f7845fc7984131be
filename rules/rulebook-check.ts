/**
 * Validation of rulebook values: what a seller may type into the options page,
 * and what may be loaded back from storage. Pure: no DOM, no browser API.
 *
 * Errors are i18n keys (`options_err_*`) with substitutions, rendered where
 * they are shown (so a language switch re-renders them). A substitution that
 * is itself a message key (`param_…`, `unit_…`) is translated by the renderer:
 * the other field's label in a cross-field error must follow the language too.
 */
import { defaultRulebook, getParam, paramsOf, withValues, type Rulebook, type Unit } from './rulebook';

export interface ValidationError {
  key: string;
  subs: (string | number)[];
}

export type ParamValue = number | string[];

export type ValueResult<T = ParamValue> = { ok: true; value: T } | { ok: false; error: ValidationError };

/** The stored shape of the seller's edits (storage/settings.ts stores it; kept here so rules/ stays storage-free). */
export interface OverridesShape {
  profile: Rulebook['profile'];
  values: Record<string, ParamValue>;
}

export interface PathError {
  path: string;
  error: ValidationError;
}

/** The longest list a list param takes: a carrier whitelist, not a database. */
export const MAX_LIST_ITEMS = 200;
/** One list entry's longest length: a carrier's name. */
export const MAX_LIST_ITEM_LENGTH = 100;

const err = (key: string, ...subs: (string | number)[]): { ok: false; error: ValidationError } => ({
  ok: false,
  error: { key, subs },
});

/** The message key of a unit (message names allow only letters, digits and _: '%' is 'pct'). */
export function unitKey(unit: Unit): string {
  return unit === '%' ? 'unit_pct' : `unit_${unit}`;
}

/** The label key of a param path: 'deadlines.confirmHours' → 'param_deadlines_confirmHours'. */
export function paramLabelKey(path: string): string {
  return `param_${path.replace(/\./g, '_')}`;
}

/*
 * Sanity ceilings per unit. Why have any: a typo like 2400 for 24 h must not
 * silently push every deadline a quarter of a year away. Generous enough that
 * no real rule change by Ozon hits them.
 */
const MAX_BY_UNIT: Partial<Record<Unit, number>> = {
  s: 7 * 24 * 3600, // a week in seconds
  min: 7 * 24 * 60, // a week in minutes
  h: 24 * 90, // 90 days in hours
  d: 366,
  x: 100,
  RUB: 100_000_000,
  kg: 10_000,
  count: 10_000,
};

/* Params whose meaning needs more than their unit says. */
interface Special {
  integer?: boolean;
  min?: number;
  /** Whether `min` itself is allowed (default: allowed; durations exclude 0 by unit). */
  minInclusive?: boolean;
  max?: number;
}
const SPECIAL: Record<string, Special> = {
  // A UTC offset: Moscow is +180, but the zone table allows up to UTC+14.
  'time.moscowOffsetMinutes': { integer: true, min: 1, max: 14 * 60 },
  // Ozon counts whole calendar days; "not counting today" may be turned off (0).
  'official.cancelRatingWindowDays': { integer: true },
  'official.cancelRatingExcludeDays': { integer: true, min: 0 },
  'official.errorIndexWindowDays': { integer: true },
  'official.errorIndexExcludeDays': { integer: true, min: 0 },
  'metrics.windowDays': { integer: true },
};

/** Turns user input (a number, or text like "2,5" from a Russian keyboard) into a number, or NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const s = value.trim().replace(/\s+/g, '').replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

/**
 * Splits a list typed or pasted by the seller: one per line for the carrier
 * whitelist (carrier names contain spaces), or on any separator for SKUs.
 */
export function parseList(input: unknown, separators: 'lines' | 'any' = 'lines'): string[] {
  const parts: unknown[] = Array.isArray(input)
    ? input
    : typeof input === 'string'
      ? input.split(separators === 'lines' ? /[\r\n]+/ : /[\s,;，；、]+/)
      : [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    if (typeof p !== 'string' && typeof p !== 'number') continue;
    const s = String(p).trim().replace(/\s+/g, ' ');
    if (!s) continue;
    // Case-insensitive dedupe: "DPD Russia" and "dpd russia" are one carrier.
    const k = s.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

function checkUnit(path: string, unit: Unit, raw: unknown): ValueResult {
  if (unit === 'list') {
    if (!Array.isArray(raw) && typeof raw !== 'string') return err('options_err_not_list');
    if (Array.isArray(raw) && raw.some((x) => typeof x !== 'string')) return err('options_err_not_list');
    const list = parseList(raw, 'lines');
    if (list.length === 0) return err('options_err_list_empty');
    if (list.length > MAX_LIST_ITEMS) return err('options_err_list_too_long', MAX_LIST_ITEMS);
    const long = list.find((s) => s.length > MAX_LIST_ITEM_LENGTH);
    if (long) return err('options_err_list_item_too_long', MAX_LIST_ITEM_LENGTH);
    return { ok: true, value: list };
  }
  if (typeof raw === 'string' && raw.trim() === '') return err('options_err_required');
  const n = toNumber(raw);
  if (!Number.isFinite(n)) return err('options_err_not_number');
  const sp = SPECIAL[path] ?? {};
  const uk = unitKey(unit);
  if ((unit === 'count' || sp.integer) && !Number.isInteger(n)) return err('options_err_integer');
  if (sp.min !== undefined) {
    if (sp.minInclusive === false ? n <= sp.min : n < sp.min) return err('options_err_at_least', sp.min, uk);
  } else {
    switch (unit) {
      case 's':
      case 'min':
      case 'h':
      case 'd':
        if (n <= 0) return err('options_err_positive_duration');
        break;
      case 'count':
        if (n < 1) return err('options_err_positive_count');
        break;
      case '%':
      case 'pp':
        if (n < 0 || n > 100) return err('options_err_percent_range', uk);
        break;
      case 'x':
      case 'RUB':
      case 'kg':
        if (n < 0) return err('options_err_not_negative');
        break;
    }
  }
  if ((unit === '%' || unit === 'pp') && n > 100) return err('options_err_percent_range', uk);
  const max = sp.max ?? MAX_BY_UNIT[unit];
  if (max !== undefined && n > max) return err('options_err_too_large', max, uk);
  return { ok: true, value: n };
}

/**
 * Cross-field constraints: `a` op `b`, each side a param times a factor.
 * Why these: each pair is an ordering the rules themselves imply (the warning
 * line above the safe line, the critical reminder inside the at-risk window,
 * Ozon's zones in order); breaking one makes a tier or level unreachable.
 */
interface Constraint {
  a: string;
  b: string;
  op: '<' | '<=';
  /** a × aFactor op b × bFactor (D5 compares minutes with hours). */
  aFactor?: number;
  bFactor?: number;
}
export const CONSTRAINTS: readonly Constraint[] = [
  { a: 'metrics.safeMaxPct', b: 'metrics.warningMaxPct', op: '<' },
  { a: 'deadlines.criticalMinutes', b: 'deadlines.atRiskHours', op: '<', bFactor: 60 },
  { a: 'deadlines.confirmHours', b: 'deadlines.confirmDelayApprovedHours', op: '<=' },
  { a: 'metrics.sellerRankPct', b: 'metrics.sellerNoPromoPct', op: '<' },
  { a: 'metrics.acrRankPct', b: 'metrics.acrTrafficPct', op: '<' },
  { a: 'metrics.acrRankPenaltyMinPct', b: 'metrics.acrRankPenaltyMaxPct', op: '<=' },
  { a: 'official.errorZoneGreenMaxPct', b: 'official.errorZoneBlueMaxPct', op: '<' },
  { a: 'official.errorZoneBlueMaxPct', b: 'official.errorZoneYellowMaxPct', op: '<' },
  { a: 'official.errorZoneYellowMaxPct', b: 'official.errorZoneOrangeMaxPct', op: '<' },
  { a: 'official.errorFeeBluePct', b: 'official.errorFeeYellowPct', op: '<=' },
  { a: 'official.errorFeeYellowPct', b: 'official.errorFeeOrangeRedPct', op: '<=' },
  { a: 'official.cancelRatingExcludeDays', b: 'official.cancelRatingWindowDays', op: '<' },
  { a: 'official.errorIndexExcludeDays', b: 'official.errorIndexWindowDays', op: '<' },
];

function numAt(rb: Rulebook, path: string): number {
  const p = getParam(rb, path);
  return p && typeof p.value === 'number' ? p.value : NaN;
}

function holds(c: Constraint, rb: Rulebook): boolean {
  const a = numAt(rb, c.a) * (c.aFactor ?? 1);
  const b = numAt(rb, c.b) * (c.bFactor ?? 1);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return true; // unit checks report those
  return c.op === '<' ? a < b : a <= b;
}

/** The error shown next to `path` when constraint `c` fails, naming the other field and its bound. */
function constraintError(c: Constraint, path: string, rb: Rulebook): ValidationError {
  const other = path === c.a ? c.b : c.a;
  const mine = getParam(rb, path);
  // The bound in the edited field's own unit (D5: 2 h → "below 120 min" next to the minutes field).
  const raw = numAt(rb, other);
  const bound =
    path === c.a ? (raw * (c.bFactor ?? 1)) / (c.aFactor ?? 1) : (raw * (c.aFactor ?? 1)) / (c.bFactor ?? 1);
  const strict = c.op === '<';
  const key =
    path === c.a
      ? strict
        ? 'options_err_must_be_below'
        : 'options_err_must_not_exceed'
      : strict
        ? 'options_err_must_be_above'
        : 'options_err_must_be_at_least';
  return { key, subs: [paramLabelKey(other), round(bound), mine ? unitKey(mine.unit) : ''] };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * Validates one value for one param in the context of `rulebook` (the values
 * in force): its unit's range, then every cross-field constraint it takes part
 * in with the new value applied. `value` may be raw input text.
 */
export function validateParamValue(path: string, value: unknown, rulebook: Rulebook = defaultRulebook): ValueResult {
  const def = getParam(defaultRulebook, path);
  if (!def) return err('options_err_unknown_param', path);
  const unitRes = checkUnit(path, def.unit, value);
  if (!unitRes.ok) return unitRes;
  if (def.unit !== 'list') {
    const next = withValues(rulebook, { [path]: unitRes.value });
    for (const c of CONSTRAINTS) {
      if ((c.a === path || c.b === path) && !holds(c, next)) return { ok: false, error: constraintError(c, path, next) };
    }
  }
  return unitRes;
}

/** Every problem in a whole rulebook: unit ranges first, then cross-field constraints (named on their first field). */
export function validateRulebook(rb: Rulebook): PathError[] {
  const out: PathError[] = [];
  for (const { path, param } of paramsOf(rb)) {
    if (!getParam(defaultRulebook, path)) continue;
    const r = checkUnit(path, getParam(defaultRulebook, path)!.unit, param.value);
    if (!r.ok) out.push({ path, error: r.error });
  }
  for (const c of CONSTRAINTS) {
    if (!holds(c, rb)) out.push({ path: c.a, error: constraintError(c, c.a, rb) });
  }
  return out;
}

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

/**
 * Cleans stored (or imported) overrides: unknown paths and bad values are
 * dropped with their reasons, so a bad stored value never breaks the
 * extension — the default stays in force for that param. Values equal to the
 * default are dropped silently (storage holds only real edits). When a
 * cross-field constraint fails, the later-listed overridden value of the
 * pair is dropped until the whole rulebook holds.
 */
export function validateOverrides(raw: unknown): { overrides: OverridesShape; rejected: PathError[] } {
  const rejected: PathError[] = [];
  const overrides: OverridesShape = { profile: 'seed', values: {} };
  if (raw === null || raw === undefined) return { overrides, rejected };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    rejected.push({ path: '', error: { key: 'options_err_bad_overrides', subs: [] } });
    return { overrides, rejected };
  }
  const r = raw as { profile?: unknown; values?: unknown };
  if (r.profile === 'seed' || r.profile === 'official') overrides.profile = r.profile;
  else if (r.profile !== undefined) rejected.push({ path: 'profile', error: { key: 'options_err_bad_profile', subs: [String(r.profile)] } });

  const values = r.values && typeof r.values === 'object' && !Array.isArray(r.values) ? (r.values as Record<string, unknown>) : {};
  if (r.values !== undefined && values !== r.values) {
    rejected.push({ path: 'values', error: { key: 'options_err_bad_overrides', subs: [] } });
  }
  for (const [path, v] of Object.entries(values)) {
    const def = getParam(defaultRulebook, path);
    if (!def) {
      rejected.push({ path, error: { key: 'options_err_unknown_param', subs: [path] } });
      continue;
    }
    const u = checkUnit(path, def.unit, v);
    if (!u.ok) {
      rejected.push({ path, error: u.error });
      continue;
    }
    if (!sameValue(u.value, def.value)) overrides.values[path] = u.value;
  }
  // Cross-field: drop until it holds. Bounded: each pass removes one value.
  for (let guard = 0; guard < CONSTRAINTS.length * 2; guard++) {
    const rb = withValues(defaultRulebook, overrides.values);
    const broken = CONSTRAINTS.find((c) => !holds(c, rb));
    if (!broken) break;
    const order = Object.keys(overrides.values);
    const candidates = [broken.a, broken.b].filter((p) => p in overrides.values);
    const drop = candidates.sort((x, y) => order.indexOf(y) - order.indexOf(x))[0];
    if (!drop) break; // both at defaults: the defaults themselves hold every constraint
    rejected.push({ path: drop, error: constraintError(broken, drop, rb) });
    delete overrides.values[drop];
  }
  return { overrides, rejected };
}
