/**
 * One rulebook value: its label, default, value in force and an input.
 * A refused value stays in the input with its reason beside it
 * (aria-invalid + aria-describedby); the value in force is unchanged.
 */
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { defaultRulebook, getParam, type ParamEntry } from '../../rules';
import { paramLabelKey, unitKey } from '../../rules';
import { useCtx, useSlice } from './context';
import { errorText, fieldId, valueText } from './format';

export function ParamField({ entry }: { entry: ParamEntry }) {
  const { actions } = useCtx();
  const { path } = entry;
  const def = getParam(defaultRulebook, path)!;
  const inForce = useSlice((s) => getParam(s.rulebook, path)!.value);
  const draft = useSlice((s) => s.drafts[path]);
  const error = useSlice((s) => s.errors[path]);
  useSlice((s) => s.lang);
  const overridden = useSlice((s) => path in s.overrides.values);
  const id = fieldId(path);
  const errId = `${id}-err`;
  const isList = def.unit === 'list';
  const shown = draft ?? (Array.isArray(inForce) ? inForce.join('\n') : String(inForce));
  const [busy, setBusy] = useState(false);

  const commit = async (text: string) => {
    setBusy(true);
    try {
      await actions.commitParam(path, isList ? text : text.trim() === '' ? '' : text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      class={`param${overridden ? ' param--changed' : ''}${error ? ' param--invalid' : ''}`}
      data-param={path}
      data-overridden={overridden ? 'true' : 'false'}
    >
      <label class="param__label" for={id}>
        {t(paramLabelKey(path))}
        <span class="seed" title={t(`options_seed_${def.seed}`)}>
          {def.seed}
        </span>
      </label>
      <div class="param__control">
        {isList ? (
          <textarea
            id={id}
            rows={Math.min(8, Math.max(3, (shown.match(/\n/g)?.length ?? 0) + 2))}
            value={shown}
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={error ? `${errId} ${id}-hint` : `${id}-hint`}
            onInput={(e) => actions.draft(path, (e.currentTarget as HTMLTextAreaElement).value)}
            onChange={(e) => void commit((e.currentTarget as HTMLTextAreaElement).value)}
          />
        ) : (
          <span class="param__input">
            <input
              id={id}
              type="number"
              step="any"
              inputMode="decimal"
              value={shown}
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby={error ? `${errId} ${id}-hint` : `${id}-hint`}
              onInput={(e) => actions.draft(path, (e.currentTarget as HTMLInputElement).value)}
              onChange={(e) => void commit((e.currentTarget as HTMLInputElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void commit((e.currentTarget as HTMLInputElement).value);
              }}
            />
            <span class="unit">{t(unitKey(def.unit))}</span>
          </span>
        )}
        <button
          type="button"
          class="link"
          disabled={!overridden && draft === undefined}
          onClick={() => void actions.resetParam(path)}
          aria-label={t('options_reset_one_label', t(paramLabelKey(path)))}
          data-reset={path}
        >
          {t('options_reset_one')}
        </button>
      </div>
      <div class="param__meta" id={`${id}-hint`}>
        <span>
          {t('options_default')}: <b>{valueText(def.value, def.unit)}</b>
        </span>
        <span data-in-force={path}>
          {t('options_in_force')}: <b>{valueText(inForce, def.unit)}</b>
        </span>
        {isList && <span>{t('options_list_hint')}</span>}
      </div>
      {error && (
        <div class="param__error" id={errId} role="alert" data-error-for={path}>
          {errorText(error)} {busy ? '' : t('options_err_kept', valueText(inForce, def.unit))}
        </div>
      )}
    </div>
  );
}
