/**
 * The isolated-world content script: thin wiring around the bootstrap (components/overlay/boot.ts).
 *
 * It matches the whole panel but the overlay works only on the postings pages: every panel page
 * runs only the bootstrap, which watches the SPA's location and loads the overlay itself (the
 * `core` chunk, components/overlay/start.ts) on the tab's first postings page
 * (docs/performance.md "What the content script carries").
 * Everything is registered through one guard (components/overlay/lifetime.ts): its timers in
 * one registry (components/overlay/timers.ts, not WXT's ctx.setTimeout, which leaks an abort
 * listener per call) on timers the page cannot clear, its listeners on one signal. An extension update or
 * reload removes the old badges and listeners; an invalidation of WXT's
 * context while the extension is alive restarts the overlay under a fresh guard.
 */
import { browser } from 'wxt/browser';
import { PANEL_MATCHES } from '../../panel/origins';
import { configureLazy, type LazyFile } from '../../components/overlay/lazy';
import { supervise } from '../../components/overlay/lifetime';
import { pageProofTimers } from '../../components/overlay/timers';
import { startBoot } from '../../components/overlay/boot';

export default defineContentScript({
  matches: PANEL_MATCHES,
  runAt: 'document_idle',
  // WXT's context would also announce each start to the page's own `message` listeners, under a type
  // that holds the extension's fixed id: the one thing use_dynamic_url keeps from the panel (README,
  // "Security and privacy"). Its DOM event, which a newer copy of this script listens for, stays.
  noScriptStartedPostMessage: true,
  main(ctx) {
    const logged = new Set<string>();
    // The lazily loaded chunks (components/overlay/lazy.ts LAZY_FILES), web-accessible for the panel's origins (wxt.config.ts).
    const url = (file: string) => browser.runtime.getURL(file as LazyFile);
    configureLazy({ url });
    const runtimeAlive = () => {
      try {
        return !!browser.runtime?.id;
      } catch {
        return false;
      }
    };
    const onError = (e: unknown, where: string) => {
      // Once per place: a broken panel must not flood the seller's console.
      if (logged.has(where)) return;
      logged.add(where);
      if (isInvalidated(e)) return;
      console.warn(`[Ozon Order Guard] ${where}:`, e);
    };

    // Timers the page cannot clear by id (components/overlay/timers.ts pageProofTimers): every timer of the overlay runs on these.
    const timers = pageProofTimers(window);
    supervise({
      onContextInvalidated: (cb) => ctx.onInvalidated(cb),
      runtimeAlive,
      start: (guard) => startBoot(guard, { win: window, url, runtime: browser.runtime, onError }),
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      onError: (e) => onError(e, 'lifetime'),
    });
  },
});

function isInvalidated(e: unknown): boolean {
  return /Extension context invalidated/i.test(String((e as Error)?.message ?? e));
}
