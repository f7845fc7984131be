import { afterEach, describe, expect, it } from 'vitest';
import { defaultRulebook, withValues } from '../../../rules/rulebook';
import { fmtCalendarDay, fmtDay, fmtMoscow, fmtOwnZone } from '../../../components/popup/format';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';

describe('popup dates (dayjs, T1/T2)', () => {
  afterEach(() => useMessages('en', loadLocale('en')));

  it('T1: Moscow time from the rulebook offset, not the machine zone', () => {
    expect(fmtMoscow('2026-11-22T09:05:00Z', defaultRulebook)).toBe('22 Nov, 12:05 MSK');
    const rb = withValues(defaultRulebook, { 'time.moscowOffsetMinutes': 240 });
    expect(fmtMoscow('2026-11-22T09:05:00Z', rb)).toBe('22 Nov, 13:05 MSK');
  });

  it('T1: a Moscow calendar day rolls over at Moscow midnight', () => {
    expect(fmtDay('2026-11-22T20:59:00Z', defaultRulebook)).toBe('22 Nov');
    expect(fmtDay('2026-11-22T21:00:00Z', defaultRulebook)).toBe('23 Nov');
  });

  it('T2: the seller\'s own zone with its offset, 12- or 24-hour', () => {
    expect(fmtOwnZone('2026-11-22T09:05:00Z', 'Asia/Shanghai')).toBe('22 Nov, 17:05 (UTC+08:00)');
    expect(fmtOwnZone('2026-11-22T09:05:00Z', 'America/New_York', true)).toBe('22 Nov, 4:05 AM (UTC-05:00)');
  });

  it('month names and patterns per language', () => {
    useMessages('ru', loadLocale('ru'));
    expect(fmtCalendarDay('2026-11-02')).toBe('2 нояб.');
    expect(fmtMoscow('2026-11-22T09:05:00Z', defaultRulebook)).toBe('22 нояб., 12:05 МСК');
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(fmtCalendarDay('2026-11-02')).toBe('11月2日');
  });

  it('bad input is an empty string or the raw day, never "Invalid Date"', () => {
    expect(fmtDay('nope', defaultRulebook)).toBe('');
    expect(fmtMoscow('nope', defaultRulebook)).toBe('');
    expect(fmtOwnZone('nope', 'Asia/Shanghai')).toBe('');
    expect(fmtCalendarDay('2026-13-40')).toBe('2026-13-40');
    expect(fmtOwnZone('2026-11-22T09:05:00Z', 'Not/AZone')).not.toContain('Invalid');
  });
});
