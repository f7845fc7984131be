import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_DAYS_SHOWN, countdownKey, formatCountdown } from '../../../components/badge/countdown';
import { formatDuration } from '../../../rules/time';
import { tf } from '../../../lib/i18n';
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

/** The countdown as it was worked out before its texts were kept (one formatDuration and tf per call): the oracle. */
function uncached(msLeft: number): string {
  const span = (ms: number, withSeconds: boolean) => {
    const p = formatDuration(ms);
    const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
    if (!p.valid) return p.text;
    if (p.style === 'dh' && p.d > MAX_DAYS_SHOWN) return tf('badge_dur_over')(MAX_DAYS_SHOWN);
    if (p.style === 'dh') return tf('badge_dur_dh')(p.d, p.h);
    if (p.style === 'hm') return tf('badge_dur_hm')(p.h, pad(p.m));
    return withSeconds ? tf('badge_dur_ms')(p.m, pad(p.s)) : tf('badge_dur_m')(p.m);
  };
  return msLeft < 0 ? tf('dur_overdue')(span(-msLeft, false)) : span(msLeft, msLeft < H);
}

describe('formatCountdown keeps its texts', () => {
  afterAll(() => useMessages('en', loadLocale('en')));

  it('any time left, asked in any order and again, in each language, gives the text worked out afresh', () => {
    for (const lang of ['en', 'ru', 'zh_CN'] as const) {
      useMessages(lang, loadLocale(lang));
      const ms = fc.oneof(
        fc.integer({ min: -3 * 24 * H, max: 3 * 24 * H }),
        fc.integer({ min: -200 * 24 * H, max: 200 * 24 * H }),
        fc.constantFrom(0, -1, 999, H - 1, H, 48 * H - 1, 48 * H, -0, NaN, Infinity, -Infinity),
      );
      fc.assert(
        fc.property(fc.array(ms, { minLength: 1, maxLength: 60 }), (list) => {
          for (const x of [...list, ...list.reverse()]) expect(formatCountdown(x)).toBe(uncached(x));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('a change of language is never answered from the old words', () => {
    useMessages('en', loadLocale('en'));
    expect(formatCountdown(23 * H + 12 * M)).toBe('23h 12m');
    useMessages('ru', loadLocale('ru'));
    expect(formatCountdown(23 * H + 12 * M)).toBe('23 ч 12 мин');
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
