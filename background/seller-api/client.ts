/**
 * The one place that talks to the Ozon Seller API. It refuses, before any
 * request is built, an origin or a path that background/seller-api/paths.ts does not
 * list; every request is a POST of JSON with the seller's `Client-Id` and
 * `Api-Key` headers, nothing else is sent, and the key is never logged nor
 * put into an error message.
 *
 * Errors are typed so the options page can say exactly what went wrong:
 * 401 = Ozon does not know this Client-Id / Api-Key pair, 403 = the key
 * exists but its role may not read this method, 429 / 5xx = try again later
 * (apiPost retries them with backoff, honouring Retry-After).
 */
import { isAllowedPath, isApiOrigin, type ApiOrigin, type ReadPath } from './paths';

export interface ApiCreds {
  clientId: string;
  apiKey: string;
  origin: ApiOrigin;
}

export type ApiErrorKind =
  | 'auth' // 401
  | 'forbidden' // 403
  | 'not_found' // 404, or a 400 that names an unknown method (a retired version)
  | 'bad_request' // another 4xx
  | 'rate' // 429 after the retries
  | 'server' // 5xx after the retries
  | 'network' // no answer (offline, DNS, permission not granted)
  | 'bad_body' // an answer that is not JSON
  | 'refused'; // our own allowlist said no: never sent

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status?: number;
  /** Ozon's own `message` from the error body, when it gave one (never our key). */
  readonly detail?: string;
  readonly path: string;
  readonly retryAfterMs?: number;
  constructor(kind: ApiErrorKind, path: string, opts: { status?: number; detail?: string; retryAfterMs?: number } = {}) {
    super(`${kind}${opts.status ? ` ${opts.status}` : ''} ${path}${opts.detail ? `: ${opts.detail}` : ''}`);
    this.name = 'ApiError';
    this.kind = kind;
    this.path = path;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.detail) this.detail = opts.detail;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/** What the client needs of fetch (the real one, or a test's stand-in). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal; credentials: 'omit'; cache: 'no-store' },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface ClientOptions {
  fetch?: FetchLike;
  /** Waits between retries (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request for 429 / 5xx / network errors (default 5). */
  attempts?: number;
  /** First backoff step (default 2 s), doubled each retry up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
}

const DEFAULTS = { attempts: 5, backoffMs: 2_000, maxBackoffMs: 60_000, timeoutMs: 60_000 };
/** A Retry-After beyond this is not waited out inside one run: the run stops and the next alarm resumes it. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;
const MAX_BODY_CHARS = 50_000_000;

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry-After in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

function ozonMessage(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const m = j && typeof j === 'object' ? (j.message ?? (j.error as Record<string, unknown> | undefined)?.message) : undefined;
    return typeof m === 'string' && m.trim() ? m.trim().slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** A 400/404 that means "this method (version) does not exist here": the caller falls back to the older one. */
function looksNotFound(status: number, detail: string | undefined): boolean {
  if (status === 404 || status === 405 || status === 501) return true;
  return status === 400 && !!detail && /not\s*found|unknown\s*method|no\s*such|not\s*implemented|deprecated|отключ|не\s*найден/i.test(detail);
}

function checkCreds(c: ApiCreds): void {
  if (!isApiOrigin(c.origin)) throw new ApiError('refused', String(c.origin));
  if (!/^\d{1,20}$/.test(c.clientId)) throw new ApiError('refused', 'client-id');
  if (!c.apiKey || /[\r\n]/.test(c.apiKey) || c.apiKey.length > 200) throw new ApiError('refused', 'api-key');
}

async function once(creds: ApiCreds, path: ReadPath, body: unknown, o: Required<Pick<ClientOptions, 'timeoutMs'>> & { fetch: FetchLike }): Promise<unknown> {
  const ctrl = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), o.timeoutMs) : undefined;
  let res: Awaited<ReturnType<FetchLike>>;
  let text: string;
  try {
    res = await o.fetch(creds.origin + path, {
      method: 'POST',
      headers: { 'Client-Id': creds.clientId, 'Api-Key': creds.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      credentials: 'omit',
      cache: 'no-store',
      ...(ctrl && { signal: ctrl.signal }),
    });
    text = await res.text();
  } catch (e) {
    // The message of a network failure never contains the headers; keep only its name.
    throw new ApiError('network', path, { detail: (e as Error)?.name === 'AbortError' ? 'timeout' : 'no answer' });
  } finally {
    if (timer) clearTimeout(timer);
  }
  const status = res.status;
  if (status >= 200 && status < 300) {
    if (text.length > MAX_BODY_CHARS) throw new ApiError('bad_body', path, { status, detail: 'body too large' });
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError('bad_body', path, { status, detail: 'not JSON' });
    }
  }
  const detail = ozonMessage(text);
  const ra = retryAfterMs(res.headers.get('Retry-After'));
  if (status === 401) throw new ApiError('auth', path, { status, detail });
  if (status === 403) throw new ApiError('forbidden', path, { status, detail });
  if (status === 429) throw new ApiError('rate', path, { status, detail, retryAfterMs: ra });
  if (status >= 500 && status !== 501) throw new ApiError('server', path, { status, detail, retryAfterMs: ra });
  if (looksNotFound(status, detail)) throw new ApiError('not_found', path, { status, detail });
  throw new ApiError('bad_request', path, { status, detail });
}

/**
 * POSTs `body` to one allowlisted read method and returns the parsed JSON.
 * 429, 5xx and network failures are retried with exponential backoff (a
 * Retry-After header sets the wait); everything else throws an ApiError at once.
 */
export async function apiPost(creds: ApiCreds, path: string, body: unknown, opts: ClientOptions = {}): Promise<unknown> {
  // The allowlist comes first: a path that is not a read method never reaches fetch.
  if (!isAllowedPath(path)) throw new ApiError('refused', String(path).slice(0, 200));
  checkCreds(creds);
  const f: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const sleep = opts.sleep ?? realSleep;
  const attempts = Math.max(1, opts.attempts ?? DEFAULTS.attempts);
  const maxBackoff = opts.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  let backoff = opts.backoffMs ?? DEFAULTS.backoffMs;
  for (let i = 1; ; i++) {
    try {
      return await once(creds, path, body, { fetch: f, timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs });
    } catch (e) {
      const err = e as ApiError;
      const retriable = err.kind === 'rate' || err.kind === 'server' || err.kind === 'network';
      if (!retriable || i >= attempts) throw err;
      if (err.retryAfterMs !== undefined && err.retryAfterMs > MAX_RETRY_AFTER_MS) throw err;
      await sleep(Math.min(maxBackoff, Math.max(err.retryAfterMs ?? 0, backoff)));
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }
}
