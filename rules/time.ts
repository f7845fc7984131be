/**
 * Time helpers for T1–T3. Pure: nothing here reads the clock or the
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
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
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
 * An instant given as an ISO string, epoch ms or Date → epoch ms.
 * Returns `NaN` for anything that is not a valid instant: callers check with
 * `Number.isFinite(x)` (or `isValidMs`) before counting with it.
 */
export function toEpochMs(now: string | number | Date | null | undefined): number {
  if (typeof now === 'number') return now >= -MAX_MS && now <= MAX_MS ? now : NaN;
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

/** Epoch ms → `YYYY-MM-DDTHH:mm:ss.sssZ`; `''` for an invalid instant (never throws). */
export function isoUtc(ms: number): string {
  return isValidMs(ms) ? new Date(ms).toISOString() : '';
}

/**
 * T1: Moscow's offset in minutes east of UTC (180), from the rulebook, with a
 * sane fallback when an edited rulebook holds garbage.
 */
export function moscowOffsetMinutes(rulebook: Rulebook = defaultRulebook): number {
  const v = rulebook?.time?.moscowOffsetMinutes?.value;
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 18 * 60 ? v : defaultRulebook.time.moscowOffsetMinutes.value;
}

/**
 * T3: the panel's `x-o3-timezone` cookie → minutes with the sign of
 * `Date#getTimezoneOffset()` (`-480` is UTC+8); undefined when absent or
 * not a plausible offset.
 */
export function parseTzCookie(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  let v = value.trim();
  try {
    v = decodeURIComponent(v);
  } catch {
    return undefined;
  }
  v = v.replace(/^"|"$/g, '').trim();
  // The same setting also travels as a header in the form "UTC+3" (docs/real-panel.md §3):
  // read that form too, turned into getTimezoneOffset's sign (UTC+3 → -180).
  const named = /^(?:UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(v);
  if (named) {
    const mins = Number(named[2]) * 60 + Number(named[3] ?? 0);
    if (Number(named[3] ?? 0) >= 60) return undefined;
    const n = named[1] === '+' ? -mins : mins;
    return n >= -14 * 60 && n <= 12 * 60 ? n + 0 : undefined;
  }
  if (/^(?:UTC|GMT)$/i.test(v)) return 0;
  if (!/^[+-]?\d{1,4}$/.test(v)) return undefined;
  const n = Number(v);
  // Real zones run from UTC−12 to UTC+14.
  return n >= -14 * 60 && n <= 12 * 60 ? n + 0 : undefined;
}

export type ParsedTime = { ok: true; iso: string } | { ok: false; error: string };

export interface ParseTimeOptions {
  /** The `x-o3-timezone` cookie (getTimezoneOffset sign). When absent, zone-less text is Moscow time. */
  tzOffsetMinutes?: number;
  rulebook?: Rulebook;
}

const RE_DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RE_YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;
const RE_ZONED = /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const RE_MSK_TAG = /\s*\(?\s*(?:мск|msk|moscow|москва|莫斯科时间|莫斯科)\s*\)?$/iu;

const pad2 = (x: string | undefined) => (x ?? '0').padStart(2, '0');

/**
 * T1/T3: a time as the panel prints it → a UTC instant.
 *
 * - `14.04.2026 19:01`, `14.04.2026 19:01:23`, `14.04.2026`, `2026-04-14 19:01`,
 *   `2026-04-14 19:01:23`, `2026-04-14T19:01:23` (zone-less): wall-clock time
 *   in the `tzOffsetMinutes` zone when given (the x-o3-timezone cookie), else
 *   in Moscow (T1). A trailing «МСК»/"MSK" pins Moscow whatever the cookie.
 * - ISO with `Z` or an offset keeps its own zone (the panel's JSON beats text).
 * - Anything else, and impossible dates (`31.02.2026 25:61`), → `{ ok: false }`.
 */
/** "YYYY-MM-DD HH:mm:ss" as UTC epoch ms, or undefined when any field is out of range (no rollover). */
function strictUtcWall(canon: string): number | undefined {
  const y = +canon.slice(0, 4);
  const mo = +canon.slice(5, 7);
  const d = +canon.slice(8, 10);
  const h = +canon.slice(11, 13);
  const mi = +canon.slice(14, 16);
  const sec = +canon.slice(17, 19);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59)) return undefined;
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d); // setUTCFullYear: years below 100 are not moved to 19xx
  dt.setUTCHours(h, mi, sec, 0);
  return dt.getUTCDate() === d && dt.getUTCMonth() === mo - 1 ? dt.getTime() : undefined;
}

export function parsePanelTime(text: string | null | undefined, opts: ParseTimeOptions = {}): ParsedTime {
  if (typeof text !== 'string') return { ok: false, error: 'not text' };
  let t = text.replace(/[\u00a0\u202f\u2009]/g, ' ').trim().replace(/\s+/g, ' ');
  if (!t) return { ok: false, error: 'empty' };
  let pinnedMoscow = false;
  if (RE_MSK_TAG.test(t)) {
    pinnedMoscow = true;
    t = t.replace(RE_MSK_TAG, '').trim();
  }
  // "14.04.2026, 19:01" and "14.04.2026 в 19:01" are the same wall-clock time.
  t = t.replace(/^(\S+?),? (?:в |at |)(\d{1,2}:\d{2})/u, '$1 $2');

  if (!pinnedMoscow && /[T ]\d{1,2}:\d{2}/.test(t) && RE_ZONED.test(t)) {
    const ms = parseIsoMs(t);
    return Number.isFinite(ms) ? { ok: true, iso: isoUtc(ms) } : { ok: false, error: 'invalid ISO instant' };
  }

  let canon: string | undefined;
  let frac = 0;
  let m = RE_DMY.exec(t);
  if (m) canon = `${m[3]}-${pad2(m[2])}-${pad2(m[1])} ${pad2(m[4])}:${pad2(m[5])}:${pad2(m[6])}`;
  else if ((m = RE_YMD.exec(t))) {
    canon = `${m[1]}-${pad2(m[2])}-${pad2(m[3])} ${pad2(m[4])}:${pad2(m[5])}:${pad2(m[6])}`;
    if (m[7]) frac = Number(m[7].slice(0, 3).padEnd(3, '0'));
  }
  if (!canon) return { ok: false, error: 'unrecognised time format' };

  // Strict: 31.02 or 25:61 fail instead of rolling over. Checked by arithmetic,
  // not dayjs' strict customParseFormat: this runs for every time cell of every
  // row on the page, and dayjs' parse-and-reformat cost ~30 µs a call there.
  const wallMs = strictUtcWall(canon);
  if (wallMs === undefined) return { ok: false, error: 'invalid date or time' };
  const offEast =
    !pinnedMoscow && typeof opts.tzOffsetMinutes === 'number' && Number.isFinite(opts.tzOffsetMinutes)
      ? -opts.tzOffsetMinutes
      : moscowOffsetMinutes(opts.rulebook);
  const ms = wallMs + frac - offEast * MS_MINUTE;
  return isValidMs(ms) ? { ok: true, iso: isoUtc(ms) } : { ok: false, error: 'out of range' };
}

export interface FormatOptions {
  /** 12-hour clock with AM/PM. */
  hour12?: boolean;
  /** Prefix the calendar date (default true). */
  withDate?: boolean;
  /** Include the year in the date (default false: badges are short). */
  withYear?: boolean;
  /** 'ru' | 'en' | 'zh' (or 'zh_CN'): the date's order. */
  lang?: string;
  /** Include seconds (default false). */
  withSeconds?: boolean;
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

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * The wall clock `offEast` minutes east of UTC as `[DD.MM[.YYYY]|[YYYY-]MM-DD] HH:mm[:ss]`
 * (or `h:mm[:ss] AM`). Built from UTC getters of the shifted instant, so the
 * machine's zone never enters; `''` when the shifted instant leaves the Date range.
 */
function formatFixed(ms: number, offEast: number, opts: FormatOptions): string {
  const w = ms + offEast * MS_MINUTE;
  if (!isValidMs(w)) return '';
  const dt = new Date(w);
  const H = dt.getUTCHours();
  const sec = opts.withSeconds ? `:${p2(dt.getUTCSeconds())}` : '';
  const mm = p2(dt.getUTCMinutes());
  const time = opts.hour12 ? `${H % 12 || 12}:${mm}${sec} ${H < 12 ? 'AM' : 'PM'}` : `${p2(H)}:${mm}${sec}`;
  if (opts.withDate === false) return time;
  const y = String(dt.getUTCFullYear()).padStart(4, '0');
  const mo = p2(dt.getUTCMonth() + 1);
  const d = p2(dt.getUTCDate());
  const ru = (opts.lang ?? 'en').toLowerCase().startsWith('ru');
  const date = ru ? (opts.withYear ? `${d}.${mo}.${y}` : `${d}.${mo}`) : opts.withYear ? `${y}-${mo}-${d}` : `${mo}-${d}`;
  return `${date} ${time}`;
}

/** One formatter per IANA zone (building one costs far more than using it); `null` marks a zone Intl rejects. */
const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    // Zones come from settings and the page, a handful at most; the cap only guards odd callers.
    if (zoneFormatters.size >= 64) zoneFormatters.clear();
    zoneFormatters.set(zone, f);
  }
  return f;
}

/**
 * An IANA zone's offset (minutes east) at an instant, from the browser's own
 * tz database via Intl: the wall clock Intl prints for the instant, read back
 * as if it were UTC, minus the instant. No tz library needed.
 */
function intlOffset(ms: number, zone: string): number | undefined {
  const f = zoneFormatter(zone);
  if (!f) return undefined;
  let y = NaN;
  let mo = NaN;
  let d = NaN;
  let h = NaN;
  let mi = NaN;
  let s = NaN;
  let bc = false;
  try {
    for (const { type, value } of f.formatToParts(ms)) {
      if (type === 'year') y = +value;
      else if (type === 'month') mo = +value;
      else if (type === 'day') d = +value;
      else if (type === 'hour') h = +value % 24; // some engines print midnight as 24 even with h23
      else if (type === 'minute') mi = +value;
      else if (type === 'second') s = +value;
      else if (type === 'era') bc = value === 'BC' || value === 'B';
    }
  } catch {
    return undefined;
  }
  if (bc) y = 1 - y;
  const wall = utcMs(y, mo, d, h, mi, s, 0);
  // Intl drops the milliseconds, so compare with the instant's whole second.
  const off = Math.round((wall - Math.floor(ms / 1000) * 1000) / MS_MINUTE);
  return Number.isFinite(off) ? off : undefined;
}

/** Minutes east of UTC that `zone` (IANA or fixed "UTC+8") has at the instant; undefined for an unknown zone. */
export function zoneOffsetMinutes(at: string | number | Date, zone: string): number | undefined {
  const ms = toEpochMs(at);
  if (!Number.isFinite(ms) || typeof zone !== 'string') return undefined;
  const fixed = fixedOffsetOf(zone);
  if (fixed !== undefined) return fixed;
  return intlOffset(ms, zone);
}

/**
 * T2: an instant as wall-clock text in `zone` (an IANA name such as
 * "Asia/Shanghai", or a fixed "UTC+8"). `''` for an invalid instant or zone.
 */
export function formatInZone(iso: string | number | Date, zone: string, opts: FormatOptions = {}): string {
  const ms = toEpochMs(iso);
  if (!Number.isFinite(ms) || typeof zone !== 'string') return '';
  const fixed = fixedOffsetOf(zone);
  if (fixed !== undefined) return formatFixed(ms, fixed, opts);
  const off = intlOffset(ms, zone);
  return off === undefined ? '' : formatFixed(ms, off, opts);
}

/** T1/T2: an instant in Moscow time (UTC+3, no DST, the offset read from the rulebook). `''` when invalid. */
export function formatMoscow(iso: string | number | Date, opts: FormatOptions & { rulebook?: Rulebook } = {}): string {
  const ms = toEpochMs(iso);
  if (!Number.isFinite(ms)) return '';
  return formatFixed(ms, moscowOffsetMinutes(opts.rulebook), opts);
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

/**
 * A compact countdown. Parts let the UI translate the units; `text` is the
 * English default. Truncates toward zero (a countdown never shows more time
 * than is left).
 */
export function formatDuration(ms: number): DurationParts {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    return { negative: false, d: 0, h: 0, m: 0, s: 0, style: 'ms', text: '—', valid: false };
  }
  const negative = ms < 0;
  const totalS = Math.floor(Math.abs(ms) / 1000);
  const sign = negative && totalS > 0 ? '-' : '';
  if (totalS >= 48 * 3600) {
    const d = Math.floor(totalS / 86400);
    const h = Math.floor((totalS % 86400) / 3600);
    return { negative, d, h, m: 0, s: 0, style: 'dh', text: `${sign}${d}d ${h}h`, valid: true };
  }
  if (totalS >= 3600) {
    const h = Math.floor(totalS / 3600);
    const m = Math.floor((totalS % 3600) / 60);
    return { negative, d: 0, h, m, s: 0, style: 'hm', text: `${sign}${h}h ${String(m).padStart(2, '0')}m`, valid: true };
  }
  const m = Math.floor(totalS / 60);
  const s = totalS % 60;
  return { negative, d: 0, h: 0, m, s, style: 'ms', text: `${sign}${m}m ${String(s).padStart(2, '0')}s`, valid: true };
}
