/**
 * The one place times and zones are worded for the seller: the card, the
 * chip's list, the popup and the reminders use these, so a deadline reads the
 * same everywhere in one language ("22 Nov, 14:00", «22 нояб., 14:00»,
 * "11月22日 14:00" — Intl's own day-month form for the language, which is
 * also the popup's pattern family).
 *
 * T2: Moscow time AND the seller's own time wherever the seller acts; the own
 * zone named as people say it (北京时间 / "Beijing time" for China's zone,
 * otherwise "local time (UTC+8)"); a mark when a deadline falls in the
 * seller's night (NIGHT_HOURS, storage/settings.ts).
 */
import { LANG_TAG, lang, t, type Lang } from './i18n';
import { moscowOffsetMinutes, offsetLabel } from '../rules';
import { zoneOffsetMinutes } from '../rules';
import type { Rulebook } from '../rules';
import { NIGHT_HOURS } from './night';

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function formatter(l: Lang, zone: string, hour12: boolean): Intl.DateTimeFormat {
  const key = `${l}|${zone}|${hour12}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LANG_TAG[l], { timeZone: zone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12 });
    if (fmtCache.size > 32) fmtCache.clear(); // a handful of zones in practice; never grows without bound
    fmtCache.set(key, f);
  }
  return f;
}

/** An instant at a fixed offset east of UTC, in the language's date-time form; '' when invalid. */
export function atOffset(ms: number, offsetMinutesEast: number, hour12 = false): string {
  const shifted = ms + offsetMinutesEast * 60_000;
  if (!Number.isFinite(shifted) || Math.abs(shifted) > 8.64e15) return '';
  return formatter(lang(), 'UTC', hour12).format(shifted);
}

/** An instant in an IANA zone (or a fixed "UTC+8"), in the language's date-time form; '' when invalid. */
export function atZone(ms: number, zone: string, hour12 = false): string {
  const off = zoneOffsetMinutes(ms, zone);
  return off === undefined ? '' : atOffset(ms, off, hour12);
}

/** "14:00 MSK" with its date: Moscow time from the rulebook's T1 offset. */
export function moscowText(ms: number, rb: Rulebook, hour12 = false): string {
  const s = atOffset(ms, moscowOffsetMinutes(rb), hour12);
  return s ? `${s} ${t('tz_moscow')}` : '';
}

/** China's zone names (all UTC+8 in use): what a seller there calls 北京时间. */
const BEIJING = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC', 'Asia/Beijing']);
const MOSCOW = new Set(['Europe/Moscow', 'W-SU']);

/** The own zone as people say it: "Beijing time" / 北京时间, "MSK", else "local time (UTC+8)". */
export function zoneName(zone: string, at: number): string {
  return zoneNameWith(t, zone, at);
}

/** zoneName with a given translator (the phone channels word messages in the channel's own language). */
export function zoneNameWith(tr: (key: string, ...subs: string[]) => string, zone: string, at: number): string {
  if (BEIJING.has(zone)) return tr('when_zone_beijing');
  if (MOSCOW.has(zone)) return tr('tz_moscow');
  const off = zoneOffsetMinutes(at, zone);
  return tr('when_zone_local', off === undefined ? zone : offsetLabel(off));
}

/** Whether an instant falls in the seller's night in their own zone (NIGHT_HOURS). */
export function isNight(ms: number, zone: string): boolean {
  const off = zoneOffsetMinutes(ms, zone);
  if (off === undefined) return false;
  const h = new Date(ms + off * 60_000).getUTCHours();
  const { from, to } = NIGHT_HOURS;
  return from > to ? h >= from || h < to : h >= from && h < to;
}

export interface BothTimes {
  moscow: string;
  /** "22 Nov, 19:00 Beijing time" — '' when the own zone is Moscow (said once, not twice). */
  own: string;
  night: boolean;
}

/** Moscow time and the seller's own, for one deadline. */
export function bothTimes(iso: string, zone: string, rb: Rulebook, hour12 = false): BothTimes {
  const ms = Date.parse(iso);
  const moscow = moscowText(ms, rb, hour12);
  const sameAsMoscow = MOSCOW.has(zone) || zoneOffsetMinutes(ms, zone) === moscowOffsetMinutes(rb);
  const ownAt = sameAsMoscow ? '' : atZone(ms, zone, hour12);
  return { moscow, own: ownAt ? `${ownAt} ${zoneName(zone, ms)}` : '', night: isNight(ms, zone) };
}

/** One line: "22 Nov, 14:00 MSK · 22 Nov, 19:00 Beijing time ☾" (the mark: in your night). */
export function bothLine(iso: string, zone: string, rb: Rulebook, hour12 = false): string {
  const b = bothTimes(iso, zone, rb, hour12);
  return [b.moscow, b.own].filter(Boolean).join(' · ') + (b.night ? ` ${t('when_night_mark')}` : '');
}
