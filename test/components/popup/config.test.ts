import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { applyLanguage, storageConfig } from '../../../components/popup/config';
import { lang, t, useMessages } from '../../../lib/i18n';
import { settingsItem, rulebookOverridesItem, defaultSettings } from '../../../storage/settings';
import { loadLocale } from '../../setup';

beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  vi.unstubAllGlobals();
  useMessages('en', loadLocale('en'));
});

describe('popup config', () => {
  it('a language chosen in the options loads that language’s messages.json', async () => {
    const ru = loadLocale('ru');
    const json = Object.fromEntries(Object.entries(ru).map(([k, v]) => [k, { message: v }]));
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return { json: async () => json } as Response;
    });
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

  it('rulebook overrides and settings are read and watched live', async () => {
    const cfg = storageConfig();
    const first = await cfg.load();
    expect(first.rulebook.profile).toBe('seed');
    const seen: string[] = [];
    const stop = cfg.watch((c) => seen.push(`${c.rulebook.profile}:${c.rulebook.metrics.safeMaxPct.value}:${c.settings.hour12}`));
    await rulebookOverridesItem.setValue({ profile: 'official', values: { 'metrics.safeMaxPct': 2 } });
    await settingsItem.setValue({ ...defaultSettings, hour12: true });
    await vi.waitFor(() => expect(seen).toContain('official:2:true'));
    stop();
  });
});

describe('popup language: auto', () => {
  it('auto loads the table of the browser UI language, so words and plural rules agree', async () => {
    const ru = loadLocale('ru');
    const json = Object.fromEntries(Object.entries(ru).map(([k, v]) => [k, { message: v }]));
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return { json: async () => json } as Response;
    });
    // The i18n layer reads the UI language from the extension API where there is one, else navigator.
    vi.stubGlobal('browser', { i18n: { getUILanguage: () => 'ru-RU' } });
    expect(await applyLanguage('auto')).toBe('ru');
    expect(fetched[0]).toMatch(/\/_locales\/ru\/messages\.json$/);
    expect(t('popup_tier_critical')).toBe('Критично');
  });
});
