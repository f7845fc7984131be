/**
 * Read-only observation of the panel's own `/api/` responses, for the
 * `world: 'MAIN'` content script at document_start (docs/ozon-domain.md §2.3:
 * only observe, never rewrite — faked responses break the panel).
 *
 * Guarantees to the page:
 * - `fetch` returns the very promise the original returned (same response,
 *   same rejection, same synchronous throw, same `this` and arguments); the
 *   body is read from a `clone()` in a later task, never from the original.
 * - `XMLHttpRequest` is only listened to (`loadend`), never altered; the
 *   wrapped `open` passes `this`, arguments, return value and errors through.
 * - Only same-origin `/api/` URLs are looked at; bodies over the size cap
 *   (by Content-Length, then by bytes read) are skipped without waiting.
 * - Installing twice wraps once. Nothing here throws into the page.
 */
import { jsonWalk } from './json';
import { pageInfo } from './page';
import { readPanelCookies } from './cookies';
import type { Scheme } from '../rules';
import type { BridgeBatch } from './types';

export interface InterceptorOptions {
  /** Body size cap in bytes (default 5 MB). */
  maxBytes?: number;
  /** The scheme of the list (default: from the page URL at response time). */
  scheme?: () => Scheme;
  /** The store id (default: the sc_company_id cookie at response time). */
  storeId?: () => string | undefined;
  /** Every parsed JSON answer with its path, before the order walk (the page report's key structure, panel/report-json.ts). */
  onJson?: (path: string, body: unknown) => void;
}

const INSTALLED = Symbol.for('ozon-order-guard.interceptor');
const DEFAULT_MAX = 5 * 1024 * 1024;
/** CPU per walk slice in the page's main thread (no extension task over 50 ms: docs/performance.md). */
const SLICE_MS = 8;

const clock: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

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
  // Missing content types are tried (JSON.parse decides); clearly other types are not.
  return !contentType || /json|text\/plain|javascript/i.test(contentType);
}

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

export function installInterceptor(win: Window, post: (batch: BridgeBatch) => void, opts: InterceptorOptions = {}): boolean {
  const w = win as Win;
  try {
    if (w[INSTALLED]) return false;
    Object.defineProperty(w, INSTALLED, { value: true, configurable: false, enumerable: false });
  } catch {
    return false;
  }
  const max = opts.maxBytes ?? DEFAULT_MAX;
  const schemeNow = opts.scheme ?? (() => pageInfo(w.location.href).scheme);
  const storeNow = opts.storeId ?? (() => readPanelCookies(safeCookie(w)).storeId);

  const handle = (path: string, text: string | undefined, parsed?: unknown) => {
    try {
      let body = parsed;
      if (body === undefined) {
        if (!text || text.length > max) return;
        const c = text.charCodeAt(0);
        // Not JSON at all (HTML error pages, scripts): skip without a parse attempt.
        if (c !== 123 /* { */ && c !== 91 /* [ */ && !/^\s*[[{]/.test(text.slice(0, 64))) return;
        body = JSON.parse(text);
      }
      try {
        opts.onJson?.(path, body);
      } catch {
        /* diagnostics never cost the page an answer */
      }
      const storeId = storeNow();
      const walk = jsonWalk(body, storeId ? { scheme: schemeNow(), storeId } : { scheme: schemeNow() });
      // The walk, the mapping and the post of a 5,000-posting body were one
      // ~70 ms task; in slices of SLICE_MS (the parse above is the one part
      // that cannot be split) the page's own frames run in between, and the
      // first rows' orders reach the isolated side sooner.
      const slice = () => {
        try {
          const t0 = clock();
          const done = walk.run(() => clock() - t0 > SLICE_MS);
          const orders = walk.take();
          if (orders.length) post({ orders, source: path });
          if (!done) setTimeout(slice, 0);
        } catch {
          /* a throwing poster: the page never notices */
        }
      };
      slice();
    } catch {
      /* malformed JSON: the page never notices */
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
                const len = Number(res.headers.get('content-length'));
                if (Number.isFinite(len) && len > max) return;
                const copy = res.clone();
                readCapped(copy, max).then(
                  (text) => setTimeout(() => handle(finalPath, text), 0),
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
          setTimeout(() => handle(final, text), 0);
        } else if (type === 'json') {
          const body: unknown = xhr.response;
          // The page's own object: the walk only reads it.
          if (body !== null && typeof body === 'object') setTimeout(() => handle(final, undefined, body), 0);
        }
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

function safeCookie(w: Window): string {
  try {
    return w.document.cookie;
  } catch {
    return '';
  }
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
