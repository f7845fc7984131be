/**
 * The background side of the channels, on the existing alarms:
 * - background/reminders.ts hands every D5 moment it shows as a desktop notification to
 *   `handOffReminders` (after showing it): one message per channel for the
 *   orders due together, queued, then sent;
 * - the worker's refresh (the one-minute tick, start-up) calls `runChannels`:
 *   the morning summary when its time has come, and the queue's retries.
 * Nothing here throws into its caller, and with no channel on nothing is
 * queued and no request is made.
 */
import { browser } from 'wxt/browser';
import type { Order } from '../../rules';
import type { Rulebook } from '../../rules';
import { browserLang, lang as activeLang, LANGS, t as gt, tp as gtp, type Lang } from '../../lib/i18n';
import { messageTable } from '../../lib/language';
import { secondZoneOf, type Settings } from '../../storage/settings';
import { listStores, loadAllOrders } from '../../storage/history';
import { type Reminder } from '../reminders';
import { iconUrl, NOTIFICATION_PREFIX } from '../notifications';
import { loadConfig } from '../../storage/config';
import { postingsListUrl } from '../../panel/origins';
import { normalizeChannels, originPattern, type ChannelId, type ChannelsConfig } from './config';
import { composeReminders, composeSummary, translatorFrom, type ReminderItem, type Translator } from './compose';
import { activeChannels, drainOutbox, enqueue, type Deps, type DrainReport } from './deliver';
import { channelsItem, summaryDayItem } from './store';
import { summaryDue, summaryStores } from './summary';
import { channelFetch } from './send';

export function defaultDeps(): Deps {
  return {
    fetch: channelFetch,
    now: () => Date.now(),
    hasHost: async (id: ChannelId, cfg: ChannelsConfig) => {
      try {
        return await browser.permissions.contains({ origins: [originPattern(id, cfg)] });
      } catch {
        return false;
      }
    },
  };
}

/** The seller's language for messages: the options page's choice, else the browser's. */
export async function translatorFor(settings: Pick<Settings, 'language'>): Promise<Translator> {
  const want: Lang = settings.language !== 'auto' && LANGS.includes(settings.language) ? settings.language : browserLang();
  if (want === activeLang()) return { lang: want, t: gt, tp: gtp };
  // The background's one cached read of the language's table (an empty one when it cannot be read: the strings in force).
  const table = await messageTable(want);
  if (Object.keys(table).length) return translatorFrom(want, table);
  return { lang: activeLang(), t: gt, tp: gtp };
}

function priceOf(o: Order | undefined): ReminderItem['price'] {
  if (!o?.items?.length) return undefined;
  let sum = 0;
  for (const it of o.items) {
    if (typeof it.price !== 'number' || !Number.isFinite(it.price)) return undefined;
    sum += it.price * (Number.isFinite(it.quantity) && it.quantity > 0 ? it.quantity : 1);
  }
  return { amount: sum, currency: o.currency || 'RUB' };
}

let pendingDrain: Promise<DrainReport> | undefined;
/** Starts a drain without waiting for it (the caller — reminders, the tick — is never held up by a channel). */
function kick(deps: Deps): Promise<DrainReport> {
  const p = drainOutbox(deps).catch((): DrainReport => ({ sent: [], failed: [] }));
  pendingDrain = p;
  return p;
}

/** For tests: the drain the last hand-off / run started. */
export function lastDrain(): Promise<DrainReport> | undefined {
  return pendingDrain;
}

/**
 * D5 moments → the channels that are on: one message per channel with every
 * order due at this run. Resolves once queued (storage only); sending runs on.
 */
export async function handOffReminders(due: readonly Reminder[], now: number, deps: Deps = defaultDeps()): Promise<number> {
  if (!due.length) return 0;
  const cfg = normalizeChannels(await channelsItem.getValue());
  const channels = activeChannels(cfg, 'reminder');
  if (!channels.length) return 0;
  const { settings, rulebook } = await loadConfig();
  const tr = await translatorFor(settings);
  let orders: Map<string, Order> | undefined;
  if (cfg.includePrices) {
    orders = new Map();
    for (const s of await loadAllOrders()) for (const o of s.orders) orders.set(`${s.storeId}|${o.postingNumber}`, o);
  }
  const byKey = new Map(due.map((r) => [r.key, r]));
  const added = await enqueue(
    channels,
    due.map((r) => r.key),
    (keys) =>
      composeReminders(
        keys.map((k) => byKey.get(k)!).map((r) => ({ ...r, ...(orders && { price: priceOf(orders.get(`${r.storeId}|${r.postingNumber}`)) }) })),
        tr,
        { now, zone: secondZoneOf(settings), rulebook, hour12: settings.hour12 },
      ),
    now,
  );
  if (added) void kick(deps);
  return added;
}

async function summaryNotification(title: string, message: string, listUrl: string): Promise<void> {
  const id = `${NOTIFICATION_PREFIX}summary|-|${listUrl}`;
  const base = { type: 'basic' as const, iconUrl: iconUrl(), title };
  try {
    await browser.notifications.create(id, { ...base, message });
  } catch {
    /* notifications blocked: the channels still get it */
  }
}

/**
 * The morning summary when due (recorded before anything is sent, so it goes
 * out once a day whatever stops in between), then the queue's due retries.
 */
export async function runChannels(now = Date.now(), deps: Deps = defaultDeps()): Promise<{ summary?: string; drain?: Promise<DrainReport> }> {
  const cfg = normalizeChannels(await channelsItem.getValue());
  let summaryDay: string | undefined;
  if (cfg.summary.enabled) {
    const day = summaryDue(now, cfg.summary.time, cfg.summary.zone, await summaryDayItem.getValue());
    if (day) {
      await summaryDayItem.setValue(day);
      summaryDay = day;
      const { settings, rulebook } = await loadConfig();
      const tr = await translatorFor(settings);
      const stores = summaryStores(await loadAllOrders(), now, cfg.summary.zone, rulebook);
      // The list opens on the origin the seller last used (panel/origins.ts: .ru, .cn or .kz).
      const listUrl = postingsListUrl({ origin: (await listStores())[0]?.origin });
      const msg = composeSummary(stores, tr, { now, zone: cfg.summary.zone, rulebook: rulebook as Rulebook, panelUrl: listUrl });
      await summaryNotification(msg.title, msg.text.split('\n').slice(2).join('\n'), listUrl);
      await enqueue(activeChannels(cfg, 'summary'), [`summary|${day}`], () => ({ text: msg.text, markdown: msg.markdown }), now);
    }
  }
  const anyOn = activeChannels(cfg, 'reminder').length > 0;
  return { ...(summaryDay && { summary: summaryDay }), ...(anyOn && { drain: kick(deps) }) };
}
