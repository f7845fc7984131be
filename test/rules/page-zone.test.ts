/**
 * T3: the page's zone learned from (printed wall clock, JSON instant) pairs,
 * and the order of evidence: setting > cookie (unless the rows clearly
 * disagree) > learned rows > Moscow.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COOKIE_OVERRIDE_MIN_ROWS,
  isConfident,
  learnPageOffset,
  MAX_EAST,
  MIN_EAST,
  pairOffset,
  parsePageZoneSetting,
  resolvePageZone,
  tzOffsetOf,
  type ZonePair,
} from '../../rules/page-zone';
import { defaultRulebook, withValues } from '../../rules/rulebook';

const MIN = 60_000;
const H = 60 * MIN;
const BASE = Date.UTC(2026, 11, 4, 9, 17, 0);

/** The page printing `instant` in `east` (minutes east): its wall clock read as UTC, cut to whole minutes like the panel. */
function printed(instant: number, east: number): number {
  const wall = instant + east * MIN;
  return Math.floor(wall / MIN) * MIN;
}

function pairs(east: number, n: number, from = BASE, step = 37 * MIN): ZonePair[] {
  return Array.from({ length: n }, (_, i) => {
    const instantMs = from + i * step + 23_000; // seconds the page does not print
    return { wallMs: printed(instantMs, east), instantMs };
  });
}

describe('pairOffset', () => {
  it('reads the exact offset of one pair, rounding away the seconds the page drops', () => {
    expect(pairOffset({ wallMs: Date.UTC(2026, 11, 5, 14, 0), instantMs: Date.UTC(2026, 11, 5, 11, 0) })).toBe(180);
    expect(pairOffset({ wallMs: Date.UTC(2026, 11, 5, 14, 0), instantMs: Date.UTC(2026, 11, 5, 6, 0, 59) })).toBe(480);
    // A page that rounds 13:59:31 up to "14:00".
    expect(pairOffset({ wallMs: Date.UTC(2026, 11, 5, 14, 0), instantMs: Date.UTC(2026, 11, 5, 10, 59, 31) })).toBe(180);
    expect(pairOffset({ wallMs: Date.UTC(2026, 11, 5, 3, 0), instantMs: Date.UTC(2026, 11, 5, 8, 0) })).toBe(-300);
    expect(Object.is(pairOffset({ wallMs: BASE, instantMs: BASE }), 0)).toBe(true);
  });

  it('refuses what no real zone explains: beyond UTC−12..+14, off a quarter-hour, not finite', () => {
    expect(pairOffset({ wallMs: BASE + 15 * H, instantMs: BASE })).toBeUndefined();
    expect(pairOffset({ wallMs: BASE - 13 * H, instantMs: BASE })).toBeUndefined();
    expect(pairOffset({ wallMs: BASE + 3 * H + 7 * MIN, instantMs: BASE })).toBeUndefined();
    expect(pairOffset({ wallMs: NaN, instantMs: BASE })).toBeUndefined();
    expect(pairOffset({ wallMs: BASE, instantMs: Infinity })).toBeUndefined();
    expect(pairOffset({ wallMs: BASE + 14 * H, instantMs: BASE })).toBe(MAX_EAST);
    expect(pairOffset({ wallMs: BASE - 12 * H, instantMs: BASE })).toBe(MIN_EAST);
  });
});

describe('learnPageOffset', () => {
  it('learns exact offsets: Moscow, Beijing, UTC+5, UTC−5, UTC', () => {
    for (const east of [180, 480, 300, -300, 0]) {
      const l = learnPageOffset(pairs(east, 12))!;
      expect(l.east).toBe(east);
      expect(l.support).toBe(12);
      expect(l.usable).toBe(12);
    }
  });

  it('learns quarter- and half-hour zones: Nepal +05:45, India +05:30, Chatham +12:45, Marquesas −09:30', () => {
    for (const east of [345, 330, 765, -570]) expect(learnPageOffset(pairs(east, 5))!.east).toBe(east);
  });

  it('DST-less zones stay one offset over a whole year (Asia/Shanghai all year round)', () => {
    const l = learnPageOffset(pairs(480, 24, Date.UTC(2026, 0, 1), 15 * 24 * H + 11 * MIN))!;
    expect(l).toMatchObject({ east: 480, support: 24, usable: 24 });
  });

  it('is robust to a few pairs that disagree: stale rows and noise', () => {
    const good = pairs(480, 9);
    const stale = [
      { wallMs: printed(BASE + 2 * H, 480), instantMs: BASE }, // the JSON moved the deadline by 2 h; the row still shows the old one
      { wallMs: printed(BASE, 480) + 7 * MIN, instantMs: BASE }, // 7 min off: noise, no vote
      { wallMs: printed(BASE, 180), instantMs: BASE },
    ];
    const l = learnPageOffset([...good.slice(0, 4), ...stale, ...good.slice(4)])!;
    expect(l.east).toBe(480);
    expect(l.support).toBe(9);
    expect(l.usable).toBe(11); // the 7-minute one is no vote
    expect(l.votes.get(600)).toBe(1);
    expect(isConfident(l)).toBe(true);
  });

  it('a tie goes to the offset of the most recent pair (a zone that just changed)', () => {
    const l = learnPageOffset([...pairs(180, 3), ...pairs(480, 3, BASE + 50 * H)])!;
    expect(l.east).toBe(480);
    expect(l.support).toBe(3);
    // Acted on: a page whose zone just changed is followed while its rows re-render, not dropped to the default.
    expect(isConfident(l)).toBe(true);
    const back = learnPageOffset([...pairs(480, 3, BASE + 50 * H), ...pairs(180, 3)])!;
    expect(back.east).toBe(180);
  });

  it('no pairs, or only noise: nothing learned', () => {
    expect(learnPageOffset([])).toBeUndefined();
    expect(learnPageOffset([{ wallMs: BASE + 7 * MIN, instantMs: BASE }, { wallMs: NaN, instantMs: NaN }])).toBeUndefined();
    expect(isConfident(undefined)).toBe(false);
  });

  it('noise spread over many offsets does not beat the rows that agree', () => {
    const noise = [60, 120, 240, 360, 420].map((east) => ({ wallMs: printed(BASE, east), instantMs: BASE }));
    const l = learnPageOffset([...pairs(300, 3), ...noise])!;
    expect(l).toMatchObject({ east: 300, support: 3, usable: 8 });
    expect(isConfident(l)).toBe(true);
  });

  it('one row is not enough to act on; two agreeing rows are', () => {
    expect(isConfident(learnPageOffset(pairs(300, 1)))).toBe(false);
    expect(isConfident(learnPageOffset(pairs(300, 2)))).toBe(true);
  });

  it('property: any offset in −12..+14 h (quarter-hours) and any instants: pairs printed in it are learned back exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_EAST / 15, max: MAX_EAST / 15 }).map((q) => q * 15),
        fc.array(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), { minLength: 1, maxLength: 40 }),
        (east, instants) => {
          const ps = instants.map((instantMs) => ({ wallMs: printed(instantMs, east), instantMs }));
          const l = learnPageOffset(ps)!;
          expect(l.east).toBe(east);
          expect(l.support).toBe(instants.length);
          expect(l.usable).toBe(instants.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parsePageZoneSetting', () => {
  it('reads auto, moscow, local and offsets in the forms sellers type, stored canonically', () => {
    expect(parsePageZoneSetting('auto')).toMatchObject({ ok: true, value: 'auto' });
    expect(parsePageZoneSetting('')).toMatchObject({ ok: true, value: 'auto' });
    expect(parsePageZoneSetting('moscow')).toMatchObject({ ok: true, choice: { kind: 'moscow' } });
    expect(parsePageZoneSetting('local')).toMatchObject({ ok: true, choice: { kind: 'local' } });
    expect(parsePageZoneSetting('UTC+8')).toMatchObject({ ok: true, value: 'UTC+8', choice: { kind: 'fixed', east: 480 } });
    expect(parsePageZoneSetting('+05:45')).toMatchObject({ ok: true, value: 'UTC+5:45', choice: { east: 345 } });
    expect(parsePageZoneSetting('gmt-3')).toMatchObject({ ok: true, value: 'UTC-3', choice: { east: -180 } });
    expect(parsePageZoneSetting('−9:30')).toMatchObject({ ok: true, choice: { east: -570 } });
    expect(parsePageZoneSetting('+0545')).toMatchObject({ ok: true, choice: { east: 345 } });
    expect(parsePageZoneSetting('UTC')).toMatchObject({ ok: true, value: 'UTC', choice: { east: 0 } });
    expect(parsePageZoneSetting(' UTC+14 ')).toMatchObject({ ok: true, choice: { east: 840 } });
  });

  it('refuses what is no real offset, with a reason', () => {
    for (const bad of ['UTC+15', 'UTC-13', '+05:10', '+5:75', 'Asia/Shanghai', 'UTC+', '8', 'moscowx', 'x'.repeat(40)]) {
      const r = parsePageZoneSetting(bad);
      expect(r.ok, bad).toBe(false);
    }
    expect(parsePageZoneSetting(42).ok).toBe(false);
    expect(parsePageZoneSetting(null).ok).toBe(false);
  });
});

describe('resolvePageZone (T3 order of evidence)', () => {
  const auto = { kind: 'auto' } as const;
  const learned = (east: number, n: number, other?: [number, number]) =>
    learnPageOffset([...(other ? pairs(other[0], other[1]) : []), ...pairs(east, n, BASE + 100 * H)]);

  it('nothing to learn, no cookie: the rulebook default, Moscow (T1 offset, editable)', () => {
    expect(resolvePageZone({ choice: auto })).toEqual({ east: 180, basis: 'assumed' });
    const rb = withValues(defaultRulebook, { 'time.moscowOffsetMinutes': 240 });
    expect(resolvePageZone({ choice: auto, rulebook: rb }).east).toBe(240);
    // One row is not enough.
    expect(resolvePageZone({ choice: auto, learned: learned(480, 1) }).basis).toBe('assumed');
  });

  it('learned rows, no cookie: the learned offset with its support', () => {
    const z = resolvePageZone({ choice: auto, learned: learned(480, 12, [180, 2]) });
    expect(z).toEqual({ east: 480, basis: 'learned', rows: 12 });
    expect(tzOffsetOf(z)).toBe(-480);
  });

  it('a cookie counts; rows that agree confirm it, a few that disagree do not overturn it', () => {
    expect(resolvePageZone({ choice: auto, cookieTzOffset: -480 })).toEqual({ east: 480, basis: 'cookie', rows: 0 });
    expect(resolvePageZone({ choice: auto, cookieTzOffset: -480, learned: learned(480, 7) })).toEqual({ east: 480, basis: 'cookie', rows: 7 });
    // Two rows for Moscow against a cookie saying +8: not clear enough.
    expect(resolvePageZone({ choice: auto, cookieTzOffset: -480, learned: learned(180, COOKIE_OVERRIDE_MIN_ROWS - 1) }).basis).toBe('cookie');
    // Four rows for Moscow, two for the cookie: 4 < 3 × 2, the cookie stands.
    expect(resolvePageZone({ choice: auto, cookieTzOffset: -480, learned: learned(180, 4, [480, 2]) }).east).toBe(480);
  });

  it('rows that clearly disagree with the cookie win, and the card can say what the cookie claimed', () => {
    const z = resolvePageZone({ choice: auto, cookieTzOffset: -480, learned: learned(300, 9, [480, 1]) });
    expect(z).toEqual({ east: 300, basis: 'learned', rows: 9, overruledCookie: 480 });
  });

  it('the seller\'s setting beats everything', () => {
    const l = learned(480, 20);
    expect(resolvePageZone({ choice: { kind: 'moscow' }, learned: l, cookieTzOffset: -480 })).toEqual({ east: 180, basis: 'set', choice: 'moscow' });
    expect(resolvePageZone({ choice: { kind: 'fixed', east: 345 }, learned: l })).toEqual({ east: 345, basis: 'set', choice: 'fixed' });
    expect(resolvePageZone({ choice: { kind: 'local' }, localEast: -300, learned: l })).toEqual({ east: -300, basis: 'set', choice: 'local' });
    // 'local' with no known local offset falls back to the evidence.
    expect(resolvePageZone({ choice: { kind: 'local' }, learned: l }).basis).toBe('learned');
  });
});
