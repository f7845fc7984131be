// @vitest-environment node
/**
 * storage/offload.ts: the panel origins that refused the JSON worker, so the browser's CSP report
 * goes out once per origin and install. Bounded, and a bad stored value reads as "not blocked".
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OFFLOAD_BLOCKED_KEY, offloadBlocked, rememberOffloadBlocked } from '../../storage/offload';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('origins that refuse the JSON worker', () => {
  it('remembers an origin once; others stay allowed', async () => {
    expect(await offloadBlocked('https://seller.ozon.ru')).toBe(false);
    await rememberOffloadBlocked('https://seller.ozon.ru');
    await rememberOffloadBlocked('https://seller.ozon.ru');
    expect(await offloadBlocked('https://seller.ozon.ru')).toBe(true);
    expect(await offloadBlocked('https://seller.ozon.kz')).toBe(false);
    expect((await fakeBrowser.storage.local.get(OFFLOAD_BLOCKED_KEY))[OFFLOAD_BLOCKED_KEY]).toEqual(['https://seller.ozon.ru']);
  });

  it('a stored value that is not a list of origins reads as nothing blocked, and the list cannot grow past a few', async () => {
    for (const bad of ['https://seller.ozon.ru', { 0: 'https://seller.ozon.ru' }, [42, null], null]) {
      await fakeBrowser.storage.local.set({ [OFFLOAD_BLOCKED_KEY]: bad });
      expect(await offloadBlocked('https://seller.ozon.ru')).toBe(false);
    }
    for (let i = 0; i < 20; i++) await rememberOffloadBlocked(`https://o${i}.example`);
    const list = (await fakeBrowser.storage.local.get(OFFLOAD_BLOCKED_KEY))[OFFLOAD_BLOCKED_KEY] as string[];
    expect(list.length).toBeLessThanOrEqual(8);
    expect(list).toContain('https://o19.example');
  });
});
