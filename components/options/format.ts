/**
 * Display helpers for the options page: values with units, refused-value
 * messages, zone names — all through lib/i18n so a language switch re-renders
 * them.
 */
import { fmtNumber, lang, LANG_TAG, t } from '../../lib/i18n';
import { defaultRulebook, paramsOf, type ParamEntry, type Unit } from '../../rules';
import { unitKey, type ValidationError } from '../../rules';

/** A substitution that names a message (another field's label, a unit) is shown translated. */
function sub(s: string | number): string {
  if (typeof s === 'number') return fmtNumber(s, 4);
  if (/^(param|unit)_[A-Za-z0-9_]+$/.test(s)) return t(s);
  return s;
}

export function errorText(e: ValidationError): string {
  return t(e.key, ...e.subs.map(sub));
}

/** "24 h", "2,5 %", "50 000 ₽", or for a list its entries joined. */
export function valueText(value: number | string[], unit: Unit): string {
  if (Array.isArray(value)) return value.join(', ');
  const u = t(unitKey(unit));
  return unit === '%' ? `${fmtNumber(value, 4)}\u202f${u}` : `${fmtNumber(value, 4)} ${u}`;
}

/** The rulebook as the page shows it: groups of rule ids, in the rulebook's order. */
export interface RuleGroup {
  id: 'time' | 'lifecycle' | 'deadlines' | 'eligibility' | 'metrics' | 'official';
  rules: string[];
}
export const RULE_GROUPS: readonly RuleGroup[] = [
  { id: 'time', rules: ['T1', 'T2', 'T3', 'P1', 'P2'] },
  { id: 'lifecycle', rules: ['L1', 'L2', 'L3'] },
  { id: 'deadlines', rules: ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8'] },
  { id: 'eligibility', rules: ['C1', 'C2', 'C3', 'C4', 'C5', 'A1', 'A2', 'A3'] },
  { id: 'metrics', rules: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'] },
  { id: 'official', rules: ['O1', 'O2', 'O3'] },
];

/** Params by the rule they belong to (from the default rulebook: shape, units, seeds). */
export function paramsByRule(): Map<string, ParamEntry[]> {
  const m = new Map<string, ParamEntry[]>();
  for (const e of paramsOf(defaultRulebook)) {
    const list = m.get(e.param.rule) ?? [];
    list.push(e);
    m.set(e.param.rule, list);
  }
  return m;
}

/** A DOM id for a param's input: 'deadlines.atRiskHours' → 'param-deadlines-atRiskHours'. */
export function fieldId(path: string): string {
  return `param-${path.replace(/\./g, '-')}`;
}

/** "Asia/Shanghai · GMT+8 · China Standard Time", in the page's language. */
export function zoneLabel(zone: string, at = new Date()): string {
  const tag = LANG_TAG[lang()];
  const part = (opt: 'shortOffset' | 'long') => {
    try {
      return (
        new Intl.DateTimeFormat(tag, { timeZone: zone, timeZoneName: opt })
          .formatToParts(at)
          .find((p) => p.type === 'timeZoneName')?.value ?? ''
      );
    } catch {
      return '';
    }
  };
  return [zone, part('shortOffset'), part('long')].filter(Boolean).join(' · ');
}

/** The time now in a zone, for the clock preview. */
export function clockText(zone: string, hour12: boolean, at = new Date()): string {
  try {
    return new Intl.DateTimeFormat(LANG_TAG[lang()], { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12 }).format(at);
  } catch {
    return '';
  }
}
