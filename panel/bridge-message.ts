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
 * The event type of a body handed over as a DOM string (`bodyPoster`, `takeHandedBody`). A name of
 * our own: only a listener for exactly this type sees it, where every `message` listener of the
 * page saw a posted body.
 */
export const BRIDGE_EVENT = 'ozon-order-guard:body';

/**
 * The MAIN side's poster: `installInterceptor(window, bodyPoster(window))`.
 *
 * The body is handed over as a DOM string: a fragment of two Text nodes (the path, the body)
 * carried as the `relatedTarget` of a cancelable event of our own type on this window. Both worlds share the
 * DOM, so the isolated side reads the very string the node holds — where `postMessage` copied the
 * body twice on the page's main thread (a structured clone out of this world and one into the
 * other: ≈ 10 % of the extension's time on a 1,000-row list, docs/performance.md). The isolated
 * side cancels the event to say it took the body; when nobody did (its script not running yet, an
 * engine that does not carry the node across), the body is posted as before, targeted at the
 * page's own origin so nothing leaves the tab. The DOM functions are the ones this window had when
 * the poster was made (document_start, before the page's own code), so a page that patches them
 * later is not called.
 */
export function bodyPoster(win: Window): (path: string, text: string) => void {
  let handOver: ((path: string, text: string) => boolean) | null = null;
  try {
    const w = win as Window & typeof globalThis;
    const doc = w.document;
    // Looked up now (document_start): the functions the page had before its own code ran.
    const createText = doc.createTextNode;
    const createFragment = doc.createDocumentFragment;
    const append = w.Node.prototype.appendChild;
    const dispatch = w.dispatchEvent;
    const Mouse = w.MouseEvent;
    handOver = (path, text) => {
      // Path and body as two nodes: joined into one string, the body was copied once more.
      const frag = createFragment.call(doc);
      append.call(frag, createText.call(doc, path));
      append.call(frag, createText.call(doc, text));
      const ev = new Mouse(BRIDGE_EVENT, { relatedTarget: frag, cancelable: true });
      // false: a listener cancelled it, i.e. the isolated side took the body.
      return !dispatch.call(win, ev);
    };
  } catch {
    handOver = null;
  }
  return (path, text) => {
    try {
      if (handOver?.(path, text)) return;
    } catch {
      /* fall back to the message */
    }
    try {
      const m: BridgeMessage = { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path, text };
      win.postMessage(m, win.location.origin);
    } catch {
      /* a detached window: nothing to tell */
    }
  };
}

/**
 * The event type of "a body is coming": the MAIN side dispatches it (`bodyExpecter`) as soon as a
 * same-origin `/api/` answer's headers say it is JSON within the cap, before its body is read. The
 * page renders rows from that answer before our copy of its text is read and handed over; told
 * first, the isolated side lets the rows that appear meanwhile wait for their orders
 * (components/overlay/json-cache.ts `expect`, bounded by JSON_WAIT_MS) instead of reading them from
 * the DOM and again when the JSON lands (docs/performance.md). It carries nothing; a forged one
 * can only make new rows wait that long, once each.
 */
export const BRIDGE_EXPECT_EVENT = 'ozon-order-guard:expect';

/** The MAIN side's "a body is coming" (see BRIDGE_EXPECT_EVENT); the DOM functions as of document_start. */
export function bodyExpecter(win: Window): () => void {
  try {
    const w = win as Window & typeof globalThis;
    const dispatch = w.dispatchEvent;
    const Ev = w.Event;
    return () => {
      try {
        dispatch.call(win, new Ev(BRIDGE_EXPECT_EVENT));
      } catch {
        /* nothing to tell */
      }
    };
  } catch {
    return () => {};
  }
}

/**
 * The isolated side of the hand-over: the body an event of BRIDGE_EVENT carries, as the message
 * `postMessage` would have delivered (same data, this window as its source), so everything after
 * reads both alike and checks it as untrusted (panel/bridge.ts validateBridgeMessage). Cancels the
 * event (the MAIN side then posts nothing). Null for anything else, longer text included. Never throws.
 */
export function takeHandedBody(e: Event, win: Window): MessageEvent | null {
  try {
    const frag = (e as MouseEvent).relatedTarget as Node | null;
    if (!frag || frag.nodeType !== 11) return null;
    const first = frag.firstChild;
    const last = frag.lastChild;
    if (!first || !last || first === last || first.nextSibling !== last || first.nodeType !== 3 || last.nodeType !== 3) return null;
    const path = (first as Text).data;
    const text = (last as Text).data;
    if (path.length === 0 || path.length > 300 || text.length > BRIDGE_TEXT_MAX) return null;
    const data: BridgeMessage = { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path, text };
    const m = new MessageEvent('message', { data, origin: win.location?.origin ?? '', source: win });
    // Cancelled last: only a body really taken keeps the MAIN side from posting it.
    e.preventDefault();
    return m;
  } catch {
    return null;
  }
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
