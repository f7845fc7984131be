/**
 * Reminders that can't be missed, in the real browser (production build):
 * the background creates the reminder notification with requireInteraction,
 * the sound on (silent: false) and the Snooze / Open buttons, Chrome accepts
 * that form (no fallback to the plain one), its text carries Moscow time and
 * the seller's own (Beijing time here), and the Snooze button has its listener.
 * What the background created is read by wrapping chrome.notifications.create
 * inside the service worker (as channels.e2e.ts / lifecycle.e2e.ts inspect it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { launch, type Harness } from './harness';

type Created = { id: string; opts: Record<string, unknown>; ok: boolean; error?: string };
type Chrome = {
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  notifications: {
    create(id: string, o: unknown): Promise<string>;
    onButtonClicked: { hasListeners(): boolean };
  };
};

function worker(h: Harness): Worker {
  const ws = h.ctx.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${h.extId}/`));
  return ws[ws.length - 1]!;
}

async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('reminders that cannot be missed, in the real browser', () => {
  let h: Harness;
  let options: Page;

  beforeAll(async () => {
    h = await launch({ locale: 'en-US', timezoneId: 'Asia/Shanghai' });
    options = await h.openExtensionPage('options.html');
    await options.waitForSelector('[data-setting="notif-stay"] input', { timeout: 15_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the options show the two switches, on by default', async () => {
    expect(await options.locator('[data-setting="notif-stay"] input').isChecked()).toBe(true);
    expect(await options.locator('[data-setting="notif-sound"] input').isChecked()).toBe(true);
  });

  it('a due reminder is created with requireInteraction, sound, Snooze / Open buttons and both times; Chrome takes that form', async () => {
    await worker(h).evaluate(() => {
      const g = globalThis as unknown as { chrome: Chrome; __oogCreated: Created[] };
      g.__oogCreated = [];
      const n = g.chrome.notifications;
      const orig = n.create.bind(n);
      n.create = async (id: string, o: unknown) => {
        const rec: Created = { id, opts: o as Record<string, unknown>, ok: true };
        g.__oogCreated.push(rec);
        try {
          return await orig(id, o);
        } catch (e) {
          rec.ok = false;
          rec.error = String((e as Error).message);
          throw e;
        }
      };
    });
    const now = Date.now();
    const pn = '27000021-0014-1';
    const orders = [
      { postingNumber: pn, scheme: 'FBS', status: 'awaiting_packaging', paidAt: new Date(now - 40 * 3600_000).toISOString(), shipBy: new Date(now + 20 * 60_000).toISOString() },
    ];
    await options.evaluate((o) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'orders:import', storeId: '4343', orders: o }), orders);
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }));
    const created = await until(
      () => worker(h).evaluate(() => (globalThis as unknown as { __oogCreated: Created[] }).__oogCreated),
      (c) => c.some((x) => x.id.includes(pn)),
    );
    const mine = created.filter((x) => x.id.includes(pn));
    expect(mine).toHaveLength(1); // accepted at once: no plain fallback
    const n = mine[0]!;
    expect(n.ok).toBe(true);
    expect(n.opts.requireInteraction).toBe(true);
    expect(n.opts.silent).toBe(false);
    expect(n.opts.buttons).toEqual([{ title: 'Snooze 15 min' }, { title: 'Open' }]);
    expect(String(n.opts.message)).toMatch(new RegExp(`^${pn}: (19|20) min left to pack and ship \\(D\\d\\)$`));
    expect(String(n.opts.contextMessage)).toMatch(/^Ship by .+ MSK · .+ Beijing time/);
    expect(await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.notifications.onButtonClicked.hasListeners())).toBe(true);
    expect(h.errors).toEqual([]);
  });
});
