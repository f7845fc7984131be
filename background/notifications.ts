/**
 * Desktop notifications as the reminders (D5) and the snoozes use them: the
 * icon, the id that carries the notification's target (a click needs no
 * state: the worker may have restarted), the "can't be missed" options and
 * buttons, and a create that falls back to the plain form where a browser
 * refuses the full one.
 */
import { browser } from 'wxt/browser';
import { SNOOZE_MINUTES_DEFAULT } from '../storage/settings';
import { t } from '../lib/i18n';
import { panelOriginOf } from '../panel/origins';
import type { Reminder } from './reminders';

/** A 48 px shield, used when the build ships no icon of its own (Chrome requires one). */
const FALLBACK_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAtElEQVR42u2ZMQ6AMAzE+k/+/46yMtBCw6XE0lnqjD1QUNKaMeYdR+9bD1JaHoMOqCIfjnCAAxzggLfnCi7gDkzACETAjPIBy/KVAkLyVQLC8uqApQcr5JUBEYHP8tkBM5EnygSMZCTyme/ATEomn3ELPclJ5bOu0Qjl/ka3yGd/yNLld0wm6smLInATunry6NnoHyHoSTV63I7eGaAXH+jtDXoFhd6jYReC6K0mejVrjEnjBB1VtubNhFVOAAAAAElFTkSuQmCC';

export function iconUrl(): string {
  try {
    const icons = (browser.runtime.getManifest() as { icons?: Record<string, string> }).icons;
    const best = icons?.['128'] ?? icons?.['96'] ?? icons?.['48'];
    if (best) return browser.runtime.getURL(`/${best.replace(/^\//, '')}` as '/');
  } catch {
    /* no manifest in tests */
  }
  return FALLBACK_ICON;
}

/** The notification's id carries its target, so a click needs no state (the worker may have restarted). */
export const NOTIFICATION_PREFIX = 'oog|';

export function notificationId(r: Reminder): string {
  return `${NOTIFICATION_PREFIX}${r.point}|${r.postingNumber}|${r.url}`;
}

/** The panel URL a notification opens; only ever a page on one of the panel's origins. */
export function urlOfNotification(id: string): string | undefined {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return undefined;
  const url = id.slice(id.indexOf('|', id.indexOf('|', NOTIFICATION_PREFIX.length) + 1) + 1);
  const origin = panelOriginOf(url);
  return origin && url.startsWith(`${origin}/`) ? url : undefined;
}

export interface NotifyOptions {
  stayUntilClicked?: boolean;
  sound?: boolean;
  /** The reminder's buttons (Snooze, Open); only on a single posting's reminder. */
  buttons?: boolean;
}

/**
 * The "can't be missed" options of a reminder (D5), as Chrome takes them:
 * - requireInteraction: stays until clicked. Firefox ignores the property.
 * - silent: the sound. An MV3 service worker cannot play audio itself, and an
 *   offscreen document would need the `offscreen` permission (the required
 *   set stays storage, alarms, notifications); a panel tab may not be open
 *   when a reminder rings. So the sound is the system's notification sound:
 *   `silent: false` rings it (subject to the OS's own settings), `true` mutes.
 * - buttons: "Snooze N min" (index 0) and "Open" (index 1); Firefox has no
 *   notification buttons — a click there opens the posting as before.
 */
export function notificationExtras(opts: NotifyOptions): { requireInteraction?: boolean; silent?: boolean; buttons?: { title: string }[] } {
  return {
    ...(opts.stayUntilClicked && { requireInteraction: true }),
    ...(opts.sound !== undefined && { silent: !opts.sound }),
    ...(opts.buttons && { buttons: [{ title: t('notif_snooze_button', String(SNOOZE_MINUTES_DEFAULT)) }, { title: t('notif_open_button') }] }),
  };
}

/** Index of the notification buttons (notificationExtras). */
export const SNOOZE_BUTTON = 0;
export const OPEN_BUTTON = 1;

/**
 * Creates a notification. Firefox marks contextMessage and priority as
 * unsupported: if the full form is refused, the plain one (the context line
 * folded into the message) is tried. A refusal of both (the OS blocks
 * notifications) is quiet: the icon count still tells.
 */
export async function notify(
  id: string,
  n: { title: string; message: string; contextMessage?: string; priority?: number },
  opts: NotifyOptions = {},
): Promise<void> {
  const base = { type: 'basic' as const, iconUrl: iconUrl(), title: n.title };
  try {
    await browser.notifications.create(id, {
      ...base,
      message: n.message,
      ...(n.contextMessage && { contextMessage: n.contextMessage }),
      ...(n.priority !== undefined && { priority: n.priority }),
      ...notificationExtras(opts),
    });
  } catch {
    try {
      await browser.notifications.create(id, { ...base, message: n.contextMessage ? `${n.message}\n${n.contextMessage}` : n.message });
    } catch {
      /* blocked */
    }
  }
}
