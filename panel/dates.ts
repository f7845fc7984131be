/**
 * Date forms the panel may print that carry no full date: relative days
 * («сегодня 14:30», «завтра до 10:00», "tomorrow 2:30 PM", 明天 14:30) and
 * day-month without a year («22 ноября, 14:30», "Nov 22, 2:30 PM"). They are
 * normalised here to the numeric `YYYY-MM-DD HH:mm` form that rules/panel-time's
 * parsePanelTime reads (T3), so rules/panel-time stays a strict numeric parser.
 *
 * Soundness: "today" is the calendar day of `now` in the panel's zone (T3:
 * as decided in rules/page-zone.ts), the same zone the panel printed
 * the text in. The content script reads a row when it renders, so the page's
 * "today" and ours agree, except for a row rendered before midnight and read
 * after it (the panel re-renders on navigation; such a read is a day late).
 * A missing year is the one putting the date nearest to now (within half a
 * year), so «2 января» read on 30 December is next year.
 *
 * Full date-times (extractDateTime) are read here too, and timeFromText turns
 * any of them into a UTC instant.
 */
import { parsePanelTime } from '../rules';
import { clean } from './cell-text';

const MIN = 60_000;
const DAY = 86_400_000;
/** T1: Moscow, minutes east of UTC. */
const MSK_EAST = 180;

const RELATIVE: Record<string, number> = {
  позавчера: -2,
  вчера: -1,
  сегодня: 0,
  завтра: 1,
  послезавтра: 2,
  yesterday: -1,
  today: 0,
  tomorrow: 1,
  昨天: -1,
  今天: 0,
  明天: 1,
  后天: 2,
};

const RE_RELATIVE =
  /(?:^|[^\p{L}])(позавчера|вчера|сегодня|послезавтра|завтра|yesterday|today|tomorrow|昨天|今天|明天|后天)[\s,]*(?:(?:до|в|к|by|at|before|until)\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;

const RU_MONTHS: Record<string, number> = {
  янв: 1, фев: 2, мар: 3, апр: 4, мая: 5, май: 5, июн: 6, июл: 7, авг: 8, сен: 9, окт: 10, ноя: 11, дек: 12,
};
const EN_MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** «22 ноября, 14:30», «22 ноя в 14:30» — no year (a year right after the month is another form). */
const RE_RU_NOYEAR = /(?:^|[^\d])(\d{1,2})\s+([а-яё]{3,9})\.?(?!\s*\d{4})[\s,]*(?:в\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)/iu;
/** "Nov 22, 2:30 PM", "Nov 22 14:30" — no year. */
const RE_EN_NOYEAR = /\b([a-z]{3,9})\.?\s+(\d{1,2})(?!\d)(?!,?\s*\d{4})[\s,]*(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;

const p2 = (n: number | string) => String(n).padStart(2, '0');

function eastOf(tzOffsetMinutes: number | undefined): number {
  return tzOffsetMinutes === undefined ? MSK_EAST : -tzOffsetMinutes;
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  if (h < 1 || h > 12) return -1;
  return /^p/i.test(ampm) ? (h % 12) + 12 : h % 12;
}

/** The wall-clock calendar date `days` after `nowMs`'s date in the zone. */
function zoneDate(nowMs: number, east: number, days: number): { y: number; m: number; d: number } {
  const wall = new Date(Math.floor((nowMs + east * MIN) / DAY) * DAY + days * DAY);
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate() };
}

function wallString(y: number, m: number, d: number, h: number, mi: string, s: string | undefined): string {
  return `${y}-${p2(m)}-${p2(d)} ${p2(h)}:${mi}${s ? ':' + s : ''}`;
}

/** The year putting day/month nearest to now (±half a year) in the zone. */
function nearestYear(nowMs: number, east: number, m: number, d: number): number {
  const today = zoneDate(nowMs, east, 0);
  const base = Date.UTC(today.y, today.m - 1, today.d);
  let best = today.y;
  let bestDist = Infinity;
  for (const y of [today.y - 1, today.y, today.y + 1]) {
    const dist = Math.abs(Date.UTC(y, m - 1, d) - base);
    if (dist < bestDist) {
      bestDist = dist;
      best = y;
    }
  }
  return best;
}

/**
 * A relative or year-less date-time in `text` as `YYYY-MM-DD HH:mm[:ss]` of
 * the panel's zone, or undefined. Validity of the day (31 ноября) and time
 * (25:61) is left to parsePanelTime's strict check.
 */
export function normalizeLooseDateTime(text: string, tzOffsetMinutes: number | undefined, nowMs: number): string | undefined {
  if (!Number.isFinite(nowMs)) return undefined;
  const east = eastOf(tzOffsetMinutes);
  let m = RE_RELATIVE.exec(text);
  if (m) {
    const days = RELATIVE[m[1]!.toLowerCase()];
    const h = hour12(Number(m[2]), m[5]);
    if (days === undefined || h < 0) return undefined;
    const d = zoneDate(nowMs, east, days);
    return wallString(d.y, d.m, d.d, h, m[3]!, m[4]);
  }
  if ((m = RE_RU_NOYEAR.exec(text))) {
    const mo = RU_MONTHS[m[2]!.toLowerCase().replace('ё', 'е').slice(0, 3)];
    if (mo) {
      const day = Number(m[1]);
      return wallString(nearestYear(nowMs, east, mo, day), mo, day, Number(m[3]), m[4]!, m[5]);
    }
  }
  if ((m = RE_EN_NOYEAR.exec(text))) {
    const mo = EN_MONTHS[m[1]!.toLowerCase().slice(0, 3)];
    const h = hour12(Number(m[3]), m[6]);
    if (mo && h >= 0) {
      const day = Number(m[2]);
      return wallString(nearestYear(nowMs, east, mo, day), mo, day, h, m[4]!, m[5]);
    }
  }
  return undefined;
}

const RE_DMY = /(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:г\.?)?,?\s*(?:в\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_YMD = /(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_ZH = /(\d{4})年(\d{1,2})月(\d{1,2})日\s*,?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?/u;
const RE_RU_WORD = /(\d{1,2})\s+([а-яё]{3,9})\.?\s+(\d{4})\s*(?:г\.?)?,?\s*(?:в\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?/iu;
const RE_EN_MDY = /\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;
const RE_EN_DMY = /\b(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4}),?\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/iu;
/** A time that names its own offset (ISO `Z` / `+03:00`): read as it says. */
export const RE_ISO_ZONED = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})/;
/** A «МСК» tag: the time is Moscow's whatever the page's zone (T1). */
export const RE_MSK = /(?:мск|msk|moscow|москв|莫斯科)/iu;

/**
 * The wall-clock date-time in a piece of text, as `YYYY-MM-DD HH:mm[:ss]`
 * (parsePanelTime's form). Needs a time of day: a bare date is not a
 * deadline, and the reader does not invent one.
 */
export function extractDateTime(text: string): string | undefined {
  let m = RE_DMY.exec(text);
  if (m) return `${m[3]}-${p2(m[2]!)}-${p2(m[1]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_YMD.exec(text))) return `${m[1]}-${p2(m[2]!)}-${p2(m[3]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_ZH.exec(text))) return `${m[1]}-${p2(m[2]!)}-${p2(m[3]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  if ((m = RE_RU_WORD.exec(text))) {
    const mo = RU_MONTHS[m[2]!.toLowerCase().replace('ё', 'е').slice(0, 3)];
    if (mo) return `${m[3]}-${p2(mo)}-${p2(m[1]!)} ${p2(m[4]!)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  }
  for (const re of [RE_EN_MDY, RE_EN_DMY]) {
    m = re.exec(text);
    if (!m) continue;
    const [day, mon] = re === RE_EN_MDY ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
    const mo = EN_MONTHS[mon.toLowerCase().slice(0, 3)];
    const h = hour12(Number(m[4]), m[7]);
    if (mo && h >= 0) return `${m[3]}-${p2(mo)}-${p2(day)} ${p2(h)}:${m[5]}${m[6] ? ':' + m[6] : ''}`;
  }
  return undefined;
}

/** T3: a time read off the page → UTC ISO, or undefined when there is none or it is malformed. */
export function timeFromText(text: string, tzOffsetMinutes: number | undefined, nowMs?: number): string | undefined {
  const t = clean(text, 300);
  if (!t) return undefined;
  const opts = tzOffsetMinutes === undefined ? {} : { tzOffsetMinutes };
  const zoned = RE_ISO_ZONED.exec(t);
  if (zoned) {
    const r = parsePanelTime(zoned[0], opts);
    return r.ok ? r.iso : undefined;
  }
  // Relative («завтра до 10:00») and year-less forms count from now in the
  // panel's zone; a «МСК» tag moves that zone to Moscow too.
  const dt = extractDateTime(t) ?? normalizeLooseDateTime(t, RE_MSK.test(t) ? undefined : tzOffsetMinutes, nowMs ?? Date.now());
  if (!dt) return undefined;
  // A «МСК» tag pins Moscow time whatever the cookie says (T1).
  const r = parsePanelTime(RE_MSK.test(t) ? `${dt} МСК` : dt, opts);
  return r.ok ? r.iso : undefined;
}
