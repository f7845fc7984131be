/**
 * Data: export everything stored as one JSON file, import it back (validated,
 * merged, nothing lost), clear all behind a typed confirmation.
 */
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { useCtx, useSlice } from './context';
import { Check } from './Check';

export function DataSection() {
  const { actions } = useCtx();
  useSlice((s) => s.lang);
  const notice = useSlice((s) => s.notice);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [withSecrets, setWithSecrets] = useState(false);
  const [withKeys, setWithKeys] = useState(false);
  const word = t('options_clear_word');
  const matches = typed.trim().toLowerCase() === word.toLowerCase();

  const doExport = async () => {
    const { name, json } = await actions.exportData({ includeSecrets: withSecrets, includeApiKeys: withKeys });
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    actions.notify({ kind: 'ok', key: 'options_export_done', subs: [name] });
  };

  return (
    <section id="data" class="card" aria-labelledby="data-h">
      <h2 id="data-h">{t('options_data_title')}</h2>
      <div class="field">
        <button type="button" onClick={() => void doExport()} data-export>
          {t('options_export')}
        </button>
        <span class="muted small"> {t('options_export_hint')}</span>
        <Check checked={withSecrets} data={{ 'data-export-secrets': true }} onChange={setWithSecrets}>
          {t('options_export_secrets')}
        </Check>
        <label class="check small">
          <input type="checkbox" checked={withKeys} onChange={(e) => setWithKeys((e.currentTarget as HTMLInputElement).checked)} data-export-api-keys />{' '}
          {t('apisync_include_keys')}
        </label>
      </div>
      <div class="field">
        <label for="import-file">{t('options_import')}</label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          data-import-json
          disabled={busy}
          onChange={async (e) => {
            const input = e.currentTarget as HTMLInputElement;
            const f = input.files?.[0];
            if (!f) return;
            setBusy(true);
            try {
              await actions.importData(await f.text());
            } finally {
              setBusy(false);
              input.value = '';
            }
          }}
        />
        <span class="muted small"> {t('options_import_hint')}</span>
      </div>
      <div class="field danger-zone">
        <label for="clear-confirm">{t('options_clear_label', word)}</label>
        <p class="muted small">{t('options_clear_hint')}</p>
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!matches) return;
            setBusy(true);
            try {
              await actions.clearAll();
              setTyped('');
            } finally {
              setBusy(false);
            }
          }}
        >
          <input
            id="clear-confirm"
            type="text"
            autoComplete="off"
            value={typed}
            placeholder={word}
            onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="danger" disabled={!matches || busy} data-clear-all>
            {t('options_clear')}
          </button>
        </form>
      </div>
      {notice && (
        <p class={`notice notice--${notice.kind}`} role="status" data-notice={notice.kind}>
          {t(notice.key, ...notice.subs)}
        </p>
      )}
    </section>
  );
}
