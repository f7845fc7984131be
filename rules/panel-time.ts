/**
 * T1/T3: time as the Seller Panel writes it → UTC instants: the panel's
 * x-o3-timezone cookie, and wall-clock text (`14.04.2026 19:01`, ISO with or
 * without a zone, a «МСК» tag) read strictly, in the cookie's zone or Moscow's.
 * Pure, like the rest of rules/time.ts: no clock, no machine zone.
 */
import type { Rulebook } from './rulebook';
import { isoUtc, isValidMs, moscowOffsetMinutes, parseIsoMs, MS_MINUTE } from './time';

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
