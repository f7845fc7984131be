/**
 * The data export leaves the channel keys out unless the seller ticks
 * "include channel keys"; the rest of storage is exported as before.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { exportEverything } from '../../../components/options/history';
import { channelsItem, outboxItem } from '../../../background/channels/store';
import { normalizeChannels } from '../../../background/channels/config';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

beforeEach(() => fakeBrowser.reset());

describe('data export and the channel secrets', () => {
  it('secrets out by default, in when asked; the pending outbox never', async () => {
    await channelsItem.setValue(normalizeChannels({ telegram: { enabled: true, token: TOKEN, chatId: '42' }, summary: { enabled: true, time: '09:30', zone: 'Asia/Shanghai' } }));
    await outboxItem.setValue([{ id: '1', channel: 'telegram', keys: ['k'], text: 'x', createdAt: 1, attempts: 0, nextAt: 1 }]);
    await fakeBrowser.storage.local.set({ settings: { language: 'ru' } });
    const plain = await exportEverything(new Date(0));
    const json = JSON.stringify(plain);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain('"chatId":"42"');
    const ch = plain.storage.channels as ReturnType<typeof normalizeChannels>;
    expect(ch.telegram.enabled).toBe(false);
    expect(ch.summary).toEqual({ enabled: true, time: '09:30', zone: 'Asia/Shanghai' });
    expect(plain.storage.settings).toEqual({ language: 'ru' });
    expect(plain.storage['channels:outbox']).toBeUndefined();
    const withKeys = await exportEverything(new Date(0), { includeSecrets: true });
    expect((withKeys.storage.channels as ReturnType<typeof normalizeChannels>).telegram.token).toBe(TOKEN);
    expect(withKeys.storage['channels:outbox']).toBeUndefined();
  });
});
