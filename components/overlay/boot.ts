/**
 * The content script's bootstrap: what every panel page runs (docs/performance.md "What the content
 * script carries"). The content script matches the whole panel but the overlay works only on the
 * postings pages, so the products, finance or chat pages carry only this: the SPA's location watch,
 * the postings-page test (panel/page.ts isPostingsUrl), the window `message` listener, the
 * popup's report requests and the background's "settings changed" (lib/config-messages.ts). On the tab's first postings page (at once when the tab opens on one) it
 * loads the `core` chunk (components/overlay/lazy.ts; the overlay itself, components/overlay/start.ts)
 * and hands it everything from then on. One run per guard (components/overlay/lifetime.ts): a
 * restart after an invalidation starts the core again at once if it was loaded before, since it
 * follows every page once it runs.
 *
 * The MAIN-world script hands bodies over (or posts them) from document_start: what arrives before the core runs is kept,
 * bounded (EARLY_LIMITS), and handed to it first. A failed load never throws into the page: it is
 * said once in the console and tried again on the next navigation to a postings page.
 */
import { BRIDGE_EVENT, BRIDGE_EXPECT_EVENT, BRIDGE_NS, BRIDGE_TEXT_MAX, fromThisWindow, takeHandedBody } from '../../panel/bridge-message';
import { isPostingsUrl } from '../../panel/page';
import { reportStatus } from './report-keys';
import { isReportRequest, type ReportRequest } from './report-messages';
import { isConfigChanged } from '../../lib/config-messages';
import { lazyNow, loadLazy, type CoreApi } from './lazy';
import { watchLocation, type Guard } from './lifetime';
import type { CoreRun } from './start';

/**
 * What is kept until the core takes it: the last few bodies of the panel's JSON (only the load's
 * few milliseconds on a postings page; on another page the latest are what a later postings page
 * can still use; the page report's key structure comes from the same bodies, json-feed.ts), and
 * never more text in all than one body may hold (BRIDGE_TEXT_MAX): the oldest go first.
 */
export const EARLY_LIMITS = { bodies: 8, chars: BRIDGE_TEXT_MAX } as const;

/** The MAIN world's body messages received before the core runs, bounded, in arrival order. */
export class EarlyMessages {
  private list: { e: MessageEvent; chars: number }[] = [];
  private chars = 0;

  /** Keeps `e` when it may be ours (this window, our namespace, a text body; validated by the core as untrusted). */
  push(e: MessageEvent, win: Window): boolean {
    const chars = earlyChars(e, win);
    if (chars < 0) return false;
    this.list.push({ e, chars });
    this.chars += chars;
    while (this.list.length > EARLY_LIMITS.bodies || this.chars > EARLY_LIMITS.chars) {
      const old = this.list.shift()!;
      this.chars -= old.chars;
    }
    return true;
  }

  get size(): number {
    return this.list.length;
  }

  /** Everything kept, oldest first; the buffer is empty afterwards. */
  take(): MessageEvent[] {
    const out = this.list.map((x) => x.e);
    this.list = [];
    this.chars = 0;
    return out;
  }
}

/** The length of a body message's text, or -1 when it is not one of ours (this window, our namespace, a string). */
function earlyChars(e: MessageEvent, win: Window): number {
  try {
    if (!fromThisWindow(e, win)) return -1;
    const d: unknown = e.data;
    if (!d || typeof d !== 'object') return -1;
    const { ns, kind, text } = d as { ns?: unknown; kind?: unknown; text?: unknown };
    return ns === BRIDGE_NS && kind === 'body' && typeof text === 'string' && text.length <= BRIDGE_TEXT_MAX ? text.length : -1;
  } catch {
    return -1;
  }
}

type ReportListener = (msg: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => true | undefined;

export interface BootEnv {
  win: Window;
  /** A lazy chunk's URL (browser.runtime.getURL): handed to the core's own loader. */
  url(file: string): string;
  /** The extension's runtime: its id (a report request must come from it) and its message event. */
  runtime: {
    readonly id?: string;
    onMessage: { addListener(fn: ReportListener): void; removeListener(fn: ReportListener): void };
  };
  /** Logs once per place. */
  onError(e: unknown, where: string): void;
}

export interface BootRun {
  /** The running core, once loaded and started. */
  readonly core: CoreRun | null;
  /** Messages kept for the core (tests). */
  readonly early: EarlyMessages;
}

/** What `report:status` answers before the core runs: a panel page that is not (yet) read. */
const NOT_READ = { page: null, layoutChanged: false, badges: new Set<never>() };

/** One run of the bootstrap; everything it holds goes when `guard` is disposed. */
export function startBoot(guard: Guard, env: BootEnv): BootRun {
  const { win, onError } = env;
  const early = new EarlyMessages();
  let core: CoreRun | null = null;
  let loading: Promise<CoreRun | null> | null = null;
  let startFailed = false;

  const start = (api: CoreApi): CoreRun | null => {
    if (core || guard.isInvalid || startFailed) return core;
    try {
      core = api.startCore(guard, { url: env.url, onError });
    } catch (e) {
      startFailed = true; // half-registered under this guard: not again in this run
      onError(e, 'start');
      return null;
    }
    const run = core;
    for (const e of early.take()) run.onWindowMessage(e);
    return run;
  };

  const ensureCore = (): Promise<CoreRun | null> => {
    if (core) return Promise.resolve(core);
    const have = lazyNow('core');
    if (have) return Promise.resolve(start(have));
    loading ??= loadLazy('core').then((api) => {
      loading = null;
      if (api) return start(api);
      // Once per content script (onError); the next postings page tries again.
      onError(new Error('the overlay (overlay-core.js) could not be loaded; trying again on the next orders page'), 'core');
      return null;
    });
    return loading;
  };

  const onBody = (e: MessageEvent) => {
    try {
      if (core) core.onWindowMessage(e);
      else early.push(e, win);
    } catch (err) {
      onError(err, 'bridge');
    }
  };
  guard.on(win, 'message', (e: Event) => onBody(e as MessageEvent));
  // A body handed over as a DOM string (panel/bridge-message.ts bodyPoster). This listener runs
  // inside the MAIN world's dispatch, i.e. inside the page's own fetch or XHR callback: the body is
  // only queued here (the order feed's checks, json-feed.ts accept); its parse and walk run in a
  // task of their own. Queued at once, not after a timer: rows the page renders meanwhile wait for
  // it, and each task between the two waited behind the page's frames.
  guard.on(win, BRIDGE_EVENT, (e: Event) => {
    const m = takeHandedBody(e, win);
    if (m) onBody(m);
  });
  // "A body is coming" (panel/bridge-message.ts BRIDGE_EXPECT_EVENT): a flag set at once, so rows the
  // page renders before the body arrives wait for it. Before the core runs there are no rows to hold.
  guard.on(win, BRIDGE_EXPECT_EVENT, () => {
    try {
      core?.expectBody();
    } catch (err) {
      onError(err, 'bridge');
    }
  });

  watchLocation(guard, win, (url: string) => {
    try {
      if (core) core.navigate(url);
      else if (isPostingsUrl(url)) void ensureCore();
    } catch (e) {
      onError(e, 'navigate');
    }
  });

  const onExtensionMessage: ReportListener = (msg, sender, sendResponse) => {
    if (guard.isInvalid || sender.id !== env.runtime.id) return undefined;
    if (isConfigChanged(msg)) {
      // The background says the settings or rulebook changed: a running overlay reads them again; one not
      // started yet reads them when it starts.
      try {
        core?.configChanged();
      } catch (e) {
        onError(e, 'settings');
      }
      sendResponse(true);
      return undefined;
    }
    if (!isReportRequest(msg)) return undefined;
    if (core) return core.onReport(msg, sendResponse) || undefined;
    if (msg.type === 'report:status') {
      sendResponse(reportStatus(NOT_READ));
      return undefined;
    }
    // A report of a page the overlay has not read yet: the reader's state comes with the core.
    void ensureCore().then(
      (c) => (c ? c.onReport(msg as ReportRequest, sendResponse) : sendResponse({ error: 'the page report could not be loaded' })),
      (e: unknown) => sendResponse({ error: String((e as Error)?.message ?? e) }),
    );
    return true;
  };
  env.runtime.onMessage.addListener(onExtensionMessage);
  guard.onDispose(() => env.runtime.onMessage.removeListener(onExtensionMessage));

  // A restart after the core ran follows every page again, as before the invalidation.
  if (lazyNow('core') || isPostingsUrl(win.location.href)) void ensureCore();

  return {
    get core() {
      return core;
    },
    early,
  };
}
