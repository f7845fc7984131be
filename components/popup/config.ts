/**
 * The rulebook and settings in force, from their storage items, watched live
 * so an edit in the options page re-computes the popup without reopening it.
 * Also applies a language override (settings.language ≠ 'auto') by loading
 * that language's messages.json, which extension pages can fetch directly.
 */
import { browser } from 'wxt/browser';
import { settingsItem, rulebookOverridesItem, rulebookFrom, normalizeSettings, type Settings } from '../../storage/settings';
import { useMessages, tableFromMessagesJson, browserLang, type Lang } from '../../lib/i18n';
import type { Rulebook } from '../../rules/rulebook';
import type { ConfigSource } from './store';

export function storageConfig(): ConfigSource {
  let settings: Settings | null = null;
  let rulebook: Rulebook | null = null;
  return {
    async load() {
      const [s, o] = await Promise.all([settingsItem.getValue(), rulebookOverridesItem.getValue()]);
      settings = normalizeSettings(s);
      rulebook = rulebookFrom(o);
      return { settings, rulebook };
    },
    watch(cb) {
      const u1 = settingsItem.watch((s) => {
        settings = normalizeSettings(s);
        if (rulebook) cb({ settings, rulebook });
      });
      const u2 = rulebookOverridesItem.watch((o) => {
        rulebook = rulebookFrom(o);
        if (settings) cb({ settings, rulebook });
      });
      return () => {
        u1();
        u2();
      };
    },
  };
}

/**
 * Makes the i18n layer speak `language` ('auto': the browser's UI language).
 * Returns the language now in force.
 *
 * Why the table is loaded even for 'auto': browser.i18n.getMessage may fall
 * back to the default locale (Chromium started with a regional tag such as
 * ru-RU finds no `ru_RU` and serves English) while getUILanguage still says
 * Russian. Words in one language with another's plural rules and number
 * format ("151 more order") is worse than either; an explicit table keeps the
 * words, plurals and numbers in the same language.
 */
export async function applyLanguage(language: Settings['language']): Promise<Lang> {
  const want: Lang = language === 'auto' ? browserLang() : language;
  try {
    const url = browser.runtime.getURL(`/_locales/${want}/messages.json` as '/');
    const json = await (await fetch(url)).json();
    const table = tableFromMessagesJson(json);
    if (!Object.keys(table).length) throw new Error('empty table');
    useMessages(want, table);
    return want;
  } catch {
    // A missing table must never blank the popup: the browser's own getMessage still answers.
    useMessages(null, null);
    return browserLang();
  }
}
