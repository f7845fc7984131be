/**
 * Time helpers for T1–T3: instants, offsets, Moscow days, countdowns; the
 * panel's time text is read in rules/panel-time.ts, instants are written as
 * wall-clock text in rules/zone-format.ts. Pure: nothing here reads the clock or the
 * machine's zone, so a Beijing seller's browser and a New York CI box get the
 * same answers (the rules suite runs under TZ=UTC, Asia/Shanghai and
 * America/New_York to prove it).
 *
 * Instants travel as epoch milliseconds inside the module and as UTC ISO
 * strings (`…Z`) outside it. An invalid instant is `NaN` internally: every
 * helper documents how it reports one, none throws.
 */
import { defaultRulebook, type Rulebook } from './rulebook';

export const MS_MINUTE = 60_000;
export const MS_HOUR = 3_600_000;
export const MS_DAY = 86_400_000;
/** ECMAScript's own limit; beyond it `toISOString` throws. */
const MAX_MS = 8.64e15;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m1: number): number {
  return m1 === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[m1 - 1] ?? 0);
}

/** Two ASCII digits at i, or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Date.UTC, minus its habit of reading years 0–99 as 1900–1999. */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  dt.setUTCFullYear(y);
  return dt.getTime();
}

/**
 * Strict ISO-8601 instant → epoch ms; `NaN` when it is not one. No rollover
 * (Feb 31, 25:00 are rejected). A zone-less instant is read as UTC: the
 * contract's instants are UTC, and reading it as the machine's local time
 * would make results depend on where the code runs. Hand-rolled because it
 * sits on the hot path of evaluateOrder / summarizeStore (several per order).
 */
export function parseIsoMs(s: string): number {
  const n = s.length;
  if (n < 10 || n > 40) return NaN;
  const c1 = d2(s, 0);
  const c2 = d2(s, 2);
  if (c1 < 0 || c2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = c1 * 100 + c2;
  const mo = d2(s, 5);
  const d = d2(s, 8);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return NaN;
  if (n === 10) return utcMs(y, mo, d, 0, 0, 0, 0);
  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 32 /* space */ && sep !== 116 /* t */) return NaN;
  const h = d2(s, 11);
  const mi = d2(s, 14);
  if (h < 0 || h > 23 || s.charCodeAt(13) !== 58 || mi < 0 || mi > 59) return NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = d2(s, i + 1);
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    const fc = s.charCodeAt(i);
    if (fc === 46 || fc === 44) {
      i++;
      let digits = 0;
      let frac = 0;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (digits < 3) frac = frac * 10 + c;
        digits++;
        i++;
      }
      if (digits === 0 || digits > 9) return NaN;
      ms = digits === 1 ? frac * 100 : digits === 2 ? frac * 10 : frac;
    }
  }
  let offMin = 0;
  if (i < n) {
    const zc = s.charCodeAt(i);
    if (zc === 90 || zc === 122) {
      if (i + 1 !== n) return NaN;
    } else if (zc === 43 || zc === 45) {
      const oh = d2(s, i + 1);
      if (oh < 0 || oh > 23) return NaN;
      let j = i + 3;
      let om = 0;
      if (j < n) {
        if (s.charCodeAt(j) === 58) j++;
        om = d2(s, j);
        if (om < 0 || om > 59) return NaN;
        j += 2;
      }
      if (j !== n) return NaN;
      offMin = (oh * 60 + om) * (zc === 45 ? -1 : 1);
    } else return NaN;
  }
  const out = utcMs(y, mo, d, h, mi, sec, ms) - offMin * MS_MINUTE;
  return out >= -MAX_MS && out <= MAX_MS ? out : NaN;
}

/**
 * Epoch ms given as a number → the instant `Date` makes of it (ECMAScript's TimeClip: whole
 * milliseconds, no −0), or `NaN` outside the Date range. A fraction kept here would reach a
 * countdown but not the ISO text beside it, which `Date` truncates: the two must say the same.
 */
export function clipMs(ms: number): number {
  return ms >= -MAX_MS && ms <= MAX_MS ? Math.trunc(ms) + 0 : NaN;
}

/**
 * An instant given as an ISO string, epoch ms or Date → epoch ms.
 * Returns `NaN` for anything that is not a valid instant: callers check with
 * `Number.isFinite(x)` (or `isValidMs`) before counting with it.
 */
export function toEpochMs(now: string | number | Date | null | undefined): number {
  if (typeof now === 'number') return clipMs(now);
  if (typeof now === 'string') return parseIsoMs(now.trim());
  if (now instanceof Date) {
    const t = now.getTime();
    return t >= -MAX_MS && t <= MAX_MS ? t : NaN;
  }
  return NaN;
}

/** Whether a number is a usable instant (finite, within the Date range). */
export function isValidMs(ms: number): boolean {
  return typeof ms === 'number' && ms >= -MAX_MS && ms <= MAX_MS;
}

/** Epoch ms of 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years written with four digits. */
const FOUR_DIGIT_FROM = -62_167_219_200_000;
const FOUR_DIGIT_TO = 253_402_300_800_000;

const pad2 = (n: number): string => (n < 10 ? '0' + n : '' + n);

/**
 * Epoch ms → `YYYY-MM-DDTHH:mm:ss.sssZ`, exactly as `Date#toISOString` writes
 * it; `''` for an invalid instant (never throws). Written out by hand for the
 * years 0–9999 because it runs several times per order on the page's main
 * thread (every JSON instant, every verdict's deadline and notes) and
 * `toISOString` cost ≈ 0.8 µs a call there (docs/performance.md); other
 * years, which carry a sign and six digits, are left to `toISOString`.
 */
export function isoUtc(ms: number): string {
  if (!isValidMs(ms)) return '';
  if (ms < FOUR_DIGIT_FROM || ms >= FOUR_DIGIT_TO || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_DAY);
  let rest = ms - days * MS_DAY;
  // Days since 1970-01-01 → civil date (H. Hinnant's days_from_civil, inverted).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / MS_HOUR);
  rest -= h * MS_HOUR;
  const mi = Math.floor(rest / MS_MINUTE);
  rest -= mi * MS_MINUTE;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const yy = y < 10 ? '000' + y : y < 100 ? '00' + y : y < 1000 ? '0' + y : '' + y;
  const mmm = milli < 10 ? '00' + milli : milli < 100 ? '0' + milli : '' + milli;
  return yy + '-' + pad2(m) + '-' + pad2(d) + 'T' + pad2(h) + ':' + pad2(mi) + ':' + pad2(sec) + '.' + mmm + 'Z';
}

/**
 * T1: Moscow's offset in minutes east of UTC (180), from the rulebook, with a
 * sane fallback when an edited rulebook holds garbage.
 */
export function moscowOffsetMinutes(rulebook: Rulebook = defaultRulebook): number {
  const v = rulebook?.time?.moscowOffsetMinutes?.value;
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 18 * 60 ? v : defaultRulebook.time.moscowOffsetMinutes.value;
}

const RE_FIXED = /^(?:UTC|GMT)?\s*([+-−])(\d{1,2})(?::?(\d{2}))?$/i;

/** A fixed offset written as "UTC+8", "+08:00", "GMT-3" → minutes east; undefined otherwise. */
export function fixedOffsetOf(zone: string): number | undefined {
  const m = RE_FIXED.exec(zone.trim());
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '+' ? v : -v;
}

/** Minutes east of UTC → "UTC+8", "UTC+5:30", "UTC-3", "UTC". */
export function offsetLabel(minutesEast: number): string {
  if (!Number.isFinite(minutesEast) || minutesEast === 0) return 'UTC';
  const sign = minutesEast > 0 ? '+' : '-';
  const a = Math.abs(minutesEast);
  const h = Math.floor(a / 60);
  const m = a % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}


/** The Moscow calendar day of an instant as a day number (days since 1970-01-01 in Moscow). */
export function moscowDayIndex(ms: number, offsetMinutesEast: number): number {
  return Math.floor((ms + offsetMinutesEast * MS_MINUTE) / MS_DAY);
}

/** A day number (see moscowDayIndex) → 'YYYY-MM-DD'; `''` when out of the Date range. */
export function dayKey(dayIndex: number): string {
  const ms = dayIndex * MS_DAY;
  return isValidMs(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

export interface DurationParts {
  /** Whether the instant is in the past (the time left is negative). */
  negative: boolean;
  d: number;
  h: number;
  m: number;
  s: number;
  /**
   * Which pair the compact text shows: 'dh' (≥ 48 h: "2d 4h"), 'hm'
   * (≥ 1 h: "23h 12m", hours may exceed 24), 'ms' (< 1 h: "8m 05s").
   */
  style: 'dh' | 'hm' | 'ms';
  /** English default, e.g. "23h 12m"; negative values get a leading "-". "—" when invalid. */
  text: string;
  valid: boolean;
}

/** formatDuration's parts without the English text: for callers that write their own words (the badge's countdown). */
export type DurationShape = Omit<DurationParts, 'text'>;

/**
 * The parts of a compact countdown, without building the English text: the badge writes one
 * countdown per new row, in its own words (components/badge/countdown.ts), and the unused text
 * was a string built and thrown away per badge (docs/performance.md "Tenth pass"). Same
 * thresholds and truncation as formatDuration, which is built on it.
 */
export function durationParts(ms: number): DurationShape {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return { negative: false, d: 0, h: 0, m: 0, s: 0, style: 'ms', valid: false };
  const negative = ms < 0;
  const totalS = Math.floor(Math.abs(ms) / 1000);
  if (totalS >= 48 * 3600) {
    return { negative, d: Math.floor(totalS / 86400), h: Math.floor((totalS % 86400) / 3600), m: 0, s: 0, style: 'dh', valid: true };
  }
  if (totalS >= 3600) return { negative, d: 0, h: Math.floor(totalS / 3600), m: Math.floor((totalS % 3600) / 60), s: 0, style: 'hm', valid: true };
  return { negative, d: 0, h: 0, m: Math.floor(totalS / 60), s: totalS % 60, style: 'ms', valid: true };
}

/**
 * A compact countdown. Parts let the UI translate the units; `text` is the
 * English default. Truncates toward zero (a countdown never shows more time
 * than is left).
 */
export function formatDuration(ms: number): DurationParts {
  const p = durationParts(ms);
  if (!p.valid) return { ...p, text: '—' };
  // A sign only when something is shown: "-0m 00s" would be a countdown below zero that is not.
  const sign = p.negative && (p.d || p.h || p.m || p.s) ? '-' : '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = p.style === 'dh' ? `${sign}${p.d}d ${p.h}h` : p.style === 'hm' ? `${sign}${p.h}h ${pad(p.m)}m` : `${sign}${p.m}m ${pad(p.s)}s`;
  return { ...p, text };
}
