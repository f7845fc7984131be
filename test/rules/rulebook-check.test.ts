import { describe, expect, it } from 'vitest';
import { defaultRulebook, paramsOf, withValues } from '../../rules/rulebook';
import {
  CONSTRAINTS,
  parseList,
  toNumber,
  validateOverrides,
  validateParamValue,
  validateRulebook,
} from '../../rules/rulebook-check';
import { rulebookFrom } from '../../storage/settings';

const ok = (path: string, v: unknown, rb = defaultRulebook) => validateParamValue(path, v, rb);
const errKey = (path: string, v: unknown, rb = defaultRulebook) => {
  const r = validateParamValue(path, v, rb);
  return r.ok ? null : r.error.key;
};

describe('validateParamValue: units', () => {
  it('accepts every default value as it is', () => {
    for (const { path, param } of paramsOf(defaultRulebook)) {
      const r = ok(path, param.value);
      expect(r, path).toEqual({ ok: true, value: param.value });
    }
  });

  it('D1/D2 durations (h) must be positive and finite', () => {
    expect(errKey('deadlines.confirmHours', -1)).toBe('options_err_positive_duration');
    expect(errKey('deadlines.confirmHours', 0)).toBe('options_err_positive_duration');
    expect(errKey('deadlines.confirmHours', Infinity)).toBe('options_err_not_number');
    expect(errKey('deadlines.confirmHours', NaN)).toBe('options_err_not_number');
    expect(errKey('deadlines.confirmHours', 'abc')).toBe('options_err_not_number');
    expect(errKey('deadlines.confirmHours', '')).toBe('options_err_required');
    expect(ok('deadlines.confirmHours', 30)).toEqual({ ok: true, value: 30 });
    expect(ok('deadlines.shipHoursFBS', 36.5)).toEqual({ ok: true, value: 36.5 });
  });

  it('accepts typed text, with a decimal comma (Russian keyboards)', () => {
    expect(ok('metrics.safeMaxPct', '2,0')).toEqual({ ok: true, value: 2 });
    expect(ok('metrics.safeMaxPct', ' 3.5 ')).toEqual({ ok: true, value: 3.5 });
    expect(toNumber('1e2')).toBe(100);
    expect(toNumber('12abc')).toBeNaN();
  });

  it('D5/D6 minutes and seconds must be positive; absurdly large values are refused', () => {
    expect(errKey('deadlines.criticalMinutes', -5)).toBe('options_err_positive_duration');
    expect(errKey('deadlines.autoWaybillMedianSeconds', 0)).toBe('options_err_positive_duration');
    expect(errKey('deadlines.confirmHours', 24 * 365)).toBe('options_err_too_large');
    expect(errKey('deadlines.transitStallDays', 400)).toBe('options_err_too_large');
  });

  it('M1 percentages stay within 0–100; pp too (M4)', () => {
    expect(errKey('metrics.platformAvgPct', -0.1)).toBe('options_err_percent_range');
    expect(errKey('metrics.platformAvgPct', 100.1)).toBe('options_err_percent_range');
    expect(ok('metrics.platformAvgPct', 0)).toEqual({ ok: true, value: 0 });
    expect(errKey('metrics.acrSpikePp', 101)).toBe('options_err_percent_range');
    expect(errKey('metrics.acrSpikePp', -1)).toBe('options_err_percent_range');
  });

  it('M2 weights are ≥ 0; M6 roubles ≥ 0; M8 kilograms ≥ 0', () => {
    expect(errKey('metrics.reasonWeights.C03', -0.5)).toBe('options_err_not_negative');
    expect(ok('metrics.reasonWeights.C03', 0)).toEqual({ ok: true, value: 0 });
    expect(ok('metrics.reasonWeights.C11', 2.25)).toEqual({ ok: true, value: 2.25 });
    expect(errKey('metrics.penaltyMinRub', -1)).toBe('options_err_not_negative');
    expect(errKey('metrics.freeReturnMaxKg', -1)).toBe('options_err_not_negative');
  });

  it('M5/C5 counts are positive integers', () => {
    expect(errKey('metrics.topSkuCount', 2.5)).toBe('options_err_integer');
    expect(errKey('metrics.topSkuCount', 0)).toBe('options_err_positive_count');
    expect(errKey('eligibility.refundWithoutReturnMaxPerMonth', -3)).toBe('options_err_positive_count');
    expect(ok('metrics.topSkuCount', 10)).toEqual({ ok: true, value: 10 });
  });

  it('O1/O2 windows are whole days; "not counting today" may be 0', () => {
    expect(errKey('official.cancelRatingWindowDays', 7.5)).toBe('options_err_integer');
    expect(ok('official.errorIndexExcludeDays', 0)).toEqual({ ok: true, value: 0 });
    expect(errKey('official.errorIndexExcludeDays', -1)).toBe('options_err_at_least');
  });

  it('T1 Moscow offset is a whole number of minutes within UTC+14', () => {
    expect(errKey('time.moscowOffsetMinutes', 180.5)).toBe('options_err_integer');
    expect(errKey('time.moscowOffsetMinutes', 900)).toBe('options_err_too_large');
    expect(ok('time.moscowOffsetMinutes', 240)).toEqual({ ok: true, value: 240 });
  });

  it('D3 carrier whitelist: trimmed, deduped, non-empty, at most 200', () => {
    expect(ok('deadlines.carrierWhitelist', ' Ozon Logistics \n\nDPD Russia\nozon logistics\n  CDEK ')).toEqual({
      ok: true,
      value: ['Ozon Logistics', 'DPD Russia', 'CDEK'],
    });
    expect(ok('deadlines.carrierWhitelist', ['A', ' A ', 'B'])).toEqual({ ok: true, value: ['A', 'B'] });
    expect(errKey('deadlines.carrierWhitelist', '\n  \n')).toBe('options_err_list_empty');
    expect(errKey('deadlines.carrierWhitelist', [1, 2])).toBe('options_err_not_list');
    expect(errKey('deadlines.carrierWhitelist', 42)).toBe('options_err_not_list');
    const many = Array.from({ length: 201 }, (_, i) => `Carrier ${i}`);
    expect(errKey('deadlines.carrierWhitelist', many)).toBe('options_err_list_too_long');
    expect(errKey('deadlines.carrierWhitelist', ['x'.repeat(101)])).toBe('options_err_list_item_too_long');
  });

  it('refuses unknown paths', () => {
    expect(errKey('deadlines.nope', 1)).toBe('options_err_unknown_param');
    expect(errKey('__proto__.x', 1)).toBe('options_err_unknown_param');
  });
});

describe('validateParamValue: cross-field constraints', () => {
  it('M1 safe line stays below the warning line (both ways), naming the other field', () => {
    const r = validateParamValue('metrics.safeMaxPct', 4, defaultRulebook);
    expect(r).toEqual({
      ok: false,
      error: { key: 'options_err_must_be_below', subs: ['param_metrics_warningMaxPct', 4, 'unit_pct'] },
    });
    const r2 = validateParamValue('metrics.warningMaxPct', 2.5, defaultRulebook);
    expect(r2.ok ? null : r2.error).toEqual({
      key: 'options_err_must_be_above',
      subs: ['param_metrics_safeMaxPct', 2.5, 'unit_pct'],
    });
    expect(ok('metrics.safeMaxPct', 3.9).ok).toBe(true);
  });

  it('checks against the values in force, not the defaults', () => {
    const rb = withValues(defaultRulebook, { 'metrics.warningMaxPct': 6 });
    expect(ok('metrics.safeMaxPct', 5, rb).ok).toBe(true);
    expect(errKey('metrics.safeMaxPct', 6, rb)).toBe('options_err_must_be_below');
  });

  it('D5 critical minutes stay below the at-risk hours × 60, in the edited field’s unit', () => {
    const r = validateParamValue('deadlines.criticalMinutes', 120, defaultRulebook);
    expect(r.ok ? null : r.error.subs).toEqual(['param_deadlines_atRiskHours', 120, 'unit_min']);
    expect(ok('deadlines.criticalMinutes', 119).ok).toBe(true);
    const r2 = validateParamValue('deadlines.atRiskHours', 0.5, defaultRulebook);
    expect(r2.ok ? null : r2.error).toEqual({
      key: 'options_err_must_be_above',
      subs: ['param_deadlines_criticalMinutes', 0.5, 'unit_h'],
    });
    expect(ok('deadlines.atRiskHours', 4).ok).toBe(true);
  });

  it('D1 the approved-delay limit is at least the confirm limit', () => {
    expect(errKey('deadlines.confirmHours', 49)).toBe('options_err_must_not_exceed');
    expect(ok('deadlines.confirmHours', 48).ok).toBe(true);
    expect(errKey('deadlines.confirmDelayApprovedHours', 23)).toBe('options_err_must_be_at_least');
  });

  it('M3 / M4 lines in order', () => {
    expect(errKey('metrics.sellerRankPct', 5)).toBe('options_err_must_be_below');
    expect(errKey('metrics.sellerNoPromoPct', 2)).toBe('options_err_must_be_above');
    expect(errKey('metrics.acrRankPct', 6)).toBe('options_err_must_be_below');
    expect(errKey('metrics.acrTrafficPct', 2)).toBe('options_err_must_be_above');
    expect(errKey('metrics.acrRankPenaltyMinPct', 31)).toBe('options_err_must_not_exceed');
  });

  it('O2 zones strictly increasing; O3 fees not decreasing; O1/O2 exclusions inside their windows', () => {
    expect(errKey('official.errorZoneBlueMaxPct', 4)).toBe('options_err_must_be_above');
    expect(errKey('official.errorZoneBlueMaxPct', 20)).toBe('options_err_must_be_below');
    expect(ok('official.errorZoneBlueMaxPct', 15).ok).toBe(true);
    expect(errKey('official.errorZoneOrangeMaxPct', 20)).toBe('options_err_must_be_above');
    expect(errKey('official.errorFeeYellowPct', 10)).toBe('options_err_must_not_exceed');
    expect(errKey('official.cancelRatingExcludeDays', 7)).toBe('options_err_must_be_below');
    expect(errKey('official.errorIndexWindowDays', 1)).toBe('options_err_must_be_above');
  });

  it('the defaults satisfy every constraint', () => {
    expect(validateRulebook(defaultRulebook)).toEqual([]);
    expect(CONSTRAINTS.length).toBeGreaterThan(10);
  });
});

describe('validateRulebook', () => {
  it('lists unit and cross-field problems by path', () => {
    const rb = withValues(defaultRulebook, {
      'deadlines.confirmHours': -2,
      'metrics.safeMaxPct': 5,
      'deadlines.carrierWhitelist': [],
    });
    const paths = validateRulebook(rb).map((e) => `${e.path}:${e.error.key}`);
    expect(paths).toContain('deadlines.confirmHours:options_err_positive_duration');
    expect(paths).toContain('deadlines.carrierWhitelist:options_err_list_empty');
    expect(paths).toContain('metrics.safeMaxPct:options_err_must_be_below');
  });
});

describe('validateOverrides (loading stored values)', () => {
  it('keeps valid edits, drops unknown paths and bad values with reasons', () => {
    const { overrides, rejected } = validateOverrides({
      profile: 'official',
      values: {
        'deadlines.atRiskHours': 4,
        'deadlines.confirmHours': -1,
        'no.such.path': 3,
        'metrics.reasonWeights.C07': 'x',
        'deadlines.carrierWhitelist': [' CDEK ', 'CDEK'],
      },
    });
    expect(overrides).toEqual({
      profile: 'official',
      values: { 'deadlines.atRiskHours': 4, 'deadlines.carrierWhitelist': ['CDEK'] },
    });
    expect(rejected.map((r) => r.path).sort()).toEqual(
      ['deadlines.confirmHours', 'metrics.reasonWeights.C07', 'no.such.path'].sort(),
    );
  });

  it('drops a value equal to its default (storage holds only real edits)', () => {
    expect(validateOverrides({ profile: 'seed', values: { 'deadlines.confirmHours': 24 } }).overrides.values).toEqual({});
  });

  it('a bad profile or a non-object falls back to the seed profile, never throws', () => {
    expect(validateOverrides({ profile: 'weird', values: {} }).overrides.profile).toBe('seed');
    expect(validateOverrides('garbage').overrides).toEqual({ profile: 'seed', values: {} });
    expect(validateOverrides(null)).toEqual({ overrides: { profile: 'seed', values: {} }, rejected: [] });
    expect(validateOverrides({ values: [1, 2] }).rejected[0]?.error.key).toBe('options_err_bad_overrides');
  });

  it('resolves a broken cross-field pair by dropping the later edit', () => {
    const { overrides, rejected } = validateOverrides({
      profile: 'seed',
      values: { 'metrics.warningMaxPct': 6, 'metrics.safeMaxPct': 7 },
    });
    expect(overrides.values).toEqual({ 'metrics.warningMaxPct': 6 });
    expect(rejected).toEqual([
      { path: 'metrics.safeMaxPct', error: { key: 'options_err_must_be_below', subs: ['param_metrics_warningMaxPct', 6, 'unit_pct'] } },
    ]);
  });

  it('rulebookFrom never applies a bad stored value (the default stays in force)', () => {
    const rb = rulebookFrom({ profile: 'seed', values: { 'deadlines.confirmHours': -5, 'deadlines.atRiskHours': 3 } });
    expect(rb.deadlines.confirmHours.value).toBe(24);
    expect(rb.deadlines.atRiskHours.value).toBe(3);
    expect(rulebookFrom({ profile: 'seed', values: {} })).toBe(defaultRulebook);
  });
});

describe('parseList', () => {
  it('splits SKUs on commas, whitespace, newlines and the Chinese comma', () => {
    expect(parseList('123, 456\n789  123；A-1，B-2、C-3\t\tD', 'any')).toEqual(['123', '456', '789', 'A-1', 'B-2', 'C-3', 'D']);
  });
});
