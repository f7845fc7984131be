/**
 * WeCom (企业微信) group robot: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
 * with {"msgtype":"text","text":{"content":…}} or {"msgtype":"markdown","markdown":{"content":…}};
 * the answer is {"errcode":0,"errmsg":"ok"}. Text content is limited to 2,048 bytes, markdown
 * to 4,096 (UTF-8). errcode 45009 is the robot's rate limit (20 messages a minute): retried.
 */
import { WECOM_HOST, type WecomConfig } from './config';
import { clipBytes, errcodeAnswer, JSON_HEADERS, type ChannelRequest, type Message, type Outcome } from './transport';

export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
const RATE_LIMITED = new Set([45009]);

export function wecomRequest(cfg: Pick<WecomConfig, 'key' | 'format'>, msg: Message): ChannelRequest {
  const url = `${WECOM_HOST}/cgi-bin/webhook/send?key=${encodeURIComponent(cfg.key)}`;
  const body =
    cfg.format === 'markdown'
      ? { msgtype: 'markdown', markdown: { content: clipBytes(msg.markdown ?? msg.text, WECOM_MARKDOWN_MAX_BYTES) } }
      : { msgtype: 'text', text: { content: clipBytes(msg.text, WECOM_TEXT_MAX_BYTES) } };
  return { url, method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

export function wecomAnswer(status: number, text: string, retryAfter?: string | null): Outcome {
  return errcodeAnswer(status, text, retryAfter, RATE_LIMITED);
}
