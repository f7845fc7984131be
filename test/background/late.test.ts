// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../rules/types';
import { _resetHistoryForTests, mergeOrders } from '../../storage/history';
import { notifiedItem, runReminders } from '../../background/reminders';
import { LATE_AFTER_MS, lastRunItem, splitLate } from '../../background/late';
import { shipOrder } from '../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-04-14T10:00:00Z'); // 13:00 MSK

type Opts = { title: string; message: string; contextMessage?: string };
const calls = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => ({ id: c[0] as string, ...(c[1] as Opts) }));

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
});

describe('splitLate', () => {
  const r = (at: number) => ({ key: `k${at}`, postingNumber: `p${at}`, at, url: 'u' });
  it('late = its point after the previous run and more than LATE_AFTER_MS ago', () => {
    const now = T0 + H;
    const { onTime, late } = splitLate([r(T0 - M), r(T0 + 10 * M), r(now - LATE_AFTER_MS + 1000)], now, T0);
    expect(late.map((x) => x.at)).toEqual([T0 + 10 * M]);
    expect(onTime.map((x) => x.at)).toEqual([T0 - M, now - LATE_AFTER_MS + 1000]);
  });
  it('never late on the first run, or with a previous run from the future (clock set back)', () => {
    expect(splitLate([r(T0)], T0 + H, 0).late).toEqual([]);
    expect(splitLate([r(T0)], T0 + H, null).late).toEqual([]);
    expect(splitLate([r(T0)], T0 + H, T0 + 5 * H).late).toEqual([]);
  });
});

describe('reminders after the computer slept for an hour', () => {
  async function seed(orders: Order[]) {
    await mergeOrders('111', orders, 'page', T0 - H, { now: T0 - H });
  }

  it('several came due meanwhile: ONE notification, marked late, every one recorded, none rung again', async () => {
    // Critical points (due − 30 min) at 13:35 … 13:55 MSK, all during the sleep.
    const orders = [1, 2, 3, 4, 5].map((i) => shipOrder(`1696540${i}-0014-1`, T0 + 60 * M + i * 5 * M));
    await seed(orders);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0); // awake: their 2 h reminders ring, on time
    expect(calls(create).every((c) => !c.contextMessage?.includes('late'))).toBe(true);
    expect(await lastRunItem.getValue()).toBe(T0);
    create.mockClear();

    // Lid closed at T0, opened at T0 + 1 h: the tick runs once.
    const wake = T0 + H;
    const r = await runReminders(wake);
    expect(r.notified).toHaveLength(5);
    const shown = calls(create);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('5 reminders came due while the computer slept');
    expect(shown[0]!.contextMessage).toBe('late: was due 14 Apr, 13:35 MSK · 14 Apr, 10:35 local time (UTC) – 14 Apr, 13:55 MSK · 14 Apr, 10:55 local time (UTC)');
    const lines = shown[0]!.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('16965401-0014-1');
    expect(lines[3]).toBe('… and 2 more orders');
    expect(shown[0]!.id.startsWith('oog|late|')).toBe(true);
    // Recorded: the next runs ring none of them again.
    const notified = (await notifiedItem.getValue()) ?? {};
    for (const o of orders) expect(Object.keys(notified).some((k) => k.includes(o.postingNumber))).toBe(true);
    await runReminders(wake + M);
    await runReminders(wake + 2 * M);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('one came due meanwhile: its own notification, marked late', async () => {
    await seed([shipOrder('16965409-0014-1', T0 + 80 * M)]); // critical at 13:50 MSK
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    create.mockClear();
    await runReminders(T0 + H);
    const shown = calls(create);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Deadline very close');
    expect(shown[0]!.contextMessage!.startsWith('late: was due 14 Apr, 13:50 MSK · 14 Apr, 10:50 local time (UTC) · Ship by')).toBe(true);
    expect(shown[0]!.message).toContain('16965409-0014-1');
  });

  it('awake, reminders ring on time and are not marked late', async () => {
    await seed([shipOrder('16965409-0014-1', T0 + 31 * M)]);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    create.mockClear();
    await runReminders(T0 + M); // the critical point (T0 + 1 min) is reached on the next tick
    const shown = calls(create);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.contextMessage).not.toContain('late');
  });
});
