/**
 * The bridge's message, as the MAIN world posts it (panel/interceptor.ts via
 * entrypoints/interceptor.content.ts). Its own module, importing nothing, so
 * the MAIN-world bundle carries only this and the interceptor, and the
 * content script's bootstrap (components/overlay/boot.ts) only this to keep
 * early messages: the isolated side's check (panel/bridge.ts, which
 * re-exports this) pulls in the order schema. Why body text and not orders: panel/bridge.ts, docs/performance.md.
 */

/** The message's namespace: `data.ns`. */
export const BRIDGE_NS = 'ozon-order-guard';
/** 2: the body text (1 carried walked orders; both scripts ship together, so 1 is gone). */
export const BRIDGE_VERSION = 2;

/**
 * The longest body text that crosses (UTF-16 units), and the interceptor's
 * default cap in bytes: a 5,000-posting list is ~2 MB. The isolated side
 * refuses longer text before reading it.
 */
export const BRIDGE_TEXT_MAX = 5 * 1024 * 1024;

/** What travels through `postMessage`. */
export interface BridgeMessage {
  ns: typeof BRIDGE_NS;
  v: typeof BRIDGE_VERSION;
  kind: 'body';
  /** The request URL path (no query). */
  path: string;
  /** The response body, as the panel received it. */
  text: string;
}

/**
 * The MAIN side's poster: `installInterceptor(window, bodyPoster(window))`.
 * Targeted at the page's own origin so nothing leaves the tab.
 */
export function bodyPoster(win: Window): (path: string, text: string) => void {
  return (path, text) => {
    try {
      const m: BridgeMessage = { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path, text };
      win.postMessage(m, win.location.origin);
    } catch {
      /* a detached window: nothing to tell */
    }
  };
}
/**
 * The isolated side's filter for window messages: only this very window (not a
 * frame) and its own origin. A null source is how synthetic events (and some
 * engines) report the window itself. The data is validated separately, as untrusted.
 */
export function fromThisWindow(e: MessageEvent, win: Window): boolean {
  if (e.source !== null && e.source !== win) return false;
  return !e.origin || !win.location || e.origin === win.location.origin;
}

