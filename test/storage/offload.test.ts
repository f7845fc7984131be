// @vitest-environment node
/**
 * storage/offload.ts: the panel origins that refused the JSON worker, so the browser's CSP report
 * goes out once per origin and install. Bounded, and a bad stored value reads as "not blocked".
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OFFLOAD_BLOCKED_KEY, OFFLOAD_USED_KEY, OFFLOAD_WARM_MS, offloadState, rememberOffloadBlocked, rememberOffloadUsed } from '../../storage/offload';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('origins that refuse the JSON worker', () => {
  it('remembers an origin once; others stay allowed', async () => {
    expect((await offloadState('https://seller.ozon.ru', Date.now())).blocked).toBe(false);
    await rememberOffloadBlocked('https://seller.ozon.ru');
    await rememberOffloadBlocked('https://seller.ozon.ru');
    expect((await offloadState('https://seller.ozon.ru', Date.now())).blocked).toBe(true);
    expect((await offloadState('https://seller.ozon.kz', Date.now())).blocked).toBe(false);
    expect((await fakeBrowser.storage.local.get(OFFLOAD_BLOCKED_KEY))[OFFLOAD_BLOCKED_KEY]).toEqual(['https://seller.ozon.ru']);
  });

  it('a stored value that is not a list of origins reads as nothing blocked, and the list cannot grow past a few', async () => {
    for (const bad of ['https://seller.ozon.ru', { 0: 'https://seller.ozon.ru' }, [42, null], null]) {
      await fakeBrowser.storage.local.set({ [OFFLOAD_BLOCKED_KEY]: bad });
      expect((await offloadState('https://seller.ozon.ru', Date.now())).blocked).toBe(false);
    }
    for (let i = 0; i < 20; i++) await rememberOffloadBlocked(`https://o${i}.example`);
    const list = (await fakeBrowser.storage.local.get(OFFLOAD_BLOCKED_KEY))[OFFLOAD_BLOCKED_KEY] as string[];
    expect(list.length).toBeLessThanOrEqual(8);
    expect(list).toContain('https://o19.example');
  });
});

describe('origins where the worker took a body lately (started ahead of the list there only)', () => {
  const RU = 'https://seller.ozon.ru';
  const KZ = 'https://seller.ozon.kz';
  const T = Date.parse('2026-12-07T10:00:00Z');
  const DAY = 24 * 3600_000;

  it('not started ahead on an origin whose lists never needed it; started for OFFLOAD_WARM_MS after a use there', async () => {
    expect(await offloadState(RU, T)).toEqual({ blocked: false, warm: false });
    await rememberOffloadUsed(RU, T);
    expect(await offloadState(RU, T + DAY)).toEqual({ blocked: false, warm: true });
    expect(await offloadState(RU, T + OFFLOAD_WARM_MS - 1)).toEqual({ blocked: false, warm: true });
    expect(await offloadState(RU, T + OFFLOAD_WARM_MS)).toEqual({ blocked: false, warm: false });
    expect(await offloadState(KZ, T + DAY)).toEqual({ blocked: false, warm: false });
    await rememberOffloadBlocked(RU);
    expect((await offloadState(RU, T + DAY)).blocked).toBe(true);
  });

  it('written at most once a day per origin; the newest few origins kept', async () => {
    await rememberOffloadUsed(RU, T);
    await rememberOffloadUsed(RU, T + 3600_000);
    expect((await fakeBrowser.storage.local.get(OFFLOAD_USED_KEY))[OFFLOAD_USED_KEY]).toEqual({ [RU]: T });
    await rememberOffloadUsed(RU, T + DAY);
    expect((await fakeBrowser.storage.local.get(OFFLOAD_USED_KEY))[OFFLOAD_USED_KEY]).toEqual({ [RU]: T + DAY });
    for (let i = 0; i < 20; i++) await rememberOffloadUsed(`https://o${i}.example`, T);
    const kept = (await fakeBrowser.storage.local.get(OFFLOAD_USED_KEY))[OFFLOAD_USED_KEY] as Record<string, number>;
    expect(Object.keys(kept).length).toBeLessThanOrEqual(8);
    expect(kept['https://o19.example']).toBe(T);
  });

  it('a stored value of the wrong shape reads as no use (and is replaced by the next write), never as a throw', async () => {
    for (const bad of [['x'], 'https://seller.ozon.ru', { [RU]: 'yesterday' }, { [RU]: Number.NaN }, null, 42]) {
      await fakeBrowser.storage.local.set({ [OFFLOAD_USED_KEY]: bad });
      expect(await offloadState(RU, T)).toEqual({ blocked: false, warm: false });
    }
    await rememberOffloadUsed(RU, T);
    expect(await offloadState(RU, T)).toEqual({ blocked: false, warm: true });
  });
});
