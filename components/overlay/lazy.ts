/**
 * The part of the page side that not every page needs, loaded the first time it is used
 * (docs/performance.md "What the content script carries"): the overlay itself (chunk `core`:
 * reader, rules, badges; loaded by the content script's bootstrap, components/overlay/boot.ts, on
 * the tab's first postings page), and, loaded by the core, the hover/focus card and the chip's
 * at-risk list (chunk `ui`) and the page report builder (chunk `report`, asked for by the popup
 * only). Each is built as its own script (entrypoints/overlay-core.ts, overlay-ui.ts,
 * overlay-report.ts) and brought in with a dynamic `import()` of the extension's own URL, so it
 * runs in the content script's isolated world (the page's JS never sees it). The files are
 * web-accessible resources for the panel's origins only, and in Chrome under a per-session
 * dynamic URL (wxt.config.ts), so no other site can probe for them.
 *
 * A chunk is a classic script built by WXT (no ES exports): evaluating it stores its API under
 * its key on the isolated world's global, where this loader picks it up. Each bundle has its own
 * copy of this module: the bootstrap's loads `core`, the core's (configured by
 * components/overlay/start.ts) loads `ui` and `report`.
 *
 * The `ui` chunk carries its own copy of lib/i18n: the loader hands it the message table the
 * content script uses (an override language chosen in the options) whenever that changed, so
 * both copies say the same words. Nothing here throws: a failed load resolves to null and is
 * retried on the next use.
 */
import type { createHoverCard } from '../badge/card';
import type { createAtRiskPanel } from '../badge/atrisk-list';
import type { PageReporter } from './report';
import type { startCore } from './start';
import { messagesVersion, type Lang, type MessageTable } from '../../lib/i18n';

export interface UiApi {
  createHoverCard: typeof createHoverCard;
  createAtRiskPanel: typeof createAtRiskPanel;
  useMessages(l: Lang | null, table: MessageTable | null): void;
}
export interface ReportApi {
  PageReporter: typeof PageReporter;
}
export interface CoreApi {
  startCore: typeof startCore;
}
interface Apis {
  core: CoreApi;
  ui: UiApi;
  report: ReportApi;
}
export type ChunkName = keyof Apis;

/** Where a chunk leaves its API (the isolated world's global: the page cannot read it). */
export const LAZY_KEYS: Readonly<Record<ChunkName, symbol>> = {
  core: Symbol.for('ozon-order-guard.overlay-core'),
  ui: Symbol.for('ozon-order-guard.overlay-ui'),
  report: Symbol.for('ozon-order-guard.overlay-report'),
};

/** The chunks' files, as listed in web_accessible_resources (wxt.config.ts). */
export const LAZY_FILES = { core: '/overlay-core.js', ui: '/overlay-ui.js', report: '/overlay-report.js' } as const satisfies Readonly<Record<ChunkName, string>>;
/** A chunk's file (the content script's browser.runtime.getURL takes only known public paths). */
export type LazyFile = (typeof LAZY_FILES)[ChunkName];

export interface LazySource {
  /** A chunk's URL (browser.runtime.getURL of LAZY_FILES): set by the content script's entrypoint. */
  url(file: string): string;
  /** The message table in use in the core (null, null: the browser's language); the bootstrap, which loads only `core`, has none. */
  messages?(): { lang: Lang | null; table: MessageTable | null };
  /** Loads a chunk (a dynamic import); replaceable in tests. */
  importer?: (url: string) => Promise<unknown>;
}

let source: LazySource | null = null;
const pending = new Map<ChunkName, Promise<unknown>>();
const loaded = new Map<ChunkName, unknown>();
let syncedAt = -1;

/** Called by the content script's entrypoint and by each run of the core (components/overlay/start.ts), and by tests. */
export function configureLazy(s: LazySource | null): void {
  source = s;
  pending.clear();
  loaded.clear();
  syncedAt = -1;
}

/** A chunk's API if it is already loaded (synchronous: the card's re-render on a tick). */
export function lazyNow<N extends ChunkName>(name: N): Apis[N] | null {
  const api = (loaded.get(name) as Apis[N] | undefined) ?? null;
  if (api && name === 'ui') syncMessages(api as UiApi);
  return api;
}

/** A chunk's API, loading it on first use; null when it cannot be loaded (then retried next time). */
export function loadLazy<N extends ChunkName>(name: N): Promise<Apis[N] | null> {
  const have = lazyNow(name);
  if (have) return Promise.resolve(have);
  const waiting = pending.get(name) as Promise<Apis[N] | null> | undefined;
  if (waiting) return waiting;
  const s = source;
  if (!s) return Promise.resolve(null);
  const p = (async (): Promise<Apis[N] | null> => {
    try {
      // A dynamic import of our own chunk, evaluated in this isolated world (not the page's).
      await (s.importer ?? ((u: string) => import(/* @vite-ignore */ u)))(s.url(LAZY_FILES[name]));
      const api = (globalThis as Record<symbol, unknown>)[LAZY_KEYS[name]] as Apis[N] | undefined;
      if (!api || typeof api !== 'object') return null;
      if (source === s) loaded.set(name, api);
      return lazyNow(name) ?? api;
    } catch {
      return null;
    }
  })();
  pending.set(name, p);
  // Settled: the next call either finds it loaded or tries again.
  void p.then(() => {
    if (pending.get(name) === p) pending.delete(name);
  });
  return p;
}

/** The `ui` chunk's copy of lib/i18n follows the content script's table whenever that changes. */
function syncMessages(api: UiApi): void {
  const v = messagesVersion();
  if (v === syncedAt || !source?.messages) return;
  syncedAt = v;
  const m = source.messages();
  api.useMessages(m.lang, m.table);
}
