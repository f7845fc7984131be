/**
 * Clocks: browser zones with daylight saving across a change, and a machine
 * clock far from the page's times. Deadlines are instants: the countdown is
 * the absolute difference (a DST switch in the seller's zone neither adds nor
 * removes an hour), Moscow time (no DST since 2014) is shown as Moscow time,
 * and a date years away is shown as ">99d", never "2500d 3h". The real-browser
 * half (timezoneId Europe/Berlin / America/New_York) is in
 * test/e2e/lifecycle.e2e.ts.
 */
import { describe, expect, it } from 'vitest';
import { evaluateOrder, formatMoscow, formatInZone, zoneOffsetMinutes, type Order } from '../../rules/index';
import { formatCountdown, MAX_DAYS_SHOWN } from '../../components/badge/countdown';
import { count } from './fuzz-config';

const H = 3_600_000;
const D = 24 * H;

describe('deadlines across a DST change (T1, T2, D2)', () => {
  // Europe/Berlin springs forward on 2026-03-29 01:00 UTC; America/New_York on 2026-03-08 07:00 UTC.
  const cases = [
    { zone: 'Europe/Berlin', now: '2026-03-28T12:00:00Z', due: '2026-03-29T12:00:00Z', ownBefore: 60, ownAfter: 120 },
    { zone: 'America/New_York', now: '2026-03-07T12:00:00Z', due: '2026-03-08T12:00:00Z', ownBefore: -300, ownAfter: -240 },
    { zone: 'Europe/Berlin', now: '2026-10-24T12:00:00Z', due: '2026-10-25T12:00:00Z', ownBefore: 120, ownAfter: 60 },
  ];
  for (const c of cases) {
    it(`${c.zone}, ${c.now} → ${c.due}: msLeft is the absolute 24 h, Moscow shows 15:00, the own zone its new offset`, () => {
      count('clock');
      const o: Order = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_shipment', confirmedAt: c.now, shipBy: c.due };
      const v = evaluateOrder(o, c.now);
      expect(v.deadline!.dueAt).toBe(new Date(c.due).toISOString());
      expect(v.deadline!.msLeft).toBe(24 * H);
      expect(formatCountdown(v.deadline!.msLeft)).toBe(formatCountdown(24 * H));
      expect(formatMoscow(c.due)).toMatch(/15:00/);
      expect(zoneOffsetMinutes(c.now, c.zone)).toBe(c.ownBefore);
      expect(zoneOffsetMinutes(c.due, c.zone)).toBe(c.ownAfter);
      const localHour = (12 * 60 + c.ownAfter) / 60;
      expect(formatInZone(c.due, c.zone)).toMatch(new RegExp(`\\b0?${localHour}:00`));
    });
  }
});

describe('a machine clock far from the page times: no absurd durations', () => {
  const now = Date.parse('2026-04-14T12:00:00Z');
  const far = [
    ['2019-01-01T07:00:00Z', true],
    ['2099-12-31T07:00:00Z', false],
    ['1970-01-01T00:00:00Z', true],
    ['2200-01-01T00:00:00Z', false],
  ] as const;
  for (const [due, past] of far) {
    it(`due ${due}: the badge says "${past ? 'overdue ' : ''}>${MAX_DAYS_SHOWN}d", the verdict keeps the exact instant`, () => {
      count('clock');
      const o: Order = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_shipment', confirmedAt: due, shipBy: due };
      const v = evaluateOrder(o, now);
      expect(v.deadline!.dueAt).toBe(new Date(due).toISOString());
      expect(v.level).toBe(past ? 'overdue' : 'ok');
      const text = formatCountdown(v.deadline!.msLeft);
      expect(text).toContain(`>${MAX_DAYS_SHOWN}`);
      expect(text).not.toMatch(/\d{3,}/);
      if (past) expect(text).toMatch(/overdue/);
    });
  }
  it('up to 99 days the countdown stays exact; from 100 days it is capped', () => {
    count('clock', 3);
    expect(formatCountdown(99 * D + 5 * H)).toBe('99d 5h');
    expect(formatCountdown(100 * D)).toBe(`>${MAX_DAYS_SHOWN}d`);
    expect(formatCountdown(-(400 * D))).toBe(`overdue >${MAX_DAYS_SHOWN}d`);
  });
});
