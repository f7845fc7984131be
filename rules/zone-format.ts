/**
 * T1/T2: an instant as wall-clock text in Moscow or in any zone (IANA through
 * the browser's own Intl tz data, or a fixed "UTC+8"), and a zone's offset at
 * an instant. The machine's zone never enters.
 */
import type { Rulebook } from './rulebook';
import { fixedOffsetOf, isValidMs, moscowOffsetMinutes, toEpochMs, utcMs, MS_MINUTE } from './time';

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
