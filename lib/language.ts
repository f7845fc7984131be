/**
 * The one language loader: which message table is in force for the seller's choice
 * (settings.language). Extension pages (popup, options) call `applyLanguage`; the background
 * answers the content script's `i18n:table` with `readMessagesJson` (a content script cannot
 * fetch the extension's files); the content script's 'auto' follows the panel's own language
 * (panel/lang.ts contentLang), so it decides its language there and only loads the table here.
 */
import { browser } from 'wxt/browser';
import { browserLang, lang, LANGS, tableFromMessagesJson, useMessages, type Lang, type MessageTable } from './i18n';

export type Fetcher = (url: string) => Promise<{ ok?: boolean; json(): Promise<unknown> }>;

/** A language's messages.json from the extension's own files. Throws when it can't be read. */
export async function readMessagesJson(l: Lang, fetcher: Fetcher = (u) => fetch(u)): Promise<unknown> {
  const res = await fetcher(browser.runtime.getURL(`/_locales/${l}/messages.json` as '/'));
  if (res.ok === false) throw new Error(`messages.json ${l}`);
  return res.json();
}

/**
 * A language's messages as a flat table ({key: message}) for the background's own readers: the
 * content script's `i18n:table` (background/router.ts; a content script cannot fetch the
 * extension's files, and every panel page load asks) and the phone channels' messages in the
 * seller's language (background/channels/run.ts). Read once per language while the worker lives
 * (the files never change under it; three languages at most); a failed read is not kept, and reads
 * as an empty table (docs/performance.md "Seventeenth pass"). Never rejects.
 */
const messageTables = new Map<Lang, Promise<MessageTable>>();
export function messageTable(l: Lang): Promise<MessageTable> {
  let p = messageTables.get(l);
  if (!p) {
    p = readMessagesJson(l).then(tableFromMessagesJson);
    messageTables.set(l, p);
    p.catch(() => messageTables.delete(l));
  }
  return p.catch(() => ({}));
}

let overridden = false;

/**
 * Puts `chosen` ('auto' or a language) in force on this extension page; returns the language
 * now in force. Never throws.
 *
 * Why the table is loaded even for 'auto': browser.i18n.getMessage may fall back to the default
 * locale (Chromium started with a regional tag such as ru-RU finds no `ru_RU` and serves
 * English) while getUILanguage still says Russian. Words in one language with another's plural
 * rules and number format ("151 more order") is worse than either; an explicit table keeps the
 * words, plurals and numbers in the same language.
 *
 * On failure a chosen language keeps the strings in force (the browser's, or the last table);
 * 'auto' returns to the browser's own words, undoing only our own table (one put in place by
 * someone else, a test or a host, stays).
 */
export async function applyLanguage(chosen: 'auto' | Lang | string, fetcher?: Fetcher): Promise<Lang> {
  const auto = !(LANGS as readonly string[]).includes(chosen);
  const want: Lang = auto ? browserLang() : (chosen as Lang);
  try {
    const table = tableFromMessagesJson(await readMessagesJson(want, fetcher));
    if (!Object.keys(table).length) throw new Error(`messages.json ${want} empty`);
    useMessages(want, table);
    overridden = true;
    return want;
  } catch {
    if (auto && overridden) {
      useMessages(null, null);
      overridden = false;
    }
    return lang();
  }
}
