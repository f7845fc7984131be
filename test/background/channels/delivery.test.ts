// @vitest-environment node
/**
 * Delivery with a fake fetch and a fake clock: one message per order and
 * moment, several orders in one message, retries with backoff on network
 * errors / 429 / 5xx and never on 4xx, a failing channel not holding up the
 * others, no resend across a simulated worker restart, the morning summary at
 * its time, and silence with no channel on.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Order } from '../../../rules/types';
import { _resetHistoryForTests, mergeOrders } from '../../../storage/history';
import { runReminders, type Reminder } from '../../../background/reminders';
import { normalizeChannels, type ChannelId, type ChannelsConfig } from '../../../background/channels/config';
import { channelsItem, outboxItem, sentItem, statusItem, summaryDayItem } from '../../../background/channels/store';
import { backoffMs, drainOutbox, MAX_ATTEMPTS, RETRY_BASE_MS, type Deps } from '../../../background/channels/deliver';
import { handOffReminders, lastDrain, runChannels } from '../../../background/channels/run';
import { composeReminders, composeSummary, translatorFrom } from '../../../background/channels/compose';
import { summaryDue, summaryStores } from '../../../background/channels/summary';
import { loadLocale } from '../../setup';
import { summarizeStore } from '../../../rules/summarize';
import { shipOrder } from '../../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const TG = { enabled: true, token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', chatId: '-1001234567890', summary: true };
const DT = { enabled: true, accessToken: 'abcdef0123456789abcdef', secret: '', summary: true };

function reminder(n: string, due: number, point: Reminder['point'] = 'critical'): Reminder {
  return {
    key: `111|${n}|ship|${point}`,
    storeId: '111',
    postingNumber: n,
    point,
    at: due - 30 * M,
    kind: 'ship',
    rule: 'D2',
    dueAt: iso(due),
    autoCancelAt: iso(due + H),
    url: `https://seller.ozon.ru/app/postings/fbs?postingDetails=${n}`,
  };
}

type Call = { url: string; body: string };
/** A fake fetch answering per host with a scripted status/body list (last one repeats); a function may hang. */
type Answer = { status: number; body: string };
type Script = Partial<Record<string, (c: Call & { n: number }) => Promise<Answer> | Answer>>;
function fakeFetch(script: Script) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: { body: string }) => {
    calls.push({ url, body: init.body });
    const host = new URL(url).host;
    const answer = await script[host]!({ url, body: init.body, n: calls.filter((c) => new URL(c.url).host === host).length });
    return { status: answer.status, text: async () => answer.body, headers: { get: () => null } };
  });
  return { fetch, calls };
}

const OK_TG = () => ({ status: 200, body: '{"ok":true,"result":{"message_id":1}}' });
const OK_DT = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });

function deps(fetch: Deps['fetch'], clock: { now: number }): Deps {
  return { fetch, now: () => clock.now, hasHost: async () => true };
}

async function setChannels(patch: Partial<Record<ChannelId, object>> & Partial<Pick<ChannelsConfig, 'summary' | 'includePrices'>>) {
  await channelsItem.setValue(normalizeChannels(patch));
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
});

describe('the message composer (pure)', () => {
  const en = translatorFrom('en', loadLocale('en'));
  const ru = translatorFrom('ru', loadLocale('ru'));
  const due = T0 + 25 * M;
  it('D5: posting, what is due, time left, limit in Moscow AND the seller zone, auto-cancel, link; several orders in one message', () => {
    const m = composeReminders([reminder('22222222-0002-1', due + 10 * M), reminder('16965409-0014-1', due)], en, { now: T0, zone: 'Asia/Shanghai' });
    expect(m.text).toBe(
      [
        'Ozon Order Guard · Deadline very close',
        '',
        '16965409-0014-1: 25 min left to ship (D2)',
        '  Limit 04-14 13:25 MSK · 04-14 18:25 (Beijing time)',
        '  Auto-cancel 04-14 14:25 MSK · 04-14 19:25 (Beijing time)',
        '  https://seller.ozon.ru/app/postings/fbs?postingDetails=16965409-0014-1',
        '',
        '22222222-0002-1: 35 min left to ship (D2)',
        '  Limit 04-14 13:35 MSK · 04-14 18:35 (Beijing time)',
        '  Auto-cancel 04-14 14:35 MSK · 04-14 19:35 (Beijing time)',
        '  https://seller.ozon.ru/app/postings/fbs?postingDetails=22222222-0002-1',
      ].join('\n'),
    );
    expect(m.markdown).toContain('[Open in the Seller Panel](https://seller.ozon.ru/app/postings/fbs?postingDetails=16965409-0014-1)');
  });
  it('in Russian; overdue wording; no price unless given; the link is the one the order was seen on', () => {
    const r = { ...reminder('16965409-0014-1', T0 - M, 'overdue'), url: 'https://seller.ozon.kz/app/postings/fbs?postingDetails=16965409-0014-1' };
    const m = composeReminders([r], ru, { now: T0, zone: 'Asia/Almaty' });
    expect(m.text).toContain('Срок истёк');
    expect(m.text).toContain('16965409-0014-1');
    expect(m.text).toContain('МСК');
    expect(m.text).toContain('https://seller.ozon.kz/app/postings/fbs?postingDetails=16965409-0014-1');
    expect(m.text).not.toMatch(/₽|RUB|Сумма/);
    const priced = composeReminders([{ ...r, price: { amount: 1290, currency: 'RUB' } }], ru, { now: T0, zone: 'Asia/Almaty' });
    expect(priced.text).toMatch(/Сумма заказа: 1\s290\s₽/);
  });
  it('the morning summary: due today / overdue, the M1 rate and tier, the budget, the top reason', () => {
    const orders: Order[] = Array.from({ length: 40 }, (_, i) => ({
      postingNumber: `3000000${i}-0001-1`,
      scheme: 'FBS',
      status: i < 2 ? 'cancelled' : 'delivered',
      paidAt: iso(T0 - (i + 1) * H * 5),
      ...(i < 2 && { cancellation: { initiator: 'seller', reasonCode: 'C03' } }),
    })) as Order[];
    const risk = summarizeStore(orders, T0, undefined);
    const s = composeSummary([{ storeId: '111', risk, dueToday: 3, overdue: 1 }], en, { now: T0, zone: 'Europe/Moscow', panelUrl: 'https://seller.ozon.ru/app/postings/fbs' });
    expect(s.title).toBe('Morning summary, 04-14');
    expect(s.text).toContain('Store 111');
    expect(s.text).toContain('Due today: 3 · overdue: 1');
    expect(s.text).toMatch(/30-day cancellation rate 5\.00\s%/);
    expect(s.text).toContain('Critical (M1)');
    expect(s.text).toMatch(/Over the 4\.0\s% line/);
    expect(s.text).toMatch(/Top reason: .+ \(2\)/);
    expect(s.text).toContain('https://seller.ozon.ru/app/postings/fbs');
  });
});

describe('delivery queue', () => {
  it('one message per channel for the orders due together; the same moment is never sent twice', async () => {
    await setChannels({ telegram: TG, dingtalk: DT });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': OK_TG, 'oapi.dingtalk.com': OK_DT });
    const clock = { now: T0 };
    const due = [reminder('16965409-0014-1', T0 + 25 * M), reminder('22222222-0002-1', T0 + 28 * M)];
    expect(await handOffReminders(due, T0, deps(fetch, clock))).toBe(2);
    const rep = await lastDrain()!;
    expect(rep.sent.map((s) => s.channel).sort()).toEqual(['dingtalk', 'telegram']);
    expect(calls).toHaveLength(2);
    const tg = calls.find((c) => c.url.includes('telegram'))!;
    expect(tg.url).toBe(`https://api.telegram.org/bot${TG.token}/sendMessage`);
    const body = JSON.parse(tg.body) as { chat_id: string; text: string };
    expect(body.chat_id).toBe(TG.chatId);
    expect(body.text).toContain('16965409-0014-1: 25 min left to ship (D2)');
    expect(body.text).toContain('22222222-0002-1: 28 min left to ship (D2)');
    expect(Object.keys((await sentItem.getValue()) ?? {}).sort()).toEqual(
      [...due.map((r) => `${r.key}|dingtalk`), ...due.map((r) => `${r.key}|telegram`)].sort(),
    );
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await statusItem.getValue())?.telegram?.lastOkAt).toBe(T0);
    // Handed over again (a second run, a racing tick): nothing new goes out.
    expect(await handOffReminders(due, T0 + M, deps(fetch, clock))).toBe(0);
    await drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(2);
  });

  it('retries 5xx and network errors with backoff (30 s, 1 min, …), then succeeds once', async () => {
    await setChannels({ telegram: TG });
    let n = 0;
    const { fetch, calls } = fakeFetch({
      'api.telegram.org': () => {
        n++;
        if (n === 1) return { status: 502, body: 'Bad Gateway' };
        if (n === 2) throw new TypeError('Failed to fetch');
        return OK_TG();
      },
    });
    const clock = { now: T0 };
    const added = await handOffReminders([reminder('16965409-0014-1', T0 + 25 * M)], T0, deps(fetch, clock));
    expect(added).toBe(1);
    let rep = await lastDrain()!;
    expect(rep.failed).toEqual([{ channel: 'telegram', error: 'HTTP 502', retry: true }]);
    let [entry] = (await outboxItem.getValue())!;
    expect(entry).toMatchObject({ attempts: 1, nextAt: T0 + RETRY_BASE_MS });
    expect(entry!.leaseUntil).toBeUndefined();
    expect((await statusItem.getValue())?.telegram?.lastError).toEqual({ at: T0, text: 'HTTP 502', retrying: true });
    // Not before its time.
    clock.now = T0 + 10_000;
    await drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(1);
    clock.now = T0 + RETRY_BASE_MS;
    rep = await drainOutbox(deps(fetch, clock));
    expect(rep.failed[0]).toMatchObject({ retry: true, error: 'network: Failed to fetch' });
    [entry] = (await outboxItem.getValue())!;
    expect(entry).toMatchObject({ attempts: 2, nextAt: clock.now + 2 * RETRY_BASE_MS });
    clock.now += 2 * RETRY_BASE_MS;
    rep = await drainOutbox(deps(fetch, clock));
    expect(rep.sent).toHaveLength(1);
    expect(calls).toHaveLength(3);
    expect(await outboxItem.getValue()).toEqual([]);
    clock.now += H;
    await drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(3);
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(3)).toBe(120_000);
    expect(backoffMs(20)).toBe(30 * M);
    expect(backoffMs(1, 90_000)).toBe(90_000);
  });

  it('never retries a 4xx: the service\'s own error text is kept as the last error', async () => {
    await setChannels({ telegram: TG });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': () => ({ status: 400, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' }) });
    const clock = { now: T0 };
    await handOffReminders([reminder('16965409-0014-1', T0 + 25 * M)], T0, deps(fetch, clock));
    const rep = await lastDrain()!;
    expect(rep.failed).toEqual([{ channel: 'telegram', error: 'Bad Request: chat not found', retry: false }]);
    expect(await outboxItem.getValue()).toEqual([]);
    clock.now += H;
    await drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(1);
    expect((await statusItem.getValue())?.telegram?.lastError).toEqual({ at: T0, text: 'Bad Request: chat not found', retrying: false });
  });

  it('gives up after MAX_ATTEMPTS and never grows', async () => {
    await setChannels({ telegram: TG });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': () => ({ status: 500, body: '' }) });
    const clock = { now: T0 };
    await handOffReminders([reminder('16965409-0014-1', T0 + 25 * M)], T0, deps(fetch, clock));
    await lastDrain();
    for (let i = 0; i < 20; i++) {
      clock.now += 31 * M;
      await drainOutbox(deps(fetch, clock));
    }
    expect(calls).toHaveLength(MAX_ATTEMPTS);
    expect(await outboxItem.getValue()).toEqual([]);
  });

  it('a hanging channel does not hold up another one', async () => {
    await setChannels({ telegram: TG, dingtalk: DT });
    let release!: () => void;
    const hang = new Promise<{ status: number; body: string }>((r) => (release = () => r({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' })));
    const { fetch } = fakeFetch({ 'api.telegram.org': OK_TG, 'oapi.dingtalk.com': () => hang });
    const clock = { now: T0 };
    const r = reminder('16965409-0014-1', T0 + 25 * M);
    await handOffReminders([r], T0, deps(fetch, clock));
    await vi.waitFor(async () => expect((await sentItem.getValue())?.[`${r.key}|telegram`]).toBe(T0));
    expect((await sentItem.getValue())?.[`${r.key}|dingtalk`]).toBeUndefined();
    release();
    await lastDrain();
    expect((await sentItem.getValue())?.[`${r.key}|dingtalk`]).toBe(T0);
  });

  it('a channel whose host permission is not granted sends nothing and says why', async () => {
    await setChannels({ telegram: TG });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': OK_TG });
    await handOffReminders([reminder('16965409-0014-1', T0 + 25 * M)], T0, { ...deps(fetch, { now: T0 }), hasHost: async () => false });
    await lastDrain();
    expect(calls).toHaveLength(0);
    expect((await statusItem.getValue())?.telegram?.lastError?.text).toBe('host permission not granted');
  });

  it('from the real reminder run (background/reminders.ts hook): sent once, and not again after a simulated worker restart', async () => {
    await setChannels({ telegram: TG });
    const due = T0 + 25 * M;
    await mergeOrders('111', [shipOrder('16965409-0014-1', due), shipOrder('22222222-0002-1', due + 2 * M)], 'page', T0 - H, { now: T0 });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': OK_TG });
    vi.stubGlobal('fetch', fetch);
    vi.spyOn(browser.permissions, 'contains').mockImplementation((async () => true) as never);
    const create = vi.spyOn(browser.notifications, 'create');
    await runReminders(T0);
    await lastDrain();
    expect(create).toHaveBeenCalled(); // the desktop notification is not replaced
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.body).text).toContain('22222222-0002-1: 27 min left to ship (D2)');

    // The worker is stopped and a fresh one starts: modules (and their memory) anew, storage kept.
    vi.resetModules();
    const fresh = await import('../../../background/reminders');
    const freshRun = await import('../../../background/channels/run');
    await fresh.runReminders(T0 + M);
    await freshRun.runChannels(T0 + M);
    await freshRun.lastDrain();
    // The same orders handed over again directly (the notified set lost): the sent-log still holds them.
    const again = await freshRun.handOffReminders(
      [{ ...reminder('16965409-0014-1', due), key: `111|16965409-0014-1|ship|critical` }],
      T0 + 2 * M,
    );
    expect(again).toBe(0);
    expect(calls).toHaveLength(1);
    vi.unstubAllGlobals();
  });

  it('a send cut off by a stopped worker (lease held) is not doubled by the next run, and is retried after the lease', async () => {
    await setChannels({ telegram: TG });
    const clock = { now: T0 };
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': OK_TG });
    let unstick!: (v: boolean) => void;
    const stuck = new Promise<boolean>((r) => (unstick = r));
    await handOffReminders([reminder('16965409-0014-1', T0 + 25 * M)], T0, { ...deps(fetch, clock), hasHost: () => stuck });
    // The first worker is now "stuck" before its request; the entry is leased in storage.
    await vi.waitFor(async () => expect((await outboxItem.getValue())?.[0]?.leaseUntil).toBeGreaterThan(T0));
    vi.resetModules();
    const fresh = await import('../../../background/channels/deliver');
    clock.now = T0 + 5_000;
    await fresh.drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(0);
    clock.now = T0 + fresh.LEASE_MS + 1;
    await fresh.drainOutbox(deps(fetch, clock));
    expect(calls).toHaveLength(1);
    // (Test hygiene: let the old module's drain finish, without a request.)
    unstick(false);
    await lastDrain();
    expect(calls).toHaveLength(1);
  });
});

describe('morning summary', () => {
  it('S1: due at 10:00 Moscow by default, once a day, not when more than 6 h late; the zone is choosable', () => {
    const day = '2026-04-14';
    expect(summaryDue(Date.parse('2026-04-14T06:59:00Z'), '10:00', 'Europe/Moscow', '')).toBeUndefined();
    expect(summaryDue(Date.parse('2026-04-14T07:00:00Z'), '10:00', 'Europe/Moscow', '')).toBe(day);
    expect(summaryDue(Date.parse('2026-04-14T09:00:00Z'), '10:00', 'Europe/Moscow', day)).toBeUndefined();
    expect(summaryDue(Date.parse('2026-04-14T13:01:00Z'), '10:00', 'Europe/Moscow', '')).toBeUndefined();
    expect(summaryDue(Date.parse('2026-04-15T07:00:00Z'), '10:00', 'Europe/Moscow', day)).toBe('2026-04-15');
    // 09:30 Beijing = 01:30Z.
    expect(summaryDue(Date.parse('2026-04-14T01:29:00Z'), '09:30', 'Asia/Shanghai', '')).toBeUndefined();
    expect(summaryDue(Date.parse('2026-04-14T01:30:00Z'), '09:30', 'Asia/Shanghai', '')).toBe(day);
  });

  it('counts orders due today and overdue (the last day) in the summary zone', () => {
    const now = Date.parse('2026-04-14T07:00:00Z'); // 10:00 MSK
    const orders = [
      shipOrder('1-1-1', now + 5 * H), // today
      shipOrder('2-2-2', now + 20 * H), // tomorrow MSK
      shipOrder('3-3-3', now - 2 * H), // overdue
      shipOrder('4-4-4', now - 3 * 24 * H), // stale
      shipOrder('5-5-5', now + H, { status: 'delivered' }),
    ];
    const [s] = summaryStores([{ storeId: '111', orders }], now, 'Europe/Moscow');
    expect(s).toMatchObject({ storeId: '111', dueToday: 1, overdue: 1 });
  });

  it('at its time (fake clock): a desktop notification and one message to the ticked channels, once a day', async () => {
    await setChannels({ telegram: TG, dingtalk: { ...DT, summary: false }, summary: { enabled: true, time: '10:00', zone: 'Europe/Moscow' } });
    await mergeOrders('111', [shipOrder('16965409-0014-1', Date.parse('2026-04-14T12:00:00Z'))], 'page', T0 - 5 * H, { now: T0 - 5 * H });
    const { fetch, calls } = fakeFetch({ 'api.telegram.org': OK_TG, 'oapi.dingtalk.com': OK_DT });
    const create = vi.spyOn(browser.notifications, 'create');
    const before = Date.parse('2026-04-14T06:59:00Z');
    expect((await runChannels(before, deps(fetch, { now: before }))).summary).toBeUndefined();
    const at = Date.parse('2026-04-14T07:00:30Z');
    const r = await runChannels(at, deps(fetch, { now: at }));
    expect(r.summary).toBe('2026-04-14');
    await r.drain;
    expect(create).toHaveBeenCalledTimes(1);
    const [id, opts] = create.mock.calls[0] as unknown as [string, { title: string; message: string }];
    expect(id).toBe('oog|summary|-|https://seller.ozon.ru/app/postings/fbs');
    expect(opts.title).toBe('Morning summary, 04-14');
    expect(opts.message).toContain('Due today: 1 · overdue: 0');
    expect(calls.map((c) => new URL(c.url).host)).toEqual(['api.telegram.org']);
    expect(JSON.parse(calls[0]!.body).text).toContain('Morning summary, 04-14');
    const later = at + 30 * M;
    await (await runChannels(later, deps(fetch, { now: later }))).drain;
    expect(create).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
    expect(await summaryDayItem.getValue()).toBe('2026-04-14');
  });
});

describe('silence with no channel on', () => {
  it('reminders and the tick: no request, nothing queued, no summary', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const due = T0 + 25 * M;
    await mergeOrders('111', [shipOrder('16965409-0014-1', due)], 'page', T0 - H, { now: T0 });
    await runReminders(T0);
    const r = await runChannels(Date.parse('2026-04-14T07:00:00Z'));
    expect(r).toEqual({});
    expect(await handOffReminders([reminder('16965409-0014-1', due)], T0)).toBe(0);
    expect(await outboxItem.getValue()).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
    // A channel with its key but switched off is silent too.
    await setChannels({ telegram: { ...TG, enabled: false } });
    expect(await handOffReminders([reminder('16965409-0014-1', due)], T0)).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
