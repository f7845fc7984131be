// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { rememberTabStore, storeOfTab } from '../../storage/tab-stores';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('which store each panel tab shows (popup default store)', () => {
  it('remembers the store a tab reported and forgets none of the others', async () => {
    await rememberTabStore(7, '111');
    await rememberTabStore(9, '222');
    expect(await storeOfTab(7)).toBe('111');
    expect(await storeOfTab(9)).toBe('222');
    await rememberTabStore(7, '333', Date.now() + 1000);
    expect(await storeOfTab(7)).toBe('333');
    expect(await storeOfTab(8)).toBeUndefined();
    expect(await storeOfTab(undefined)).toBeUndefined();
  });

  it('keeps the record bounded to the most recent tabs', async () => {
    const t0 = Date.now();
    for (let i = 0; i < 80; i++) await rememberTabStore(1000 + i, `s${i}`, t0 + i);
    expect(await storeOfTab(1000)).toBeUndefined();
    expect(await storeOfTab(1079)).toBe('s79');
  });
});
