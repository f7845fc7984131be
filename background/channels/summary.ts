/**
 * The morning summary (S1: check the store every morning at 10:00 Moscow
 * time): when it is due, and what it says. Pure; the background sends it.
 */
import type { Order } from '../../rules';
import { defaultRulebook, type Rulebook } from '../../rules';
import { evaluateOrder } from '../../rules';
import { summarizeStore } from '../../rules';
import { TERMINAL_STATUSES } from '../../rules';
import { dayKey } from '../../rules';
import { zoneOffsetMinutes } from '../../rules';
import type { SummaryStore } from './compose';

const MS_MINUTE = 60_000;
const MS_DAY = 86_400_000;
/**
 * A summary missed at its time (browser closed) still goes out when the
 * browser comes back within this long; later it waits for the next day
 * (a "morning" summary at night is noise).
 */
export const SUMMARY_LATE_MS = 6 * 3_600_000;
/** Overdue orders counted in a summary: limits passed within the last day (older ones were in yesterday's). */
export const SUMMARY_OVERDUE_LOOKBACK_MS = MS_DAY;

/** The calendar day ('YYYY-MM-DD') and minute of the day of `now` in `zone`. */
export function zoneClock(now: number, zone: string): { day: string; minute: number; dayStart: number } | undefined {
  const off = zoneOffsetMinutes(now, zone);
  if (off === undefined) return undefined;
  const local = now + off * MS_MINUTE;
  const idx = Math.floor(local / MS_DAY);
  return { day: dayKey(idx), minute: Math.floor((local - idx * MS_DAY) / MS_MINUTE), dayStart: idx * MS_DAY - off * MS_MINUTE };
}

/**
 * Whether the summary is due now: the chosen time has come today (in the
 * chosen zone), not more than SUMMARY_LATE_MS ago, and today's was not sent.
 * Returns the day to record, or undefined.
 */
export function summaryDue(now: number, time: string, zone: string, lastDay: string | undefined): string | undefined {
  const c = zoneClock(now, zone);
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!c || !m) return undefined;
  const at = Number(m[1]) * 60 + Number(m[2]);
  if (c.minute < at || (c.minute - at) * MS_MINUTE > SUMMARY_LATE_MS) return undefined;
  return c.day === lastDay ? undefined : c.day;
}

/** Per store: the M1 figures and the open orders due today / overdue (evaluateOrder with the seller's rulebook). */
export function summaryStores(
  stores: readonly { storeId: string; orders: Order[]; label?: string }[],
  now: number,
  zone: string,
  rulebook: Rulebook = defaultRulebook,
): SummaryStore[] {
  const c = zoneClock(now, zone);
  const dayEnd = c ? c.dayStart + MS_DAY : now;
  const out: SummaryStore[] = [];
  for (const s of stores) {
    if (!s.orders.length) continue;
    let dueToday = 0;
    let overdue = 0;
    for (const o of s.orders) {
      if (TERMINAL_STATUSES.has(o.status) || o.archived) continue;
      const d = evaluateOrder(o, now, rulebook).deadline;
      const due = d ? Date.parse(d.dueAt) : NaN;
      if (!Number.isFinite(due)) continue;
      if (due >= now && due < dayEnd) dueToday++;
      else if (due < now && now - due <= SUMMARY_OVERDUE_LOOKBACK_MS) overdue++;
    }
    out.push({ storeId: s.storeId, ...(s.label && { label: s.label }), risk: summarizeStore(s.orders, now, rulebook), dueToday, overdue });
  }
  return out;
}
