/**
 * One run of the overlay on a panel page: the `core` chunk (entrypoints/overlay-core.ts), loaded by
 * the content script's bootstrap (components/overlay/boot.ts) on the tab's first postings page
 * (docs/performance.md "What the content script carries"). It holds everything that reads rows and
 * draws badges: the controller, the settings and rulebook in force (storage/config.ts, live), the
 * language (the panel's own or the seller's override, live), the hover/focus/key/scroll delegation,
 * the page report's key log and its answers to the popup.
 *
 * What every panel page needs stays in the bootstrap, which hands this run what it already has:
 * the window `message` events (buffered ones first), the SPA's URL changes and the popup's report
 * requests (already checked to be ours). Everything registered here goes through `guard`
 * (components/overlay/lifetime.ts): an invalidation disposes it, the bootstrap starts a new run.
 */
import { browser } from 'wxt/browser';
import { useMessages, tableFromMessagesJson, type Lang } from '../../lib/i18n';
import type { Message } from '../../background/messages';
import { isUnedited, normalizeSettings, rulebookOfClean, type RulebookOverrides } from '../../storage/settings';
// Read-only: the page never writes settings, so it skips the storage library (storage/config.ts, the one loader).
import { configRefresher, loadConfigWith, type Config, type RulebookOf } from '../../storage/config';
import { defaultRulebook, isObj } from '../../rules';
import { contentLang } from '../../panel/lang';
import { cookieValue } from '../../panel/cookies';
import { BadgeController } from './controller';
import { ApiKeysLog, collectReportKeys, reportStatus } from './report-keys';
import type { ReportRequest } from './report-messages';
import { configureLazy, loadLazy } from './lazy';
import { JsonOffload } from './json-offload';
// The worker's program, bundled into this chunk as text and started from a blob: URL (the page's own origin):
// an extension URL cannot be a page's worker. Why a worker: json-offload.ts.
import JsonWorker from './json-worker?worker&inline';
import { offloadState, rememberOffloadBlocked, rememberOffloadUsed } from '../../storage/offload';
import type { Guard } from './lifetime';

export interface CoreEnv {
  /** A lazy chunk's URL (browser.runtime.getURL of LAZY_FILES, given by the bootstrap): the card, list and report chunks. */
  url(file: string): string;
  /** Logs once per place (the bootstrap's console policy). */
  onError(e: unknown, where: string): void;
}

/** What the bootstrap hands a running core. */
export interface CoreRun {
  /** A window `message` event: the JSON bridge and the page report's key structure. */
  onWindowMessage(e: MessageEvent): void;
  /** The page world says a panel answer's body is coming (panel/bridge-message.ts BRIDGE_EXPECT_EVENT). */
  expectBody(): void;
  /** The SPA changed its URL. */
  navigate(url: string): void;
  /** A popup request (checked: a report request from this extension); true when answered later (the channel stays open). */
  onReport(msg: ReportRequest, sendResponse: (r: unknown) => void): boolean;
  /** The background says the settings or rulebook changed (lib/config-messages.ts): they are read again, and applied if they differ. */
  configChanged(): void;
}

/**
 * The rulebook in force, without carrying its validator (rules/rulebook-check.ts, ≈ 1.7 KB gzip of
 * what a postings page loads): an unedited rulebook needs none, and an edited one is cleaned by the
 * background, which carries it anyway (background/router.ts `rulebook:clean`). Data by message, as
 * the language tables come (docs/performance.md "What the content script carries"). If the background
 * cannot answer, loadConfigWith keeps the default rulebook and says why, as for a storage error.
 */
const rulebookOf: RulebookOf = async (stored) => {
  if (isUnedited(stored)) return defaultRulebook;
  const clean: unknown = await browser.runtime.sendMessage({ type: 'rulebook:clean', overrides: stored } satisfies Message);
  if (!isObj(clean) || (clean.profile !== 'seed' && clean.profile !== 'official') || !isObj(clean.values)) throw new Error('the background gave no rulebook');
  return rulebookOfClean(clean as unknown as RulebookOverrides);
};

/** The message table in use (an override language), for the `ui` chunk's copy of lib/i18n (lazy.ts). Kept across runs like lib/i18n's own state. */
let messagesInUse: { lang: Lang | null; table: ReturnType<typeof tableFromMessagesJson> | null } = { lang: null, table: null };

/** Starts one run of the overlay; everything it holds goes when `guard` is disposed. */
export function startCore(guard: Guard, env: CoreEnv): CoreRun {
  const { onError } = env;
  // The card, the at-risk list and the page report come in on first use (components/overlay/lazy.ts): this chunk's copy of the loader.
  configureLazy({ url: env.url, messages: () => messagesInUse });
  // The panel's big JSON bodies are walked in a worker, once this origin is known not to forbid it (storage/offload.ts).
  const origin = location.origin;
  const offload = new JsonOffload(
    {
      setTimeout: (fn, ms) => guard.timers.setTimeout(fn, ms),
      clearTimeout: (id) => guard.timers.clearTimeout(id),
      make: () => new JsonWorker(),
      blocked: () => void rememberOffloadBlocked(origin),
      used: () => void rememberOffloadUsed(origin, Date.now()),
    },
    false,
  );
  void offloadState(origin, Date.now()).then(({ blocked, warm }) => {
    if (guard.isInvalid) return;
    if (blocked) return offload.deny();
    offload.allow();
    // Started ahead of the list only where the worker took a body lately: on a panel whose lists come
    // in pages of 50 (walked on the page) it would start on every load for nothing (storage/offload.ts).
    if (warm) offload.warm();
  });
  // The page report (popup → this tab): the JSON key structure the MAIN world posts is kept here;
  // the report itself is built by the lazily loaded PageReporter (components/overlay/report.ts) on request.
  const apis = new ApiKeysLog();
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
    offload,
    drawNear: true,
    apiKeys: { wants: (path) => apis.wants(path), add: (path, shape) => apis.addShape(path, shape) },
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

  let config: Config = { settings: normalizeSettings(null), rulebook: defaultRulebook };
  /** Reads the settings again when the background says they changed (made once they are first read). */
  let refreshConfig: (() => void) | null = null;
  /** A change announced while they were first being read: read again once that is done. */
  let changedMeanwhile = false;
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
  const onBridge = safe('bridge', (e: MessageEvent) => controller.onBridgeMessage(e));
  const expectBody = safe('bridge', () => controller.expectBody());
  const onKeys = safe('report', (e: MessageEvent) => collectReportKeys(e, window, apis));
  const navigate = safe('navigate', (url: string) => {
    controller.navigate(url);
    void applyLanguage(); // the SPA may have switched the panel's language (cookie) meanwhile
  });
  // The panel switching its language in place changes <html lang>: one observer, owned by this run's guard.
  if (typeof MutationObserver === 'function' && document.documentElement) {
    const langObserver = new MutationObserver(safe('language', () => void applyLanguage()));
    langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    guard.onDispose(() => langObserver.disconnect());
  }
  const onReport = (msg: ReportRequest, sendResponse: (r: unknown) => void): boolean => {
    if (msg.type === 'report:status') {
      try {
        sendResponse(reportStatus(controller));
      } catch (e) {
        sendResponse({ error: String((e as Error)?.message ?? e) });
      }
      return false;
    }
    // Answered asynchronously: the builder loads on first use.
    void loadLazy('report')
      .then((api) => {
        if (!api) return sendResponse({ error: 'the page report could not be loaded' });
        const reporter = new api.PageReporter({ controller, doc: document, win: window, now: () => Date.now(), version: browser.runtime.getManifest().version }, apis);
        sendResponse(reporter.handle(msg));
      })
      .catch((e) => sendResponse({ error: String((e as Error)?.message ?? e) }));
    return true;
  };
  // One delegated listener each (not one per badge): hover and keyboard focus open the card.
  guard.on(document, 'mouseover', safe('hover', (e: Event) => controller.onPointerOver(e)), { passive: true });
  guard.on(document, 'mouseout', safe('hover', (e: Event) => controller.onPointerOut(e)), { passive: true });
  guard.on(document, 'focusin', safe('focus', (e: Event) => controller.onFocusIn(e)));
  guard.on(document, 'focusout', safe('focus', (e: Event) => controller.onFocusOut(e)));
  guard.on(document, 'keydown', safe('key', (e: Event) => controller.onKeyDown(e as KeyboardEvent)));
  guard.on(window, 'scroll', safe('scroll', () => controller.onScroll()), { capture: true, passive: true });
  // A taller window shows rows that were below it: their badges are measured as after a scroll (clock.ts).
  guard.on(window, 'resize', safe('resize', () => controller.onResize()), { passive: true });
  // A click, or the end of a transition or animation, may have moved rows into view without a scroll
  // (a panel above them collapsed): the clock looks, in a few dozen box reads, while some badge is bare (clock.ts).
  const hint = safe('layout-hint', () => controller.onLayoutHint());
  for (const type of ['click', 'transitionend', 'animationend']) guard.on(document, type, hint, { capture: true, passive: true });

  const start = async () => {
    config = await loadConfigWith(rulebookOf, (e) => onError(e, 'settings')); // defaults still give correct badges
    if (guard.isInvalid) return;
    applyConfig();
    await applyLanguage();
    if (guard.isInvalid) return;
    controller.navigate(location.href);

    // Live: a change on the options page re-renders every badge, no reload. The background tells this
    // tab (lib/config-messages.ts says why this tab does not watch storage itself).
    refreshConfig = configRefresher(
      rulebookOf,
      safe('settings', (c: Config) => {
        if (guard.isInvalid) return;
        config = c;
        applyConfig();
        void applyLanguage(); // unchanged language: a no-op (langApplied)
      }),
      config,
      (e) => onError(e, 'settings'),
    );
    if (changedMeanwhile) refreshConfig();
  };
  start().catch((e) => onError(e, 'start'));

  return {
    onWindowMessage: (e) => {
      if (guard.isInvalid) return;
      onBridge(e);
      // After the order feed's first slice (json-feed.ts, a timer armed just now): that slice parses
      // the body and the key log reuses the parse (panel/bridge.ts parseBridgeBody), so no parse
      // runs in the message's own task.
      guard.timers.setTimeout(() => onKeys(e), 0);
    },
    expectBody: () => {
      if (!guard.isInvalid) expectBody();
    },
    navigate: (url) => {
      if (!guard.isInvalid) navigate(url);
    },
    onReport,
    configChanged: () => {
      if (guard.isInvalid) return;
      if (refreshConfig) refreshConfig();
      else changedMeanwhile = true;
    },
  };
}
