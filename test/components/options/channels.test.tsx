/**
 * The options page's channels section: a channel turns on only with valid
 * fields and the one host the browser granted; a refusal keeps it off and
 * says so; turning it off gives the host back; a bad summary time is refused
 * in view; "forget all keys" empties every secret.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, waitFor, cleanup } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { renderOptions } from './helpers';
import { channelsItem } from '../../../background/channels/store';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function type(el: Element, value: string) {
  const input = el as HTMLInputElement;
  input.value = value;
  fireEvent.input(input);
  fireEvent.blur(input);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});
afterEach(() => cleanup());

describe('options: reminders on your phone', () => {
  it('refuses to turn on with a bad field (no permission asked); asks for exactly its one host; stays off when refused', async () => {
    const request = vi.fn(async () => false);
    (browser.permissions as unknown as { request: typeof request }).request = request;
    const { c } = await renderOptions();
    await waitFor(() => expect(c.querySelector('[data-channel="telegram"]')).not.toBeNull());
    type(c.querySelector('[data-channel-field="telegram.token"]')!, 'nonsense');
    await waitFor(() => expect(c.querySelector('[data-error-for="telegram.token"]')?.textContent).toContain('123456789:AA'));
    fireEvent.click(c.querySelector('[data-channel-toggle="telegram"]')!);
    await waitFor(() => expect(c.querySelector('[data-channel="telegram"] [data-channel-note="error"]')).not.toBeNull());
    expect(request).not.toHaveBeenCalled();

    type(c.querySelector('[data-channel-field="telegram.token"]')!, TOKEN);
    type(c.querySelector('[data-channel-field="telegram.chatId"]')!, '-1001234567890');
    await waitFor(async () => expect((await channelsItem.getValue()).telegram.chatId).toBe('-1001234567890'));
    fireEvent.click(c.querySelector('[data-channel-toggle="telegram"]')!);
    await waitFor(() => expect(request).toHaveBeenCalledWith({ origins: ['https://api.telegram.org/*'] }));
    await waitFor(() => expect(c.querySelector('[data-channel="telegram"] [data-channel-note="error"]')?.textContent).toContain('https://api.telegram.org'));
    expect((await channelsItem.getValue()).telegram.enabled).toBe(false);
    expect(c.querySelector('[data-channel="telegram"]')!.getAttribute('data-enabled')).toBe('false');
  });

  it('granted: on and saved; off gives the host back; forget empties every key', async () => {
    (browser.permissions as unknown as { request: () => Promise<boolean> }).request = async () => true;
    const remove = vi.fn(async () => true);
    (browser.permissions as unknown as { remove: typeof remove }).remove = remove;
    const { c } = await renderOptions();
    await waitFor(() => expect(c.querySelector('[data-channel="feishu"]')).not.toBeNull());
    type(c.querySelector('[data-channel-field="feishu.hookId"]')!, 'https://open.larksuite.com/open-apis/bot/v2/hook/abcdefgh-1234');
    await waitFor(async () => expect((await channelsItem.getValue()).feishu.site).toBe('lark'));
    fireEvent.click(c.querySelector('[data-channel-toggle="feishu"]')!);
    await waitFor(() => expect(c.querySelector('[data-channel="feishu"]')!.getAttribute('data-enabled')).toBe('true'));
    const cfg = await channelsItem.getValue();
    expect(cfg.feishu).toMatchObject({ enabled: true, site: 'lark', hookId: 'abcdefgh-1234' });
    fireEvent.click(c.querySelector('[data-channel-toggle="feishu"]')!);
    await waitFor(() => expect(remove).toHaveBeenCalledWith({ origins: ['https://open.larksuite.com/*'] }));
    expect((await channelsItem.getValue()).feishu.enabled).toBe(false);
    fireEvent.click(c.querySelector('[data-channel-forget]')!);
    await waitFor(async () => expect((await channelsItem.getValue()).feishu.hookId).toBe(''));
  });

  it('the summary time: HH:MM validated in view, saved when valid; default 10:00 Europe/Moscow', async () => {
    const { c } = await renderOptions();
    await waitFor(() => expect(c.querySelector('[data-summary-time]')).not.toBeNull());
    expect((c.querySelector('[data-summary-time]') as HTMLInputElement).value).toBe('10:00');
    expect((c.querySelector('[data-summary-zone]') as HTMLSelectElement).value).toBe('Europe/Moscow');
    type(c.querySelector('[data-summary-time]')!, '24:30');
    await waitFor(() => expect(c.querySelector('[data-error-for="summary.time"]')).not.toBeNull());
    expect((await channelsItem.getValue()).summary.time).toBe('10:00');
    type(c.querySelector('[data-summary-time]')!, '9:15');
    await waitFor(async () => expect((await channelsItem.getValue()).summary.time).toBe('09:15'));
  });
});
