/**
 * Reminders on the seller's phone: WeCom, DingTalk, Feishu / Lark, Telegram,
 * each off until turned on (then its one host permission is asked for, at
 * that click), a test button that shows the service's own answer, each
 * channel's last delivery and last error, prices on/off, the morning summary
 * (time and zone) and "forget all keys". State lives in storage.local under
 * background/channels/store.ts; the page follows changes the background makes.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { LANG_TAG, lang, t } from '../../lib/i18n';
import { COMMON_ZONES, isValidTimeZone } from '../../storage/settings';
import { Check } from './Check';
import {
  CHANNEL_IDS,
  channelProblem,
  defaultChannels,
  hostOf,
  normalizeChannels,
  originPattern,
  parseDingtalkSecret,
  parseDingtalkToken,
  parseFeishuHook,
  parseFeishuSecret,
  parseTelegramChat,
  parseTelegramToken,
  parseTime,
  parseWecomKey,
  withoutSecrets,
  type ChannelId,
  type ChannelsConfig,
} from '../../background/channels/config';
import { channelsItem, statusItem, type ChannelStatus } from '../../background/channels/store';
import { forgetSecrets, sendTest } from '../../background/channels/deliver';
import { channelFetch } from '../../background/channels/send';
import { useSlice } from './context';

type Field = { name: string; label: string; secret?: boolean; placeholder: string; parse: (v: unknown) => { ok: boolean; value?: string; error?: string; site?: 'feishu' | 'lark' } };

const FIELDS: Record<ChannelId, Field[]> = {
  wecom: [{ name: 'key', label: 'ch_field_wecom_key', secret: true, placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', parse: parseWecomKey }],
  dingtalk: [
    { name: 'accessToken', label: 'ch_field_dingtalk_token', secret: true, placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…', parse: parseDingtalkToken },
    { name: 'secret', label: 'ch_field_dingtalk_secret', secret: true, placeholder: 'SEC…', parse: parseDingtalkSecret },
  ],
  feishu: [
    { name: 'hookId', label: 'ch_field_feishu_hook', secret: true, placeholder: 'https://open.feishu.cn/open-apis/bot/v2/hook/…', parse: parseFeishuHook },
    { name: 'secret', label: 'ch_field_feishu_secret', secret: true, placeholder: '', parse: parseFeishuSecret },
  ],
  telegram: [
    { name: 'token', label: 'ch_field_telegram_token', secret: true, placeholder: '123456789:AA…', parse: parseTelegramToken },
    { name: 'chatId', label: 'ch_field_telegram_chat', placeholder: '-1001234567890', parse: parseTelegramChat },
  ],
};

function without<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const out = { ...rec };
  delete out[key];
  return out;
}

function when(ms: number): string {
  try {
    return new Date(ms).toLocaleString(LANG_TAG[lang()], { dateStyle: 'short', timeStyle: 'short' });
  } catch {
    return new Date(ms).toISOString();
  }
}

let saving: Promise<unknown> = Promise.resolve();
/**
 * Applies `change` to the STORED config, one change at a time: two fields
 * committed back to back (or the background writing) never overwrite each
 * other with a stale copy.
 */
function update(change: (cur: ChannelsConfig) => ChannelsConfig): Promise<void> {
  const next = saving.then(async () => channelsItem.setValue(change(normalizeChannels(await channelsItem.getValue()))));
  saving = next.catch(() => undefined);
  return next;
}
function patchChannel(id: ChannelId, patch: Record<string, unknown>): Promise<void> {
  return update((cur) => ({ ...cur, [id]: { ...cur[id], ...patch } }) as ChannelsConfig);
}

function ChannelCard({ id, cfg, status }: { id: ChannelId; cfg: ChannelsConfig; status: ChannelStatus | undefined }) {
  const c = cfg[id] as unknown as Record<string, unknown> & { enabled: boolean; summary: boolean };
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [test, setTest] = useState<{ state: 'sending' } | { state: 'ok' } | { state: 'error'; text: string } | null>(null);
  const on = c.enabled;

  /** The config with this card's typed fields applied (validated), or the first error. */
  const withDrafts = (): { next: ChannelsConfig; errs: Record<string, string> } => {
    const errs: Record<string, string> = {};
    const ch = { ...(cfg[id] as unknown as Record<string, unknown>) };
    for (const f of FIELDS[id]) {
      const raw = drafts[f.name] ?? (ch[f.name] as string);
      if (raw === undefined) continue;
      const r = f.parse(raw);
      if (!r.ok) errs[f.name] = r.error!;
      else {
        ch[f.name] = r.value;
        if (r.site) ch.site = r.site;
      }
    }
    return { next: { ...cfg, [id]: ch } as ChannelsConfig, errs };
  };

  /** Commits what the field holds (read from the element: a blur can come before the draft's re-render). */
  const commitField = (name: string, raw: string) => {
    if (raw === (c[name] as string) && drafts[name] === undefined) return;
    const f = FIELDS[id].find((x) => x.name === name)!;
    const r = f.parse(raw);
    if (!r.ok) {
      setErrors((e) => ({ ...e, [name]: r.error! }));
      return;
    }
    setDrafts((d) => without(d, name));
    setErrors((e) => without(e, name));
    void patchChannel(id, { [name]: r.value, ...(r.site && { site: r.site }) });
  };

  const turnOn = () => {
    const { next, errs } = withDrafts();
    const problem = Object.values(errs)[0] ?? channelProblem(id, next);
    if (problem) {
      setErrors(errs);
      setNote({ kind: 'error', text: t('ch_fix_first', t(problem)) });
      return;
    }
    const host = hostOf(id, next);
    // Asked here, in the click: the browser shows its prompt only for a user gesture.
    browser.permissions.request({ origins: [originPattern(id, next)] }).then(
      async (granted) => {
        if (!granted) {
          setNote({ kind: 'error', text: t('ch_perm_denied', host) });
          return;
        }
        setDrafts({});
        setErrors({});
        setNote(null);
        const fields = next[id] as unknown as Record<string, unknown>;
        await patchChannel(id, { ...fields, enabled: true });
      },
      (e: unknown) => setNote({ kind: 'error', text: t('ch_perm_denied', `${host} (${String((e as Error)?.message ?? e)})`) }),
    );
  };

  const turnOff = async () => {
    await patchChannel(id, { enabled: false });
    // The host is given back: nothing may reach it until the seller turns the channel on again.
    await browser.permissions.remove({ origins: [originPattern(id, cfg)] }).catch(() => false);
  };

  const runTest = async () => {
    setTest({ state: 'sending' });
    const r = await sendTest(id, cfg, { text: t('ch_test_text'), markdown: `**${t('ch_test_text')}**` }, { fetch: channelFetch, now: () => Date.now() });
    setTest(r.ok ? { state: 'ok' } : { state: 'error', text: r.error });
  };

  return (
    <fieldset class="field channel" data-channel={id} data-enabled={on ? 'true' : 'false'}>
      <legend>
        <b>{t(`ch_name_${id}`)}</b>
      </legend>
      <label class="check">
        <input
          type="checkbox"
          checked={on}
          data-channel-toggle={id}
          onChange={(e) => {
            const box = e.currentTarget as HTMLInputElement;
            if (box.checked) {
              box.checked = false; // on only once the permission is granted and the config saved
              turnOn();
            } else void turnOff();
          }}
        />
        <span>
          {t('ch_enable')} <span class="muted small">— {t('ch_host', hostOf(id, cfg))}</span>
        </span>
      </label>
      {FIELDS[id].map((f) => {
        const fid = `ch-${id}-${f.name}`;
        const err = errors[f.name];
        return (
          <div key={f.name} class="channel__row">
            <label for={fid}>{t(f.label)}</label>
            <input
              id={fid}
              type={(f.secret ? 'password' : 'text') as 'text'}
              autoComplete="off"
              spellcheck={false}
              disabled={on}
              placeholder={f.placeholder}
              data-channel-field={`${id}.${f.name}`}
              value={drafts[f.name] ?? (c[f.name] as string)}
              aria-invalid={err ? 'true' : 'false'}
              onInput={(e) => setDrafts({ ...drafts, [f.name]: (e.currentTarget as HTMLInputElement).value })}
              onBlur={(e) => commitField(f.name, (e.currentTarget as HTMLInputElement).value)}
            />
            {err && (
              <div class="param__error" role="alert" data-error-for={`${id}.${f.name}`}>
                {t(err)}
              </div>
            )}
          </div>
        );
      })}
      {id === 'feishu' && (
        <div class="channel__row">
          <label for="ch-feishu-site">{t('ch_field_feishu_site')}</label>
          <select
            id="ch-feishu-site"
            disabled={on}
            value={cfg.feishu.site}
            onChange={(e) => void patchChannel('feishu', { site: (e.currentTarget as HTMLSelectElement).value === 'lark' ? 'lark' : 'feishu' })}
          >
            <option value="feishu">{t('ch_site_feishu')}</option>
            <option value="lark">{t('ch_site_lark')}</option>
          </select>
        </div>
      )}
      {id === 'wecom' && (
        <div class="channel__row">
          <label for="ch-wecom-format">{t('ch_field_format')}</label>
          <select
            id="ch-wecom-format"
            value={cfg.wecom.format}
            onChange={(e) => void patchChannel('wecom', { format: (e.currentTarget as HTMLSelectElement).value === 'markdown' ? 'markdown' : 'text' })}
          >
            <option value="text">{t('ch_fmt_text')}</option>
            <option value="markdown">{t('ch_fmt_markdown')}</option>
          </select>
        </div>
      )}
      <Check checked={c.summary} data={{ 'data-channel-summary': id }} onChange={(on) => void patchChannel(id, { summary: on })}>
        {t('ch_summary_here')}
      </Check>
      <div class="inline">
        <button type="button" disabled={!on || test?.state === 'sending'} data-channel-test={id} onClick={() => void runTest()}>
          {test?.state === 'sending' ? t('ch_test_sending') : t('ch_test')}
        </button>
        {test && test.state !== 'sending' && (
          <span class={`notice notice--${test.state}`} role="status" data-channel-test-result={test.state}>
            {test.state === 'ok' ? t('ch_test_ok') : t('ch_test_err', test.text)}
          </span>
        )}
      </div>
      {note && (
        <p class={`notice notice--${note.kind}`} role="status" data-channel-note={note.kind}>
          {note.text}
        </p>
      )}
      <p class="muted small" data-channel-status={id}>
        {status?.lastOkAt ? t('ch_last_ok', when(status.lastOkAt)) : t('ch_never')}
        {status?.lastError && (
          <>
            <br />
            <span data-channel-last-error={id}>
              {t('ch_last_error', when(status.lastError.at), status.lastError.text)}
              {status.lastError.retrying ? ` (${t('ch_retrying')})` : ''}
            </span>
          </>
        )}
      </p>
    </fieldset>
  );
}

function SummaryFields({ cfg }: { cfg: ChannelsConfig }) {
  const [time, setTime] = useState<string | undefined>(undefined);
  const [err, setErr] = useState<string | null>(null);
  const s = cfg.summary;
  const zones = COMMON_ZONES.includes(s.zone) ? COMMON_ZONES : [s.zone, ...COMMON_ZONES];
  const commitTime = () => {
    if (time === undefined) return;
    const r = parseTime(time);
    if (!r.ok) return setErr(r.error);
    setErr(null);
    setTime(undefined);
    void update((cur) => ({ ...cur, summary: { ...cur.summary, time: r.value } }));
  };
  return (
    <div class="field" data-summary>
      <h3>{t('ch_summary_title')}</h3>
      <p class="muted small">{t('ch_summary_what')}</p>
      <Check checked={s.enabled} data={{ 'data-summary-enabled': true }} onChange={(on) => void update((cur) => ({ ...cur, summary: { ...cur.summary, enabled: on } }))}>
        {t('ch_summary_enabled')}
      </Check>
      <div class="inline">
        <label for="ch-summary-time">{t('ch_summary_time')}</label>
        <input
          id="ch-summary-time"
          type="text"
          inputMode="numeric"
          size={6}
          data-summary-time
          value={time ?? s.time}
          aria-invalid={err ? 'true' : 'false'}
          onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)}
          onBlur={commitTime}
          onKeyDown={(e) => e.key === 'Enter' && commitTime()}
        />
        <label for="ch-summary-zone">{t('ch_summary_zone')}</label>
        <select
          id="ch-summary-zone"
          value={s.zone}
          data-summary-zone
          onChange={(e) => {
            const z = (e.currentTarget as HTMLSelectElement).value;
            if (isValidTimeZone(z)) void update((cur) => ({ ...cur, summary: { ...cur.summary, zone: z } }));
          }}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      {err && (
        <div class="param__error" role="alert" data-error-for="summary.time">
          {t(err)}
        </div>
      )}
    </div>
  );
}

export function ChannelsSection() {
  useSlice((s) => s.lang);
  const [cfg, setCfg] = useState<ChannelsConfig>(defaultChannels);
  const [status, setStatus] = useState<Partial<Record<ChannelId, ChannelStatus>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void channelsItem.getValue().then((v) => live && setCfg(normalizeChannels(v)));
    void statusItem.getValue().then((v) => live && setStatus(v ?? {}));
    const un1 = channelsItem.watch((v) => setCfg(normalizeChannels(v)));
    const un2 = statusItem.watch((v) => setStatus(v ?? {}));
    return () => {
      live = false;
      un1();
      un2();
    };
  }, []);

  const forget = async () => {
    const before = cfg;
    await forgetSecrets(withoutSecrets);
    for (const id of CHANNEL_IDS) {
      if (before[id].enabled) await browser.permissions.remove({ origins: [originPattern(id, before)] }).catch(() => false);
    }
    setNotice(t('ch_forget_done'));
  };

  return (
    <section id="channels" class="card" aria-labelledby="channels-h" data-channels>
      <h2 id="channels-h">{t('options_channels_title')}</h2>
      <p class="muted small">{t('options_channels_intro')}</p>
      <p class="muted small">{t('options_channels_what')}</p>
      {CHANNEL_IDS.map((id) => (
        <ChannelCard key={id} id={id} cfg={cfg} status={status[id]} />
      ))}
      <Check checked={cfg.includePrices} data={{ 'data-channel-prices': true }} onChange={(on) => void update((cur) => ({ ...cur, includePrices: on }))}>
        {t('ch_prices')}
      </Check>
      <SummaryFields cfg={cfg} />
      <div class="field">
        <button type="button" class="danger" data-channel-forget onClick={() => void forget()}>
          {t('ch_forget')}
        </button>
        {notice && (
          <span class="notice notice--ok" role="status">
            {' '}
            {notice}
          </span>
        )}
      </div>
    </section>
  );
}
