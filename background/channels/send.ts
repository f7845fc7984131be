/**
 * One message to one channel: build the service's request, fetch it with a
 * time limit, read the answer. Used by the delivery queue (background) and by
 * the options page's "send a test message" button, so both go through the
 * exact same request code.
 */
import { OPTIONAL_HOSTS, scrub, secretsOf, type ChannelId, type ChannelsConfig } from './config';
import { wecomAnswer, wecomRequest } from './wecom';
import { dingtalkAnswer, dingtalkRequest } from './dingtalk';
import { feishuAnswer, feishuRequest } from './feishu';
import { telegramAnswer, telegramRequest } from './telegram';
import type { ChannelRequest, Message, Outcome } from './transport';

/** A request that has not answered in this long is a network error (retried). */
export const FETCH_TIMEOUT_MS = 15_000;

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
  headers?: { get(name: string): string | null };
}>;

/**
 * The only place the extension sends data out of the browser: a request to
 * one of the channel hosts (the manifest's optional_host_permissions), and
 * nowhere else — anything else is refused before it leaves.
 */
export const channelFetch: FetchLike = (url, init) => {
  const allowed = OPTIONAL_HOSTS.some((p) => url.startsWith(p.slice(0, -1)));
  if (!allowed) return Promise.reject(new Error('not a channel host'));
  return fetch(url, { ...init, credentials: 'omit', cache: 'no-store', redirect: 'error' } as RequestInit);
};

export async function buildRequest(id: ChannelId, cfg: ChannelsConfig, msg: Message, nowMs: number): Promise<ChannelRequest> {
  switch (id) {
    case 'wecom':
      return wecomRequest(cfg.wecom, msg);
    case 'dingtalk':
      return dingtalkRequest(cfg.dingtalk, msg, nowMs);
    case 'feishu':
      return feishuRequest(cfg.feishu, msg, nowMs);
    case 'telegram':
      return telegramRequest(cfg.telegram, msg);
  }
}

export function readAnswer(id: ChannelId, status: number, text: string, retryAfter?: string | null): Outcome {
  switch (id) {
    case 'wecom':
      return wecomAnswer(status, text, retryAfter);
    case 'dingtalk':
      return dingtalkAnswer(status, text, retryAfter);
    case 'feishu':
      return feishuAnswer(status, text, retryAfter);
    case 'telegram':
      return telegramAnswer(status, text, retryAfter);
  }
}

/**
 * Sends one message; never throws. The outcome's error text never holds a
 * secret (tokens are scrubbed: a service or a network error may echo the URL).
 */
export async function sendOne(id: ChannelId, cfg: ChannelsConfig, msg: Message, nowMs: number, fetcher: FetchLike): Promise<Outcome> {
  const secrets = secretsOf(cfg);
  let req: ChannelRequest;
  try {
    req = await buildRequest(id, cfg, msg, nowMs);
  } catch (e) {
    return { ok: false, error: scrub(`cannot build the request: ${String((e as Error)?.message ?? e)}`, secrets), retry: false };
  }
  const ctl = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = ctl ? setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS) : undefined;
  try {
    const res = await fetcher(req.url, { method: req.method, headers: req.headers, body: req.body, ...(ctl && { signal: ctl.signal }) });
    const text = await res.text();
    const out = readAnswer(id, res.status, text, res.headers?.get('retry-after'));
    return out.ok ? out : { ...out, error: scrub(out.error, secrets) };
  } catch (e) {
    const m = ctl?.signal.aborted ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : String((e as Error)?.message ?? e);
    return { ok: false, error: scrub(`network: ${m}`, secrets), retry: true };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
