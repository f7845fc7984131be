/**
 * D5 reminders: desktop notifications before a deadline even when the panel
 * is not open.
 *
 * From the stored open orders, each deadline (evaluateOrder's, so D1–D4 with
 * the seller's rulebook) has three reminder points: dueAt − atRiskHours,
 * dueAt − criticalMinutes and dueAt itself — all read from the rulebook.
 * Each fires ONCE per posting, deadline kind and point: the notified keys
 * are persisted (an MV3 service worker forgets everything in memory), and
 * bounded.
 *
 * Scheduling: a single "next point" alarm, re-armed after every run, plus the
 * icon's periodic tick that also runs the reminders. Why not one alarm per
 * point: browsers cap extensions at 500 alarms and round anything closer than
 * 30 s up to 30 s; one re-armed alarm respects both however many orders there
 * are, and the tick catches up whatever a sleeping machine missed.
 *
 * The planning is pure (planReminders, reminderPoints); browser calls are in
 * runReminders / the background.
 */
import { browser } from 'wxt/browser';
import type { DeadlineKind, Order, Status, Verdict } from '../rules';
import { defaultRulebook, type Rulebook } from '../rules';
import { evaluateOrder } from '../rules';
import { TERMINAL_STATUSES } from '../rules';
import { MS_HOUR, MS_MINUTE } from '../rules';
import { storage } from 'wxt/utils/storage';
import { secondZoneOf, browserZone, type Settings } from '../storage/settings';
import { loadConfig } from '../storage/config';
import { loadAllOrders } from '../storage/history';
import { createMutex } from '../storage/mutex';
import { t, tp } from '../lib/i18n';
import { bothLine } from '../lib/when';
import { actionOf, dueKey } from '../lib/action';
import { durationText } from '../lib/duration';
import { panelOriginOf, postingsListUrl, postingUrl } from '../panel/origins';
import { handOffReminders } from './channels/run';
import { lastRunItem, lateNote, lateSummary, splitLate } from './late';
import { runSnoozes } from './snooze';
import { NOTIFICATION_PREFIX, notificationId, notify, type NotifyOptions } from './notifications';

export type ReminderPoint = 'at_risk' | 'critical' | 'overdue';
export const REMINDER_POINTS: readonly ReminderPoint[] = ['at_risk', 'critical', 'overdue'];

export const REMINDER_ALARM = 'oog:reminder';
export const TICK_ALARM = 'oog:tick';
/** Chrome rounds an alarm closer than this up to it (and warns); never ask for less. */
export const MIN_ALARM_DELAY_MS = 30_000;
/** Chrome's cap on an extension's alarms. */
export const MAX_ALARMS = 500;
/** The icon / catch-up tick (≥ 1 min: the alarms API's minimum period in released builds). */
export const TICK_PERIOD_MINUTES = 1;
/** At most this many notifications at once; the rest are summed up in one. */
export const MAX_NOTIFICATIONS_PER_RUN = 4;
/** Notified keys are kept this long (far beyond any reminder's life), and at most MAX_NOTIFIED. */
const NOTIFIED_TTL_MS = 14 * 24 * MS_HOUR;
const MAX_NOTIFIED = 5_000;

/** The one posting-link builder, taking the origin the order was seen on (panel/origins.ts). */
export { postingUrl };

export interface PointAt {
  point: ReminderPoint;
  at: number;
}

/** D5: the three reminder instants of a verdict's deadline, from the rulebook (never literal numbers). */
export function reminderPoints(verdict: Verdict, rulebook: Rulebook = defaultRulebook): PointAt[] {
  const d = verdict.deadline;
  if (!d) return [];
  const due = Date.parse(d.dueAt);
  if (!Number.isFinite(due)) return [];
  return [
    { point: 'at_risk', at: due - rulebook.deadlines.atRiskHours.value * MS_HOUR },
    { point: 'critical', at: due - rulebook.deadlines.criticalMinutes.value * MS_MINUTE },
    { point: 'overdue', at: due },
  ];
}

export interface Reminder {
  key: string;
  storeId: string;
  postingNumber: string;
  point: ReminderPoint;
  /** When the point is (ms). */
  at: number;
  kind: DeadlineKind;
  /** The order's status when planned: names the panel's action (lib/action.ts). */
  status?: Status;
  rule: string;
  dueAt: string;
  autoCancelAt?: string;
  url: string;
}

export interface PlanInput {
  /** `origin`: where the store was last seen; `origins`: per posting, where that order was (panel/origins.ts). */
  stores: { storeId: string; orders: Order[]; crossborder?: boolean; origin?: string; origins?: Record<string, string> }[];
  now: number;
  rulebook?: Rulebook;
  notifications: Settings['notifications'];
  /** key → when it was notified (ms). */
  notified: Record<string, number>;
}

export interface Plan {
  /** Points reached and not yet notified, soonest deadline first. */
  due: Reminder[];
  /** The next future point of any open order (ms), for the one alarm. */
  next?: number;
}

export function reminderKey(storeId: string, postingNumber: string, kind: DeadlineKind, point: ReminderPoint): string {
  return `${storeId}|${postingNumber}|${kind}|${point}`;
}

/**
 * Which reminders are due now and when the next one is. For each deadline
 * only the latest point already reached can be due (someone whose first look
 * is 20 min before the limit gets "30 min", not "2 h" as well), and an
 * overdue point is only news for atRiskHours after the limit: a stale order
 * from an old import does not ring days later.
 */
export function planReminders(input: PlanInput): Plan {
  const rb = input.rulebook ?? defaultRulebook;
  const n = input.notifications;
  const plan: Plan = { due: [] };
  if (!n.enabled) return plan;
  const enabled = new Set<ReminderPoint>(REMINDER_POINTS.filter((p) => n[p === 'at_risk' ? 'atRisk' : p]));
  if (!enabled.size) return plan;
  const graceMs = rb.deadlines.atRiskHours.value * MS_HOUR;
  for (const store of input.stores) {
    for (const order of store.orders) {
      if (TERMINAL_STATUSES.has(order.status) || order.archived) continue;
      const v = evaluateOrder(order, input.now, rb);
      const d = v.deadline;
      if (!d) continue;
      const points = reminderPoints(v, rb).filter((p) => enabled.has(p.point));
      let reached: PointAt | undefined;
      for (const p of points) {
        if (p.at <= input.now) {
          if (!reached || p.at >= reached.at) reached = p;
        } else if (plan.next === undefined || p.at < plan.next) plan.next = p.at;
      }
      if (!reached) continue;
      if (reached.point === 'overdue' && input.now - reached.at > graceMs) continue;
      const key = reminderKey(store.storeId, order.postingNumber, d.kind, reached.point);
      if (input.notified[key] !== undefined) continue;
      plan.due.push({
        key,
        storeId: store.storeId,
        postingNumber: order.postingNumber,
        point: reached.point,
        at: reached.at,
        kind: d.kind,
        status: order.status,
        rule: d.rule,
        dueAt: d.dueAt,
        ...(d.autoCancelAt && { autoCancelAt: d.autoCancelAt }),
        url: postingUrl(order, { crossborder: store.crossborder, origin: store.origins?.[order.postingNumber] ?? store.origin }),
      });
    }
  }
  plan.due.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.postingNumber.localeCompare(b.postingNumber));
  return plan;
}

/**
 * The alarms to hold: the one reminder alarm (never sooner than 30 s, so the
 * browser does not round it) and nothing when no point is ahead. Always far
 * below MAX_ALARMS.
 */
export function alarmFor(next: number | undefined, now: number): { name: string; when: number } | undefined {
  if (next === undefined || !Number.isFinite(next)) return undefined;
  return { name: REMINDER_ALARM, when: Math.max(next, now + MIN_ALARM_DELAY_MS) };
}

/** Keeps the notified set bounded: drops keys past their TTL, then the oldest above MAX_NOTIFIED. */
export function pruneNotified(notified: Record<string, number>, now: number): Record<string, number> {
  const entries = Object.entries(notified).filter(([, at]) => typeof at === 'number' && now - at < NOTIFIED_TTL_MS);
  entries.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries.slice(0, MAX_NOTIFIED));
}

// ---------------------------------------------------------------- notification text

const TITLE_KEY: Record<ReminderPoint, string> = {
  at_risk: 'notif_title_at_risk',
  critical: 'notif_title_critical',
  overdue: 'notif_title_overdue',
};

/**
 * "16965409-0014-1: 30 min left to ship (D2)" and "Ship by 4 Dec, 14:00 MSK ·
 * 4 Dec, 19:00 Beijing time ☾": what is due in the panel's action words
 * (lib/action.ts) and when, in Moscow time AND the seller's own (T2, lib/when.ts,
 * the same wording as the card and the popup). `zone` is the seller's own zone
 * (settings.secondZone resolved, secondZoneOf).
 */
export function reminderText(
  r: Reminder,
  now: number,
  rb: Rulebook = defaultRulebook,
  zone: string = browserZone(),
): { title: string; message: string; contextMessage: string } {
  const action = r.status ? actionOf(r.status, r.kind) : undefined;
  const kind = action ? t(`notif_act_${action}`) : t(`notif_kind_${r.kind}`);
  const left = Date.parse(r.dueAt) - now;
  const message =
    r.point === 'overdue' || left <= 0
      ? t('notif_passed', r.postingNumber, kind, r.rule)
      : t('notif_left', r.postingNumber, durationText(left), kind, r.rule);
  const due = bothLine(r.dueAt, zone, rb);
  const ctx = [action ? t('notif_due_action', t(dueKey(action)), due) : t('notif_due_both', due)];
  if (r.autoCancelAt) ctx.push(t('notif_autocancel_both', bothLine(r.autoCancelAt, zone, rb)));
  return { title: t(TITLE_KEY[r.point]), message, contextMessage: ctx.join(' · ') };
}

// ---------------------------------------------------------------- browser side

export const notifiedItem = storage.defineItem<Record<string, number>>('local:reminders:notified', {
  fallback: {},
  version: 1,
});

const lock = createMutex();

export interface RunResult {
  notified: Reminder[];
  next?: number;
  alarm?: { name: string; when: number };
}

/**
 * Notifies what is due, records it, and re-arms the one reminder alarm.
 * Serialised: the tick and the reminder alarm firing together never notify twice.
 */
export function runReminders(now = Date.now()): Promise<RunResult> {
  return lock.run(async () => {
    const { settings, rulebook } = await loadConfig();
    const zone = secondZoneOf(settings);
    const must: NotifyOptions = { stayUntilClicked: settings.notifications.stayUntilClicked, sound: settings.notifications.sound };
    if (!settings.notifications.enabled) {
      await browser.alarms.clear(REMINDER_ALARM);
      return { notified: [] };
    }
    const stores = await loadAllOrders();
    let notified = pruneNotified((await notifiedItem.getValue()) ?? {}, now);
    const plan = planReminders({ stores, now, rulebook, notifications: settings.notifications, notified });
    // Points passed while the machine slept: sent once, marked late, coalesced (background/late.ts).
    const { onTime, late } = splitLate(plan.due, now, await lastRunItem.getValue().catch(() => 0));
    const shown = onTime.slice(0, MAX_NOTIFICATIONS_PER_RUN);
    const rest = onTime.length - shown.length;
    // Record first: a crash mid-way must not ring the same reminder again.
    notified = { ...notified };
    for (const r of plan.due) notified[r.key] = now;
    await notifiedItem.setValue(notified);
    for (const r of shown) {
      const text = reminderText(r, now, rulebook, zone);
      await notify(notificationId(r), { ...text, priority: r.point === 'at_risk' ? 1 : 2 }, { ...must, buttons: true });
    }
    if (rest > 0) {
      // "And N more" opens the list on the origin of the most urgent one not shown.
      const first = plan.due[shown.length]!;
      const more = stores.find((s) => s.storeId === first.storeId);
      const moreUrl = postingsListUrl({ origin: panelOriginOf(first.url) ?? more?.origin, crossborder: more?.crossborder });
      await notify(
        `${NOTIFICATION_PREFIX}more|-|${moreUrl}`,
        {
          title: t('notif_more_title'),
          message: tp('notif_more', rest),
        },
        must,
      );
    }
    if (late.length === 1) {
      const r = late[0]!;
      const text = reminderText(r, now, rulebook, zone);
      await notify(
        notificationId(r),
        { ...text, contextMessage: `${lateNote(r.at, rulebook, zone)} · ${text.contextMessage}`, priority: 1 },
        { ...must, buttons: true },
      );
    } else if (late.length > 1) {
      const firstLate = stores.find((s) => s.storeId === late[0]!.storeId);
      const lateUrl = postingsListUrl({ origin: panelOriginOf(late[0]!.url) ?? firstLate?.origin, crossborder: firstLate?.crossborder });
      await notify(
        `${NOTIFICATION_PREFIX}late|-|${lateUrl}`,
        {
          ...lateSummary(late, (r) => reminderText(r, now, rulebook, zone).message, rulebook, zone),
          priority: 1,
        },
        must,
      );
    }
    await lastRunItem.setValue(now).catch(() => {});
    // Snoozed reminders whose time has come ring once more if still at risk (background/snooze.ts).
    await runSnoozes({ now, stores, rulebook, zone, must }).catch(() => undefined);
    // The same moments to the seller's phone channels, after the desktop ones (background/channels/run.ts; queued, never awaited on the network).
    await handOffReminders(plan.due, now).catch(() => undefined);
    const alarm = alarmFor(plan.next, now);
    if (alarm) await browser.alarms.create(alarm.name, { when: alarm.when });
    else await browser.alarms.clear(REMINDER_ALARM);
    return { notified: plan.due, ...(plan.next !== undefined && { next: plan.next }), ...(alarm && { alarm }) };
  });
}

/** The periodic tick (icon countdown crossings, missed reminders). Idempotent. */
export async function ensureTick(): Promise<void> {
  const cur = await browser.alarms.get(TICK_ALARM);
  if (!cur || cur.periodInMinutes !== TICK_PERIOD_MINUTES) {
    await browser.alarms.create(TICK_ALARM, { periodInMinutes: TICK_PERIOD_MINUTES, delayInMinutes: TICK_PERIOD_MINUTES });
  }
}
