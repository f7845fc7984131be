/**
 * The optional Seller API sync, per store: Client-Id, Api-Key (masked once
 * saved, removed by one click), the API host, on/off, a key check, progress.
 * Turning sync on (or checking a key) asks the browser for that one API host
 * at that moment (optional_host_permissions); the calls themselves come from
 * the background only (background/seller-api/service.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { useSlice } from './context';
import { API_ORIGINS, hostPattern, isApiOrigin, type ApiOrigin } from '../../background/seller-api/paths';
import { keysItem, maskKey, readKeys, readState, stateItem, type KeysData, type StateData } from '../../background/seller-api/store';
import { errorText, progressText } from '../../background/seller-api/text';
import type { CheckAnswer } from '../../background/seller-api/service';

type Result = { kind: 'ok' | 'error'; text: string };

const originLabel = (o: ApiOrigin) => (o === API_ORIGINS[1] ? t('apisync_origin_cn') : t('apisync_origin_ru'));

/** Must run inside the click handler, before any await (Firefox wants the user gesture). */
function askHost(origin: ApiOrigin): Promise<boolean> {
  try {
    return browser.permissions.request({ origins: [hostPattern(origin)] }).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

async function setEntry(id: string, patch: Partial<KeysData[string]> | null): Promise<void> {
  const all = { ...(await readKeys()) };
  if (patch === null) delete all[id];
  else if (all[id]) all[id] = { ...all[id]!, ...patch };
  await keysItem.setValue(all);
}

function send<T>(msg: unknown): Promise<T | undefined> {
  return (browser.runtime.sendMessage(msg) as Promise<T>).catch(() => undefined);
}

function checkResult(a: CheckAnswer | undefined): Result {
  if (a?.ok) return { kind: 'ok', text: t('apisync_check_ok') };
  const e = a && !a.ok ? a : { kind: 'network' as const };
  return { kind: 'error', text: errorText({ kind: e.kind as never, status: 'status' in e ? e.status : undefined, detail: 'detail' in e ? e.detail : undefined, path: '/v1/rating/summary' }) };
}

function StoreRow({ id, entry, state, now }: { id: string; entry: KeysData[string]; state: StateData[string] | undefined; now: number }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const toggle = () => {
    if (entry.enabled) {
      void setEntry(id, { enabled: false });
      return;
    }
    const granted = askHost(entry.origin);
    setBusy(true);
    void granted
      .then(async (ok) => {
        if (!ok) return setResult({ kind: 'error', text: t('apisync_permission_denied', entry.origin) });
        setResult(null);
        await setEntry(id, { enabled: true });
        await send({ type: 'apiSync:run', storeId: id });
      })
      .finally(() => setBusy(false));
  };
  const check = () => {
    const granted = askHost(entry.origin);
    setBusy(true);
    setResult({ kind: 'ok', text: t('apisync_checking') });
    void granted
      .then(async (ok) => {
        if (!ok) return setResult({ kind: 'error', text: t('apisync_permission_denied', entry.origin) });
        setResult(checkResult(await send<CheckAnswer>({ type: 'apiSync:check', clientId: id, origin: entry.origin })));
      })
      .finally(() => setBusy(false));
  };
  return (
    <div class="field api-store" data-api-store={id} data-api-enabled={entry.enabled ? 'true' : 'false'}>
      <p>
        <b>{t('apisync_store', id)}</b> · <span class="muted">{t('apisync_key_masked', maskKey(entry.apiKey))}</span> ·{' '}
        <span class="muted">{originLabel(entry.origin)}</span> · <b>{entry.enabled ? t('apisync_state_on') : t('apisync_state_off')}</b>
      </p>
      <div class="inline">
        <button type="button" onClick={toggle} disabled={busy} data-api-toggle>
          {entry.enabled ? t('apisync_turn_off') : t('apisync_turn_on')}
        </button>
        <button type="button" onClick={check} disabled={busy} data-api-check>
          {t('apisync_check')}
        </button>
        <button type="button" disabled={busy || !entry.enabled} onClick={() => void send({ type: 'apiSync:run', storeId: id })} data-api-sync-now>
          {t('apisync_sync_now')}
        </button>
        <button type="button" class="danger" onClick={() => void setEntry(id, null)} data-api-remove>
          {t('apisync_remove')}
        </button>
      </div>
      <p class="small" role="status" data-api-progress={state?.run ? 'running' : state?.last ? 'done' : 'never'}>
        {progressText(state, now)}
      </p>
      {state?.error && (
        <p class="notice notice--error small" role="alert" data-api-error={state.error.kind}>
          {errorText(state.error)}
        </p>
      )}
      {result && (
        <p class={`notice notice--${result.kind} small`} role="status" data-api-check-result={result.kind}>
          {result.text}
        </p>
      )}
    </div>
  );
}

export function ApiSyncSection() {
  useSlice((s) => s.lang);
  const windowDays = useSlice((s) => s.rulebook.metrics.windowDays.value);
  const [keys, setKeys] = useState<KeysData>({});
  const [state, setState] = useState<StateData>({});
  const [now, setNow] = useState(Date.now());
  const [clientId, setClientId] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [origin, setOrigin] = useState<ApiOrigin>(API_ORIGINS[0]);
  const [formMsg, setFormMsg] = useState<Result | null>(null);

  useEffect(() => {
    const load = () => {
      void readKeys().then(setKeys);
      void readState().then(setState);
      setNow(Date.now());
    };
    load();
    const u1 = keysItem.watch(load);
    const u2 = stateItem.watch(load);
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      u1();
      u2();
      clearInterval(timer);
    };
  }, []);

  const add = async (e: Event) => {
    e.preventDefault();
    const id = clientId.trim();
    const key = apiKey.trim();
    if (!/^\d{1,20}$/.test(id)) return setFormMsg({ kind: 'error', text: t('apisync_bad_client_id') });
    if (!key || key.length > 200 || /\s/.test(key)) return setFormMsg({ kind: 'error', text: t('apisync_bad_key') });
    const all = { ...(await readKeys()) };
    all[id] = { clientId: id, apiKey: key, origin, enabled: all[id]?.enabled ?? false };
    await keysItem.setValue(all);
    // The key leaves the form at once: it is never shown again in full.
    setApiKey('');
    setClientId('');
    setFormMsg({ kind: 'ok', text: t('apisync_key_saved') });
  };

  return (
    <section id="api-sync" class="card" aria-labelledby="api-sync-h" data-api-sync>
      <h2 id="api-sync-h">{t('apisync_title')}</h2>
      <p class="muted small">{t('apisync_intro', windowDays)}</p>
      <p class="muted small">{t('apisync_store_note')}</p>
      {Object.entries(keys).map(([id, entry]) => (
        <StoreRow key={id} id={id} entry={entry} state={state[id]} now={now} />
      ))}
      <form class="field" onSubmit={(e) => void add(e)} autoComplete="off">
        <label for="api-client-id">{t('apisync_client_id')}</label>
        <input id="api-client-id" inputMode="numeric" value={clientId} onInput={(e) => setClientId((e.currentTarget as HTMLInputElement).value)} data-api-client-id />
        <label for="api-key">{t('apisync_api_key')}</label>
        <input id="api-key" type="password" autoComplete="off" value={apiKey} onInput={(e) => setApiKey((e.currentTarget as HTMLInputElement).value)} data-api-key />
        <label for="api-origin">{t('apisync_origin')}</label>
        <select id="api-origin" value={origin} onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (isApiOrigin(v)) setOrigin(v);
        }} data-api-origin>
          {API_ORIGINS.map((o) => (
            <option key={o} value={o}>
              {originLabel(o)}
            </option>
          ))}
        </select>
        <button type="submit" data-api-add>
          {t('apisync_add')}
        </button>
        {formMsg && (
          <p class={`notice notice--${formMsg.kind} small`} role="status" data-api-form={formMsg.kind}>
            {formMsg.text}
          </p>
        )}
      </form>
    </section>
  );
}
