// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import { defaultRulebook } from '../../rules/rulebook';
import { defaultSettings, settingsItem, SNOOZE_MINUTES_DEFAULT } from '../../storage/settings';
import { _resetHistoryForTests, mergeOrders } from '../../storage/history';
import { reminderText, runReminders, type Reminder } from '../../background/reminders';
import { OPEN_BUTTON, SNOOZE_BUTTON, notificationExtras } from '../../background/notifications';
import { SNOOZE_ALARM, dueSnoozes, snoozedItem, type Snooze } from '../../background/snooze';
import { onNotificationButtonClicked } from '../../background/router';
import { useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';
import { shipOrder } from '../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

type Created = { id: string; opts: Record<string, unknown> };
const calls = (spy: { mock: { calls: unknown[][] } }): Created[] =>
  spy.mock.calls.map((c) => ({ id: c[0] as string, opts: c[1] as Record<string, unknown> }));

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
  useMessages('en', loadLocale('en'));
});

async function seed(orders: Order[], storeId = '111', now = T0) {
  await mergeOrders(storeId, orders, 'page', now - H, { now });
}

describe('D5 reminders that cannot be missed: the notification options', () => {
  it('stay until clicked, the system sound and the Snooze / Open buttons are in the created notification', async () => {
    await seed([shipOrder('16965409-0014-1', T0 + 25 * M)]);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    const [n] = calls(create);
    expect(n!.opts.requireInteraction).toBe(true);
    expect(n!.opts.silent).toBe(false);
    expect(n!.opts.buttons).toEqual([{ title: `Snooze ${SNOOZE_MINUTES_DEFAULT} min` }, { title: 'Open' }]);
  });

  it('the settings turn them off (silent, goes away by itself)', async () => {
    await settingsItem.setValue({ ...defaultSettings, notifications: { ...defaultSettings.notifications, stayUntilClicked: false, sound: false } });
    await seed([shipOrder('1-1-1', T0 + 25 * M)]);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    const [n] = calls(create);
    expect(n!.opts.requireInteraction).toBeUndefined();
    expect(n!.opts.silent).toBe(true);
    expect(notificationExtras({})).toEqual({});
  });

  it('Firefox refuses buttons / requireInteraction: the reminder still shows, in the plain form, and nothing throws', async () => {
    await seed([shipOrder('1-1-1', T0 + 25 * M)]);
    const real = browser.notifications.create.bind(browser.notifications);
    const create = vi.spyOn(browser.notifications, 'create').mockImplementation((async (id: string, opts: Record<string, unknown>) => {
      if ('buttons' in opts || 'requireInteraction' in opts || 'contextMessage' in opts)
        throw new Error('Type error for parameter options (Property "buttons" is unsupported by Firefox)');
      return real(id, opts as never);
    }) as never);
    await expect(runReminders(T0)).resolves.toBeTruthy();
    expect(create).toHaveBeenCalledTimes(2);
    expect(Object.keys(await browser.notifications.getAll())).toHaveLength(1);
  });

  it('the settings validate the two new switches (a non-boolean is refused, defaults on)', async () => {
    const { validateSettings } = await import('../../storage/settings');
    const bad = validateSettings({ notifications: { ...defaultSettings.notifications, sound: 'loud' } } as never);
    expect(bad.rejected.map((r) => r.path)).toContain('notifications.sound');
    expect(defaultSettings.notifications.stayUntilClicked).toBe(true);
    expect(defaultSettings.notifications.sound).toBe(true);
  });
});

describe('Snooze 15 min', () => {
  async function firstReminderId(): Promise<string> {
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    const id = calls(create)[0]!.id;
    create.mockRestore();
    return id;
  }

  it('comes back once after the snooze, also across a worker restart (stored, with its alarm)', async () => {
    await seed([shipOrder('16965409-0014-1', T0 + 25 * M)]);
    const id = await firstReminderId();
    await onNotificationButtonClicked(id, SNOOZE_BUTTON, T0);
    const stored = (await snoozedItem.getValue()) ?? {};
    expect(Object.values(stored)).toEqual([expect.objectContaining({ postingNumber: '16965409-0014-1', until: T0 + SNOOZE_MINUTES_DEFAULT * M })]);
    expect((await browser.alarms.get(SNOOZE_ALARM))?.scheduledTime).toBe(T0 + SNOOZE_MINUTES_DEFAULT * M);

    // The worker is stopped: every module is loaded afresh, only storage and alarms remain.
    vi.resetModules();
    _resetHistoryForTests();
    const fresh = await import('../../background/reminders');
    (await import('../../lib/i18n')).useMessages('en', loadLocale('en'));
    const create = vi.spyOn(browser.notifications, 'create');
    await fresh.runReminders(T0 + 5 * M); // too early: nothing
    expect(create).not.toHaveBeenCalled();
    await fresh.runReminders(T0 + SNOOZE_MINUTES_DEFAULT * M);
    const rung = calls(create);
    expect(rung).toHaveLength(1);
    expect(rung[0]!.opts.title).toBe('Snoozed reminder: Deadline very close');
    expect(rung[0]!.opts.message).toBe('16965409-0014-1: 10 min left to ship (D2)');
    expect(rung[0]!.opts.buttons).toHaveLength(2);
    // Once: the next runs ring it no more.
    await fresh.runReminders(T0 + (SNOOZE_MINUTES_DEFAULT + 1) * M);
    expect(create).toHaveBeenCalledTimes(1);
    expect(await snoozedItem.getValue()).toEqual({});
  });

  it('is dropped when the order was shipped meanwhile (no longer at risk)', async () => {
    await seed([shipOrder('1-1-1', T0 + 25 * M)]);
    const id = await firstReminderId();
    await onNotificationButtonClicked(id, SNOOZE_BUTTON, T0);
    await seed([shipOrder('1-1-1', T0 + 25 * M, { status: 'picked_up' })], '111', T0 + 10 * M);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0 + SNOOZE_MINUTES_DEFAULT * M);
    expect(calls(create).filter((c) => String(c.opts.title).startsWith('Snoozed'))).toHaveLength(0);
    expect(await snoozedItem.getValue()).toEqual({});
  });

  it('is dropped when the order was confirmed (its deadline moved to the next step) or cancelled', () => {
    const due = T0 + 25 * M;
    const s: Snooze = { storeId: '111', postingNumber: '1-1-1', kind: 'confirm', point: 'critical', until: T0, url: 'https://seller.ozon.ru/app/postings/fbs' };
    const awaitingConfirm: Order = { postingNumber: '1-1-1', scheme: 'FBS', status: 'awaiting_confirmation', paidAt: iso(due - 24 * H) };
    const stores = (o: Order) => [{ storeId: '111', orders: [o] }];
    // Still awaiting confirmation: kind confirm, at risk → rings (sanity of the fixture).
    const before = dueSnoozes({ k: s }, stores(awaitingConfirm), T0 + 23 * H + 50 * M, defaultRulebook);
    expect(before.ring.map((r) => r.postingNumber)).toEqual(['1-1-1']);
    // Confirmed: now a ship deadline, not the snoozed one.
    const confirmed = shipOrder('1-1-1', T0 + 40 * H);
    expect(dueSnoozes({ k: s }, stores(confirmed), T0 + 20 * M, defaultRulebook).ring).toEqual([]);
    expect(dueSnoozes({ k: s }, stores({ ...awaitingConfirm, status: 'cancelled' }), T0, defaultRulebook).ring).toEqual([]);
    // Gone from the history: dropped, not kept.
    const gone = dueSnoozes({ k: s }, [], T0, defaultRulebook);
    expect(gone.ring).toEqual([]);
    expect(gone.keep).toEqual({});
  });

  it('Open does what a click does; the summary notifications cannot be snoozed', async () => {
    await seed([shipOrder('1-1-1', T0 + 25 * M)]);
    const id = await firstReminderId();
    const tabs = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    await onNotificationButtonClicked(id, OPEN_BUTTON, T0);
    expect(tabs).toHaveBeenCalledWith({ url: 'https://seller.ozon.ru/app/postings/fbs?postingDetails=1-1-1' });
    await onNotificationButtonClicked('oog|more|-|https://seller.ozon.ru/app/postings/fbs', SNOOZE_BUTTON, T0);
    expect(await snoozedItem.getValue()).toEqual({});
  });
});

describe('own time in the reminder texts (T2) in en / ru / zh', () => {
  // Due 21:20 MSK = 02:20 Beijing time, in the seller's night; an order awaiting packaging: the panel's «Собрать» / ship-by.
  const r: Reminder = {
    key: 'k',
    storeId: '111',
    postingNumber: '1-1-1',
    point: 'critical',
    at: Date.parse('2026-04-14T17:50:00Z'),
    kind: 'ship',
    status: 'awaiting_packaging',
    rule: 'D2',
    dueAt: '2026-04-14T18:20:00Z',
    url: 'https://seller.ozon.ru/app/postings/fbs',
  };
  const now = Date.parse('2026-04-14T18:00:00Z');
  it.each([
    ['en', '1-1-1: 20 min left to pack and ship (D2)', 'Ship by 14 Apr, 21:20 MSK · 15 Apr, 02:20 Beijing time ☾ at night for you'],
    ['ru', 'собрать и отгрузить', 'Отгрузить до 14 апр., 21:20 МСК · 15 апр., 02:20 по пекинскому времени ☾ у вас ночь'],
    ['zh_CN', '备货并发货', '发货截止 4月14日 21:20 莫斯科时间 · 4月15日 02:20 北京时间 ☾ 在您的夜间'],
  ] as const)('%s', (l, message, context) => {
    useMessages(l, loadLocale(l));
    const text = reminderText(r, now, defaultRulebook, 'Asia/Shanghai');
    expect(text.message).toContain(message);
    expect(text.contextMessage).toBe(context);
  });

  it('a seller in Moscow reads Moscow time once', () => {
    const text = reminderText(r, now, defaultRulebook, 'Europe/Moscow');
    expect(text.contextMessage).toBe('Ship by 14 Apr, 21:20 MSK');
  });
});
