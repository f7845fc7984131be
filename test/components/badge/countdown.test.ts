import { afterAll, describe, expect, it } from 'vitest';
import { countdownKey, formatCountdown } from '../../../components/badge/countdown';
import { levelFor } from '../../../rules/evaluate';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('formatCountdown', () => {
  afterAll(() => useMessages('en', loadLocale('en')));

  it('en: "23h 12m", "8m 05s" in the last hour, "overdue 12m", days from 48 h', () => {
    useMessages('en', loadLocale('en'));
    expect(formatCountdown(23 * H + 12 * M + 30 * S)).toBe('23h 12m');
    expect(formatCountdown(8 * M + 5 * S + 400)).toBe('8m 05s');
    expect(formatCountdown(-12 * M - 10 * S)).toBe('overdue 12m');
    expect(formatCountdown(-(2 * H + 5 * M))).toBe('overdue 2h 05m');
    expect(formatCountdown(50 * H)).toBe('2d 2h');
    expect(formatCountdown(0)).toBe('0m 00s');
  });
  it('ru: translated units', () => {
    useMessages('ru', loadLocale('ru'));
    expect(formatCountdown(23 * H + 12 * M)).toBe('23 ч 12 мин');
    expect(formatCountdown(8 * M + 5 * S)).toBe('8 мин 05 с');
    expect(formatCountdown(-12 * M)).toBe('просрочено на 12 мин');
  });
  it('zh_CN: translated units', () => {
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(formatCountdown(23 * H + 12 * M)).toBe('23小时12分');
    expect(formatCountdown(8 * M + 5 * S)).toBe('8分05秒');
    expect(formatCountdown(-12 * M)).toMatch(/^已超时 ?12分钟$/);
  });
});

describe('countdownKey', () => {
  it('changes exactly when the shown text changes', () => {
    expect(countdownKey(5 * H + 10 * M + 1 * S)).toBe(countdownKey(5 * H + 10 * M + 59 * S));
    expect(countdownKey(5 * H + 10 * M)).not.toBe(countdownKey(5 * H + 9 * M + 59 * S));
    expect(countdownKey(10 * M + 1 * S)).not.toBe(countdownKey(10 * M + 2 * S));
    expect(countdownKey(-1)).not.toBe(countdownKey(0));
  });
});

describe('levelFor (D5)', () => {
  const lines = [2 * H, 30 * M] as const;
  it('overdue below zero, critical ≤ 30 min, at_risk ≤ 2 h, else ok', () => {
    expect(levelFor(-1, ...lines)).toBe('overdue');
    expect(levelFor(0, ...lines)).toBe('critical');
    expect(levelFor(30 * M, ...lines)).toBe('critical');
    expect(levelFor(30 * M + 1, ...lines)).toBe('at_risk');
    expect(levelFor(2 * H, ...lines)).toBe('at_risk');
    expect(levelFor(2 * H + 1, ...lines)).toBe('ok');
  });
});
