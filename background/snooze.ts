/**
 * "Snooze" on a reminder (D5: reminders that can't be missed).
 *
 * The seller presses the notification's Snooze button: the reminder comes
 * back ONCE after SNOOZE_MINUTES_DEFAULT (storage/settings.ts) — unless by then
 * the order is no longer at risk (confirmed, shipped, cancelled, its deadline
 * moved to another step, or gone from the history).
 *
 * An MV3 service worker may be stopped at any moment, so a snooze lives in
 * storage (bounded) and is woken by an alarm; the once-a-minute tick
 * (background/reminders.ts) also runs it, so a lost alarm still rings, at most a
 * minute late. The decision is pure (dueSnoozes); browser calls are below it.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { DeadlineKind, Order } from '../rules';
import type { Rulebook } from '../rules';
import { evaluateOrder } from '../rules';
import { TERMINAL_STATUSES } from '../rules';
import { MS_MINUTE } from '../rules';
import { t } from '../lib/i18n';
import { SNOOZE_MINUTES_DEFAULT } from '../storage/settings';
import { loadAllOrders } from '../storage/history';
import { createMutex } from '../storage/mutex';
// alarms.ts imports this file too: only functions are used across, never at load time.
import { reminderText, type Reminder, type ReminderPoint } from './reminders';
import { notify, notificationId, type NotifyOptions } from './notifications';

export const SNOOZE_ALARM = 'oog:snooze';
/** Snoozes kept at most (a seller snoozes a handful; nothing may grow with time). */
export const MAX_SNOOZED = 200;
/** A snooze whose time passed this long ago is dropped, not rung (an import of a week-old state). */
const STALE_MS = 24 * 60 * MS_MINUTE;
const RISK_LEVELS = new Set(['at_risk', 'critical', 'overdue']);

export interface Snooze {
  storeId: string;
  postingNumber: string;
  /** The deadline that was being reminded of: another kind later means the seller acted. */
  kind: DeadlineKind;
  point: ReminderPoint;
  /** When it rings again (ms). */
  until: number;
  url: string;
}

/** Keyed by store|posting: one snooze per order (snoozing again replaces it). */
export const snoozedItem = storage.defineItem<Record<string, Snooze>>('local:reminders:snoozed', { fallback: {}, version: 1 });

export function snoozeKey(storeId: string, postingNumber: string): string {
  return `${storeId}|${postingNumber}`;
}

type Stores = { storeId: string; orders: Order[] }[];

function findOrder(stores: Stores, storeId: string | undefined, postingNumber: string): { storeId: string; order: Order } | undefined {
  for (const s of stores) {
    if (storeId !== undefined && s.storeId !== storeId) continue;
    const order = s.orders.find((o) => o.postingNumber === postingNumber);
    if (order) return { storeId: s.storeId, order };
  }
  return undefined;
}

/**
 * The snooze for the posting a notification is about, or undefined when the
 * order is unknown or has no open deadline now (nothing to come back for).
 */
export function makeSnooze(
  stores: Stores,
  postingNumber: string,
  point: ReminderPoint,
  url: string,
  now: number,
  rb: Rulebook,
  minutes = SNOOZE_MINUTES_DEFAULT,
): Snooze | undefined {
  const found = findOrder(stores, undefined, postingNumber);
  if (!found) return undefined;
  const d = evaluateOrder(found.order, now, rb).deadline;
  if (!d) return undefined;
  return { storeId: found.storeId, postingNumber, kind: d.kind, point, until: now + minutes * MS_MINUTE, url };
}

/** Whether the snoozed order still needs the seller: open, same deadline step, at risk or worse. */
export function stillAtRisk(s: Snooze, stores: Stores, now: number, rb: Rulebook): Reminder | undefined {
  const found = findOrder(stores, s.storeId, s.postingNumber);
  if (!found) return undefined;
  const { order } = found;
  if (TERMINAL_STATUSES.has(order.status) || order.archived) return undefined;
  const v = evaluateOrder(order, now, rb);
  const d = v.deadline;
  if (!d || d.kind !== s.kind || !RISK_LEVELS.has(v.level)) return undefined;
  return {
    key: `snooze|${snoozeKey(s.storeId, s.postingNumber)}`,
    storeId: s.storeId,
    postingNumber: s.postingNumber,
    point: s.point,
    at: s.until,
    kind: d.kind,
    status: order.status,
    rule: d.rule,
    dueAt: d.dueAt,
    ...(d.autoCancelAt && { autoCancelAt: d.autoCancelAt }),
    url: s.url,
  };
}

export interface SnoozePlan {
  /** Reminders to ring again now (each once: its snooze is removed). */
  ring: Reminder[];
  /** Snoozes still waiting. */
  keep: Record<string, Snooze>;
  /** The earliest waiting snooze (ms), for the alarm. */
  next?: number;
}

/** Which snoozes ring now, which are dropped (no longer at risk / stale) and which wait. */
export function dueSnoozes(snoozed: Record<string, Snooze>, stores: Stores, now: number, rb: Rulebook): SnoozePlan {
  const plan: SnoozePlan = { ring: [], keep: {} };
  for (const [key, s] of Object.entries(snoozed ?? {})) {
    if (!s || typeof s.until !== 'number' || !Number.isFinite(s.until) || typeof s.postingNumber !== 'string') continue;
    if (s.until > now) {
      plan.keep[key] = s;
      if (plan.next === undefined || s.until < plan.next) plan.next = s.until;
      continue;
    }
    if (now - s.until > STALE_MS) continue;
    const r = stillAtRisk(s, stores, now, rb);
    if (r) plan.ring.push(r);
  }
  return plan;
}

/** Bounded: the latest MAX_SNOOZED by their time. */
function bounded(snoozed: Record<string, Snooze>): Record<string, Snooze> {
  const entries = Object.entries(snoozed);
  if (entries.length <= MAX_SNOOZED) return snoozed;
  entries.sort((a, b) => b[1].until - a[1].until);
  return Object.fromEntries(entries.slice(0, MAX_SNOOZED));
}

const lock = createMutex();

async function armAlarm(next: number | undefined, now: number): Promise<void> {
  if (next === undefined) await browser.alarms.clear(SNOOZE_ALARM);
  // Chrome rounds an alarm closer than 30 s up to 30 s: ask for no less.
  else await browser.alarms.create(SNOOZE_ALARM, { when: Math.max(next, now + 30_000) });
}

/**
 * Puts the reminder of a notification off: the notification closes, the
 * snooze is stored and its alarm armed. False when there is nothing to
 * snooze (unknown posting, no open deadline, not a posting's reminder).
 */
export function snoozeNotification(id: string, now = Date.now(), rb: Rulebook): Promise<boolean> {
  return lock.run(async () => {
    // notificationId: "oog|<point>|<posting>|<url>"
    const [prefix, point, postingNumber, ...rest] = id.split('|');
    const url = rest.join('|');
    await browser.notifications.clear(id).catch(() => false);
    if (prefix !== 'oog' || !postingNumber || postingNumber === '-' || !['at_risk', 'critical', 'overdue'].includes(point ?? '')) return false;
    const stores = await loadAllOrders();
    const s = makeSnooze(stores, postingNumber, point as ReminderPoint, url, now, rb);
    if (!s) return false;
    const all = bounded({ ...((await snoozedItem.getValue()) ?? {}), [snoozeKey(s.storeId, s.postingNumber)]: s });
    await snoozedItem.setValue(all);
    const next = Math.min(...Object.values(all).map((x) => x.until));
    await armAlarm(next, now);
    return true;
  });
}

/** Rings the snoozes whose time came (once), drops those no longer at risk, re-arms the alarm. */
export function runSnoozes(input: {
  now: number;
  stores: Stores;
  rulebook: Rulebook;
  zone: string;
  must: NotifyOptions;
}): Promise<Reminder[]> {
  return lock.run(async () => {
    const snoozed = (await snoozedItem.getValue()) ?? {};
    if (!Object.keys(snoozed).length) return [];
    const plan = dueSnoozes(snoozed, input.stores, input.now, input.rulebook);
    // Record first: a crash mid-way must not ring the same snooze twice.
    await snoozedItem.setValue(plan.keep);
    for (const r of plan.ring) {
      const text = reminderText(r, input.now, input.rulebook, input.zone);
      await notify(notificationId(r), { ...text, title: `${t('notif_snoozed_title')}: ${text.title}`, priority: 2 }, { ...input.must, buttons: true });
    }
    await armAlarm(plan.next, input.now);
    return plan.ring;
  });
}
