/**
 * Feishu (飞书) / Lark custom bot: POST https://open.feishu.cn/open-apis/bot/v2/hook/ID
 * (Lark: https://open.larksuite.com/…) with {"msg_type":"text","content":{"text":…}}.
 * With signature verification ("签名校验") on, the body also carries `timestamp` (seconds, as a
 * string) and `sign` = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)).
 * The answer is {"code":0,"msg":"success",…} (older bots: {"StatusCode":0,"StatusMessage":"success"}).
 */
import { FEISHU_HOST, LARK_HOST, type FeishuConfig } from './config';
import { hmacSha256Base64 } from './hmac';
import { clipBytes, httpOutcome, JSON_HEADERS, parseJson, type ChannelRequest, type Message, type Outcome } from './transport';

/** Feishu's request body limit is 20 KB; the text is kept well under it. */
export const FEISHU_TEXT_MAX_BYTES = 18_000;

export async function feishuSign(timestampSec: number, secret: string): Promise<string> {
  return hmacSha256Base64(`${timestampSec}\n${secret}`, '');
}

export async function feishuRequest(cfg: Pick<FeishuConfig, 'site' | 'hookId' | 'secret'>, msg: Message, nowMs: number): Promise<ChannelRequest> {
  const host = cfg.site === 'lark' ? LARK_HOST : FEISHU_HOST;
  const url = `${host}/open-apis/bot/v2/hook/${encodeURIComponent(cfg.hookId)}`;
  const body: Record<string, unknown> = {};
  if (cfg.secret) {
    const ts = Math.floor(nowMs / 1000);
    body.timestamp = String(ts);
    body.sign = await feishuSign(ts, cfg.secret);
  }
  body.msg_type = 'text';
  body.content = { text: clipBytes(msg.text, FEISHU_TEXT_MAX_BYTES) };
  return { url, method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

export function feishuAnswer(status: number, text: string, retryAfter?: string | null): Outcome {
  const j = parseJson(text);
  const http = httpOutcome(status, retryAfter);
  if (http) return j && typeof j.msg === 'string' && !http.retry ? { ...http, error: `${http.error}: ${j.code ?? ''} ${j.msg}`.trim() } : http;
  if (!j) return { ok: false, error: `unexpected answer: ${text.slice(0, 120)}`, retry: false };
  const code = typeof j.code === 'number' ? j.code : typeof j.StatusCode === 'number' ? j.StatusCode : undefined;
  if (code === 0) return { ok: true };
  if (code === undefined) return { ok: false, error: `unexpected answer: ${text.slice(0, 120)}`, retry: false };
  const m = typeof j.msg === 'string' ? j.msg : typeof j.StatusMessage === 'string' ? j.StatusMessage : '';
  return { ok: false, error: `${code} ${m}`.trim(), retry: false };
}
