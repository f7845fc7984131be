/**
 * DingTalk (钉钉) custom robot: POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN
 * with {"msgtype":"text","text":{"content":…}}; the answer is {"errcode":0,"errmsg":"ok"}.
 * With signing ("加签") on, two more query parameters: `timestamp` (ms) and
 * `sign` = URL-encoded base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)).
 * DingTalk refuses a timestamp more than an hour off. errcode 130101 is "sending too fast": retried.
 */
import { DINGTALK_HOST, type DingtalkConfig } from './config';
import { hmacSha256Base64 } from './hmac';
import { clipBytes, errcodeAnswer, JSON_HEADERS, type ChannelRequest, type Message, type Outcome } from './transport';

/** DingTalk's text limit is 20,000 bytes; far above any reminder, kept as a guard. */
export const DINGTALK_TEXT_MAX_BYTES = 20_000;
const RATE_LIMITED = new Set([130101]);

export async function dingtalkSign(timestampMs: number, secret: string): Promise<string> {
  return hmacSha256Base64(secret, `${timestampMs}\n${secret}`);
}

export async function dingtalkRequest(cfg: Pick<DingtalkConfig, 'accessToken' | 'secret'>, msg: Message, nowMs: number): Promise<ChannelRequest> {
  let url = `${DINGTALK_HOST}/robot/send?access_token=${encodeURIComponent(cfg.accessToken)}`;
  if (cfg.secret) {
    const ts = Math.floor(nowMs);
    url += `&timestamp=${ts}&sign=${encodeURIComponent(await dingtalkSign(ts, cfg.secret))}`;
  }
  const body = { msgtype: 'text', text: { content: clipBytes(msg.text, DINGTALK_TEXT_MAX_BYTES) } };
  return { url, method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

export function dingtalkAnswer(status: number, text: string, retryAfter?: string | null): Outcome {
  return errcodeAnswer(status, text, retryAfter, RATE_LIMITED);
}
