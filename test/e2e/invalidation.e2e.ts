/**
 * WXT's own lifecycle bugs, in a real browser: the content-script context
 * invalidated while the extension is alive (on heavy pages, wxt-dev/wxt #884,
 * #1359) and the script injected twice (#1937). Either way the panel keeps
 * exactly one badge per row — never none, never two (components/overlay/lifetime.ts).
 *
 *  - premature invalidation: WXT's own invalidation path, triggered the way
 *    WXT triggers it — the "content script started" event it listens for on
 *    the document, with no newer script behind it;
 *  - double injection: the built content script evaluated a second time in
 *    the extension's isolated world of the open tab (CDP Runtime.evaluate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXT, launch, type Harness, type Routes } from './harness';
import { fixtureByName } from '../fixtures/panel/index';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

/** Per posting: how many badge hosts the page has for it. */
const perPosting = (page: Page) =>
  page.$$eval('[data-ozon-guard]', (els) => {
    const seen: Record<string, number> = {};
    for (const e of els) seen[e.getAttribute('data-posting')!] = (seen[e.getAttribute('data-posting')!] ?? 0) + 1;
    return seen;
  });

const exactlyOnce = (want: string[]) => (seen: Record<string, number>) =>
  want.every((p) => seen[p] === 1) && Object.keys(seen).length === want.length;

/** Marks today's hosts, so a test can tell a restarted overlay's badges from the old ones. */
const markHosts = (page: Page) => page.$$eval('[data-ozon-guard]', (els) => els.forEach((e) => e.setAttribute('data-test-old', '')));
const oldHosts = (page: Page) => page.$$eval('[data-test-old]', (els) => els.length);

describe('WXT context invalidated while the extension is alive', () => {
  let h: Harness;
  const A = fixtureByName('en-table-all');
  let want: string[];

  beforeAll(async () => {
    h = await launch();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function openList(): Promise<Page> {
    const now = Date.now();
    const routes: Routes = { [new URL(A.url).pathname]: A.html(now) };
    for (const [p, body] of Object.entries(A.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
    h.serve(routes);
    want = A.expected(now).map((o) => o.postingNumber);
    const page = await h.open(A.url);
    const seen = await until(() => perPosting(page), exactlyOnce(want));
    expect(seen).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
    return page;
  }

  /** The restarted overlay is live: a badge the page wipes comes back. */
  async function expectLive(page: Page) {
    await page.$eval('[data-ozon-guard]', (e) => e.remove());
    const seen = await until(() => perPosting(page), exactlyOnce(want));
    expect(seen).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
  }

  it('premature invalidation (WXT\'s own path, no newer script): the badges come back, one per row', async () => {
    h.errors.length = 0;
    const page = await openList();
    await markHosts(page);
    // Exactly what a newer instance's ContentScriptContext dispatches (wxt/utils/content-script-context).
    await page.evaluate((id) => {
      document.dispatchEvent(
        new CustomEvent(`${id}:content:wxt:content-script-started`, { detail: { contentScriptName: 'content', messageId: 'not-a-script' } }),
      );
    }, h.extId);
    // The old overlay was torn down (its hosts are gone) and a fresh one badged every row once.
    const seen = await until(
      async () => ({ old: await oldHosts(page), seen: await perPosting(page) }),
      (v) => v.old === 0 && exactlyOnce(want)(v.seen),
    );
    expect(seen.old).toBe(0);
    expect(seen.seen).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
    await sleep(3000); // the liveness check runs: still there, still once
    expect(await perPosting(page)).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
    await expectLive(page);
    expect(await page.$$eval('ozon-guard-chip', (els) => els.length)).toBe(1);
    expect(h.errors).toEqual([]);
    await page.close();
  });

  it('the content script injected twice: exactly one badge per row, from the newer instance', async () => {
    h.errors.length = 0;
    const page = await openList();
    await markHosts(page);
    const cdp: CDPSession = await h.ctx.newCDPSession(page);
    const contexts: { id: number; origin: string; type?: string }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: { id: number; origin: string; auxData?: { type?: string } } }) =>
      contexts.push({ id: e.context.id, origin: e.context.origin, type: e.context.auxData?.type }),
    );
    await cdp.send('Runtime.enable');
    await until(async () => contexts.length, () => contexts.some((c) => c.type === 'isolated' && c.origin.includes(h.extId)));
    const world = contexts.find((c) => c.type === 'isolated' && c.origin.includes(h.extId));
    expect(world, 'the extension isolated world of the tab').toBeDefined();
    const source = readFileSync(path.join(EXT, 'content-scripts/content.js'), 'utf8');
    const r = (await cdp.send('Runtime.evaluate', { expression: source, contextId: world!.id })) as { exceptionDetails?: unknown };
    expect(r.exceptionDetails).toBeUndefined();

    const seen = await until(
      async () => ({ old: await oldHosts(page), seen: await perPosting(page) }),
      (v) => v.old === 0 && exactlyOnce(want)(v.seen),
    );
    expect(seen.old).toBe(0);
    expect(seen.seen).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
    // Both instances had time to act (restart decision, liveness checks): still one per row.
    await sleep(5000);
    expect(await perPosting(page)).toEqual(Object.fromEntries(want.map((p) => [p, 1])));
    await expectLive(page);
    expect(await page.$$eval('ozon-guard-chip', (els) => els.length)).toBe(1);
    expect(h.errors).toEqual([]);
    await page.close();
  });
});
