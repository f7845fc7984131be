/**
 * Read-only observation of the panel's own `/api/` responses, for the
 * `world: 'MAIN'` content script at document_start (docs/ozon-domain.md §2.3:
 * only observe, never rewrite — faked responses break the panel).
 *
 * Guarantees to the page:
 * - `fetch` returns the very promise the original returned (same response,
 *   same rejection, same synchronous throw, same `this` and arguments); the
 *   body is read from a `clone()` in a later task, never from the original.
 *   One difference shows: a same-origin `/api/` call's promise has our
 *   reader's handlers too, so if it rejects and the page left it unhandled,
 *   no `unhandledrejection` is reported for it (other calls get no handler).
 * - An error raised inside a wrapper carries the wrapper's frame, and with it
 *   the extension's address, in its stack (README "Security and privacy").
 * - `XMLHttpRequest` is only listened to (`loadend`), never altered; the
 *   wrapped `open` passes `this`, arguments, return value and errors through.
 * - Only same-origin `/api/` URLs are looked at; bodies over the size cap
 *   (by Content-Length, then by bytes read) are skipped without waiting.
 * - Installing twice wraps once. Nothing here throws into the page.
 *
 * It neither parses nor walks: it hands the body TEXT to `post` (panel/bridge.ts,
 * `bodyPoster`), and the isolated content script parses it once and walks it
 * (components/overlay/json-feed.ts). A string crosses to the isolated world as
 * one copy of its bytes; the orders as objects cost a structured clone each,
 * and the walker made this bundle several times larger (docs/performance.md,
 * "The panel's JSON").
 */
import { BRIDGE_TEXT_MAX } from './bridge-message';

export interface InterceptorOptions {
  /** Body size cap in bytes (default BRIDGE_TEXT_MAX, 5 MB: the isolated side refuses longer text). */
  maxBytes?: number;
  /**
   * Called when an answer's headers say a body will be posted (JSON-like, within the cap), before
   * it is read: panel/bridge-message.ts bodyExpecter. Never delays or alters anything of the page.
   */
  expect?: () => void;
}

const INSTALLED = Symbol.for('ozon-order-guard.interceptor');

type Win = Window & typeof globalThis & { [INSTALLED]?: true };

/** Same-origin `/api/` path of a request URL, or undefined. */
export function apiPath(url: string, win: Window): string | undefined {
  try {
    const u = new URL(url, win.location.href);
    if (u.origin !== win.location.origin) return undefined;
    return u.pathname.startsWith('/api/') ? u.pathname : undefined;
  } catch {
    return undefined;
  }
}

function requestUrl(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object') {
    // URL objects and Request objects; reading `.url` / `.href` consumes nothing.
    const o = input as { href?: unknown; url?: unknown };
    if (typeof o.href === 'string') return o.href;
    if (typeof o.url === 'string') return o.url;
  }
  return undefined;
}

function looksJson(contentType: string | null): boolean {
  // Missing content types are tried (the isolated side's JSON.parse decides); clearly other types are not.
  return !contentType || /json|text\/plain|javascript/i.test(contentType);
}

/** The body of a clone whose length is not known, read as a stream and dropped as soon as it passes `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const body = res.body;
  if (!body || typeof body.getReader !== 'function') {
    const t = await res.text();
    return t.length > max ? undefined : t;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      // Stop reading our copy; the page's own stream is a separate branch of the tee.
      void reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** Whether a text may be JSON at all: HTML error pages and scripts are not posted. */
function jsonLike(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 123 /* { */ || c === 91 /* [ */ || /^\s*[[{]/.test(text.slice(0, 64));
}

/**
 * Runs each function in a later task the page cannot cancel. A timer here would be the page's to
 * clear: in the MAIN world its ids are the page's own, and a page that clears every id it finds
 * would drop the body (the isolated world's timers met that page: components/overlay/timers.ts). A
 * message on a channel only this closure holds has no id. The channel is made on first use (at
 * install, before any page script, its constructor is taken) and closed whenever its queue is
 * empty, so nothing stays open on a page that never needs it; where there is no MessageChannel, a
 * timer as before.
 */
function laterTasks(w: Win): (fn: () => void) => void {
  const MC = (w as { MessageChannel?: typeof MessageChannel }).MessageChannel ?? globalThis.MessageChannel;
  const setT = (w as { setTimeout?: typeof setTimeout }).setTimeout ?? globalThis.setTimeout;
  const queue: (() => void)[] = [];
  let channel: MessageChannel | null = null;
  const run = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* never into the page */
    }
  };
  return (fn) => {
    try {
      if (!channel) {
        const c = new MC();
        // One message per function queued: the queue empties exactly when the last message is taken.
        c.port1.onmessage = () => {
          const next = queue.shift();
          if (!queue.length) {
            c.port1.close();
            if (channel === c) channel = null;
          }
          if (next) run(next);
        };
        channel = c;
      }
      queue.push(fn);
      channel.port2.postMessage(null);
    } catch {
      if (queue[queue.length - 1] === fn) queue.pop();
      setT(() => run(fn), 0);
    }
  };
}

export function installInterceptor(win: Window, post: (path: string, text: string) => void, opts: InterceptorOptions = {}): boolean {
  const w = win as Win;
  try {
    if (w[INSTALLED]) return false;
    Object.defineProperty(w, INSTALLED, { value: true, configurable: false, enumerable: false });
  } catch {
    return false;
  }
  const max = opts.maxBytes ?? BRIDGE_TEXT_MAX;
  const expect = () => {
    try {
      opts.expect?.();
    } catch {
      /* the page never notices */
    }
  };

  const handle = (path: string, text: string | undefined) => {
    try {
      if (!text || text.length > max || !jsonLike(text)) return;
      post(path, text);
    } catch {
      /* a throwing poster: the page never notices */
    }
  };

  // ---- fetch
  const origFetch = w.fetch;
  if (typeof origFetch === 'function') {
    const wrapped = function (this: unknown, ...args: Parameters<typeof fetch>): Promise<Response> {
      // The original call first, untouched: its return value and any synchronous throw are the page's.
      const p = Reflect.apply(origFetch, this, args) as Promise<Response>;
      try {
        const path = apiPath(requestUrl(args[0]) ?? '', w);
        if (path && p && typeof p.then === 'function') {
          p.then(
            (res) => {
              try {
                if (!res || res.type === 'opaque' || !res.ok) return;
                const finalPath = res.url ? apiPath(res.url, w) : path;
                if (!finalPath) return;
                if (!looksJson(res.headers.get('content-type'))) return;
                const header = res.headers.get('content-length');
                const len = header === null || header === '' ? NaN : Number(header);
                if (Number.isFinite(len) && len > max) return;
                expect();
                const copy = res.clone();
                // A known length within the cap: the engine's own text() (no JS loop over chunks);
                // an unknown one: the stream, dropped as soon as it passes the cap.
                const read = Number.isFinite(len) && len >= 0 ? copy.text() : readCapped(copy, max);
                // Posted as soon as the text is here: this callback already runs after the page's own
                // code of that task, and a timer on top waited behind the page's render frames
                // (≈ 100 ms on a 1,000-row list), long enough for rows to be read before their JSON
                // arrived and read again after it (docs/performance.md, "The panel's JSON").
                read.then(
                  (text) => handle(finalPath, text),
                  () => {},
                );
              } catch {
                /* body already used, or anything else: skip */
              }
            },
            () => {
              /* the page sees its own rejection; ours is handled */
            },
          );
        }
      } catch {
        /* never into the page */
      }
      return p;
    };
    mirror(wrapped, origFetch);
    try {
      w.fetch = wrapped as typeof fetch;
    } catch {
      /* a frozen fetch: leave it */
    }
  }

  // ---- XMLHttpRequest
  const XHR = w.XMLHttpRequest;
  if (typeof XHR === 'function' && XHR.prototype) {
    const later = laterTasks(w);
    const proto = XHR.prototype;
    const origOpen = proto.open;
    const watched = new WeakSet<XMLHttpRequest>();
    const urls = new WeakMap<XMLHttpRequest, string>();
    const onLoadEnd = function (this: XMLHttpRequest) {
      // The XHR the page called us on; named once for the closures below.
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const xhr = this;
      try {
        const path = urls.get(xhr);
        if (!path || xhr.status < 200 || xhr.status >= 300) return;
        const final = xhr.responseURL ? apiPath(xhr.responseURL, w) : path;
        if (!final) return;
        const len = Number(xhr.getResponseHeader('content-length'));
        if (Number.isFinite(len) && len > max) return;
        if (!looksJson(xhr.getResponseHeader('content-type'))) return;
        const type = xhr.responseType;
        if (type === '' || type === 'text') {
          const text = xhr.responseText;
          if (typeof text !== 'string' || text.length > max) return;
          // Handed over at once: the hand-over is a copy and an event (panel/bridge-message.ts), and the
          // page's own load handlers, which render the rows, have already run; a timer here kept its
          // rows waiting for their JSON behind the page's next frames (docs/performance.md).
          handle(final, text);
        } else if (type === 'json') {
          // The browser parsed it into the page's own object and kept no text. It is written back
          // as text (read only) so the bridge has one message shape, one length cap and one
          // identical-body check; a structured clone of the object would cost per object just
          // the same. The panel's calls look like axios (docs/real-panel.md §1, their Accept header), which reads text: this path is rare.
          const body: unknown = xhr.response;
          // Written in a later task (its own, not the page's load handlers'), which the page cannot cancel.
          if (body !== null && typeof body === 'object')
            later(() => {
              let text: string | undefined;
              try {
                text = JSON.stringify(body);
              } catch {
                return; // cycles, a 100,000-deep object, a throwing toJSON: skipped
              }
              handle(final, text);
            });
        }
      } catch {
        /* never into the page */
      }
    };
    // Headers in: a body within the cap that looks like JSON is coming (see InterceptorOptions.expect).
    const onHeaders = function (this: XMLHttpRequest) {
      try {
        if (this.readyState !== 2 || !urls.has(this) || this.status < 200 || this.status >= 300) return;
        const len = Number(this.getResponseHeader('content-length'));
        if (Number.isFinite(len) && len > max) return;
        if (!looksJson(this.getResponseHeader('content-type'))) return;
        expect();
      } catch {
        /* never into the page */
      }
    };
    const open = function (this: XMLHttpRequest, ...args: unknown[]) {
      try {
        const path = apiPath(requestUrl(args[1]) ?? '', w);
        if (path) {
          urls.set(this, path);
          if (!watched.has(this)) {
            watched.add(this);
            this.addEventListener('loadend', onLoadEnd);
            if (opts.expect) this.addEventListener('readystatechange', onHeaders);
          }
        } else urls.delete(this);
      } catch {
        /* never into the page */
      }
      return Reflect.apply(origOpen, this, args);
    };
    mirror(open, origOpen);
    try {
      proto.open = open as typeof proto.open;
    } catch {
      /* frozen prototype: leave it */
    }
  }
  return true;
}

/** Make a wrapper look like the original to pages that inspect it (name, length, toString). */
function mirror(wrapper: (...a: never[]) => unknown, original: (...a: never[]) => unknown): void {
  try {
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
    const src = Function.prototype.toString.call(original);
    Object.defineProperty(wrapper, 'toString', { value: () => src, configurable: true, writable: true });
  } catch {
    /* cosmetic only */
  }
}
