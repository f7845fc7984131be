/**
 * Reminder channels in the real browser (production build, Debian Chromium).
 *
 * The four channel hosts are routed with context.route to local handlers
 * (nothing leaves the machine); the service worker's own fetches go through
 * the same routes. Granting a channel's host: Chromium's permission prompt is
 * a native dialog a headless test cannot click, so the test grants the host
 * the way a seller can in chrome://extensions ("Site access → Add a site":
 * developerPrivate.addHostPermission), then clicks the channel's switch in
 * the options page — the shipped code's permissions.request then answers
 * from that grant, and the shipped code saves and sends.
 *
 * Checked: each service's exact request (DingTalk and Feishu signatures
 * recomputed here with node:crypto), the test button's answer (sent / the
 * service's own error), reminders from the background, a retry after a 5xx,
 * no second send across a service-worker restart, the morning summary at its
 * time, and zero requests with no channel on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, Route, Worker } from 'playwright-core';
import { launch, ROOT, type Harness } from './harness';
import { PANEL_MATCHES } from '../../panel/origins';

const STORE = '4242';
const TG_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const DT_TOKEN = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2';
const DT_SECRET = 'SEC1d2b0d9f55b3bb6f8e2f2b1f4a0a0c3e8e2a7d5b9c1f0e4d3a2b1c0d9e8f7a6b';
const FS_HOOK = '3f2d7c1e-0b8a-4c5d-9e6f-112233445566';
const FS_SECRET = 'qxTAVnzHlnDzYqBCRGaqwc';
const WC_KEY = '693a91f6-7aaa-4bc4-97a0-0ec2af5a5aaa';

type Chrome = {
  storage: { local: { get(k: null | string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> } };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  permissions: { getAll(): Promise<{ origins?: string[] }> };
};

interface Seen {
  host: string;
  url: string;
  method: string;
  contentType: string | undefined;
  body: string;
}

async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function worker(h: Harness): Worker {
  const ws = h.ctx.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${h.extId}/`));
  return ws[ws.length - 1]!;
}

describe('reminder channels in the real browser', () => {
  let h: Harness;
  let options: Page;
  const seen: Seen[] = [];
  /** What each host answers next (a queue; the last answer repeats). */
  const answers: Record<string, { status: number; body: string }[]> = {};
  const answer = (host: string, a: { status: number; body: string }[]) => (answers[host] = a);

  beforeAll(async () => {
    h = await launch({ locale: 'en-US', timezoneId: 'Asia/Shanghai' });
    const handler = async (route: Route) => {
      const req = route.request();
      const u = new URL(req.url());
      seen.push({ host: u.host, url: req.url(), method: req.method(), contentType: (await req.allHeaders())['content-type'], body: req.postData() ?? '' });
      const q = answers[u.host] ?? [];
      const a = q.length > 1 ? q.shift()! : (q[0] ?? { status: 200, body: '{}' });
      return route.fulfill({ status: a.status, contentType: 'application/json', body: a.body });
    };
    // Registered after the harness's catch-all, so these win for the channel hosts.
    for (const host of ['qyapi.weixin.qq.com', 'oapi.dingtalk.com', 'open.feishu.cn', 'open.larksuite.com', 'api.telegram.org']) {
      await h.ctx.route(`https://${host}/**`, handler);
    }
    options = await h.openExtensionPage('options.html');
    await options.waitForSelector('[data-channels] [data-channel="telegram"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The seller's "Site access → Add a site" in chrome://extensions. */
  async function grant(pattern: string): Promise<void> {
    const page = await h.ctx.newPage();
    await page.goto('chrome://extensions');
    const r = await page.evaluate(
      async ([id, p]) => {
        try {
          await (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id!, p!);
          return 'ok';
        } catch (e) {
          return String((e as Error).message);
        }
      },
      [h.extId, pattern],
    );
    await page.close();
    expect(r).toBe('ok');
  }

  async function fill(field: string, value: string) {
    const input = options.locator(`[data-channel-field="${field}"]`);
    await input.fill(value);
    await input.blur();
  }

  async function turnOn(id: string) {
    await options.locator(`[data-channel-toggle="${id}"]`).click();
    await options.waitForSelector(`[data-channel="${id}"][data-enabled="true"]`, { timeout: 10_000 });
  }

  async function turnOff(id: string) {
    await options.locator(`[data-channel-toggle="${id}"]`).click();
    await options.waitForSelector(`[data-channel="${id}"][data-enabled="false"]`, { timeout: 10_000 });
  }

  async function testButton(id: string): Promise<{ state: string | null; text: string }> {
    await options.locator(`[data-channel-test="${id}"]`).click();
    const el = options.locator(`[data-channel="${id}"] [data-channel-test-result]`);
    await el.waitFor({ timeout: 10_000 });
    return { state: await el.getAttribute('data-channel-test-result'), text: (await el.textContent()) ?? '' };
  }

  const hostCalls = (host: string) => seen.filter((s) => s.host === host);

  it('with no channel on, nothing leaves: reminders due, a refresh, the options page open — zero requests', async () => {
    h.strayRequests.length = 0;
    const now = Date.now();
    const orders = [{ postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: new Date(now - 40 * 3600_000).toISOString(), shipBy: new Date(now + 25 * 60_000).toISOString() }];
    const r = (await options.evaluate(
      (o) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'orders:import', storeId: '4242', orders: o }),
      orders,
    )) as { error?: string };
    expect(r?.error).toBeUndefined();
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await options.waitForTimeout(1500);
    expect(seen).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    const perms = await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.permissions.getAll());
    // Only the panel's own origins (panel/origins.ts): every channel host given back.
    expect([...(perms.origins ?? [])].sort()).toEqual([...PANEL_MATCHES].sort());
  });

  it('Telegram: switched on (its one host asked for), test button shows "Sent." and the exact request; a 400 shows the service\'s own text', async () => {
    await fill('telegram.token', TG_TOKEN);
    await fill('telegram.chatId', '-1001234567890');
    await grant('https://api.telegram.org/*');
    await turnOn('telegram');
    answer('api.telegram.org', [{ status: 200, body: '{"ok":true,"result":{"message_id":1}}' }]);
    const before = seen.length;
    expect(await testButton('telegram')).toEqual({ state: 'ok', text: 'Sent.' });
    const [req] = seen.slice(before);
    expect(req).toMatchObject({ host: 'api.telegram.org', method: 'POST', contentType: 'application/json', url: `https://api.telegram.org/bot${TG_TOKEN}/sendMessage` });
    expect(JSON.parse(req!.body)).toEqual({
      chat_id: '-1001234567890',
      text: 'Ozon Order Guard: test message. This channel works; deadline reminders will arrive here.',
      link_preview_options: { is_disabled: true },
    });
    answer('api.telegram.org', [{ status: 400, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' }]);
    expect(await testButton('telegram')).toEqual({ state: 'error', text: 'Not sent: Bad Request: chat not found' });
    await options.waitForSelector('[data-channel-last-error="telegram"]');
    expect(await options.textContent('[data-channel-last-error="telegram"]')).toContain('Bad Request: chat not found');
    // Chromium itself logs a 4xx answer to a page's fetch; that line is the browser's, not ours.
    expect(h.errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([]);
    h.errors.length = 0;
    answer('api.telegram.org', [{ status: 200, body: '{"ok":true,"result":{"message_id":2}}' }]);
  });

  it('DingTalk with signing: timestamp + sign (HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret) in the query', async () => {
    await fill('dingtalk.accessToken', `https://oapi.dingtalk.com/robot/send?access_token=${DT_TOKEN}`);
    await fill('dingtalk.secret', DT_SECRET);
    await grant('https://oapi.dingtalk.com/*');
    await turnOn('dingtalk');
    answer('oapi.dingtalk.com', [{ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }]);
    const before = seen.length;
    const t0 = Date.now();
    expect(await testButton('dingtalk')).toEqual({ state: 'ok', text: 'Sent.' });
    const [req] = seen.slice(before);
    const u = new URL(req!.url);
    expect(`${u.origin}${u.pathname}`).toBe('https://oapi.dingtalk.com/robot/send');
    expect(u.searchParams.get('access_token')).toBe(DT_TOKEN);
    const ts = u.searchParams.get('timestamp')!;
    expect(Number(ts)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Number(ts)).toBeLessThanOrEqual(Date.now() + 1000);
    const sign = createHmac('sha256', DT_SECRET).update(`${ts}\n${DT_SECRET}`).digest('base64');
    expect(u.searchParams.get('sign')).toBe(sign);
    expect(req!.url).toContain(`&sign=${encodeURIComponent(sign)}`);
    expect(JSON.parse(req!.body)).toEqual({ msgtype: 'text', text: { content: 'Ozon Order Guard: test message. This channel works; deadline reminders will arrive here.' } });
    // The service's own refusal is what the seller reads.
    answer('oapi.dingtalk.com', [{ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }]);
    expect(await testButton('dingtalk')).toEqual({ state: 'error', text: 'Not sent: 310000 sign not match' });
    answer('oapi.dingtalk.com', [{ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }]);
  });

  it('Feishu with signing: timestamp (s) and sign (HMAC-SHA256 keyed by "timestamp\\nsecret", empty message) in the body', async () => {
    await fill('feishu.hookId', `https://open.feishu.cn/open-apis/bot/v2/hook/${FS_HOOK}`);
    await fill('feishu.secret', FS_SECRET);
    await grant('https://open.feishu.cn/*');
    await turnOn('feishu');
    answer('open.feishu.cn', [{ status: 200, body: '{"code":0,"data":{},"msg":"success"}' }]);
    const before = seen.length;
    expect(await testButton('feishu')).toEqual({ state: 'ok', text: 'Sent.' });
    const [req] = seen.slice(before);
    expect(req!.url).toBe(`https://open.feishu.cn/open-apis/bot/v2/hook/${FS_HOOK}`);
    const body = JSON.parse(req!.body) as { timestamp: string; sign: string; msg_type: string; content: { text: string } };
    expect(Math.abs(Number(body.timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect(body.sign).toBe(createHmac('sha256', `${body.timestamp}\n${FS_SECRET}`).update('').digest('base64'));
    expect(body).toEqual({ timestamp: body.timestamp, sign: body.sign, msg_type: 'text', content: { text: 'Ozon Order Guard: test message. This channel works; deadline reminders will arrive here.' } });
  });

  it('WeCom: {msgtype:"text",text:{content}} to qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', async () => {
    await fill('wecom.key', WC_KEY);
    await grant('https://qyapi.weixin.qq.com/*');
    await turnOn('wecom');
    answer('qyapi.weixin.qq.com', [{ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }]);
    const before = seen.length;
    expect(await testButton('wecom')).toEqual({ state: 'ok', text: 'Sent.' });
    const [req] = seen.slice(before);
    expect(req!.url).toBe(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WC_KEY}`);
    expect(JSON.parse(req!.body)).toEqual({ msgtype: 'text', text: { content: 'Ozon Order Guard: test message. This channel works; deadline reminders will arrive here.' } });
    await options.locator('#channels').scrollIntoViewIfNeeded();
    await options.setViewportSize({ width: 1400, height: 1500 });
    const file = path.join(ROOT, 'test/e2e/out/channels-options.png');
    mkdirSync(path.dirname(file), { recursive: true });
    await options.locator('#channels').screenshot({ path: file });
    if (process.env.OOG_UPDATE_DOCS === '1') copyFileSync(file, path.join(ROOT, 'docs/screenshot-channels.png'));
    await turnOff('wecom');
    await turnOff('feishu');
  });

  it('reminders from the background: one message per channel with the due order; a 5xx is retried; nothing twice after a worker restart', async () => {
    // Telegram answers 502 first (retried), DingTalk at once.
    answer('api.telegram.org', [{ status: 502, body: 'Bad Gateway' }, { status: 200, body: '{"ok":true,"result":{"message_id":3}}' }]);
    const before = seen.length;
    const now = Date.now();
    const pn = '27000011-0014-1';
    const pn2 = '27000012-0014-1';
    const orders = [pn, pn2].map((n, i) => ({
      postingNumber: n,
      scheme: 'FBS',
      status: 'awaiting_packaging',
      paidAt: new Date(now - 40 * 3600_000).toISOString(),
      shipBy: new Date(now + (20 + i) * 60_000).toISOString(),
    }));
    await options.evaluate((o) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'orders:import', storeId: '4242', orders: o }), orders);
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await until(() => seen.slice(before), (s) => s.filter((x) => x.body.includes(pn)).length >= 2);
    const mine = seen.slice(before).filter((x) => x.body.includes(pn));
    expect(mine.map((m) => m.host).sort()).toEqual(['api.telegram.org', 'oapi.dingtalk.com']);
    const text = (JSON.parse(mine.find((m) => m.host === 'api.telegram.org')!.body) as { text: string }).text;
    expect(text).toMatch(new RegExp(`${pn}: (19|20) min left to get packed|${pn}: (19|20) min left to`));
    expect(text).toContain('MSK');
    expect(text).toContain('(Beijing time)');
    expect(text).toContain(`https://seller.ozon.ru/app/postings/fbs?postingDetails=${pn}`);
    expect(text).toContain(`${pn2}: `); // due together: one message for both
    // The Telegram one failed (502) and waits in the outbox for its backoff; bring its time forward and tick.
    const outbox = await until(
      async () => ((await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('channels:outbox'))) as Record<string, { channel: string; attempts: number }[]>)['channels:outbox'] ?? [],
      (o) => o.some((e) => e.channel === 'telegram' && e.attempts === 1),
    );
    expect(outbox.map((e) => [e.channel, e.attempts])).toEqual([['telegram', 1]]);
    await worker(h).evaluate(async () => {
      const c = (globalThis as unknown as { chrome: Chrome }).chrome;
      const o = (await c.storage.local.get('channels:outbox'))['channels:outbox'] as { nextAt: number }[];
      await c.storage.local.set({ 'channels:outbox': o.map((e) => ({ ...e, nextAt: 0 })) });
    });
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await until(() => hostCalls('api.telegram.org').filter((x) => x.body.includes(pn)).length, (n) => n >= 2);
    await until(
      async () => ((await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('channels:outbox'))) as Record<string, unknown[]>)['channels:outbox'] ?? [],
      (o) => o.length === 0,
    );
    const sentBefore = seen.filter((x) => x.body.includes(pn)).length;
    expect(sentBefore).toBe(3); // DingTalk once, Telegram twice (502, then 200)

    // Stop the service worker (what Chrome does to an idle one) and wake it: the new one must not send again.
    const blank = await h.ctx.newPage();
    const cdp = await h.ctx.newCDPSession(blank);
    const targets = async () =>
      ((await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] }).targetInfos.filter(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${h.extId}/`),
      );
    const [target] = await targets();
    await cdp.send('Target.closeTarget', { targetId: target!.targetId });
    expect(await until(targets, (t) => t.length === 0, 10_000)).toEqual([]);
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    expect((await targets()).length).toBe(1);
    await options.waitForTimeout(2500);
    expect(seen.filter((x) => x.body.includes(pn)).length).toBe(sentBefore);
    await cdp.detach();
    await blank.close();
    expect(h.strayRequests).toEqual([]);
  });

  it('the morning summary at its time: the current Moscow minute set as the time, one message to each ticked channel, once', async () => {
    const moscow = new Date(Date.now() + 3 * 3600_000);
    const hhmm = `${String(moscow.getUTCHours()).padStart(2, '0')}:${String(moscow.getUTCMinutes()).padStart(2, '0')}`;
    // DingTalk is not ticked for the summary.
    await options.locator('[data-channel-summary="dingtalk"]').uncheck();
    const time = options.locator('[data-summary-time]');
    await time.fill('25:99');
    await time.blur();
    await options.waitForSelector('[data-error-for="summary.time"]');
    await time.fill(hhmm);
    await time.blur();
    await options.locator('[data-summary-enabled]').check();
    const before = seen.length;
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await until(() => seen.slice(before).filter((s) => s.body.includes('Morning summary')), (s) => s.length >= 1);
    await options.waitForTimeout(1500);
    const sums = seen.slice(before).filter((s) => s.body.includes('Morning summary'));
    expect(sums.map((s) => s.host)).toEqual(['api.telegram.org']);
    const text = (JSON.parse(sums[0]!.body) as { text: string }).text;
    expect(text).toContain(`Store ${STORE}`);
    expect(text).toMatch(/Due today: \d+ · overdue: \d+/);
    expect(text).toMatch(/30-day cancellation rate .+ \(M1\)/);
    // Another tick the same day: no second summary.
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await options.waitForTimeout(1500);
    expect(seen.slice(before).filter((s) => s.body.includes('Morning summary'))).toHaveLength(1);
  });

  it('forget all keys: secrets gone from storage, channels off, hosts given back, and silence again', async () => {
    await options.locator('[data-channel-forget]').click();
    await options.waitForSelector('[data-channel="telegram"][data-enabled="false"]');
    const stored = await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('channels'));
    const json = JSON.stringify(stored);
    for (const s of [TG_TOKEN, DT_TOKEN, DT_SECRET, FS_HOOK, FS_SECRET, WC_KEY]) expect(json).not.toContain(s);
    const perms = await until(
      () => worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.permissions.getAll()),
      (p) => (p.origins ?? []).length === 1,
    );
    // Only the panel's own origins (panel/origins.ts): every channel host given back.
    expect([...(perms.origins ?? [])].sort()).toEqual([...PANEL_MATCHES].sort());
    const before = seen.length;
    const now = Date.now();
    await options.evaluate(
      (o) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'orders:import', storeId: '4242', orders: o }),
      [{ postingNumber: '27000099-0014-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: new Date(now - 40 * 3600_000).toISOString(), shipBy: new Date(now + 10 * 60_000).toISOString() }],
    );
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    await options.waitForTimeout(2000);
    expect(seen.slice(before).map((x) => `${x.url} ${x.body.slice(0, 200)}`)).toEqual([]);
    expect(h.errors).toEqual([]);
  });
});
