// @vitest-environment node
/**
 * The Seller API sync against a local stand-in serving the published shapes
 * (standIn.ts): paging to the end, 429 / 500 backoff, 401, the v4 → v3
 * fallback, an empty store, 10,000 postings, resume after a worker restart,
 * and the figures: after a sync they equal summarizeStore over exactly the
 * postings the stand-in served.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { _resetHistoryForTests, loadOrders, loadHistory } from '../../../storage/history';
import { summarizeStore } from '../../../rules/summarize';
import { defaultRulebook } from '../../../rules/rulebook';
import { syncStore, type SyncDeps } from '../../../background/seller-api/sync';
import { keysItem, readState, syncCovers } from '../../../background/seller-api/store';
import { orderFromApiPosting } from '../../../background/seller-api/map';
import { ALLOWED_PATHS, API_ORIGINS } from '../../../background/seller-api/paths';
import { createStandIn, makeStore, type Model } from './standIn';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const WINDOW = defaultRulebook.metrics.windowDays.value;

async function enable(api: { clientId: string; apiKey: string }, enabled = true) {
  await keysItem.setValue({ [api.clientId]: { clientId: api.clientId, apiKey: api.apiKey, origin: API_ORIGINS[0], enabled } });
}

function depsFor(api: ReturnType<typeof createStandIn>, extra: Partial<SyncDeps> = {}): SyncDeps & { slept: number[] } {
  const slept: number[] = [];
  return {
    windowDays: WINDOW,
    now: () => NOW,
    fetch: api.fetch as SyncDeps['fetch'],
    sleep: async (ms) => void slept.push(ms),
    slept,
    ...extra,
  };
}

/** Every request the client made: an allowlisted path on an allowed origin, with the seller's headers. */
function expectOnlyAllowlisted(api: ReturnType<typeof createStandIn>) {
  for (const s of api.seen) {
    expect(ALLOWED_PATHS.has(s.path), s.path).toBe(true);
    expect((API_ORIGINS as readonly string[]).includes(new URL(s.url).origin), s.url).toBe(true);
  }
}

function expected(api: ReturnType<typeof createStandIn>, storeId: string) {
  const orders = [...api.served.values()].map((s) => orderFromApiPosting(s.posting, s.scheme, storeId)!);
  return summarizeStore(orders, NOW, defaultRulebook);
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
});

describe('Seller API sync', () => {
  it('follows cursor pages to the end for FBS (v4) and FBO (v3), and the figures equal summarizeStore over what was served', async () => {
    const store = makeStore(430, NOW);
    const api = createStandIn(store);
    await enable(api);
    const r = await syncStore(api.clientId, depsFor(api));
    expect(r).toEqual({ status: 'done', postings: 430 });
    const fbsPages = api.seen.filter((s) => s.path === '/v4/posting/fbs/list');
    expect(fbsPages.length).toBeGreaterThanOrEqual(3);
    expect(fbsPages.every((s) => s.body.limit === 100)).toBe(true);
    expect(fbsPages[1]!.body.cursor).toBeTruthy();
    expect(api.served.size).toBe(430);
    const orders = await loadOrders(api.clientId);
    expect(orders).toHaveLength(430);
    expect(summarizeStore(orders, NOW, defaultRulebook)).toEqual(expected(api, api.clientId));
    expect(summarizeStore(orders, NOW, defaultRulebook).orders).toBeGreaterThan(0);
    // Merged as JSON facts: API instants win over text, like the panel's JSON.
    expect((await loadHistory(api.clientId)).every((r) => r.source === 'json')).toBe(true);
    const st = (await readState())[api.clientId]!;
    expect(st.run).toBeUndefined();
    expect(st.last).toMatchObject({ postings: 430 });
    expect(syncCovers(st, NOW, WINDOW)).toBe(true);
    expect(st.rating?.summary.items).toBe(1);
    expectOnlyAllowlisted(api);
    // Every request carried the seller's headers, nothing else identifies the seller.
    expect(api.seen.every((s) => s.clientId === api.clientId && s.apiKey === api.apiKey)).toBe(true);
  });

  it('reaches back for older postings that are still open, and no further', async () => {
    const store: Model[] = [
      ...makeStore(20, NOW),
      { n: '2000000001-0001-1', scheme: 'FBS', inProcessAt: new Date(NOW - 45 * 86_400_000).toISOString(), status: 'awaiting_deliver' },
      { n: '2000000002-0001-1', scheme: 'FBS', inProcessAt: new Date(NOW - 45 * 86_400_000).toISOString(), status: 'delivered' },
    ];
    const api = createStandIn(store);
    await enable(api);
    await syncStore(api.clientId, depsFor(api));
    const got = new Set((await loadOrders(api.clientId)).map((o) => o.postingNumber));
    expect(got.has('2000000001-0001-1')).toBe(true);
    expect(got.has('2000000002-0001-1')).toBe(false);
    expect(got.size).toBe(21);
  });

  it('backs off on 429 (waiting what Retry-After says) and on 500, then finishes', async () => {
    const api = createStandIn(makeStore(250, NOW));
    api.fault({ path: '/v4/posting/fbs/list', status: 429, headers: { 'Retry-After': '7' }, after: 2 });
    api.fault({ path: '/v3/posting/fbo/list', status: 500, times: 2 });
    await enable(api);
    const d = depsFor(api);
    const r = await syncStore(api.clientId, d);
    expect(r).toEqual({ status: 'done', postings: 250 });
    expect(d.slept).toContain(7_000);
    expect(d.slept.length).toBe(3);
    expect(await loadOrders(api.clientId)).toHaveLength(250);
    expect(summarizeStore(await loadOrders(api.clientId), NOW)).toEqual(expected(api, api.clientId));
  });

  it('a 401 stops at once with a clear error and stores nothing', async () => {
    const api = createStandIn(makeStore(50, NOW));
    await keysItem.setValue({ [api.clientId]: { clientId: api.clientId, apiKey: 'wrong-key', origin: API_ORIGINS[0], enabled: true } });
    const r = await syncStore(api.clientId, depsFor(api));
    expect(r).toMatchObject({ status: 'error', error: { kind: 'auth', status: 401 } });
    expect(api.seen).toHaveLength(1);
    expect(await loadOrders(api.clientId)).toEqual([]);
    const st = (await readState())[api.clientId]!;
    expect(st.error).toMatchObject({ kind: 'auth', status: 401, detail: expect.stringMatching(/Api-Key/) });
    // The key itself never lands in the state (the popup reads it).
    expect(JSON.stringify(st)).not.toContain('wrong-key');
  });

  it('a 403 on the postings says the key lacks the role', async () => {
    const api = createStandIn(makeStore(5, NOW));
    api.fault({ path: '/v4/posting/fbs/list', status: 403, body: { code: 7, message: 'Permission denied' } });
    await enable(api);
    const r = await syncStore(api.clientId, depsFor(api));
    expect(r).toMatchObject({ status: 'error', error: { kind: 'forbidden', status: 403, path: '/v4/posting/fbs/list' } });
  });

  it('falls back to /v3/posting/fbs/list (offset) and /v2/posting/fbo/list when the newer methods are refused', async () => {
    const api = createStandIn(makeStore(2_300, NOW, { fboShare: 0.5 }), { refuse: ['/v4/posting/fbs/list', '/v3/posting/fbo/list'] });
    await enable(api);
    const r = await syncStore(api.clientId, depsFor(api));
    expect(r).toEqual({ status: 'done', postings: 2_300 });
    const v3 = api.seen.filter((s) => s.path === '/v3/posting/fbs/list');
    expect(v3.length).toBeGreaterThan(1);
    expect(v3.every((s) => (s.body.limit as number) <= 1000)).toBe(true);
    expect(v3.some((s) => s.body.offset === 1000)).toBe(true);
    expect(api.seen.filter((s) => s.path === '/v2/posting/fbo/list').length).toBeGreaterThan(1);
    expect(summarizeStore(await loadOrders(api.clientId), NOW)).toEqual(expected(api, api.clientId));
    expectOnlyAllowlisted(api);
  });

  it('an empty store: done, nothing stored, and the window still counts as covered', async () => {
    const api = createStandIn([]);
    await enable(api);
    expect(await syncStore(api.clientId, depsFor(api))).toEqual({ status: 'done', postings: 0 });
    expect(await loadOrders(api.clientId)).toEqual([]);
    expect(syncCovers((await readState())[api.clientId], NOW, WINDOW)).toBe(true);
  });

  it('10,000 postings: all of them, within the page limits, figures equal', async () => {
    const api = createStandIn(makeStore(10_000, NOW, { seed: 99 }));
    await enable(api);
    const r = await syncStore(api.clientId, depsFor(api));
    expect(r).toEqual({ status: 'done', postings: 10_000 });
    const orders = await loadOrders(api.clientId);
    expect(orders).toHaveLength(10_000);
    expect(summarizeStore(orders, NOW)).toEqual(expected(api, api.clientId));
    expect(api.seen.every((s) => s.body.limit === undefined || (s.body.limit as number) <= 100)).toBe(true);
  }, 60_000);

  it('resumes after a worker restart from the last merged page, not from the start', async () => {
    const api = createStandIn(makeStore(900, NOW, { fboShare: 0 }));
    await enable(api);
    // The API goes away after the 4th FBS page (500 until the retries run out).
    api.fault({ path: '/v4/posting/fbs/list', status: 500, times: 100, after: 5 });
    const first = await syncStore(api.clientId, depsFor(api, { batch: 100 }));
    expect(first).toMatchObject({ status: 'error', error: { kind: 'server' } });
    const saved = (await readState())[api.clientId]!;
    expect(saved.run?.schemes.FBS.cursor).toBeTruthy();
    expect(await loadOrders(api.clientId)).toHaveLength(400);

    // A new worker: nothing in memory, only storage.
    _resetHistoryForTests();
    api.clearFaults();
    const before = api.seen.length;
    const second = await syncStore(api.clientId, depsFor(api, { batch: 100 }));
    expect(second).toEqual({ status: 'done', postings: 900 });
    const resumed = api.seen.slice(before).filter((s) => s.path === '/v4/posting/fbs/list');
    expect(resumed[0]!.body.cursor).toBe(saved.run!.schemes.FBS.cursor);
    // Rating and reason lists were done before the restart: not asked again.
    expect(api.seen.slice(before).some((s) => s.path === '/v1/rating/summary')).toBe(false);
    expect(await loadOrders(api.clientId)).toHaveLength(900);
    expect(summarizeStore(await loadOrders(api.clientId), NOW)).toEqual(expected(api, api.clientId));
  });

  it('turned off mid-run: no further request; turned on again, it resumes where it stopped', async () => {
    const api = createStandIn(makeStore(500, NOW, { fboShare: 0 }));
    await enable(api);
    let pages = 0;
    const fetchAndTurnOff: SyncDeps['fetch'] = async (url, init) => {
      if (url.endsWith('/v4/posting/fbs/list') && ++pages === 2) await enable(api, false);
      return api.fetch(url, init);
    };
    expect(await syncStore(api.clientId, depsFor(api, { fetch: fetchAndTurnOff, batch: 100 }))).toEqual({ status: 'off' });
    const asked = api.seen.filter((s) => s.path === '/v4/posting/fbs/list').length;
    expect(asked).toBe(2);
    expect(await loadOrders(api.clientId)).toHaveLength(200);
    await enable(api, true);
    expect(await syncStore(api.clientId, depsFor(api, { batch: 100 }))).toEqual({ status: 'done', postings: 500 });
    expect(api.seen.filter((s) => s.path === '/v4/posting/fbs/list').length).toBe(asked + 3 + 1);
  });

  it('sync off, or no permission: not one request', async () => {
    const api = createStandIn(makeStore(10, NOW));
    expect(await syncStore(api.clientId, depsFor(api))).toEqual({ status: 'off' });
    await enable(api, false);
    expect(await syncStore(api.clientId, depsFor(api))).toEqual({ status: 'off' });
    await enable(api, true);
    const r = await syncStore(api.clientId, depsFor(api, { hasPermission: async () => false }));
    expect(r).toMatchObject({ status: 'error', error: { kind: 'permission' } });
    expect(api.seen).toHaveLength(0);
  });

  it('fills a cancellation reason text from Ozon\'s cancel-reason list when the posting names only the id', async () => {
    const store: Model[] = [{ n: '3000000001-0001-1', scheme: 'FBS', inProcessAt: new Date(NOW - 86_400_000).toISOString(), status: 'cancelled', sellerCancel: true }];
    const api = createStandIn(store);
    await enable(api);
    await syncStore(api.clientId, depsFor(api));
    const [o] = await loadOrders(api.clientId);
    expect(o!.status).toBe('cancelled');
    expect(o!.cancellation?.reasonText).toBe("The goods ran out at the seller's warehouse");
  });
});
