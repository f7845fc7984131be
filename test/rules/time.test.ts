// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dayKey,
  fixedOffsetOf,
  durationParts,
  formatDuration,
  isoUtc,
  isValidMs,
  moscowDayIndex,
  offsetLabel,
  parseIsoMs,
  toEpochMs,
} from '../../rules/time';
import { parsePanelTime, parseTzCookie } from '../../rules/panel-time';
import { formatInZone, formatMoscow, zoneOffsetMinutes } from '../../rules/zone-format';
import { defaultRulebook, withValues } from '../../rules/rulebook';

describe('toEpochMs / parseIsoMs / isoUtc', () => {
  it('T1 reads ISO instants with Z, offsets and fractions to the millisecond', () => {
    expect(toEpochMs('2026-04-14T16:01:00Z')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14T16:01:00.123Z')).toBe(Date.UTC(2026, 3, 14, 16, 1, 0, 123));
    expect(toEpochMs('2026-04-14T19:01:00+03:00')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14T19:01:00+0300')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14T08:01:00-08')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14T16:01Z')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14T16:01:00.5Z')).toBe(Date.UTC(2026, 3, 14, 16, 1, 0, 500));
    expect(toEpochMs('2026-04-14T16:01:00.123456789Z')).toBe(Date.UTC(2026, 3, 14, 16, 1, 0, 123));
    expect(toEpochMs('2026-04-14')).toBe(Date.UTC(2026, 3, 14));
  });

  it('T1 a zone-less instant is UTC, whatever the machine zone', () => {
    expect(toEpochMs('2026-04-14T16:01:00')).toBe(Date.UTC(2026, 3, 14, 16, 1));
    expect(toEpochMs('2026-04-14 16:01:00')).toBe(Date.UTC(2026, 3, 14, 16, 1));
  });

  it('T1 epoch numbers and Dates pass through', () => {
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(new Date(1_700_000_000_000))).toBe(1_700_000_000_000);
  });

  it.each([
    '2026-02-31T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-14T24:00:00Z',
    '2026-04-14T23:60:00Z',
    '2026-04-14T23:59:60Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-04-14T16:01:00ZZ',
    '2026-04-14T16:01:00+25:00',
    '2026/04/14',
    'yesterday',
    '',
    '14.04.2026 19:01',
  ])('T1 rejects %j as NaN (documented check: Number.isFinite)', (s) => {
    expect(Number.isNaN(toEpochMs(s))).toBe(true);
  });

  it('T1 invalid inputs of any type → NaN, never a throw', () => {
    for (const x of [NaN, Infinity, -Infinity, 1e300, new Date('nope'), null, undefined, {}, [], true]) {
      expect(Number.isNaN(toEpochMs(x as never))).toBe(true);
    }
    expect(isValidMs(NaN)).toBe(false);
    expect(isValidMs(0)).toBe(true);
  });

  it('T1 leap day exists in leap years only', () => {
    expect(parseIsoMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(Number.isNaN(parseIsoMs('2100-02-29T00:00:00Z'))).toBe(true);
    expect(parseIsoMs('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
  });

  it('T1 parseIsoMs gives what Date.UTC gives: every day of the years where calendars turn, and random instants of years 0–9999', () => {
    const pad = (v: number, n = 2) => String(v).padStart(n, '0');
    const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => {
      const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
      t.setUTCFullYear(y);
      return t.getTime();
    };
    const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    for (const y of [0, 1, 4, 99, 100, 1582, 1900, 1969, 1970, 2000, 2024, 2100, 2400, 9999]) {
      const monthDays = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      for (let mo = 1; mo <= 12; mo++) {
        for (let d = 1; d <= monthDays[mo - 1]!; d++) {
          const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
          expect(parseIsoMs(iso), iso).toBe(utc(y, mo, d));
          expect(parseIsoMs(`${iso}T23:59:59.999Z`), iso).toBe(utc(y, mo, d, 23, 59, 59, 999));
        }
      }
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (y, mo, d, h, mi, s, ms, off) => {
          const zone = `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
          const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}${zone}`;
          expect(parseIsoMs(iso), iso).toBe(utc(y, mo, d, h, mi, s, ms) - off * 60_000);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('T1 isoUtc ends in Z and never throws', () => {
    expect(isoUtc(Date.UTC(2026, 3, 14, 16, 1))).toBe('2026-04-14T16:01:00.000Z');
    expect(isoUtc(NaN)).toBe('');
    expect(isoUtc(Infinity)).toBe('');
  });

  it('T1 isoUtc writes exactly what toISOString writes, at every instant of the Date range', () => {
    const edges = [
      0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000 /* 2000-02-29 */, 4_107_542_399_999,
      -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15, 1.5, -1.5, 1e12 + 0.999,
    ];
    for (const ms of edges) expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 0, max: 7_258_118_400_000 }), fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true })), (ms) => {
        expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parsePanelTime (T1, T3)', () => {
  const MSK_1901 = '2026-04-14T16:01:00.000Z';
  it.each([
    ['14.04.2026 19:01', MSK_1901],
    ['14.04.2026 19:01:00', MSK_1901],
    ['14.04.2026 19:01:23', '2026-04-14T16:01:23.000Z'],
    ['2026-04-14 19:01', MSK_1901],
    ['2026-04-14 19:01:23', '2026-04-14T16:01:23.000Z'],
    ['2026-04-14T19:01:23', '2026-04-14T16:01:23.000Z'],
    ['14.04.2026, 19:01', MSK_1901],
    ['  14.04.2026   19:01 ', MSK_1901],
    ['4.4.2026 9:01', '2026-04-04T06:01:00.000Z'],
    ['14.04.2026', '2026-04-13T21:00:00.000Z'],
    ['01.01.2026 01:00', '2025-12-31T22:00:00.000Z'],
  ])('T1 zone-less %j is Moscow time (UTC+3) → %s', (text, iso) => {
    expect(parsePanelTime(text)).toEqual({ ok: true, iso });
  });

  it('T3 with the x-o3-timezone cookie (-480 = UTC+8) zone-less text is in that offset', () => {
    expect(parsePanelTime('14.04.2026 19:01', { tzOffsetMinutes: -480 })).toEqual({ ok: true, iso: '2026-04-14T11:01:00.000Z' });
    expect(parsePanelTime('2026-04-14 19:01:23', { tzOffsetMinutes: -480 })).toEqual({ ok: true, iso: '2026-04-14T11:01:23.000Z' });
    expect(parsePanelTime('14.04.2026 19:01', { tzOffsetMinutes: 240 })).toEqual({ ok: true, iso: '2026-04-14T23:01:00.000Z' });
    expect(parsePanelTime('14.04.2026 19:01', { tzOffsetMinutes: 0 })).toEqual({ ok: true, iso: '2026-04-14T19:01:00.000Z' });
    expect(parsePanelTime('14.04.2026 19:01', { tzOffsetMinutes: -180 })).toEqual({ ok: true, iso: MSK_1901 });
  });

  it('T3 an explicit «МСК» pins Moscow even with the cookie', () => {
    expect(parsePanelTime('14.04.2026 19:01 МСК', { tzOffsetMinutes: -480 })).toEqual({ ok: true, iso: MSK_1901 });
    expect(parsePanelTime('14.04.2026 19:01 (MSK)', { tzOffsetMinutes: -480 })).toEqual({ ok: true, iso: MSK_1901 });
  });

  it('T3 ISO with a zone keeps its own zone (the panel JSON beats text)', () => {
    expect(parsePanelTime('2026-04-14T16:01:00Z', { tzOffsetMinutes: -480 })).toEqual({ ok: true, iso: MSK_1901 });
    expect(parsePanelTime('2026-04-14T19:01:00+03:00')).toEqual({ ok: true, iso: MSK_1901 });
    expect(parsePanelTime('2026-04-15T00:01:00+08:00')).toEqual({ ok: true, iso: MSK_1901 });
  });

  it('T1 the Moscow offset comes from the rulebook', () => {
    const rb = withValues(defaultRulebook, { 'time.moscowOffsetMinutes': 240 });
    expect(parsePanelTime('14.04.2026 19:01', { rulebook: rb })).toEqual({ ok: true, iso: '2026-04-14T15:01:00.000Z' });
  });

  it.each([
    '31.02.2026 25:61',
    '31.02.2026 10:00',
    '14.04.2026 25:00',
    '14.04.2026 19:61',
    '14.04.2026 19:01:60',
    '29.02.2026 10:00',
    '2026-02-30 10:00',
    '2026-13-01 10:00',
    '00.04.2026 10:00',
    '14.04.26 19:01',
    '2026-02-31T00:00:00Z',
    'завтра',
    '',
    '   ',
    '19:01',
  ])('T1 %j → {ok:false}, never Invalid Date nor a throw', (text) => {
    const r = parsePanelTime(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(typeof r.error).toBe('string');
  });

  it('T1 non-text → {ok:false}', () => {
    expect(parsePanelTime(undefined).ok).toBe(false);
    expect(parsePanelTime(null).ok).toBe(false);
    expect(parsePanelTime(123 as unknown as string).ok).toBe(false);
  });

  it('T1 a leap day parses in a leap year', () => {
    expect(parsePanelTime('29.02.2028 03:00')).toEqual({ ok: true, iso: '2028-02-29T00:00:00.000Z' });
  });
});

describe('parseTzCookie (T3)', () => {
  it.each([
    ['-480', -480],
    ['-180', -180],
    ['0', 0],
    ['300', 300],
    ['%2D480', -480],
    [' -330 ', -330],
    ['"-480"', -480],
    ['UTC+3', -180],
    ['UTC+08:00', -480],
    ['GMT+5:45', -345],
    ['UTC-3', 180],
    ['UTC', 0],
  ])('T3 %j → %d', (v, n) => {
    expect(parseTzCookie(v)).toBe(n);
  });
  it.each([undefined, '', 'abc', '-480min', '99999', '-900', '%E0%A4%A', '12.5', 'UTC+15', 'UTC+3:75', 'Europe/Moscow'])('T3 %j → undefined', (v) => {
    expect(parseTzCookie(v)).toBeUndefined();
  });
});

describe('formatting (T2)', () => {
  const iso = '2026-04-14T16:01:23Z';
  it('T2 Moscow time is UTC+3 whatever the machine zone', () => {
    expect(formatMoscow(iso)).toBe('04-14 19:01');
    expect(formatMoscow(iso, { lang: 'ru', withYear: true })).toBe('14.04.2026 19:01');
    expect(formatMoscow(iso, { withDate: false })).toBe('19:01');
    expect(formatMoscow(iso, { withDate: false, withSeconds: true })).toBe('19:01:23');
    expect(formatMoscow(iso, { withDate: false, hour12: true })).toBe('7:01 PM');
    expect(formatMoscow('2026-04-14T22:30:00Z', { lang: 'ru' })).toBe('15.04 01:30');
  });

  it('T2 the seller zone: Beijing (UTC+8), New York with DST, fixed offsets', () => {
    expect(formatInZone(iso, 'Asia/Shanghai', { withYear: true })).toBe('2026-04-15 00:01');
    expect(formatInZone(iso, 'America/New_York', { withDate: false })).toBe('12:01');
    expect(formatInZone('2026-01-14T16:01:23Z', 'America/New_York', { withDate: false })).toBe('11:01');
    expect(formatInZone(iso, 'Europe/Moscow', { withDate: false })).toBe('19:01');
    expect(formatInZone(iso, 'UTC+8', { withDate: false })).toBe('00:01');
    expect(formatInZone(iso, 'zh', { withDate: false })).toBe('');
    expect(formatInZone('garbage', 'Asia/Shanghai')).toBe('');
    expect(formatMoscow(NaN)).toBe('');
  });

  it('T2 zone offsets and labels', () => {
    expect(zoneOffsetMinutes(iso, 'Asia/Shanghai')).toBe(480);
    expect(zoneOffsetMinutes(iso, 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(iso, 'Not/AZone')).toBeUndefined();
    expect(offsetLabel(480)).toBe('UTC+8');
    expect(offsetLabel(330)).toBe('UTC+5:30');
    expect(offsetLabel(-300)).toBe('UTC-5');
    expect(offsetLabel(0)).toBe('UTC');
    expect(fixedOffsetOf('+03:00')).toBe(180);
    expect(fixedOffsetOf('GMT-3')).toBe(-180);
    expect(fixedOffsetOf('Asia/Shanghai')).toBeUndefined();
  });

  it('T1 Moscow calendar days', () => {
    const off = defaultRulebook.time.moscowOffsetMinutes.value;
    // 20:59:59Z is 23:59:59 MSK, 21:00Z the next Moscow day.
    expect(dayKey(moscowDayIndex(Date.UTC(2026, 3, 14, 20, 59, 59), off))).toBe('2026-04-14');
    expect(dayKey(moscowDayIndex(Date.UTC(2026, 3, 14, 21, 0, 0), off))).toBe('2026-04-15');
  });
});

describe('formatDuration', () => {
  const H = 3_600_000;
  const M = 60_000;
  it.each([
    [23 * H + 12 * M + 59_000, '23h 12m', 'hm'],
    [8 * M + 5_000, '8m 05s', 'ms'],
    [8 * M + 5_999, '8m 05s', 'ms'],
    [52 * H, '2d 4h', 'dh'],
    [48 * H, '2d 0h', 'dh'],
    [48 * H - 1, '47h 59m', 'hm'],
    [H, '1h 00m', 'hm'],
    [H - 1, '59m 59s', 'ms'],
    [0, '0m 00s', 'ms'],
    [-(2 * H + 5 * M), '-2h 05m', 'hm'],
    [-500, '0m 00s', 'ms'],
  ])('%d ms → %s', (ms, text, style) => {
    const d = formatDuration(ms);
    expect(d.text).toBe(text);
    expect(d.style).toBe(style);
    expect(d.valid).toBe(true);
  });
  it('returns parts for translation, and a clear invalid marker', () => {
    expect(formatDuration(52 * H + 30 * M)).toMatchObject({ d: 2, h: 4, negative: false });
    expect(formatDuration(-90_000)).toMatchObject({ m: 1, s: 30, negative: true });
    expect(formatDuration(NaN)).toMatchObject({ valid: false, text: '—' });
  });
  it('durationParts is formatDuration without the text, for any time left (the badge words its own)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -400 * H, max: 400 * H }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0)), (ms) => {
        const { text: _text, ...parts } = formatDuration(ms);
        expect(durationParts(ms)).toEqual(parts);
      }),
      { numRuns: 3000 },
    );
  });
});
