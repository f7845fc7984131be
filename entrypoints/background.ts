import { browser } from 'wxt/browser';
import type { Message } from '../lib/messages';

// Thin wiring only: history, alarms and the icon count live in lib/ (issue 4).
export default defineBackground(() => {
  browser.runtime.onMessage.addListener((msg: Message) => {
    if (msg?.type === 'i18n:table') {
      return fetch(browser.runtime.getURL(`/_locales/${msg.lang}/messages.json` as '/'))
        .then((r) => r.json())
        .catch(() => ({}));
    }
    return undefined;
  });
});
