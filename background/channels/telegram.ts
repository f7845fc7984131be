/**
 * Telegram bot: POST https://api.telegram.org/bot<token>/sendMessage with
 * {"chat_id":…,"text":…} (plain text: no parse_mode, so no escaping can break a message;
 * link previews off). The answer is {"ok":true,"result":…} or
 * {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}; a 429 carries
 * parameters.retry_after (seconds). Text is limited to 4,096 characters.
 */
import { TELEGRAM_HOST, type TelegramConfig } from './config';
import { httpOutcome, JSON_HEADERS, parseJson, type ChannelRequest, type Message, type Outcome } from './transport';

export const TELEGRAM_TEXT_MAX_CHARS = 4096;

export function telegramRequest(cfg: Pick<TelegramConfig, 'token' | 'chatId'>, msg: Message, parseMode?: 'HTML' | 'MarkdownV2'): ChannelRequest {
  const text = msg.text.length > TELEGRAM_TEXT_MAX_CHARS ? `${msg.text.slice(0, TELEGRAM_TEXT_MAX_CHARS - 1)}…` : msg.text;
  const body = { chat_id: cfg.chatId, text, ...(parseMode && { parse_mode: parseMode }), link_preview_options: { is_disabled: true } };
  return { url: `${TELEGRAM_HOST}/bot${cfg.token}/sendMessage`, method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

export function telegramAnswer(status: number, text: string, retryAfter?: string | null): Outcome {
  const j = parseJson(text);
  const params = j && j.parameters && typeof j.parameters === 'object' ? (j.parameters as Record<string, unknown>) : undefined;
  const ra = typeof params?.retry_after === 'number' ? params.retry_after * 1000 : undefined;
  if (j && j.ok === true && status >= 200 && status < 300) return { ok: true };
  const http = httpOutcome(status, retryAfter) ?? { ok: false as const, error: `HTTP ${status}`, retry: false };
  const description = j && typeof j.description === 'string' ? j.description : undefined;
  return {
    ok: false,
    error: description ?? http.error,
    retry: http.retry,
    ...((ra ?? http.retryAfterMs) !== undefined && { retryAfterMs: ra ?? http.retryAfterMs }),
  };
}
