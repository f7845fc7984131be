/**
 * The isolated-world content script: thin wiring around BadgeController.
 *
 * It matches the whole panel but works only on the postings pages; elsewhere
 * it just stays alive to notice the SPA navigating to one.
 * Everything is registered through one guard (components/overlay/lifetime.ts): its timers in
 * one registry (components/overlay/timers.ts, not WXT's ctx.setTimeout, which leaks an abort
 * listener per call), its listeners on one signal. An extension update or
 * reload removes the old badges and listeners; an invalidation of WXT's
 * context while the extension is alive restarts the overlay under a fresh guard.
 */
import { browser } from 'wxt/browser';
import { useMessages, tableFromMessagesJson, type Lang } from '../../lib/i18n';
import type { Message } from '../../background/messages';
import { normalizeSettings, rulebookFrom } from '../../storage/settings';
// Read-only: the page never writes settings, so it skips the storage library (storage/config.ts, the one loader).
import { loadConfig, watchConfig, type Config } from '../../storage/config';
import { BadgeController } from '../../components/overlay/controller';
import { PANEL_MATCHES } from '../../panel/origins';
import { ApiKeysLog, collectReportKeys, reportStatus } from '../../components/overlay/report-keys';
import { isReportRequest } from '../../components/overlay/report-messages';
import { configureLazy, loadLazy } from '../../components/overlay/lazy';
import { supervise, watchLocation, type Guard } from '../../components/overlay/lifetime';
import { contentLang } from '../../panel/lang';
import { cookieValue } from '../../panel/cookies';

export default defineContentScript({
  matches: PANEL_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const logged = new Set<string>();
    // The card, the at-risk list and the page report come in on first use (components/overlay/lazy.ts).
    configureLazy({ url: (file) => browser.runtime.getURL(file as LazyFile), messages: () => messagesInUse });
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

    supervise({
      onContextInvalidated: (cb) => ctx.onInvalidated(cb),
      runtimeAlive,
      start: (guard) => startOverlay(guard, onError),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (id) => window.clearTimeout(id as number),
      onError: (e) => onError(e, 'lifetime'),
    });
  },
});

/** One run of the overlay; everything it holds goes when `guard` is disposed. */
function startOverlay(guard: Guard, onError: (e: unknown, where: string) => void): void {
  const controller = new BadgeController({
    doc: document,
    win: window,
    now: () => Date.now(),
    setTimeout: (fn, ms) => guard.timers.setTimeout(fn, ms),
    clearTimeout: (id) => guard.timers.clearTimeout(id),
    send: (msg: Message) => {
      if (guard.isInvalid || !browser.runtime?.id) return;
      return browser.runtime.sendMessage(msg);
    },
    onError,
    warn: (m) => console.warn(m),
  });
  guard.onDispose(() => controller.destroy());

  const safe =
    <A extends unknown[]>(where: string, fn: (...a: A) => void) =>
    (...a: A) => {
      try {
        fn(...a);
      } catch (e) {
        onError(e, where);
      }
    };

  let config: Config = { settings: normalizeSettings(null), rulebook: rulebookFrom(null) };
  let langApplied: string = 'auto';
  const setMessages = (l: Lang | null, table: ReturnType<typeof tableFromMessagesJson> | null) => {
    messagesInUse = { lang: l, table };
    useMessages(l, table);
  };

  const applyLanguage = async () => {
    // "auto" follows the panel's own language (panel/lang.ts); null = the browser's.
    const want: string =
      contentLang(config.settings.language, cookieValue(document.cookie, 'x-o3-language'), document.documentElement?.getAttribute('lang')) ?? 'auto';
    if (want === langApplied) return;
    langApplied = want;
    if (want === 'auto') {
      setMessages(null, null);
    } else {
      try {
        const json = await browser.runtime.sendMessage({ type: 'i18n:table', lang: want as Lang } satisfies Message);
        if (langApplied !== want) return; // changed again meanwhile
        setMessages(want as Lang, tableFromMessagesJson(json));
      } catch (e) {
        onError(e, 'language');
        return;
      }
    }
    controller.relabel();
  };

  const applyConfig = () => controller.configure(config.settings, config.rulebook);

  // The JSON bridge: our MAIN-world script posts what the panel's own API returned.
  guard.on(window, 'message', safe('bridge', (e: Event) => controller.onBridgeMessage(e as MessageEvent)));
  watchLocation(
    guard,
    window,
    safe('navigate', (url: string) => {
      controller.navigate(url);
      void applyLanguage(); // the SPA may have switched the panel's language (cookie) meanwhile
    }),
  );
  // The panel switching its language in place changes <html lang>: one observer, owned by this run's guard.
  if (typeof MutationObserver === 'function' && document.documentElement) {
    const langObserver = new MutationObserver(safe('language', () => void applyLanguage()));
    langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    guard.onDispose(() => langObserver.disconnect());
  }
  // The page report (popup → this tab): the JSON key structure the MAIN world posts is kept here;
  // the report itself is built by the lazily loaded PageReporter (components/overlay/report.ts) on request.
  const apis = new ApiKeysLog();
  guard.on(window, 'message', safe('report', (e: Event) => collectReportKeys(e as MessageEvent, window, apis)));
  const onPopup = (msg: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => {
    if (guard.isInvalid || !isReportRequest(msg) || sender.id !== browser.runtime.id) return undefined;
    if (msg.type === 'report:status') {
      try {
        sendResponse(reportStatus(controller));
      } catch (e) {
        sendResponse({ error: String((e as Error)?.message ?? e) });
      }
      return undefined;
    }
    // Answered asynchronously (return true keeps the channel open): the builder loads on first use.
    void loadLazy('report')
      .then((api) => {
        if (!api) return sendResponse({ error: 'the page report could not be loaded' });
        const reporter = new api.PageReporter({ controller, doc: document, win: window, now: () => Date.now(), version: browser.runtime.getManifest().version }, apis);
        sendResponse(reporter.handle(msg));
      })
      .catch((e) => sendResponse({ error: String((e as Error)?.message ?? e) }));
    return true;
  };
  browser.runtime.onMessage.addListener(onPopup);
  guard.onDispose(() => browser.runtime.onMessage.removeListener(onPopup));
  // One delegated listener each (not one per badge): hover and keyboard focus open the card.
  guard.on(document, 'mouseover', safe('hover', (e: Event) => controller.onPointerOver(e)), { passive: true });
  guard.on(document, 'mouseout', safe('hover', (e: Event) => controller.onPointerOut(e)), { passive: true });
  guard.on(document, 'focusin', safe('focus', (e: Event) => controller.onFocusIn(e)));
  guard.on(document, 'focusout', safe('focus', (e: Event) => controller.onFocusOut(e)));
  guard.on(document, 'keydown', safe('key', (e: Event) => controller.onKeyDown(e as KeyboardEvent)));
  guard.on(window, 'scroll', safe('scroll', () => controller.onScroll()), { capture: true, passive: true });

  const start = async () => {
    config = await loadConfig((e) => onError(e, 'settings')); // defaults still give correct badges
    if (guard.isInvalid) return;
    applyConfig();
    await applyLanguage();
    if (guard.isInvalid) return;
    controller.navigate(location.href);

    // Live: a change on the options page re-renders every badge, no reload.
    const unwatch = watchConfig(
      safe('settings', (c: Config) => {
        config = c;
        applyConfig();
        void applyLanguage(); // unchanged language: a no-op (langApplied)
      }),
      config,
    );
    guard.onDispose(unwatch);
  };
  start().catch((e) => onError(e, 'start'));
}

/** The lazily loaded chunks (components/overlay/lazy.ts LAZY_FILES), web-accessible for the panel's origins (wxt.config.ts). */
type LazyFile = '/overlay-ui.js' | '/overlay-report.js';

/** The message table in use (an override language), for the lazy chunk's copy of lib/i18n. */
let messagesInUse: { lang: Lang | null; table: ReturnType<typeof tableFromMessagesJson> | null } = { lang: null, table: null };

function isInvalidated(e: unknown): boolean {
  return /Extension context invalidated/i.test(String((e as Error)?.message ?? e));
}
