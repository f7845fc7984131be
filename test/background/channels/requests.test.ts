// @vitest-environment node
/**
 * Each channel's exact request and answer reading. The DingTalk and Feishu
 * signatures are checked against values computed here, independently, with
 * node:crypto (the product uses WebCrypto).
 */
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { wecomAnswer, wecomRequest, WECOM_TEXT_MAX_BYTES } from '../../../background/channels/wecom';
import { dingtalkAnswer, dingtalkRequest, dingtalkSign } from '../../../background/channels/dingtalk';
import { feishuAnswer, feishuRequest, feishuSign } from '../../../background/channels/feishu';
import { telegramAnswer, telegramRequest } from '../../../background/channels/telegram';
import {
  channelProblem,
  defaultChannels,
  normalizeChannels,
  parseDingtalkSecret,
  parseDingtalkToken,
  parseFeishuHook,
  parseTelegramChat,
  parseTelegramToken,
  parseTime,
  parseWecomKey,
  redactExport,
  scrub,
  withoutSecrets,
} from '../../../background/channels/config';
import { clipBytes } from '../../../background/channels/transport';

const NOW = Date.parse('2026-04-14T10:00:00.123Z');
const MSG = { text: 'Ozon Order Guard · Deadline very close\n\n16965409-0014-1: 25 min left to ship (D2)', markdown: '**x**' };

describe('WeCom group robot', () => {
  it('text: POST qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… with {msgtype:"text",text:{content}}', () => {
    const r = wecomRequest({ key: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', format: 'text' }, MSG);
    expect(r.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
    expect(r.method).toBe('POST');
    expect(r.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(r.body)).toEqual({ msgtype: 'text', text: { content: MSG.text } });
  });
  it('markdown: {msgtype:"markdown",markdown:{content}}', () => {
    const r = wecomRequest({ key: 'abcdefgh-1', format: 'markdown' }, MSG);
    expect(JSON.parse(r.body)).toEqual({ msgtype: 'markdown', markdown: { content: '**x**' } });
  });
  it('text is cut to 2,048 UTF-8 bytes on a character boundary', () => {
    const long = '订'.repeat(2000);
    const body = JSON.parse(wecomRequest({ key: 'abcdefgh-1', format: 'text' }, { text: long }).body) as { text: { content: string } };
    expect(new TextEncoder().encode(body.text.content).length).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
    expect(body.text.content.endsWith('…')).toBe(true);
    expect(clipBytes('short', 10)).toBe('short');
  });
  it('answers: errcode 0 sent; its own errmsg shown; 45009 (rate limit) and 5xx retried; 4xx never', () => {
    expect(wecomAnswer(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(wecomAnswer(200, '{"errcode":93000,"errmsg":"invalid webhook url, hint: [1713087600_1]"}')).toEqual({
      ok: false,
      error: '93000 invalid webhook url, hint: [1713087600_1]',
      retry: false,
    });
    expect(wecomAnswer(200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toMatchObject({ ok: false, retry: true });
    expect(wecomAnswer(502, 'Bad gateway')).toMatchObject({ ok: false, error: 'HTTP 502', retry: true });
    expect(wecomAnswer(429, '', '7')).toMatchObject({ ok: false, retry: true, retryAfterMs: 7000 });
    expect(wecomAnswer(404, '{"errcode":404,"errmsg":"not found"}')).toMatchObject({ ok: false, error: 'HTTP 404: not found', retry: false });
    expect(wecomAnswer(200, '<html>')).toMatchObject({ ok: false, retry: false });
  });
});

describe('DingTalk robot', () => {
  const token = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2';
  const secret = 'SEC1d2b0d9f55b3bb6f8e2f2b1f4a0a0c3e8e2a7d5b9c1f0e4d3a2b1c0d9e8f7a6b';
  it('signing: sign = base64(HMAC-SHA256(key=secret, msg=timestamp+"\\n"+secret)), URL-encoded, with timestamp (ms) in the query', async () => {
    const ts = Math.floor(NOW);
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`, 'utf8').digest('base64');
    expect(await dingtalkSign(ts, secret)).toBe(expected);
    const r = await dingtalkRequest({ accessToken: token, secret }, MSG, NOW);
    expect(r.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=${token}&timestamp=${ts}&sign=${encodeURIComponent(expected)}`);
    const u = new URL(r.url);
    expect(u.searchParams.get('sign')).toBe(expected);
    expect(JSON.parse(r.body)).toEqual({ msgtype: 'text', text: { content: MSG.text } });
    expect(r.headers['Content-Type']).toBe('application/json');
  });
  it('without a secret: only access_token, no timestamp / sign', async () => {
    const r = await dingtalkRequest({ accessToken: token, secret: '' }, MSG, NOW);
    expect(r.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=${token}`);
  });
  it('answers: errcode 0 sent; 310000 (sign / keyword) shown, not retried; 130101 (too fast) retried', () => {
    expect(dingtalkAnswer(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(dingtalkAnswer(200, '{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('310000 sign not match'),
      retry: false,
    });
    expect(dingtalkAnswer(200, '{"errcode":130101,"errmsg":"send too fast"}')).toMatchObject({ retry: true });
    expect(dingtalkAnswer(503, '')).toMatchObject({ retry: true });
    expect(dingtalkAnswer(400, '{"errcode":40035,"errmsg":"bad"}')).toMatchObject({ retry: false });
  });
});

describe('Feishu / Lark bot', () => {
  const secret = 'qxTAVnzHlnDzYqBCRGaqwc';
  it('signing: sign = base64(HMAC-SHA256(key=timestamp+"\\n"+secret, msg=empty)), timestamp (s, string) and sign in the body', async () => {
    const ts = Math.floor(NOW / 1000);
    const expected = createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64');
    expect(await feishuSign(ts, secret)).toBe(expected);
    const r = await feishuRequest({ site: 'feishu', hookId: '3f2d7c1e-0b8a-4c5d-9e6f-112233445566', secret }, MSG, NOW);
    expect(r.url).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/3f2d7c1e-0b8a-4c5d-9e6f-112233445566');
    expect(JSON.parse(r.body)).toEqual({ timestamp: String(ts), sign: expected, msg_type: 'text', content: { text: MSG.text } });
  });
  it('Lark goes to open.larksuite.com; no secret, no timestamp / sign', async () => {
    const r = await feishuRequest({ site: 'lark', hookId: 'abcdefgh-1234', secret: '' }, MSG, NOW);
    expect(r.url).toBe('https://open.larksuite.com/open-apis/bot/v2/hook/abcdefgh-1234');
    expect(JSON.parse(r.body)).toEqual({ msg_type: 'text', content: { text: MSG.text } });
  });
  it('answers: code 0 (and the old StatusCode 0) sent; 19021 shown', () => {
    expect(feishuAnswer(200, '{"code":0,"data":{},"msg":"success"}')).toEqual({ ok: true });
    expect(feishuAnswer(200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true });
    expect(feishuAnswer(200, '{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}')).toEqual({
      ok: false,
      error: '19021 sign match fail or timestamp is not within one hour from current time',
      retry: false,
    });
    expect(feishuAnswer(500, '')).toMatchObject({ retry: true });
  });
});

describe('Telegram bot', () => {
  it('POST api.telegram.org/bot<token>/sendMessage with chat_id and text (plain; no link preview)', () => {
    const r = telegramRequest({ token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', chatId: '-1001234567890' }, MSG);
    expect(r.url).toBe('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage');
    expect(JSON.parse(r.body)).toEqual({ chat_id: '-1001234567890', text: MSG.text, link_preview_options: { is_disabled: true } });
    expect(JSON.parse(telegramRequest({ token: '1:x', chatId: '@c' }, MSG, 'HTML').body).parse_mode).toBe('HTML');
  });
  it('answers: {ok:true}; the description shown; 400 not retried; 429 retried after retry_after', () => {
    expect(telegramAnswer(200, '{"ok":true,"result":{"message_id":5}}')).toEqual({ ok: true });
    expect(telegramAnswer(400, '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}')).toEqual({
      ok: false,
      error: 'Bad Request: chat not found',
      retry: false,
    });
    expect(telegramAnswer(401, '{"ok":false,"error_code":401,"description":"Unauthorized"}')).toMatchObject({ retry: false, error: 'Unauthorized' });
    expect(telegramAnswer(429, '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}')).toEqual({
      ok: false,
      error: 'Too Many Requests: retry after 35',
      retry: true,
      retryAfterMs: 35_000,
    });
  });
});

describe('what the seller pastes', () => {
  it('a webhook URL or its bare key / token; anything else refused with a reason', () => {
    expect(parseWecomKey(' https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4 ')).toEqual({ ok: true, value: '693a91f6-7aaa-4bc4' });
    expect(parseWecomKey('https://evil.example/cgi-bin/webhook/send?key=693a91f6')).toEqual({ ok: false, error: 'ch_err_wecom_url' });
    expect(parseWecomKey('')).toEqual({ ok: false, error: 'ch_err_wecom_key' });
    expect(parseDingtalkToken('https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789abcdef')).toEqual({ ok: true, value: 'abcdef0123456789abcdef' });
    expect(parseDingtalkSecret('')).toEqual({ ok: true, value: '' });
    expect(parseDingtalkSecret('nope')).toEqual({ ok: false, error: 'ch_err_dingtalk_secret' });
    expect(parseFeishuHook('https://open.larksuite.com/open-apis/bot/v2/hook/abcdefgh-1234')).toEqual({ ok: true, value: 'abcdefgh-1234', site: 'lark' });
    expect(parseFeishuHook('https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh-1234')).toEqual({ ok: true, value: 'abcdefgh-1234', site: 'feishu' });
    expect(parseFeishuHook('https://open.feishu.cn/other')).toEqual({ ok: false, error: 'ch_err_feishu_url' });
    expect(parseTelegramToken('bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw')).toEqual({ ok: true, value: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' });
    expect(parseTelegramToken('123')).toMatchObject({ ok: false });
    expect(parseTelegramChat('-1001234567890')).toMatchObject({ ok: true });
    expect(parseTelegramChat('@my_shop_alerts')).toMatchObject({ ok: true });
    expect(parseTelegramChat('chat')).toMatchObject({ ok: false });
    expect(parseTime('9:05')).toEqual({ ok: true, value: '09:05' });
    for (const bad of ['24:00', '10:60', '10', 'ten', '']) expect(parseTime(bad), bad).toEqual({ ok: false, error: 'ch_err_time' });
  });

  it('a stored config is normalised (bad values → defaults), the summary defaults to 10:00 Moscow (S1)', () => {
    const n = normalizeChannels({ telegram: { enabled: 'yes', token: 7 }, summary: { time: '25:00', zone: 'Mars/Base' }, junk: 1 });
    expect(n.telegram.enabled).toBe(false);
    expect(n.telegram.token).toBe('');
    expect(n.summary).toEqual({ enabled: false, time: '10:00', zone: 'Europe/Moscow' });
    expect(normalizeChannels(null)).toEqual(defaultChannels);
    expect(channelProblem('telegram', n)).toBe('ch_err_telegram_token');
  });

  it('secrets: emptied (channels off) in an export unless asked for, and scrubbed from error texts', () => {
    const cfg = normalizeChannels({
      telegram: { enabled: true, token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', chatId: '42' },
      dingtalk: { enabled: true, accessToken: 'abcdef0123456789abcdef', secret: 'SEC0123456789abcdef0123' },
    });
    const storage = { channels: cfg, settings: { language: 'ru' } };
    const out = redactExport(storage, false);
    expect(JSON.stringify(out)).not.toContain('AAHdqTcv');
    expect(JSON.stringify(out)).not.toContain('SEC0123456789');
    expect((out.channels as typeof cfg).telegram.enabled).toBe(false);
    expect(out.settings).toEqual(storage.settings);
    expect(redactExport(storage, true)).toEqual(storage);
    expect(redactExport({ ...storage, 'channels:outbox': [{ text: 'x' }] }, true)).toEqual(storage);
    expect(withoutSecrets(cfg).dingtalk.accessToken).toBe('');
    expect(scrub('failed: https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', ['123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'])).toBe(
      'failed: https://api.telegram.org/bot***/sendMessage',
    );
  });
});
