/**
 * Every origin the panel is served from (panel/origins.ts), in a real
 * browser with the PRODUCTION build: fixture pages served at
 * https://seller.ozonru.cn/… and https://seller.ozon.kz/… (list pages,
 * the cross-border FBS list, a JSON-fed page through the page-world script)
 * get the same badges with the contract §3 attributes; the popup opens on
 * the store of the tab it is opened over; its at-risk link opens the order
 * on the origin it was seen on; one company id seen on two origins is one
 * store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, panelCookies, type Harness, type Routes } from './harness';
import { badgeAttrs, contractAttrs, norm, until } from './badge-contract';
import { fixtureByName } from '../fixtures/panel/index';
import type { ExpectedOrder, PanelFixture } from '../fixtures/panel/types';

const RU = 'https://seller.ozon.ru';
const CN = 'https://seller.ozonru.cn';
const KZ = 'https://seller.ozon.kz';

/** The fixture's URL moved to another origin (path and query kept). */
function on(origin: string, f: PanelFixture): string {
  const u = new URL(f.url);
  return `${origin}${u.pathname}${u.search}`;
}

function routesFor(f: PanelFixture, now: number): Routes {
  const routes: Routes = { [new URL(f.url).pathname]: f.html(now) };
  for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  return routes;
}

/** Every expected row carries exactly one badge with the contract's attributes, and nothing else is badged. */
async function expectBadges(page: Page, expected: ExpectedOrder[], label: string): Promise<void> {
  await until(async () => {
    const got = (await badgeAttrs(page)).map(norm);
    const now = Date.now();
    const want = expected.map((o) => contractAttrs(o, now));
    expect(got.map((g) => g.posting).sort(), `${label}: badged postings`).toEqual(want.map((w) => w.posting).sort());
    for (const w of want) expect(got.find((g) => g.posting === w.posting), `${label}: ${w.posting}`).toEqual(w);
  }, 15_000);
}

async function storedStore(page: Page, storeId: string): Promise<{ origins: (string | undefined)[]; index: Record<string, unknown> }> {
  return page.evaluate(async (id) => {
    const g = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, any>> } } } };
    const v = (await g.chrome.storage.local.get(`history:${id}`))[`history:${id}`];
    const idx = (await g.chrome.storage.local.get('historyIndex')).historyIndex;
    return {
      origins: v ? Object.values(v.orders as Record<string, { origin?: string }>).map((r) => r.origin) : [],
      index: idx?.stores ?? {},
    };
  }, storeId);
}

describe('every panel origin (production build)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases: [string, string][] = [
    [CN, 'cn-split-grid-crossborder'], // /app/postings/crossborder/fbs on its own origin
    [KZ, 'kz-glued-grid'],
    [CN, 'ru-divgrid-awaiting-packaging'],
    [KZ, 'zh-aria-crossborder'], // /app/postings/crossborder/fbs
    [CN, 'json-fetch'], // the page-world script runs there too (JSON via fetch)
    [KZ, 'json-xhr'], // and XMLHttpRequest
  ];
  for (const [origin, name] of cases) {
    it(`${name} on ${origin}: one badge per row with the contract §3 attributes`, async () => {
      const f = fixtureByName(name);
      h.errors.length = 0;
      h.strayRequests.length = 0;
      await h.ctx.clearCookies();
      if (f.cookies) await h.ctx.addCookies(panelCookies(f.cookies, [origin]));
      const now = Date.now();
      h.serve(routesFor(f, now));
      const page = await h.open(on(origin, f));
      try {
        expect(new URL(page.url()).origin).toBe(origin);
        await expectBadges(page, f.expected(now), `${name} @ ${origin}`);
        await h.screenshot(page, `origins-${name}-${new URL(origin).hostname}`);
        expect(h.errors, 'page / console errors').toEqual([]);
        expect(h.strayRequests, 'requests leaving the fixture').toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('the popup opens on the store of its tab; its at-risk link opens the order on that origin; .ru + .cn with one company id is one store', async () => {
    h.errors.length = 0;
    h.strayRequests.length = 0;
    await h.ctx.clearCookies();
    const now = Date.now();
    const cn = fixtureByName('cn-split-grid-crossborder');
    const ru = fixtureByName('ru-divgrid-awaiting-packaging');
    const both: Routes = { ...routesFor(cn, now), ...routesFor(ru, now) };
    h.serve(both);
    const popup = await h.openExtensionPage('popup.html');

    // Store 7001 on the China route (the cross-border list).
    await h.ctx.addCookies(panelCookies({ ...cn.cookies, sc_company_id: '7001' }, [CN]));
    const cnTab = await h.open(cn.url);
    await expectBadges(cnTab, cn.expected(now), 'cn tab');
    // Store 7002 on seller.ozon.ru, seen AFTER: the most recent store is not the active tab's.
    await h.ctx.addCookies(panelCookies({ ...ru.cookies, sc_company_id: '7002' }, [RU]));
    const ruTab = await h.open(ru.url);
    await expectBadges(ruTab, ru.expected(now), 'ru tab');
    await expect.poll(async () => (await storedStore(popup, '7002')).origins.length, { timeout: 15_000 }).toBe(ru.expected(now).length);
    await expect.poll(async () => (await storedStore(popup, '7001')).origins.length, { timeout: 15_000 }).toBe(cn.expected(now).length);
    expect((await storedStore(popup, '7001')).origins.every((o) => o === CN)).toBe(true);
    expect((await storedStore(popup, '7002')).origins.every((o) => o === RU)).toBe(true);

    // The popup over the .cn tab: that tab's store, not the one seen last.
    await cnTab.bringToFront();
    await popup.reload();
    await popup.locator('[data-ozon-guard-risk][data-store="7001"]').waitFor({ timeout: 15_000 });

    // Its at-risk list opens the order on seller.ozonru.cn, in the cross-border section.
    const item = popup.locator('[data-ozon-guard-at-risk] button').first();
    const posting = await popup.locator('[data-ozon-guard-at-risk]').first().getAttribute('data-posting');
    expect(cn.expected(now).map((o) => o.postingNumber)).toContain(posting);
    const want = `${CN}/app/postings/crossborder/fbs?tab=all&postingNumber=${posting}&postingDetails=${posting}`;
    const opened = h.ctx.waitForEvent('page');
    await item.click();
    const target = await opened;
    // A tab the extension creates may start loading before the fixture routes attach to it, so its
    // URL is read from the browser's own tab list (our host permission shows panel-origin URLs).
    await expect
      .poll(
        () =>
          popup.evaluate(async () => {
            const g = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ url?: string; pendingUrl?: string }[]> } } };
            return (await g.chrome.tabs.query({})).flatMap((t) => [t.url, t.pendingUrl]).filter(Boolean);
          }),
        { timeout: 10_000 },
      )
      .toContain(want);
    await target.close();

    // The same company id on seller.ozon.ru: still one store, now last seen on .ru.
    await h.ctx.addCookies(panelCookies({ ...ru.cookies, sc_company_id: '7001' }, [RU]));
    const ruSame = await h.open(ru.url);
    await expectBadges(ruSame, ru.expected(now), 'ru tab, store 7001');
    await expect
      .poll(async () => (await storedStore(popup, '7001')).origins.length, { timeout: 15_000 })
      .toBe(cn.expected(now).length + ru.expected(now).length);
    const s = await storedStore(popup, '7001');
    expect(Object.keys(s.index).sort()).toEqual(['7001', '7002']);
    expect((s.index['7001'] as { origin?: string }).origin).toBe(RU);
    expect(s.origins.filter((o) => o === CN)).toHaveLength(cn.expected(now).length);
    expect(s.origins.filter((o) => o === RU)).toHaveLength(ru.expected(now).length);

    for (const p of [cnTab, ruTab, ruSame]) await p.close();
    expect(h.errors, 'page / console errors').toEqual([]);
    expect(h.strayRequests, 'requests leaving the fixture').toEqual([]);
  });
});
