/**
 * T3: which offset the panel prints its zone-less times in ("Отгрузить до
 * 05.12.2026 14:00"), learned from the page itself rather than assumed.
 *
 * Why learned: a 2025-12 capture of the live panel's cookies has no
 * `x-o3-timezone`, and the panel computes its own date ranges in the
 * BROWSER's zone (docs/real-panel.md; research §1.3, §3). So a Beijing
 * seller's page may print Beijing time, and reading it as Moscow time is 5 h
 * off. Where a row prints a time as text and the panel's own JSON gives the
 * same fact as an instant (`shipment_date`, `in_process_at`), the difference
 * between the two IS the page's offset.
 *
 * Pure: no DOM, no clock, no machine zone. Offsets here are minutes EAST of
 * UTC (+180 is Moscow, +480 Beijing); the reader's `tzOffsetMinutes` has the
 * opposite sign (getTimezoneOffset's, like the cookie): convert with `-east`.
 */
import { moscowOffsetMinutes, offsetLabel, MS_MINUTE } from './time';
import { defaultRulebook, type Rulebook } from './rulebook';

/** One piece of evidence: the wall clock a row printed (read as if it were UTC) and the JSON's instant for the same fact. */
export interface ZonePair {
  /** The printed wall clock as UTC epoch ms ("05.12.2026 14:00" → Date.UTC(2026, 11, 5, 14)). */
  wallMs: number;
  /** The same fact from the panel's JSON, epoch ms. */
  instantMs: number;
}

/** What the pairs say. */
export interface LearnedOffset {
  /** Minutes east of UTC, a whole number of quarter-hours. */
  east: number;
  /** How many pairs it explains. */
  support: number;
  /** How many pairs were usable (explained by SOME real offset); the rest were noise. */
  usable: number;
  /** Votes per offset (east → pairs), for weighing another source (the cookie) against the rows. */
  votes: ReadonlyMap<number, number>;
}

/** Real zones run from UTC−12 to UTC+14 and every one is a whole number of quarter-hours (+05:45, −09:30). */
export const MIN_EAST = -12 * 60;
export const MAX_EAST = 14 * 60;
export const QUARTER = 15;
/**
 * How far (minutes) a pair may sit from a quarter-hour and still vote for it:
 * the page prints minutes, the JSON has seconds (13:59:30 printed "14:00" or
 * "13:59"). A pair further off (a stale row whose JSON moved by 7 minutes) is noise.
 */
export const PAIR_TOLERANCE_MIN = 2;
/** Rows that must agree before the page's offset counts as learned: one row alone may be stale. */
export const LEARN_MIN_ROWS = 2;
/**
 * T3: learned rows override the `x-o3-timezone` cookie only when they clearly
 * disagree with it: at least this many rows for another offset …
 */
export const COOKIE_OVERRIDE_MIN_ROWS = 3;
/** … and at least this many times as many rows as agree with the cookie. */
export const COOKIE_OVERRIDE_RATIO = 3;

/** The quarter-hour offset one pair votes for, or undefined when it explains no real zone. */
export function pairOffset(p: ZonePair): number | undefined {
  if (!p || !Number.isFinite(p.wallMs) || !Number.isFinite(p.instantMs)) return undefined;
  const diff = (p.wallMs - p.instantMs) / MS_MINUTE;
  const q = Math.round(diff / QUARTER) * QUARTER;
  if (Math.abs(diff - q) > PAIR_TOLERANCE_MIN) return undefined;
  if (q < MIN_EAST || q > MAX_EAST) return undefined;
  return q + 0; // no −0
}

/**
 * The offset that explains most pairs (oldest first). A tie goes to the offset
 * of the more recent pair, so a page whose zone just changed is followed as
 * soon as the new evidence equals the old. Undefined when no pair is usable.
 */
export function learnPageOffset(pairs: readonly ZonePair[]): LearnedOffset | undefined {
  const votes = new Map<number, number>();
  const lastSeen = new Map<number, number>();
  let usable = 0;
  pairs.forEach((p, i) => {
    const east = pairOffset(p);
    if (east === undefined) return;
    usable++;
    votes.set(east, (votes.get(east) ?? 0) + 1);
    lastSeen.set(east, i);
  });
  if (!usable) return undefined;
  let best: number | undefined;
  for (const [east, n] of votes) {
    if (best === undefined) {
      best = east;
      continue;
    }
    const bn = votes.get(best)!;
    if (n > bn || (n === bn && lastSeen.get(east)! > lastSeen.get(best)!)) best = east;
  }
  return { east: best!, support: votes.get(best!)!, usable, votes };
}

/**
 * Whether a learning is strong enough to act on: enough rows, and no other
 * offset with as many (an even split is settled by recency in
 * learnPageOffset, so a page whose zone changed mid-list is followed instead
 * of falling back to the default while its rows re-render).
 */
export function isConfident(l: LearnedOffset | undefined): l is LearnedOffset {
  if (!l || l.support < LEARN_MIN_ROWS) return false;
  for (const [east, n] of l.votes) if (east !== l.east && n > l.support) return false;
  return true;
}

// ------------------------------------------------------------ the setting

/** The seller's choice: follow the evidence, Moscow, this computer's zone, or a fixed offset (minutes east). */
export type PageZoneChoice = { kind: 'auto' } | { kind: 'moscow' } | { kind: 'local' } | { kind: 'fixed'; east: number };

/** "UTC+8", "+08:00", "GMT-3", "−9:30", "+0545": sign, hours, optional minutes below 60. */
const RE_OFFSET = /^(?:UTC|GMT)?\s*([+\-−])(\d{1,2})(?::?([0-5]\d))?$/i;

export type PageZoneSettingResult = { ok: true; value: string; choice: PageZoneChoice } | { ok: false; error: string };

/**
 * The stored setting ('auto' | 'moscow' | 'local' | "UTC+05:45") → a choice.
 * A fixed offset must be a real one: within UTC−12..+14 and a whole number of
 * quarter-hours; "UTC+8", "+08:00", "GMT-3", "−9:30" are all read. The stored
 * form is canonical ("UTC+5:45", offsetLabel's).
 */
export function parsePageZoneSetting(input: unknown): PageZoneSettingResult {
  if (typeof input !== 'string') return { ok: false, error: 'not text' };
  const s = input.trim();
  if (s === '' || s === 'auto') return { ok: true, value: 'auto', choice: { kind: 'auto' } };
  if (s === 'moscow' || s === 'local') return { ok: true, value: s, choice: { kind: s } };
  if (s.length > 16) return { ok: false, error: 'too long' };
  let east: number;
  if (/^(?:utc|gmt)$/i.test(s)) east = 0;
  else {
    const m = RE_OFFSET.exec(s);
    if (!m) return { ok: false, error: 'not an offset' };
    east = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '+' ? 1 : -1);
  }
  if (east < MIN_EAST || east > MAX_EAST) return { ok: false, error: 'out of range' };
  if (east % QUARTER !== 0) return { ok: false, error: 'not a quarter-hour' };
  return { ok: true, value: offsetLabel(east), choice: { kind: 'fixed', east: east + 0 } };
}

// ------------------------------------------------------------ the decision

export type ZoneBasis = 'set' | 'learned' | 'cookie' | 'assumed';

/** Which offset the page's zone-less times are read in, and why (the card says both). */
export interface PageZone {
  /** Minutes east of UTC. */
  east: number;
  basis: ZoneBasis;
  /** 'set': what the seller chose. */
  choice?: PageZoneChoice['kind'];
  /** 'learned': rows supporting it; 'cookie': rows agreeing with the cookie (0 = none to compare). */
  rows?: number;
  /** 'learned' while a cookie said otherwise: the cookie's offset (east), overruled. */
  overruledCookie?: number;
}

export interface ResolveInput {
  choice: PageZoneChoice;
  /** What the rows say (learnPageOffset over the recent pairs). */
  learned?: LearnedOffset;
  /** The `x-o3-timezone` cookie, getTimezoneOffset sign (-480 = UTC+8), when the page has one. */
  cookieTzOffset?: number;
  /** This computer's offset (minutes east) now; needed for the 'local' choice. */
  localEast?: number;
  rulebook?: Rulebook;
}

/**
 * T3's order of evidence:
 * 1. the seller's own setting (Moscow / this computer / a fixed offset);
 * 2. the `x-o3-timezone` cookie, where the page has one, unless the rows
 *    CLEARLY disagree (≥ COOKIE_OVERRIDE_MIN_ROWS rows for another offset and
 *    COOKIE_OVERRIDE_RATIO× as many as agree with the cookie). Why the rows
 *    may win: the cookie is one tool's unconfirmed claim about the panel
 *    (research §3), while a row printing 14:00 for a JSON instant of 06:00Z
 *    is the page showing its offset; why only clearly: a few stale rows must
 *    not overturn what the panel itself declares;
 * 3. the rows (isConfident: ≥ LEARN_MIN_ROWS and no other offset with more);
 * 4. the rulebook's default: Moscow (T1's offset).
 */
export function resolvePageZone(input: ResolveInput): PageZone {
  const rb = input.rulebook ?? defaultRulebook;
  const msk = moscowOffsetMinutes(rb);
  const c = input.choice;
  if (c.kind === 'moscow') return { east: msk, basis: 'set', choice: 'moscow' };
  if (c.kind === 'fixed') return { east: c.east, basis: 'set', choice: 'fixed' };
  if (c.kind === 'local' && typeof input.localEast === 'number' && Number.isFinite(input.localEast)) {
    return { east: input.localEast + 0, basis: 'set', choice: 'local' };
  }
  const learned = input.learned;
  const confident = isConfident(learned);
  if (typeof input.cookieTzOffset === 'number' && Number.isFinite(input.cookieTzOffset)) {
    const cookieEast = -input.cookieTzOffset + 0;
    const agree = learned?.votes.get(cookieEast) ?? 0;
    if (
      confident &&
      learned.east !== cookieEast &&
      learned.support >= COOKIE_OVERRIDE_MIN_ROWS &&
      learned.support >= COOKIE_OVERRIDE_RATIO * agree
    ) {
      return { east: learned.east, basis: 'learned', rows: learned.support, overruledCookie: cookieEast };
    }
    return { east: cookieEast, basis: 'cookie', rows: agree };
  }
  if (confident) return { east: learned.east, basis: 'learned', rows: learned.support };
  return { east: msk, basis: 'assumed' };
}

/** The reader's `tzOffsetMinutes` (getTimezoneOffset sign) for a decided zone. */
export function tzOffsetOf(zone: PageZone): number {
  return -zone.east + 0;
}
