/**
 * Reminder channels (WeCom / DingTalk / Feishu-Lark / Telegram) and the
 * morning summary: what the seller configures, its defaults, its validation.
 *
 * Kept apart from storage/settings.ts on purpose: the channel keys are secrets,
 * so they live under their own storage.local key (`channels`) that the data
 * export can leave out, and a bad value here can never reset the badges'
 * settings. Nothing is sent anywhere unless a channel is `enabled` AND its
 * one host permission was granted (optional_host_permissions, asked when the
 * seller turns the channel on).
 */
import { isValidTimeZone } from '../../storage/settings';

export type ChannelId = 'wecom' | 'dingtalk' | 'feishu' | 'telegram';
export const CHANNEL_IDS: readonly ChannelId[] = ['wecom', 'dingtalk', 'feishu', 'telegram'];

export interface WecomConfig {
  enabled: boolean;
  /** The group robot's webhook key (the `key=` of its URL). Secret. */
  key: string;
  format: 'text' | 'markdown';
  summary: boolean;
}
export interface DingtalkConfig {
  enabled: boolean;
  /** The robot's `access_token`. Secret. */
  accessToken: string;
  /** The "加签" signing secret (SEC…), optional. Secret. */
  secret: string;
  summary: boolean;
}
export interface FeishuConfig {
  enabled: boolean;
  /** open.feishu.cn (Feishu) or open.larksuite.com (Lark). */
  site: 'feishu' | 'lark';
  /** The id at the end of the bot's webhook URL (…/bot/v2/hook/<id>). Secret. */
  hookId: string;
  /** The "签名校验" signing secret, optional. Secret. */
  secret: string;
  summary: boolean;
}
export interface TelegramConfig {
  enabled: boolean;
  /** The bot token from @BotFather (123456:ABC…). Secret. */
  token: string;
  /** A chat id (-100…, 12345) or @channel name. */
  chatId: string;
  summary: boolean;
}

export interface ChannelsConfig {
  wecom: WecomConfig;
  dingtalk: DingtalkConfig;
  feishu: FeishuConfig;
  telegram: TelegramConfig;
  /** Item prices in the messages: off unless the seller turns them on. */
  includePrices: boolean;
  summary: {
    enabled: boolean;
    /** 'HH:MM', 24 h, in `zone`. */
    time: string;
    /** An IANA zone. */
    zone: string;
  };
}

/**
 * The morning check: S1 tells sellers to look at the store every morning at
 * 10:00 Moscow time. docs/rulebook.md has no rule for it (it is a habit, not
 * an Ozon deadline), so it is a default setting here, not a rulebook value.
 */
export const DEFAULT_SUMMARY_TIME = '10:00';
export const DEFAULT_SUMMARY_ZONE = 'Europe/Moscow';

export const defaultChannels: ChannelsConfig = {
  wecom: { enabled: false, key: '', format: 'text', summary: true },
  dingtalk: { enabled: false, accessToken: '', secret: '', summary: true },
  feishu: { enabled: false, site: 'feishu', hookId: '', secret: '', summary: true },
  telegram: { enabled: false, token: '', chatId: '', summary: true },
  includePrices: false,
  summary: { enabled: false, time: DEFAULT_SUMMARY_TIME, zone: DEFAULT_SUMMARY_ZONE },
};

/** The fields of each channel that are secrets: never logged, left out of exports unless asked. */
export const SECRET_FIELDS: { [K in ChannelId]: readonly string[] } = {
  wecom: ['key'],
  dingtalk: ['accessToken', 'secret'],
  feishu: ['hookId', 'secret'],
  telegram: ['token', 'chatId'],
};

/** The one host each channel talks to (exactly the manifest's optional_host_permissions). */
export const FEISHU_HOST = 'https://open.feishu.cn';
export const LARK_HOST = 'https://open.larksuite.com';
export const WECOM_HOST = 'https://qyapi.weixin.qq.com';
export const DINGTALK_HOST = 'https://oapi.dingtalk.com';
export const TELEGRAM_HOST = 'https://api.telegram.org';

export const OPTIONAL_HOSTS: readonly string[] = [WECOM_HOST, DINGTALK_HOST, FEISHU_HOST, LARK_HOST, TELEGRAM_HOST].map((h) => `${h}/*`);

export function hostOf(id: ChannelId, cfg: ChannelsConfig): string {
  switch (id) {
    case 'wecom':
      return WECOM_HOST;
    case 'dingtalk':
      return DINGTALK_HOST;
    case 'feishu':
      return cfg.feishu.site === 'lark' ? LARK_HOST : FEISHU_HOST;
    case 'telegram':
      return TELEGRAM_HOST;
  }
}

/** The permission pattern for a channel's host. */
export function originPattern(id: ChannelId, cfg: ChannelsConfig): string {
  return `${hostOf(id, cfg)}/*`;
}

// ---------------------------------------------------------------- validation of what is typed / pasted

export type FieldResult = { ok: true; value: string } | { ok: false; error: string };

const trim = (s: unknown) => (typeof s === 'string' ? s.trim() : '');

function urlOf(s: string): URL | undefined {
  if (!/^https?:\/\//i.test(s)) return undefined;
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** WeCom: the webhook URL or its bare key. */
export function parseWecomKey(input: unknown): FieldResult {
  const s = trim(input);
  const u = urlOf(s);
  let key = s;
  if (u) {
    if (u.origin !== WECOM_HOST || u.pathname !== '/cgi-bin/webhook/send') return { ok: false, error: 'ch_err_wecom_url' };
    key = u.searchParams.get('key') ?? '';
  }
  return /^[A-Za-z0-9-]{8,100}$/.test(key) ? { ok: true, value: key } : { ok: false, error: 'ch_err_wecom_key' };
}

/** DingTalk: the webhook URL or its bare access_token. */
export function parseDingtalkToken(input: unknown): FieldResult {
  const s = trim(input);
  const u = urlOf(s);
  let tok = s;
  if (u) {
    if (u.origin !== DINGTALK_HOST || u.pathname !== '/robot/send') return { ok: false, error: 'ch_err_dingtalk_url' };
    tok = u.searchParams.get('access_token') ?? '';
  }
  return /^[A-Za-z0-9]{16,128}$/.test(tok) ? { ok: true, value: tok } : { ok: false, error: 'ch_err_dingtalk_token' };
}

/** DingTalk's signing secret: empty (no signing) or SEC… as the robot page shows it. */
export function parseDingtalkSecret(input: unknown): FieldResult {
  const s = trim(input);
  if (!s) return { ok: true, value: '' };
  return /^SEC[A-Za-z0-9]{16,128}$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'ch_err_dingtalk_secret' };
}

/** Feishu / Lark: the webhook URL (its host picks the site) or a bare hook id. */
export function parseFeishuHook(input: unknown): { ok: true; value: string; site?: 'feishu' | 'lark' } | { ok: false; error: string } {
  const s = trim(input);
  const u = urlOf(s);
  if (u) {
    const site = u.origin === FEISHU_HOST ? 'feishu' : u.origin === LARK_HOST ? 'lark' : undefined;
    const m = /^\/open-apis\/bot\/v2\/hook\/([A-Za-z0-9-]{8,100})$/.exec(u.pathname);
    if (!site || !m) return { ok: false, error: 'ch_err_feishu_url' };
    return { ok: true, value: m[1]!, site };
  }
  return /^[A-Za-z0-9-]{8,100}$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'ch_err_feishu_url' };
}

export function parseFeishuSecret(input: unknown): FieldResult {
  const s = trim(input);
  if (!s) return { ok: true, value: '' };
  return /^[A-Za-z0-9+/=_-]{8,128}$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'ch_err_feishu_secret' };
}

export function parseTelegramToken(input: unknown): FieldResult {
  const s = trim(input).replace(/^bot/, '');
  return /^\d{3,20}:[A-Za-z0-9_-]{20,80}$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'ch_err_telegram_token' };
}

export function parseTelegramChat(input: unknown): FieldResult {
  const s = trim(input);
  return /^-?\d{1,20}$/.test(s) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'ch_err_telegram_chat' };
}

/** 'HH:MM' (24 h, 00:00–23:59). */
export function parseTime(input: unknown): FieldResult {
  const s = trim(input);
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return { ok: false, error: 'ch_err_time' };
  return { ok: true, value: `${m[1]!.padStart(2, '0')}:${m[2]}` };
}

/** Why a channel cannot send as configured (the first missing / bad field), or undefined when it can. */
export function channelProblem(id: ChannelId, cfg: ChannelsConfig): string | undefined {
  const bad = (r: { ok: boolean; error?: string }) => (r.ok ? undefined : (r as { error: string }).error);
  switch (id) {
    case 'wecom':
      return bad(parseWecomKey(cfg.wecom.key));
    case 'dingtalk':
      return bad(parseDingtalkToken(cfg.dingtalk.accessToken)) ?? bad(parseDingtalkSecret(cfg.dingtalk.secret));
    case 'feishu':
      return bad(parseFeishuHook(cfg.feishu.hookId)) ?? bad(parseFeishuSecret(cfg.feishu.secret));
    case 'telegram':
      return bad(parseTelegramToken(cfg.telegram.token)) ?? bad(parseTelegramChat(cfg.telegram.chatId));
  }
}

function obj(x: unknown): Record<string, unknown> {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
const str = (x: unknown, d: string) => (typeof x === 'string' && x.length <= 300 ? x : d);
const bool = (x: unknown, d: boolean) => (typeof x === 'boolean' ? x : d);

/** A stored (possibly old, partial or hand-edited) config over the defaults; never throws. */
export function normalizeChannels(raw: unknown): ChannelsConfig {
  const r = obj(raw);
  const d = defaultChannels;
  const w = obj(r.wecom);
  const k = obj(r.dingtalk);
  const f = obj(r.feishu);
  const tg = obj(r.telegram);
  const s = obj(r.summary);
  const time = parseTime(s.time);
  return {
    wecom: {
      enabled: bool(w.enabled, false),
      key: str(w.key, ''),
      format: w.format === 'markdown' ? 'markdown' : 'text',
      summary: bool(w.summary, d.wecom.summary),
    },
    dingtalk: { enabled: bool(k.enabled, false), accessToken: str(k.accessToken, ''), secret: str(k.secret, ''), summary: bool(k.summary, d.dingtalk.summary) },
    feishu: {
      enabled: bool(f.enabled, false),
      site: f.site === 'lark' ? 'lark' : 'feishu',
      hookId: str(f.hookId, ''),
      secret: str(f.secret, ''),
      summary: bool(f.summary, d.feishu.summary),
    },
    telegram: { enabled: bool(tg.enabled, false), token: str(tg.token, ''), chatId: str(tg.chatId, ''), summary: bool(tg.summary, d.telegram.summary) },
    includePrices: bool(r.includePrices, false),
    summary: {
      enabled: bool(s.enabled, false),
      time: time.ok ? time.value : DEFAULT_SUMMARY_TIME,
      zone: typeof s.zone === 'string' && isValidTimeZone(s.zone) ? s.zone.trim() : DEFAULT_SUMMARY_ZONE,
    },
  };
}

/** The config with every secret emptied and every channel off (the data export without secrets, "forget keys"). */
export function withoutSecrets(cfg: ChannelsConfig): ChannelsConfig {
  const out = normalizeChannels(JSON.parse(JSON.stringify(cfg)));
  for (const id of CHANNEL_IDS) {
    const c = out[id] as unknown as Record<string, unknown>;
    for (const f of SECRET_FIELDS[id]) c[f] = '';
    c.enabled = false;
  }
  return out;
}

/** Every secret of `cfg`, for scrubbing error texts before they are stored or shown. */
export function secretsOf(cfg: ChannelsConfig): string[] {
  const out: string[] = [];
  for (const id of CHANNEL_IDS) {
    const c = cfg[id] as unknown as Record<string, unknown>;
    for (const f of SECRET_FIELDS[id]) if (typeof c[f] === 'string' && (c[f] as string).length >= 4) out.push(c[f] as string);
  }
  return out;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let s = text;
  for (const x of secrets) s = s.split(x).join('***');
  return s.slice(0, 300);
}

/**
 * A data export's copy of storage: the channels' secrets emptied (and every
 * channel off) unless the seller ticked "include channel keys", and the
 * channels' outbox left out. Nothing else is touched.
 */
export function redactExport(storage: Record<string, unknown>, includeSecrets: boolean, key = 'channels'): Record<string, unknown> {
  // The outbox is this browser's pending work, not data: restored elsewhere it would resend old reminders.
  const { [`${key}:outbox`]: _pending, ...rest } = storage;
  if (includeSecrets || !(key in rest)) return rest;
  return { ...rest, [key]: withoutSecrets(normalizeChannels(rest[key])) };
}
