// @vitest-environment node
/**
 * The background side: the one alarm exists exactly while a store has sync
 * on, messages come only from extension pages, and with sync off nothing
 * ever calls fetch. Also: the data export leaves the keys out unless asked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { _resetHistoryForTests } from '../../../storage/history';
import { ensureSyncAlarm, handleApiSyncMessage, syncAll, SYNC_ALARM, SYNC_PERIOD_MINUTES } from '../../../background/seller-api/service';
import { keysItem, KEYS_STORAGE_KEY, maskKey } from '../../../background/seller-api/store';
import { API_ORIGINS } from '../../../background/seller-api/paths';
import { exportEverything } from '../../../components/options/history';

const KEY = { clientId: '31337', apiKey: 'secret-api-key-0001', origin: API_ORIGINS[0], enabled: true };

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
});
afterEach(() => vi.restoreAllMocks());

describe('Seller API sync in the background', () => {
  it('one periodic alarm while some store has sync on, none otherwise', async () => {
    await ensureSyncAlarm();
    expect(await browser.alarms.get(SYNC_ALARM)).toBeFalsy();
    await keysItem.setValue({ [KEY.clientId]: KEY });
    await ensureSyncAlarm();
    expect((await browser.alarms.get(SYNC_ALARM))?.periodInMinutes).toBe(SYNC_PERIOD_MINUTES);
    await keysItem.setValue({ [KEY.clientId]: { ...KEY, enabled: false } });
    await ensureSyncAlarm();
    expect(await browser.alarms.get(SYNC_ALARM)).toBeFalsy();
  });

  it('sync off (or no key): the alarm and "sync now" never call fetch', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    expect(await syncAll()).toEqual([]);
    await keysItem.setValue({ [KEY.clientId]: { ...KEY, enabled: false } });
    expect(await syncAll()).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('sync on without the host permission: an error to show, still no fetch', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    await keysItem.setValue({ [KEY.clientId]: KEY });
    const [r] = await syncAll();
    expect(r).toMatchObject({ status: 'error', error: { kind: 'permission' } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('messages only from extension pages; other types are not ours', async () => {
    expect(handleApiSyncMessage({ type: 'orders:seen' })).toBeUndefined();
    expect(handleApiSyncMessage('x')).toBeUndefined();
    const panel = { id: browser.runtime.id, url: 'https://seller.ozon.ru/app/postings/fbs' };
    expect(await handleApiSyncMessage({ type: 'apiSync:run' }, panel)).toEqual({ error: 'apiSync:run only from the extension' });
    expect(await handleApiSyncMessage({ type: 'apiSync:check', clientId: '1', origin: API_ORIGINS[0] }, panel)).toMatchObject({ error: expect.any(String) });
  });

  it('the data export leaves the keys out unless asked; the mask shows the last four characters only', async () => {
    await keysItem.setValue({ [KEY.clientId]: KEY });
    const plain = JSON.stringify(await exportEverything());
    expect(plain).not.toContain(KEY.apiKey);
    expect(plain).not.toContain(KEYS_STORAGE_KEY);
    const withKeys = JSON.stringify(await exportEverything(new Date(), { includeApiKeys: true }));
    expect(withKeys).toContain(KEY.apiKey);
    expect(maskKey(KEY.apiKey)).toBe('••••0001');
    expect(maskKey('abc')).toBe('••••');
  });
});
