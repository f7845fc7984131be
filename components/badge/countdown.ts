/**
 * Countdown text ("23h 12m", "8m 05s" in the last hour, "overdue 12m"),
 * translated through lib/i18n. Split in two so a tick is cheap: `countdownKey`
 * is the number the text shows (integer math only); the string is built only
 * when that number changes.
 */
import { messagesVersion, tf } from '../../lib/i18n';
import { durationParts, type DurationShape } from '../../rules';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

/** Whether the countdown for `msLeft` shows seconds (its last hour, not yet overdue): it changes every second. */
export function showsSeconds(msLeft: number): boolean {
  return msLeft >= 0 && msLeft < HOUR;
}

/**
 * What the text depends on, as one number: equal keys → equal text.
 * Seconds in the last hour, minutes otherwise, minutes once overdue.
 */
export function countdownKey(msLeft: number): number {
  if (msLeft < 0) return -1 - Math.floor(-msLeft / MIN);
  if (msLeft < HOUR) return Math.floor(msLeft / SEC);
  return 10_000_000 + Math.floor(msLeft / MIN);
}

/** Beyond this many days the badge shows ">99d" (overdue or not). */
export const MAX_DAYS_SHOWN = 99;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * What a span's text depends on, as one number: the pair of units shown and their values (days
 * and hours from 48 h, hours and minutes from 1 h, minutes and maybe seconds below).
 */
function spanKey(p: DurationShape, withSeconds: boolean): number {
  if (p.style === 'dh') return p.d > MAX_DAYS_SHOWN ? 4e9 : 3e9 + p.d * 24 + p.h;
  if (p.style === 'hm') return 2e9 + p.h * 60 + p.m;
  return withSeconds ? 1e9 + p.m * 60 + p.s : p.m;
}

/**
 * The pair of units shown follows rules/time formatDuration (durationParts: days from 48 h,
 * hours and minutes from 1 h, minutes and seconds below); only the words are ours.
 */
function span(p: DurationShape, withSeconds: boolean): string {
  // A page date years away (a 2019 or 2099 typo, a machine clock far off) is not a countdown anyone acts on:
  // cap it instead of printing "2500d 3h" (hostile input must not break it: test/hostile/clock.test.ts).
  // tf: the unit words are filled without a regex per call (every new badge writes one; lib/i18n.ts).
  if (p.style === 'dh' && p.d > MAX_DAYS_SHOWN) return tf('badge_dur_over')(MAX_DAYS_SHOWN);
  if (p.style === 'dh') return tf('badge_dur_dh')(p.d, p.h);
  if (p.style === 'hm') return tf('badge_dur_hm')(p.h, pad(p.m));
  return withSeconds ? tf('badge_dur_ms')(p.m, pad(p.s)) : tf('badge_dur_m')(p.m);
}

/**
 * Countdown texts by what they show, for the words in force: a list's rows share their texts
 * (every row two days out shows one of 24 texts), and each new badge writes one
 * (docs/performance.md "Tenth pass"). Bounded: cleared when full or when the words change.
 */
const texts = new Map<number, string>();
let textsVersion = -1;
const TEXTS_MAX = 1024;

/** The badge's countdown text for `msLeft` (dueAt − now). */
export function formatCountdown(msLeft: number): string {
  const overdue = msLeft < 0;
  const p = durationParts(overdue ? -msLeft : msLeft);
  if (!p.valid) return overdue ? tf('dur_overdue')('—') : '—';
  const withSeconds = !overdue && msLeft < HOUR;
  const k = spanKey(p, withSeconds);
  const key = overdue ? -1 - k : k;
  const v = messagesVersion();
  if (v !== textsVersion || texts.size >= TEXTS_MAX) {
    texts.clear();
    textsVersion = v;
  }
  let text = texts.get(key);
  if (text === undefined) {
    const sp = span(p, withSeconds);
    text = overdue ? tf('dur_overdue')(sp) : sp;
    texts.set(key, text);
  }
  return text;
}
