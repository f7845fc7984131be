// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import { evaluateOrder } from '../../rules/evaluate';
import { defaultSettings, settingsItem, rulebookOverridesItem } from '../../storage/settings';
import { _resetHistoryForTests, mergeOrders } from '../../storage/history';
import {
  MAX_ALARMS,
  MIN_ALARM_DELAY_MS,
  REMINDER_ALARM,
  alarmFor,
  planReminders,
  postingUrl,
  pruneNotified,
  reminderPoints,
  reminderText,
  runReminders,
  notifiedItem,
} from '../../background/reminders';
import { urlOfNotification, notificationId } from '../../background/notifications';
import { shipOrder } from '../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const allOn = defaultSettings.notifications;

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
});

describe('D5 reminder points', () => {
  it('D5: are dueAt − atRiskHours, dueAt − criticalMinutes and dueAt, from the default rulebook', () => {
    const due = T0 + 10 * H;
    const v = evaluateOrder(shipOrder('1-1-1', due), T0);
    expect(reminderPoints(v)).toEqual([
      { point: 'at_risk', at: due - 2 * H },
      { point: 'critical', at: due - 30 * M },
      { point: 'overdue', at: due },
    ]);
  });

  it('D5: follow a non-default rulebook (4 h and 45 min)', () => {
    const rb = withValues(defaultRulebook, { 'deadlines.atRiskHours': 4, 'deadlines.criticalMinutes': 45 });
    const due = T0 + 10 * H;
    const v = evaluateOrder(shipOrder('1-1-1', due), T0, rb);
    expect(reminderPoints(v, rb).map((p) => p.at)).toEqual([due - 4 * H, due - 45 * M, due]);
    const stores = [{ storeId: 's', orders: [shipOrder('1-1-1', due)] }];
    // 3 h before: inside the seller's 4 h line, outside the default 2 h one.
    const plan = planReminders({ stores, now: due - 3 * H, rulebook: rb, notifications: allOn, notified: {} });
    expect(plan.due.map((r) => r.point)).toEqual(['at_risk']);
    expect(plan.next).toBe(due - 45 * M);
    expect(planReminders({ stores, now: due - 3 * H, notifications: allOn, notified: {} }).due).toEqual([]);
  });

  it('D5: only the latest point reached is due (no "2 h left" when 20 min are left)', () => {
    const due = T0 + 20 * M;
    const plan = planReminders({ stores: [{ storeId: 's', orders: [shipOrder('1-1-1', due)] }], now: T0, notifications: allOn, notified: {} });
    expect(plan.due).toHaveLength(1);
    expect(plan.due[0]).toMatchObject({ point: 'critical', kind: 'ship', rule: 'D2', postingNumber: '1-1-1', dueAt: iso(due) });
    expect(plan.next).toBe(due);
  });

  it('D5: an overdue point is news only for atRiskHours after the limit; terminal orders never ring', () => {
    const stale = shipOrder('1-1-1', T0 - 3 * H);
    const fresh = shipOrder('2-1-1', T0 - 10 * M);
    const done = shipOrder('3-1-1', T0 - 10 * M, { status: 'delivered' });
    const plan = planReminders({ stores: [{ storeId: 's', orders: [stale, fresh, done] }], now: T0, notifications: allOn, notified: {} });
    expect(plan.due.map((r) => [r.postingNumber, r.point])).toEqual([['2-1-1', 'overdue']]);
  });

  it('D5: honours the settings: off → nothing; a point switched off is skipped', () => {
    const stores = [{ storeId: 's', orders: [shipOrder('1-1-1', T0 + 20 * M)] }];
    expect(planReminders({ stores, now: T0, notifications: { ...allOn, enabled: false }, notified: {} })).toEqual({ due: [] });
    const noCritical = planReminders({ stores, now: T0, notifications: { ...allOn, critical: false }, notified: {} });
    // The latest enabled point reached is the 2 h one.
    expect(noCritical.due.map((r) => r.point)).toEqual(['at_risk']);
  });

  it('the alarm is never sooner than 30 s, and absent with nothing ahead', () => {
    expect(alarmFor(T0 + 5_000, T0)).toEqual({ name: REMINDER_ALARM, when: T0 + MIN_ALARM_DELAY_MS });
    expect(alarmFor(T0 + 10 * M, T0)).toEqual({ name: REMINDER_ALARM, when: T0 + 10 * M });
    expect(alarmFor(undefined, T0)).toBeUndefined();
  });

  it('keeps the notified set bounded', () => {
    const old = { a: T0 - 15 * 24 * H, b: T0 - H };
    expect(pruneNotified(old, T0)).toEqual({ b: T0 - H });
    const many = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, T0 - i]));
    expect(Object.keys(pruneNotified(many, T0))).toHaveLength(5000);
  });
});

describe('D5 reminders with the browser', () => {
  async function seed(orders: Order[], storeId = '111') {
    await mergeOrders(storeId, orders, 'page', T0 - H, { now: T0 });
  }

  it('D5: notifies once per posting and point, then again at the next point', async () => {
    const due = T0 + 25 * M;
    await seed([shipOrder('16965409-0014-1', due)]);
    const create = vi.spyOn(browser.notifications, 'create');
    const first = await runReminders(T0);
    expect(first.notified.map((r) => r.point)).toEqual(['critical']);
    expect(create).toHaveBeenCalledTimes(1);
    const [id, opts] = create.mock.calls[0] as unknown as [string, { title: string; message: string; contextMessage: string }];
    expect(opts.title).toBe('Deadline very close');
    expect(opts.message).toBe('16965409-0014-1: 25 min left to ship (D2)');
    expect(opts.contextMessage).toBe('Ship by 14 Apr, 13:25 MSK · 14 Apr, 10:25 local time (UTC) · auto-cancel 14 Apr, 14:25 MSK · 14 Apr, 11:25 local time (UTC)');
    expect(urlOfNotification(id)).toBe('https://seller.ozon.ru/app/postings/fbs?postingDetails=16965409-0014-1');

    await runReminders(T0 + M);
    expect(create).toHaveBeenCalledTimes(1);

    const late = await runReminders(due + M);
    expect(late.notified.map((r) => r.point)).toEqual(['overdue']);
    expect(create).toHaveBeenCalledTimes(2);
    expect((create.mock.calls[1]![1] as unknown as { message: string }).message).toBe('16965409-0014-1: the time to ship has run out (D2)');
    await runReminders(due + 2 * M);
    expect(create).toHaveBeenCalledTimes(2);
    expect(Object.keys((await notifiedItem.getValue()) ?? {})).toHaveLength(2);
  });

  it('falls back to a plain notification where contextMessage is refused (Firefox)', async () => {
    await seed([shipOrder('1-1-1', T0 + 25 * M)]);
    const real = browser.notifications.create.bind(browser.notifications);
    const create = vi.spyOn(browser.notifications, 'create').mockImplementation((async (id: string, opts: { contextMessage?: string }) => {
      if (opts.contextMessage) throw new Error('Type error for parameter options (Property "contextMessage" is unsupported)');
      return real(id, opts as never);
    }) as never);
    await runReminders(T0);
    expect(create).toHaveBeenCalledTimes(2);
    expect((create.mock.calls[1]![1] as unknown as { message: string }).message).toBe(
      '1-1-1: 25 min left to ship (D2)\nShip by 14 Apr, 13:25 MSK · 14 Apr, 10:25 local time (UTC) · auto-cancel 14 Apr, 14:25 MSK · 14 Apr, 11:25 local time (UTC)',
    );
    expect(Object.keys(await browser.notifications.getAll())).toHaveLength(1);
  });

  it('arms one alarm at the next point, at least 30 s ahead, far below the 500-alarm cap with 10,000 orders', async () => {
    const orders = Array.from({ length: 10_000 }, (_, i) => shipOrder(`${10_000_000 + i}-0001-1`, T0 + 2 * H + 10_000 + i * M));
    await seed(orders);
    const r = await runReminders(T0);
    expect(r.alarm).toEqual({ name: REMINDER_ALARM, when: T0 + MIN_ALARM_DELAY_MS });
    const alarms = await browser.alarms.getAll();
    expect(alarms.length).toBeLessThanOrEqual(MAX_ALARMS);
    expect(alarms.map((a) => a.name)).toEqual([REMINDER_ALARM]);
    for (const a of alarms) expect(a.scheduledTime).toBeGreaterThanOrEqual(T0 + MIN_ALARM_DELAY_MS);
  });

  it('sums up a burst in one extra notification instead of dozens', async () => {
    await seed(Array.from({ length: 10 }, (_, i) => shipOrder(`${20_000_000 + i}-0001-1`, T0 + 10 * M + i * 1000)));
    const create = vi.spyOn(browser.notifications, 'create');
    const r = await runReminders(T0);
    expect(r.notified).toHaveLength(10);
    expect(create).toHaveBeenCalledTimes(5);
    expect((create.mock.calls[4]![1] as unknown as { message: string }).message).toBe('6 more orders need attention: open the toolbar icon.');
  });

  it('D5: with notifications off nothing is shown and no reminder alarm stays', async () => {
    await seed([shipOrder('1-1-1', T0 + 20 * M), shipOrder('2-1-1', T0 + 5 * H)]);
    await browser.alarms.create(REMINDER_ALARM, { when: T0 + H });
    await settingsItem.setValue({ ...defaultSettings, notifications: { ...allOn, enabled: false } });
    const create = vi.spyOn(browser.notifications, 'create');
    const r = await runReminders(T0);
    expect(r.notified).toEqual([]);
    expect(create).not.toHaveBeenCalled();
    expect(await browser.alarms.getAll()).toEqual([]);
  });

  it('D5: uses the seller\'s rulebook overrides from storage', async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 6 } });
    await seed([shipOrder('1-1-1', T0 + 5 * H)]);
    const r = await runReminders(T0);
    expect(r.notified.map((x) => x.point)).toEqual(['at_risk']);
    expect(r.next).toBe(T0 + 5 * H - 30 * M);
  });
});

describe('posting links', () => {
  it('opens FBS / rFBS in the list drawer, FBO on its page, and cross-border sections', () => {
    expect(postingUrl({ postingNumber: '16965409-0014-1', scheme: 'FBS' })).toBe(
      'https://seller.ozon.ru/app/postings/fbs?postingDetails=16965409-0014-1',
    );
    expect(postingUrl({ postingNumber: '16965409-0014-1', scheme: 'rFBS' })).toBe(
      'https://seller.ozon.ru/app/postings/fbs?postingDetails=16965409-0014-1',
    );
    expect(postingUrl({ postingNumber: '87654321-0001-1', scheme: 'FBO' })).toBe('https://seller.ozon.ru/app/postings/fbo/87654321-0001-1');
    expect(postingUrl({ postingNumber: '1-2-3', scheme: 'FBS' }, { crossborder: true })).toBe(
      'https://seller.ozon.ru/app/postings/crossborder/fbs?tab=all&postingNumber=1-2-3&postingDetails=1-2-3',
    );
    expect(postingUrl({ postingNumber: '1-2-3', scheme: 'FBO' }, { crossborder: true })).toBe(
      'https://seller.ozon.ru/app/postings/crossborder/fbo/1-2-3',
    );
  });

  it('a notification id only ever leads to the Seller Panel', () => {
    const r = planReminders({
      stores: [{ storeId: 's', orders: [shipOrder('1-1-1', T0 + 10 * M)] }],
      now: T0,
      notifications: allOn,
      notified: {},
    }).due[0]!;
    expect(urlOfNotification(notificationId(r))).toBe(r.url);
    expect(urlOfNotification('oog|critical|x|https://evil.example/')).toBeUndefined();
    expect(urlOfNotification('someone-else')).toBeUndefined();
    expect(reminderText(r, T0).message).toBe('1-1-1: 10 min left to ship (D2)');
  });
});
