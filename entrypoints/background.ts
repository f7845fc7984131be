import { browser } from 'wxt/browser';
import { handleMessage, onAlarm, onNotificationButtonClicked, onNotificationClicked, onStart, scheduleRefresh } from '../background/router';
import { watchHistory } from '../storage/history';
import { onConfigChange } from '../storage/config';
import { registerApiSync } from '../background/seller-api/service';
import { pushConfigChanged } from '../background/config-push';

// Thin wiring only: history, alarms and the icon count live in lib/ (docs/architecture.md).
// Every listener is registered synchronously at the top of main, so an MV3
// service worker woken by an alarm or a message has it in place; all state is
// in storage, none only in memory.
export default defineBackground(() => {
  browser.runtime.onMessage.addListener((msg: unknown, sender, sendResponse: (r: unknown) => void) => {
    const answer = handleMessage(msg, sender);
    if (!answer) return undefined;
    // sendResponse + `true` works in Chrome and Firefox alike (Chrome only lately accepts a returned promise).
    answer.then(sendResponse, (e: unknown) => sendResponse({ error: String((e as Error)?.message ?? e) }));
    return true;
  });
  browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => void onNotificationClicked(id));
  // Snooze / Open buttons: Chrome only (Firefox has no notification buttons, and may lack the event).
  browser.notifications.onButtonClicked?.addListener((id, index) => void onNotificationButtonClicked(id, index));
  browser.runtime.onStartup.addListener(() => void onStart());
  browser.runtime.onInstalled.addListener(() => void onStart());

  // The history (from any tab), the seller's notification settings or rulebook changed: recount.
  watchHistory(() => scheduleRefresh());
  onConfigChange(() => {
    scheduleRefresh();
    // The panel tabs re-read them (they do not watch storage: lib/config-messages.ts).
    void pushConfigChanged(browser.tabs);
  });

  // The optional Seller API sync (off until the seller turns it on): its own alarm and messages.
  registerApiSync();

  // A worker restarted after being stopped gets neither onStartup nor onInstalled.
  void onStart();
});
