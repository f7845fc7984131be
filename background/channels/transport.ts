/**
 * What every channel shares: the request it builds and how its answer is read.
 * Each channel (wecom.ts, dingtalk.ts, feishu.ts, telegram.ts) is a pure pair
 * build → parse; background/channels/deliver.ts does the fetching, retries and logs.
 */
export interface ChannelRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** A message in the two forms a service may take. */
export interface Message {
  text: string;
  /** Markdown form (WeCom markdown); falls back to `text`. */
  markdown?: string;
}

export type Failure = {
      ok: false;
      /** The service's own error text (or the HTTP status / network error). */
      error: string;
      /** Network errors, 429 and 5xx (and a service's own "too fast" codes): try again later. Never 4xx. */
      retry: boolean;
      /** When the service said how long to wait (Retry-After, Telegram's retry_after). */
      retryAfterMs?: number;
    };
export type Outcome = { ok: true } | Failure;

/** The shared reading of an HTTP status before the body is looked at. */
export function httpOutcome(status: number, retryAfterHeader?: string | null): Failure | undefined {
  if (status >= 200 && status < 300) return undefined;
  const ra = retryAfterHeader && /^\d{1,6}$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader.trim()) * 1000 : undefined;
  const retry = status === 429 || status >= 500;
  return { ok: false, error: `HTTP ${status}`, retry, ...(ra !== undefined && { retryAfterMs: ra }) };
}

/**
 * The answer of a robot that reports `{errcode, errmsg}` (WeCom, DingTalk): 0 is sent; the
 * service's own "too fast" codes (`rateLimited`) are retried like a 429, any other code is not.
 */
export function errcodeAnswer(status: number, text: string, retryAfter: string | null | undefined, rateLimited: ReadonlySet<number>): Outcome {
  const j = parseJson(text);
  const http = httpOutcome(status, retryAfter);
  if (http) return j && typeof j.errmsg === 'string' && !http.retry ? { ...http, error: `${http.error}: ${j.errmsg}` } : http;
  if (!j || typeof j.errcode !== 'number') return { ok: false, error: `unexpected answer: ${text.slice(0, 120)}`, retry: false };
  if (j.errcode === 0) return { ok: true };
  return { ok: false, error: `${j.errcode} ${String(j.errmsg ?? '')}`.trim(), retry: rateLimited.has(j.errcode) };
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts `s` to at most `maxBytes` UTF-8 bytes on a character boundary, marking the cut with "…". */
export function clipBytes(s: string, maxBytes: number): string {
  const enc = new TextEncoder();
  if (enc.encode(s).length <= maxBytes) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (enc.encode(s.slice(0, mid)).length + 3 <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  let cut = s.slice(0, lo);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;
