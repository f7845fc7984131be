// The one language loader (lib/language.ts), as the options page and the popup use it.
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { applyLanguage } from '../../lib/language';
import { lang, t, useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';

beforeEach(() => {
  fakeBrowser.reset();
  useMessages('en', loadLocale('en'));
});
afterEach(() => {
  vi.unstubAllGlobals();
  useMessages('en', loadLocale('en'));
});

/** Makes fetch answer every URL with the Russian table as messages.json (from locales/ru.yml); returns the URLs asked for. */
function serveRussian(): string[] {
  const ru = loadLocale('ru');
  const json = Object.fromEntries(Object.entries(ru).map(([k, v]) => [k, { message: v }]));
  const fetched: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(String(url));
    return { json: async () => json } as Response;
  });
  return fetched;
}

describe('applyLanguage: the options page', () => {
  it('fetches the chosen language’s messages.json and uses it; auto returns to the browser’s', async () => {
    const urls: string[] = [];
    const got = await applyLanguage('ru', async (url) => {
      urls.push(url);
      return { ok: true, json: async () => ({ options_title: { message: 'Настройки и правила' } }) };
    });
    expect(got).toBe('ru');
    expect(urls[0]).toMatch(/\/_locales\/ru\/messages\.json$/);
    expect(lang()).toBe('ru');
    expect(t('options_title')).toBe('Настройки и правила');
    await applyLanguage('auto');
    expect(t('options_title')).toBe('options_title'); // the fake browser has no i18n: the browser's own was restored
  });

  it('a failed fetch keeps the strings in force', async () => {
    const got = await applyLanguage('zh_CN', async () => ({ ok: false, json: async () => ({}) }));
    expect(got).toBe('en');
    expect(t('options_title')).toBe('Settings and rules');
  });
});

describe('applyLanguage: the popup', () => {
  it('a language chosen in the options loads that language’s messages.json', async () => {
    const fetched = serveRussian();
    expect(await applyLanguage('ru')).toBe('ru');
    expect(fetched[0]).toMatch(/\/_locales\/ru\/messages\.json$/);
    expect(lang()).toBe('ru');
    expect(t('popup_tier_safe')).toBe('Норма');
  });

  it('a missing table falls back to the browser language instead of blanking the popup', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new Error('offline');
    });
    await applyLanguage('zh_CN');
    expect(t('popup_tier_safe')).not.toBe('');
  });
});

describe('applyLanguage: auto', () => {
  it('auto loads the table of the browser UI language, so words and plural rules agree', async () => {
    const fetched = serveRussian();
    // The i18n layer reads the UI language from the extension API where there is one, else navigator.
    vi.stubGlobal('browser', { i18n: { getUILanguage: () => 'ru-RU' } });
    expect(await applyLanguage('auto')).toBe('ru');
    expect(fetched[0]).toMatch(/\/_locales\/ru\/messages\.json$/);
    expect(t('popup_tier_critical')).toBe('Критично');
  });
});
