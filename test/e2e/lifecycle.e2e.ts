/**
 * Lifecycle faults in the real browser (production build, Debian Chromium):
 * two panel tabs writing at once, every stored key overwritten with garbage,
 * an extension reload under an open panel tab, the MV3 service worker stopped
 * and restarted, and browser zones with daylight saving / a machine clock far
 * from the page's times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { launch, PANEL, type Harness, type Routes } from './harness';
import { fixtureByName, type PanelFixture } from '../fixtures/panel/index';
import { evaluateOrder, formatMoscow, formatInZone } from '../../rules/index';
import type { Order } from '../../rules/types';

const STORE = '4242';
type Chrome = {
  storage: { local: { get(k: null | string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> } };
  alarms: { getAll(): Promise<{ name: string }[]> };
  action: { getBadgeText(d: object): Promise<string> };
  runtime: { reload(): void; sendMessage(m: unknown): Promise<unknown> };
};

function routesFor(fs: PanelFixture[], now: number): Routes {
  const routes: Routes = {};
  for (const f of fs) {
    routes[new URL(f.url).pathname] = f.html(now);
    for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  }
  return routes;
}

function worker(h: Harness): Worker {
  const ws = h.ctx.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${h.extId}/`));
  return ws[ws.length - 1]!;
}

async function storageAll(h: Harness): Promise<Record<string, unknown>> {
  return worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get(null));
}

/** Every posting number in the stored history, any store. */
function storedPostings(all: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith('history:') || k.endsWith('$')) continue;
    const orders = (v as { orders?: Record<string, unknown> } | null)?.orders;
    if (orders && typeof orders === 'object') for (const pn of Object.keys(orders)) out.add(pn);
  }
  return out;
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const badgeCount = (page: Page) => page.$$eval('[data-ozon-guard]', (els) => els.length);
const duplicates = (page: Page) =>
  page.$$eval('[data-ozon-guard]', (els) => {
    const seen = new Map<string, number>();
    for (const e of els) seen.set(e.getAttribute('data-posting')!, (seen.get(e.getAttribute('data-posting')!) ?? 0) + 1);
    return [...seen.entries()].filter(([, n]) => n > 1).map(([p]) => p);
  });

describe('lifecycle: concurrent tabs, garbage storage, reload, worker restart', () => {
  let h: Harness;
  const A = fixtureByName('en-table-all');
  const B = fixtureByName('zh-aria-crossborder');
  beforeAll(async () => {
    h = await launch({ cookies: { sc_company_id: STORE } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('two panel tabs writing at once: the history holds every order of both (no lost update)', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve(routesFor([A, B], now));
    const [pa, pb] = await Promise.all([h.open(A.url), h.open(B.url)]);
    const want = [...A.expected(now), ...B.expected(now)].map((o) => o.postingNumber);
    const all = await until(() => storageAll(h), (s) => want.every((p) => storedPostings(s).has(p)), 20_000);
    const have = storedPostings(all);
    expect(want.filter((p) => !have.has(p)), 'orders missing from the history').toEqual([]);
    expect(h.errors).toEqual([]);
    await pa.close();
    await pb.close();
  });

  // OPEN (issue 7): neither CDP ServiceWorker.stopAllWorkers nor Target.closeTarget stopped the extension's worker
  // under Playwright's persistent context here (the same Worker object stays alive), so the restart is not yet
  // proven in a real browser. Skipped rather than passing vacuously; the store surviving a restart is covered by
  // test/hostile/storage.test.ts (_resetHistoryForTests = a fresh worker reading storage).
  it.skip('the service worker stopped and restarted: alarms, the icon count and the store come back', async () => {
    const before = {
      alarms: (await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.alarms.getAll())).map((a) => a.name).sort(),
      badge: await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({})),
      stored: storedPostings(await storageAll(h)),
    };
    const old = worker(h);
    const popup = await h.openExtensionPage('popup.html');
    const cdp = await h.ctx.newCDPSession(popup);
    const closed = new Promise<void>((r) => old.once('close', () => r()));
    // The worker's own DevTools target, closed: what Chrome does to an idle MV3 worker, on demand.
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const swTarget = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${h.extId}/`));
    expect(swTarget, 'the extension service worker target').toBeTruthy();
    await cdp.send('Target.closeTarget', { targetId: swTarget!.targetId }).catch(() => {});
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    await cdp.detach().catch(() => {});
    // Anything waking it (a message from the popup, an alarm) starts a fresh worker.
    const fresh = h.ctx.waitForEvent('serviceworker', { timeout: 15_000 }).catch(() => undefined);
    await popup.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'refresh' }).catch(() => {}));
    await fresh;
    expect(worker(h)).not.toBe(old);
    const after = await until(
      async () => ({
        alarms: (await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.alarms.getAll())).map((a) => a.name).sort(),
        badge: await worker(h).evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({})),
        stored: storedPostings(await storageAll(h)),
      }),
      (v) => v.badge === before.badge && v.alarms.length >= before.alarms.length,
      10_000,
    );
    expect(after.alarms).toEqual(before.alarms);
    expect(after.badge).toBe(before.badge);
    expect([...before.stored].filter((p) => !after.stored.has(p))).toEqual([]);
    await popup.close();
  });

  it('every stored key overwritten with garbage: the popup opens, badges still come, and new orders are stored again', async () => {
    h.errors.length = 0;
    const all = await storageAll(h);
    expect(Object.keys(all).length).toBeGreaterThan(0);
    await worker(h).evaluate(async (keys) => {
      const junk: unknown[] = ['{"orders":{"x', 42, null, [1, 2, 3], { orders: 'nope' }, { stores: { '../x': 1 } }, '\u0000', true, { v: 99 }];
      const next: Record<string, unknown> = {};
      keys.forEach((k, i) => (next[k] = junk[i % junk.length]));
      next[`history:${'9'.repeat(5)}`] = { orders: { '12345678-0001-1': { order: { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'delivered' } } } };
      next[`history:${'9'.repeat(5)}$`] = { v: 7 };
      await (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(next);
    }, Object.keys(all));
    const popup = await h.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-ozon-guard-risk]', { timeout: 15_000 });
    await h.screenshot(popup, 'lifecycle-popup-after-garbage');
    await popup.close();

    const now = Date.now();
    h.serve(routesFor([A], now));
    const page = await h.open(A.url);
    const want = A.expected(now).map((o) => o.postingNumber);
    await page.waitForFunction((n) => document.querySelectorAll('[data-ozon-guard]').length >= n, want.length, { timeout: 15_000 });
    expect(await duplicates(page)).toEqual([]);
    const s = await until(() => storageAll(h), (v) => want.every((p) => storedPostings(v).has(p)), 20_000);
    expect(want.filter((p) => !storedPostings(s).has(p))).toEqual([]);
    // @wxt-dev/storage itself logs one console.error when it meets a version from the future (history:99999$ v7);
    // the history layer reads the value anyway (test/hostile/storage.test.ts). Anything else is a failure.
    expect(h.errors.filter((e) => !/\[@wxt-dev\/storage\] Migration failed .*Version downgrade/.test(e))).toEqual([]);
    await page.close();
  });

  // OPEN (issue 7): after chrome.runtime.reload() the old badges do leave (checked by hand in this run), but the
  // unpacked extension loaded with --load-extension does not come back under Playwright, so "new badges once"
  // cannot be observed. Skipped until the harness can reinstall the build (e.g. a CDP Extensions.loadUnpacked).
  it.skip('extension reload under an open panel tab: the old badges leave, the reloaded page gets each badge once, no page error', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve(routesFor([A], now));
    const page = await h.open(A.url);
    const n = A.expected(now).length;
    await page.waitForFunction((k) => document.querySelectorAll('[data-ozon-guard]').length >= k, n, { timeout: 15_000 });
    const old = worker(h);
    await old.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.reload()).catch(() => {});
    // WXT's ctx notices the invalidated context and removes every trace of the old instance.
    const left = await until(() => badgeCount(page), (c) => c === 0, 20_000);
    expect(left, 'badges of the old instance left in the page').toBe(0);
    expect(await page.$$eval('ozon-guard-chip,ozon-guard-card', (e) => e.length)).toBe(0);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForFunction((k) => document.querySelectorAll('[data-ozon-guard]').length >= k, n, { timeout: 15_000 });
    await page.waitForTimeout(800);
    expect(await badgeCount(page)).toBe(n);
    expect(await duplicates(page)).toEqual([]);
    expect(h.errors.filter((e) => e.startsWith('pageerror')), 'page errors').toEqual([]);
    expect(h.errors).toEqual([]);
    await page.close();
  });
});

describe('clocks: zones with daylight saving, a machine clock far from the page', () => {
  const f = fixtureByName('en-table-all');
  for (const zone of ['Europe/Berlin', 'America/New_York']) {
    it(`${zone}: deadlines straddling the DST switch are absolute instants; Moscow and own-zone times right in the card`, async () => {
      const h = await launch({ timezoneId: zone });
      try {
        // The page's "now" is the eve of the spring switch in that zone: its 24–48 h deadlines cross it.
        const pageNow = zone === 'Europe/Berlin' ? Date.parse('2026-03-28T06:00:00Z') : Date.parse('2026-03-07T12:00:00Z');
        h.serve(routesFor([f], pageNow));
        if (f.cookies) await h.ctx.addCookies(Object.entries(f.cookies).map(([name, value]) => ({ name, value, url: PANEL })));
        const page = await h.open(f.url);
        const expected = f.expected(pageNow);
        await page.waitForFunction((k) => document.querySelectorAll('[data-ozon-guard]').length >= k, expected.length, { timeout: 15_000 });
        const got = await page.$$eval('[data-ozon-guard]', (els) => els.map((e) => [e.getAttribute('data-posting') ?? '', e.getAttribute('data-due') ?? ''] as [string, string]));
        const dues = new Map<string, string>(got);
        let checked = 0;
        for (const o of expected) {
          const v = evaluateOrder(o as Order, Date.now());
          expect(dues.get(o.postingNumber) ? new Date(dues.get(o.postingNumber)!).toISOString() : null, o.postingNumber).toBe(v.deadline ? new Date(v.deadline.dueAt).toISOString() : null);
          if (!v.deadline) continue;
          checked++;
          // The card: Moscow time and the browser's own zone, each as the instant's wall time there.
          await page.locator(`[data-ozon-guard][data-posting="${o.postingNumber}"]`).hover();
          const card = await until(
            () => page.evaluate(() => document.querySelector('ozon-guard-card')?.shadowRoot?.textContent ?? ''),
            (t) => t.includes(o.postingNumber),
            5000,
          );
          expect(card).toContain(formatMoscow(v.deadline.dueAt, { lang: 'en' }).slice(-5));
          expect(card).toContain(formatInZone(v.deadline.dueAt, zone, { lang: 'en' }).slice(-5));
          await page.mouse.move(0, 0);
          await page.waitForTimeout(350);
        }
        expect(checked).toBeGreaterThan(0);
        await h.screenshot(page, `lifecycle-dst-${zone.replace('/', '-')}`);
        expect(h.errors).toEqual([]);
        await page.close();
      } finally {
        await h.close();
      }
    });
  }

  for (const [label, pageNow] of [['2019', Date.parse('2019-01-10T09:00:00Z')], ['2099', Date.parse('2099-06-10T09:00:00Z')]] as const) {
    it(`page times in ${label}, machine clock today: no absurd durations (capped at >99d)`, async () => {
      const h = await launch();
      try {
        h.serve(routesFor([f], pageNow));
        const page = await h.open(f.url);
        const n = f.expected(pageNow).length;
        await page.waitForFunction((k) => document.querySelectorAll('[data-ozon-guard]').length >= k, n, { timeout: 15_000 });
        const texts = await page.$$eval('[data-ozon-guard]', (els) => els.map((e) => [e.getAttribute('data-deadline'), e.shadowRoot?.textContent ?? '']));
        let withDeadline = 0;
        for (const [kind, text] of texts) {
          if (kind === 'none') continue;
          withDeadline++;
          expect(text, 'countdown text').toContain('>99');
          expect(text).not.toMatch(/\d{3,}\s*d/);
        }
        expect(withDeadline).toBeGreaterThan(0);
        await h.screenshot(page, `lifecycle-clock-${label}`);
        expect(h.errors).toEqual([]);
        await page.close();
      } finally {
        await h.close();
      }
    });
  }
});
