/**
 * What the background does, as plain functions so unit tests can drive them
 * (entrypoints/background.ts only registers them). Nothing is kept in memory
 * that matters: history, notified reminders and alarms live in storage / the
 * alarms API, so an MV3 service worker that is stopped and restarted picks up
 * exactly where it was.
 */
import { browser } from 'wxt/browser';
import type { Message, MergeAnswer, ErrorAnswer } from './messages';
import { clearAll, clearStore, importAll, mergeOrders, type ImportAllReport } from '../storage/history';
import { setLayoutStatus } from '../storage/layout';
import { rememberTabStore } from '../storage/tab-stores';
import { REMINDER_ALARM, TICK_ALARM, ensureTick, runReminders } from './reminders';
import { OPEN_BUTTON, SNOOZE_BUTTON, urlOfNotification } from './notifications';
import { SNOOZE_ALARM, snoozeNotification } from './snooze';
import { updateIcon } from './toolbar';
import { storeKeyOf, toIso } from '../rules';
import { isObj, validateOverrides } from '../rules';
import { LANGS, type Lang } from '../lib/i18n';
import { panelOriginOf } from '../panel/origins';
import { runChannels } from './channels/run';
import { loadConfig } from '../storage/config';
import { messageTable } from '../lib/language';
import { decodeOrderObjects, decodeOrders } from '../lib/orders-wire';

/** One message may not carry more orders than any panel page shows (its page size is ≤ 1,000). */
export const MAX_ORDERS_PER_MESSAGE = 5_000;
/** `orders:seen` as JSON text (background/messages.ts): at most this long (5,000 orders of ~2 KB each, twice over). */
export const ORDERS_JSON_MAX_CHARS = 20_000_000;

/** The orders an `orders:seen` carries, from its array or its JSON text; a string saying why not. */
function seenOrders(m: Record<string, unknown>): unknown[] | string {
  if (typeof m.ordersJson === 'string') {
    const textsChars = typeof m.textsJson === 'string' ? m.textsJson.length : 0;
    if (m.ordersJson.length + textsChars > ORDERS_JSON_MAX_CHARS) return 'too many orders in one message';
    // Repeated texts travel once, in a table (lib/orders-wire.ts); each order is checked after.
    return decodeOrders(m.ordersJson, m.textsJson);
  }
  // Objects: the content script's plain orders, or with their texts by number into `texts` (tools, tests; lib/orders-wire.ts).
  return decodeOrderObjects(m.orders, m.texts);
}
/** A CSV import may be large (a quarter of a big store); beyond this it is refused, not truncated. */
export const MAX_ORDERS_PER_IMPORT = 200_000;

interface SenderLike {
  id?: string;
  url?: string;
  tab?: { url?: string; id?: number };
}

/** A content script's message must come from a Seller Panel page (any origin of panel/origins.ts) of this extension. */
function fromPanel(sender: SenderLike | undefined): boolean {
  return senderOrigin(sender) !== undefined;
}

/** The panel origin of the sending page: the browser's word (sender.url), never the message's. */
function senderOrigin(sender: SenderLike | undefined) {
  if (!sender) return undefined;
  if (sender.id && sender.id !== browser.runtime.id) return undefined;
  return panelOriginOf(sender.url ?? sender.tab?.url);
}

/** Extension pages (popup, options) only. */
function fromExtension(sender: SenderLike | undefined): boolean {
  if (!sender) return false;
  if (sender.id && sender.id !== browser.runtime.id) return false;
  const url = sender.url;
  let own = '';
  try {
    own = browser.runtime.getURL('/');
  } catch {
    /* tests */
  }
  return typeof url === 'string' && (own ? url.startsWith(own) : !url.startsWith('http'));
}

const refusal = (error: string): ErrorAnswer => ({ error });

/**
 * The answer to one message, or undefined when the message is not ours.
 * Payloads are checked before anything is stored: the content script is
 * ours, but the orders came from a web page.
 */
export function handleMessage(msg: unknown, sender?: SenderLike): Promise<unknown> | undefined {
  if (!isObj(msg) || typeof msg.type !== 'string') return undefined;
  const m = msg as Message & Record<string, unknown>;
  switch (m.type) {
    case 'orders:seen': {
      if (!fromPanel(sender)) return Promise.resolve(refusal('orders:seen only from a Seller Panel page'));
      const orders = seenOrders(m);
      if (typeof orders === 'string') return Promise.resolve(refusal(orders));
      if (orders.length > MAX_ORDERS_PER_MESSAGE) return Promise.resolve(refusal('too many orders in one message'));
      const url = typeof m.url === 'string' ? m.url : '';
      const source = m.source === 'json' ? 'json' : 'page';
      const label = typeof m.storeLabel === 'string' && m.storeLabel.trim() ? m.storeLabel.trim() : undefined;
      const origin = senderOrigin(sender);
      const crossborder = panelOriginOf(url) ? url.includes('/app/postings/crossborder/') : undefined;
      const storeId = storeKeyOf(m.storeId);
      if (sender?.tab?.id !== undefined) void rememberTabStore(sender.tab.id, storeId).catch(() => undefined);
      return mergeOrders(storeId, orders, source, Date.now(), {
        ...(label && { label }),
        ...(crossborder !== undefined && { crossborder }),
        ...(origin && { origin }),
      }).then((r): MergeAnswer => r);
    }
    case 'orders:import': {
      if (!fromExtension(sender)) return Promise.resolve(refusal('orders:import only from the extension'));
      if (!Array.isArray(m.orders)) return Promise.resolve(refusal('orders must be an array'));
      if (m.orders.length > MAX_ORDERS_PER_IMPORT) return Promise.resolve(refusal('too many orders in one import'));
      const now = Date.now();
      // The export's time: the file's own date, else the newest instant inside it; never the future.
      const stated = toIso(m.observedAt) ?? (isObj(m.report) ? toIso(m.report.latestInstant) : undefined);
      const at = Math.min(stated ? Date.parse(stated) : now, now);
      return mergeOrders(storeKeyOf(m.storeId), m.orders, 'csv', at).then((r): MergeAnswer => r);
    }
    case 'layout:status': {
      if (!fromPanel(sender)) return Promise.resolve(refusal('layout:status only from a Seller Panel page'));
      const url = typeof m.url === 'string' ? m.url : '';
      const detail = typeof m.detail === 'string' ? m.detail : undefined;
      return setLayoutStatus(storeKeyOf(m.storeId), url, m.broken === true, detail).then(() => ({ ok: true }));
    }
    case 'i18n:table': {
      if (!(LANGS as readonly unknown[]).includes(m.lang)) return Promise.resolve({});
      // Flat, not the messages.json shape: every panel page load takes it (lib/language.ts messageTable).
      return messageTable(m.lang as Lang);
    }
    case 'rulebook:clean':
      // Pure and bounded (validateOverrides caps lists and knows every path): any sender may ask.
      return Promise.resolve(validateOverrides(m.overrides).overrides);
    case 'refresh':
      return refreshAll().then((s) => ({ ok: true, count: s.count }));
    case 'history:importAll': {
      if (!fromExtension(sender)) return Promise.resolve(refusal('history:importAll only from the extension'));
      return importAll(m.json).then((r): ImportAllReport => r);
    }
    case 'history:clear': {
      if (!fromExtension(sender)) return Promise.resolve(refusal('history:clear only from the extension'));
      return (typeof m.storeId === 'string' ? clearStore(m.storeId) : clearAll()).then(() => ({ ok: true }));
    }
    default:
      return undefined;
  }
}

let running: Promise<{ count: number }> | undefined;
let rerun = false;

/**
 * Icon count and reminders. Calls that arrive while one runs share it plus
 * one more pass (a worker woken by the tick runs main's start-up refresh and
 * the alarm's at once: that is one recount, not two racing ones).
 */
export function refreshAll(now?: number): Promise<{ count: number }> {
  if (running) {
    rerun = true;
    return running;
  }
  running = (async () => {
    let r: { count: number };
    do {
      rerun = false;
      r = await refreshOnce(now ?? Date.now());
    } while (rerun);
    return r;
  })().finally(() => {
    running = undefined;
  });
  return running;
}

/** Icon count and reminders, in that order; a failure of one never stops the other. */
async function refreshOnce(now: number): Promise<{ count: number }> {
  let count = 0;
  try {
    count = (await updateIcon(now)).count;
  } catch (e) {
    console.warn('[ozon-order-guard] icon update failed', e);
  }
  try {
    await runReminders(now);
  } catch (e) {
    console.warn('[ozon-order-guard] reminders failed', e);
  }
  // Phone channels: the morning summary when due, and the queue's retries (sending is not awaited).
  await runChannels(now).catch(() => undefined);
  return { count };
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Debounced refresh after history writes: a burst of orders:seen gives one recount. */
export function scheduleRefresh(delayMs = 1_000): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    void refreshAll();
  }, delayMs);
}

export function isOurAlarm(name: string): boolean {
  return name === REMINDER_ALARM || name === TICK_ALARM || name === SNOOZE_ALARM;
}

export async function onAlarm(alarm: { name: string }): Promise<void> {
  if (isOurAlarm(alarm.name)) await refreshAll();
}

/** A click on a reminder opens its posting in the panel ("tabs.create" needs no "tabs" permission). */
export async function onNotificationClicked(id: string): Promise<void> {
  const url = urlOfNotification(id);
  if (!url) return;
  try {
    await browser.tabs.create({ url });
  } finally {
    await browser.notifications.clear(id).catch(() => false);
  }
}

/**
 * A reminder's buttons (Chrome only; background/reminders.ts notificationExtras):
 * Snooze puts it off (background/snooze.ts), Open does what a click does.
 */
export async function onNotificationButtonClicked(id: string, index: number, now = Date.now()): Promise<void> {
  if (index === SNOOZE_BUTTON) {
    const { rulebook } = await loadConfig();
    await snoozeNotification(id, now, rulebook);
  } else if (index === OPEN_BUTTON) await onNotificationClicked(id);
}

/** Start-up / install / update: the tick alarm exists and the icon and reminders are current. */
export async function onStart(): Promise<void> {
  try {
    await ensureTick();
  } catch (e) {
    console.warn('[ozon-order-guard] alarms unavailable', e);
  }
  await refreshAll();
}
