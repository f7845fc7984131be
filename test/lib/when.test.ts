/** lib/when.ts: one date-time form per language, Moscow and own time, the zone as people say it, the night mark (T2). */
import { afterEach, describe, expect, it } from 'vitest';
import { atZone, bothLine, bothTimes, isNight, moscowText, zoneName } from '../../lib/when';
import { NIGHT_HOURS } from '../../storage/settings';
import { useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';
import { defaultRulebook } from '../../rules/rulebook';

const at = Date.parse('2026-12-04T16:12:00Z'); // 19:12 Moscow, 00:12 next day in Beijing

afterEach(() => useMessages('en', loadLocale('en')));

describe('when', () => {
  it('Moscow and Beijing: 19:12 MSK is 00:12 Beijing time, in the seller\'s night', () => {
    expect(moscowText(at, defaultRulebook)).toBe('4 Dec, 19:12 MSK');
    const b = bothTimes(new Date(at).toISOString(), 'Asia/Shanghai', defaultRulebook);
    expect(b.own).toBe('5 Dec, 00:12 Beijing time');
    expect(b.night).toBe(true);
    expect(bothLine(new Date(at).toISOString(), 'Asia/Shanghai', defaultRulebook)).toContain('☾');
  });

  it('other zones are "local time (UTC+x)"; Moscow as the own zone is said once', () => {
    expect(zoneName('Asia/Bangkok', at)).toBe('local time (UTC+7)');
    expect(bothTimes(new Date(at).toISOString(), 'Europe/Moscow', defaultRulebook).own).toBe('');
    expect(NIGHT_HOURS.from).toBeGreaterThan(NIGHT_HOURS.to);
    expect(isNight(Date.parse('2026-12-04T04:00:00Z'), 'Asia/Shanghai')).toBe(false); // 12:00 Beijing
  });

  it('zh and ru: the language\'s own form, 北京时间', () => {
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(zoneName('Asia/Shanghai', at)).toBe('北京时间');
    expect(atZone(at, 'Asia/Shanghai')).toBe('12月5日 00:12');
    expect(zoneName('Asia/Bangkok', at)).toBe('当地时间（UTC+7）');
    useMessages('ru', loadLocale('ru'));
    expect(moscowText(at, defaultRulebook)).toBe('4 дек., 19:12 МСК');
  });
});
