/**
 * Reminders that came due while the computer slept (D5).
 *
 * With the lid closed no alarm fires; on wake the periodic tick runs the
 * reminders once and finds every point passed meanwhile. Shown one by one
 * they would be a burst of stale notifications ("25 min left" of a limit
 * that passed an hour ago). Instead: each is still sent exactly once (its
 * key recorded like any other, none dropped), but marked late — "late: was
 * due 14:00" — and when there are several they are coalesced into ONE
 * notification.
 *
 * "Came due while asleep" means: its point lies after the previous run of the
 * reminders (so an awake browser would have rung it at the time) and more
 * than LATE_AFTER_MS ago. A point already passed before the previous run is
 * an order seen for the first time (an import, a new tab) and is not late.
 */
import { storage } from 'wxt/utils/storage';
import type { Rulebook } from '../rules';
import { MS_MINUTE } from '../rules';
import { t, tp } from '../lib/i18n';
import { bothLine } from '../lib/when';
import { browserZone } from '../storage/settings';

/** Reminder points this much older than the run are late; the tick runs every minute, so an awake browser is never this late. */
export const LATE_AFTER_MS = 3 * MS_MINUTE;
/** Postings named in a coalesced late notification; the rest are counted. */
export const LATE_LISTED = 3;

/** When the reminders last ran (ms): the line between "first seen" and "came due while asleep". */
export const lastRunItem = storage.defineItem<number>('local:reminders:lastRun', { fallback: 0 });

export interface LateCandidate {
  key: string;
  postingNumber: string;
  /** When its point was (ms). */
  at: number;
  url: string;
}

/** Splits the due reminders into those rung as usual and those that came due while the machine slept. */
export function splitLate<R extends LateCandidate>(due: R[], now: number, lastRun: number | null | undefined): { onTime: R[]; late: R[] } {
  const onTime: R[] = [];
  const late: R[] = [];
  const last = typeof lastRun === 'number' && Number.isFinite(lastRun) && lastRun > 0 && lastRun <= now ? lastRun : null;
  for (const r of due) {
    if (last !== null && r.at > last && now - r.at > LATE_AFTER_MS) late.push(r);
    else onTime.push(r);
  }
  return { onTime, late };
}

/** Moscow time and the seller's own (T2, lib/when.ts: the one wording of times). */
function when(ms: number, rb: Rulebook, zone: string): string {
  return bothLine(new Date(ms).toISOString(), zone, rb);
}

/** "late: was due 4 Dec, 14:00 MSK · 4 Dec, 19:00 Beijing time" (the reminder's own point). */
export function lateNote(at: number, rb: Rulebook, zone: string = browserZone()): string {
  return t('notif_late_both', when(at, rb, zone));
}

/**
 * The ONE notification for several late reminders: how many, the first
 * LATE_LISTED postings with their own message, the rest counted, and the span
 * of when they were due.
 */
export function lateSummary<R extends LateCandidate>(
  late: R[],
  messageOf: (r: R) => string,
  rb: Rulebook,
  zone: string = browserZone(),
): { title: string; message: string; contextMessage: string } {
  const sorted = [...late].sort((a, b) => a.at - b.at || a.postingNumber.localeCompare(b.postingNumber));
  const lines = sorted.slice(0, LATE_LISTED).map(messageOf);
  const rest = sorted.length - lines.length;
  if (rest > 0) lines.push(tp('notif_late_more', rest));
  const first = sorted[0]!.at;
  const last = sorted[sorted.length - 1]!.at;
  const span = first === last ? when(first, rb, zone) : `${when(first, rb, zone)} – ${when(last, rb, zone)}`;
  return { title: tp('notif_late_title', sorted.length), message: lines.join('\n'), contextMessage: t('notif_late_both', span) };
}
