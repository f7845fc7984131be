import { describe, expect, it } from 'vitest';
import { extractDateTime, timeFromText } from '../../panel/dates';

describe('times in page text', () => {
  it('T1/T3: wall-clock text in Moscow by default, in the cookie zone when given; malformed → unset', () => {
    expect(timeFromText('12.05.2026 14:00', undefined)).toBe('2026-05-12T11:00:00.000Z');
    expect(timeFromText('до 12.05.2026, 14:00', -480)).toBe('2026-05-12T06:00:00.000Z');
    expect(timeFromText('12 мая 2026, 14:00', undefined)).toBe('2026-05-12T11:00:00.000Z');
    expect(timeFromText('May 12, 2026, 2:00 PM', undefined)).toBe('2026-05-12T11:00:00.000Z');
    expect(timeFromText('2026年5月12日 14:00', -480)).toBe('2026-05-12T06:00:00.000Z');
    expect(timeFromText('12.05.2026 14:00 МСК', -480)).toBe('2026-05-12T11:00:00.000Z');
    expect(timeFromText('2026-05-12T14:00:00+08:00', undefined)).toBe('2026-05-12T06:00:00.000Z');
    expect(timeFromText('31.02.2026 25:61', undefined)).toBeUndefined();
    expect(timeFromText('12.05.2026', undefined)).toBeUndefined();
    expect(timeFromText('скоро', undefined)).toBeUndefined();
    expect(extractDateTime('Feb 30, 2026, 13:00 PM')).toBeUndefined();
  });
});
