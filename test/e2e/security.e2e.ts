/**
 * Security in the real browser (production build, Debian Chromium):
 * - the manifest the browser actually loaded stays within the permission budget;
 * - the MAIN-world JSON bridge under attack from page scripts: forged
 *   postMessage / CustomEvents / DOM hand-overs and "a body is coming" events (body text of every wrong type and size, the
 *   old orders message), non-JSON and truncated bodies, a 6 MB response,
 *   100,000 levels of nesting, `__proto__` keys, markup in every string field,
 *   wrong types — no page error, no prototype pollution in either world (the
 *   isolated world is reached through CDP), no injected markup, no badge for a
 *   posting that has no row, one badge per row;
 * - the extension makes no request of its own (harness strayRequests), on the
 *   panel and in the popup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { EXT, launch, type Harness, type Routes } from './harness';
import { fixtureByName, type PanelFixture } from '../fixtures/panel/index';
import { logPageMessages } from './page-messages.mjs';

/** The panel origins, as test/security/manifest.test.ts pins them (panel/origins.ts is the one list in code). */
const ALLOWED_HOSTS = ['https://seller.ozon.kz/*', 'https://seller.ozon.ru/*', 'https://seller.ozonru.cn/*'];

const API = '/api/posting-service/seller-ui/fbs/posting/list';
const HOSTILE_API = '/api/posting-service/hostile';
const MARKUP = '<img src=x onerror=window.__pwned=1>';
const GHOST = '99999999-9999-9';

function routesFor(f: PanelFixture, now: number, extra: Routes = {}): Routes {
  const routes: Routes = { [new URL(f.url).pathname]: f.html(now) };
  for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  return { ...routes, ...extra };
}

/** `({}).polluted` etc. in the extension's isolated world of `page`, through CDP. */
async function isolatedEval(page: Page, expression: string): Promise<unknown[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const contexts: { id: number; auxData?: { type?: string }; origin: string; name: string }[] = [];
  cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await new Promise((r) => setTimeout(r, 200));
  const isolated = contexts.filter((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'));
  const out: unknown[] = [];
  for (const c of isolated) {
    const r = (await cdp.send('Runtime.evaluate', { expression, contextId: c.id, returnByValue: true })) as { result: { value?: unknown } };
    out.push(r.result.value);
  }
  await cdp.detach();
  return out;
}

async function badges(page: Page): Promise<{ posting: string | null; status: string | null; inRow: boolean }[]> {
  return page.$$eval('[data-ozon-guard]', (els) =>
    els.map((e) => ({ posting: e.getAttribute('data-posting'), status: e.getAttribute('data-status'), inRow: !!e.parentElement?.closest('div,tr') })),
  );
}

describe('security in the real browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the loaded manifest: exactly storage, alarms, notifications; host and content scripts only the panel origins', () => {
    const m = JSON.parse(readFileSync(path.join(EXT, 'manifest.json'), 'utf8'));
    expect([...m.permissions].sort()).toEqual(['alarms', 'notifications', 'storage']);
    expect([...m.host_permissions].sort()).toEqual(ALLOWED_HOSTS);
    expect(m.optional_permissions ?? []).toEqual([]);
    // Optional, granted only when the seller turns that feature on: the Seller API's two hosts and
    // the reminder channels' hosts.
    expect([...(m.optional_host_permissions ?? [])].sort()).toEqual([
      'https://api-seller.ozon.ru/*',
      'https://api-seller.ozonru.cn/*',
      'https://api.telegram.org/*',
      'https://oapi.dingtalk.com/*',
      'https://open.feishu.cn/*',
      'https://open.larksuite.com/*',
      'https://qyapi.weixin.qq.com/*',
    ]);
    expect(m.externally_connectable).toBeUndefined();
    expect(m.content_scripts.length).toBeGreaterThan(0);
    for (const cs of m.content_scripts) expect([...cs.matches].sort()).toEqual(ALLOWED_HOSTS);
    expect(JSON.stringify(m)).not.toMatch(/<all_urls>|"tabs"|unsafe-eval/);
  });

  it('the page hears nothing that names the extension: no window message carries its id (use_dynamic_url hides it from the panel)', async () => {
    const f = fixtureByName('json-fetch');
    const now = Date.now();
    h.serve(routesFor(f, now));
    const page = await h.ctx.newPage();
    try {
      // A page script that logs every window message from its first line on (page-messages.mjs).
      await page.addInitScript(logPageMessages);
      await page.goto(f.url, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelectorAll('[data-ozon-guard]').length > 0, undefined, { timeout: 15_000 });
      // A second postings page by SPA navigation, and a while for anything late.
      await page.evaluate(() => history.pushState({}, '', location.pathname + '?tab=awaiting_deliver'));
      await page.waitForTimeout(1000);
      const seen = await page.evaluate(() => (window as unknown as { __oogHeard: string[] }).__oogHeard);
      for (const m of seen) {
        expect(m, 'a window message the page can read').not.toContain(h.extId);
        expect(m).not.toMatch(/wxt:|content-script-started/);
      }
    } finally {
      await page.close();
    }
  });

  it('the JSON bridge under attack: forged messages, hostile bodies, pollution attempts — no error, no injection, no ghost badge', async () => {
    h.errors.length = 0;
    h.strayRequests.length = 0;
    const f = fixtureByName('json-fetch');
    const now = Date.now();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const big = JSON.stringify({ result: { postings: [{ posting_number: GHOST, status: 'delivered' }] }, filler: 'z'.repeat(6 * 1024 * 1024) });
    const realBody = JSON.parse(f.api![API]!(now)) as { result: { postings: Record<string, unknown>[] } };
    const real = realBody.result.postings.map((p) => p.posting_number as string);
    // The same postings with markup in every string field and a ghost posting that has no row.
    const marked = {
      result: {
        postings: [
          ...realBody.result.postings.map((p) => ({
            ...p,
            tracking_number: MARKUP,
            substatus: MARKUP,
            delivery_method: { name: MARKUP, tpl_provider: MARKUP },
            products: [{ sku: MARKUP, offer_id: MARKUP, name: MARKUP, quantity: 1, price: MARKUP }],
            cancellation: { cancel_reason: MARKUP, cancellation_initiator: MARKUP },
          })),
          { posting_number: GHOST, status: 'awaiting_packaging', shipment_date: new Date(now + 3600_000).toISOString() },
        ],
      },
    };
    const bodies: Record<string, string> = {
      nonjson: '<html><body>502</body></html>',
      truncated: JSON.stringify(marked).slice(0, 300),
      deep: `{"result":{"postings":[]},"deep":${deep}}`,
      proto: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"result":{"postings":[{"posting_number":"${real[0]}","status":"awaiting_packaging","__proto__":{"polluted":"yes"}}]}}`,
      marked: JSON.stringify(marked),
      wrongtypes: JSON.stringify({ result: { postings: [{ posting_number: 7, status: [] }, { posting_number: real[1], status: 42, shipment_date: {}, available_actions: 'cancel', products: 'x' }] } }),
      big,
    };
    h.serve(
      routesFor(f, now, {
        [HOSTILE_API]: (url) => {
          const k = url.searchParams.get('k') ?? '';
          return { body: bodies[k] ?? '', contentType: 'application/json' };
        },
      }),
    );
    const page = await h.open(f.url);
    try {
      await page.waitForFunction((n) => document.querySelectorAll('[data-ozon-guard]').length >= n, real.length, { timeout: 15_000 });
      const before = await badges(page);
      expect(before.map((b) => b.posting).sort()).toEqual([...real].sort());

      // 1. The panel's own API answering hostile bodies: the page's fetch gets every byte, promptly.
      const fetched = await page.evaluate(async (keys) => {
        const out: Record<string, { len: number; ms: number }> = {};
        for (const k of keys) {
          const t0 = performance.now();
          const r = await fetch(`/api/posting-service/hostile?k=${k}`, { method: 'POST' });
          const text = await r.text();
          out[k] = { len: text.length, ms: performance.now() - t0 };
        }
        // XHR too (the interceptor's other half), with responseType json on a deep body.
        await new Promise<void>((res) => {
          const x = new XMLHttpRequest();
          x.open('POST', '/api/posting-service/hostile?k=proto');
          x.responseType = 'json';
          x.onloadend = () => res();
          x.send();
        });
        return out;
      }, Object.keys(bodies));
      for (const [k, v] of Object.entries(fetched)) expect(v.len, `body ${k} reached the page whole`).toBe(bodies[k]!.length);
      expect(fetched.big!.ms, '6 MB response not held up').toBeLessThan(10_000);

      // 2. Forged messages and events straight from page scripts.
      await page.evaluate(
        ([ghost, realPn, markup]) => {
          const ns = 'ozon-order-guard';
          const path = '/api/posting-service/seller-ui/fbs/posting/list';
          const body = (postings: unknown[]) => JSON.stringify({ result: { postings } });
          const ghostBody = body([{ posting_number: ghost, status: 'awaiting_packaging', shipment_date: new Date(Date.now() + 600_000).toISOString() }]);
          const forged: unknown[] = [
            // The current message shape, from a page script: parsed and walked like the panel's own answers.
            { ns, v: 2, kind: 'body', path, text: ghostBody },
            { ns, v: 2, kind: 'body', path: '/api/forged', text: body([{ posting_number: realPn, status: 'delivered', delivery_method: { name: markup }, products: [{ sku: markup, name: markup, quantity: 1 }] }]) },
            JSON.parse(`{"ns":"${ns}","v":2,"kind":"body","path":"/api/proto","__proto__":{"polluted":"yes"},"text":${JSON.stringify(`{"__proto__":{"polluted":"yes"},"result":{"postings":[{"posting_number":"${realPn}","status":"delivered","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}]}}`)}}`),
            { ns, v: 2, kind: 'body', path, text: { result: { postings: [{ posting_number: ghost }] } } },
            { ns, v: 2, kind: 'body', path, text: [ghostBody] },
            { ns, v: 2, kind: 'body', path, text: 42 },
            { ns, v: 2, kind: 'body', path, text: ghostBody + ' '.repeat(5 * 1024 * 1024) },
            { ns, v: 2, kind: 'body', path, text: '{"result":{"postings":[{"posting_number":"' },
            { ns, v: 2, kind: 'body', path: 'javascript:alert(1)', text: ghostBody },
            { ns, v: 2, kind: 'body', path: `/api/${markup}`, text: ghostBody },
            // The old orders message (version 1): gone, refused.
            { ns, v: 1, kind: 'orders', source: '/api/x', orders: [{ postingNumber: ghost, scheme: 'FBS', status: 'awaiting_packaging', shipBy: new Date(Date.now() + 600_000).toISOString() }] },
            { ns, v: 3, kind: 'body', path, text: ghostBody },
            { ns: 'other', v: 2 },
            'a string',
            null,
            42,
            { ns, v: 2, kind: 'body', path, text: body(Array.from({ length: 6000 }, (_, i) => ({ posting_number: `${50000000 + i}-0001-1`, status: 'cancelled' }))) },
          ];
          for (const m of forged) window.postMessage(m, '*');
          for (const m of forged.slice(0, 3)) window.dispatchEvent(new CustomEvent('message', { detail: m }));
          window.dispatchEvent(new CustomEvent('ozon-order-guard', { detail: forged[0] }));
          document.dispatchEvent(new CustomEvent('ozon-order-guard', { detail: forged[1] }));
          window.dispatchEvent(new MessageEvent('message', { data: forged[0], origin: 'https://evil.example' }));
          // The DOM hand-over (panel/bridge-message.ts) forged by the page: a fragment of a path and
          // a body, malformed fragments and other nodes, and "a body is coming" over and over.
          const hand = (nodes: Node[]) => {
            const f = document.createDocumentFragment();
            for (const n of nodes) f.append(n);
            return window.dispatchEvent(new MouseEvent('ozon-order-guard:body', { relatedTarget: f, cancelable: true }));
          };
          const tx = (t: string) => document.createTextNode(t);
          hand([tx(path), tx(ghostBody)]);
          hand([tx(`/api/${markup}`), tx(ghostBody)]);
          hand([tx('/api/proto'), tx(`{"__proto__":{"polluted":"yes"},"result":{"postings":[{"posting_number":"${realPn}","__proto__":{"polluted":"yes"}}]}}`)]);
          hand([tx(path), tx(ghostBody + ' '.repeat(5 * 1024 * 1024))]);
          hand([tx(path)]);
          hand([document.createElement('img'), tx(ghostBody)]);
          window.dispatchEvent(new MouseEvent('ozon-order-guard:body', { relatedTarget: document.body, cancelable: true }));
          window.dispatchEvent(new Event('ozon-order-guard:body'));
          for (let i = 0; i < 200; i++) window.dispatchEvent(new Event('ozon-order-guard:expect'));
        },
        [GHOST, real[0]!, MARKUP] as const,
      );
      await page.waitForTimeout(1500);

      const after = await badges(page);
      // No badge for a posting number that has no row, whoever claims it.
      expect(after.map((b) => b.posting)).not.toContain(GHOST);
      expect(after.some((b) => /^5000\d{4}-0001-1$/.test(b.posting ?? ''))).toBe(false);
      // Still exactly one badge per real row.
      expect(after.map((b) => b.posting).sort()).toEqual([...real].sort());
      expect(await page.$$eval('[data-ozon-guard]', (els) => els.filter((e) => e.parentElement!.querySelectorAll(':scope > [data-ozon-guard]').length > 1).length)).toBe(0);

      // No markup ran, nothing polluted in the page's world or ours.
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
      expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
      const iso = await isolatedEval(page, '[typeof ({}).polluted, Object.prototype.hasOwnProperty("polluted"), typeof window.__pwned, typeof chrome.runtime.id]');
      expect(iso.length, 'the extension\'s isolated world was found').toBeGreaterThan(0);
      // typeof chrome.runtime.id proves the evaluation ran in the extension's world, not the page's.
      for (const v of iso) expect(v).toEqual(['undefined', false, 'undefined', 'string']);

      // The card of a row whose JSON carried markup: text only, no element from the page's strings.
      const host = page.locator(`[data-ozon-guard][data-posting="${real[0]}"]`);
      await host.hover();
      await page.waitForTimeout(500);
      // The card's code is loaded on the first hover (components/overlay/lazy.ts): on a busy machine
      // that can take longer than the pause above, so wait (bounded) for the card to be there.
      await page.waitForFunction(() => !!document.querySelector('ozon-guard-card')?.shadowRoot, undefined, { timeout: 10_000 }).catch(() => {});
      const card = await page.evaluate(() => {
        const c = document.querySelector('ozon-guard-card');
        const root = c?.shadowRoot;
        if (!root) return null;
        return {
          imgs: root.querySelectorAll('img,script,iframe,object,embed').length,
          text: root.textContent ?? '',
          html: Array.from(root.querySelectorAll('*')).some((e) => e.getAttribute('onerror') !== null),
        };
      });
      expect(card, 'the card opened').not.toBeNull();
      expect(card!.imgs).toBe(0);
      expect(card!.html).toBe(false);
      expect(card!.text).toContain(real[0]);
      await h.screenshot(page, 'security-card-after-attack');

      expect(h.errors, 'page / console errors').toEqual([]);
      expect(h.strayRequests, 'requests leaving the fixture').toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the popup and options pages make no request of their own', async () => {
    h.strayRequests.length = 0;
    h.errors.length = 0;
    for (const file of ['popup.html', 'options.html'] as const) {
      const p = await h.openExtensionPage(file);
      await p.waitForTimeout(1200);
      await p.close();
    }
    expect(h.strayRequests).toEqual([]);
    expect(h.errors).toEqual([]);
  });
});
