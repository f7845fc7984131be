/**
 * What the page cannot tell (C2): per store, whether Auto-Confirm Shipment is
 * on, and which SKUs / offer ids are digital goods, electronics or pre-sale.
 * The reader sets the order's flags from these (panel/flags.ts applySellerFlags).
 */
import { STORE_NAME_MAX } from '../../storage/store-names';
import { useState } from 'preact/hooks';
import { t, tp } from '../../lib/i18n';
import { ALL_STORES, SKU_TAGS, type SkuTag } from '../../storage/settings';
import { UNKNOWN_STORE } from '../../rules';
import { useCtx, useSlice } from './context';
import { errorText } from './format';

const EMPTY: Record<SkuTag, string[]> = { digital: [], electronics: [], preorder: [] };

function storeName(s: { id: string; name?: string }): string {
  if (s.id === UNKNOWN_STORE) return t('options_store_unknown');
  if (s.id === ALL_STORES) return t('options_store_all');
  return s.name ? `${s.name} (${s.id})` : t('options_store_id', s.id);
}

function SkuList({ storeId, tag }: { storeId: string; tag: SkuTag }) {
  const { actions } = useCtx();
  const field = `sku.${storeId}.${tag}`;
  const list = useSlice((s) => s.settings.skuFlags[storeId]?.[tag] ?? EMPTY[tag]);
  const draft = useSlice((s) => s.drafts[field]);
  const error = useSlice((s) => s.errors[field]);
  const id = `sku-${storeId}-${tag}`;
  return (
    <div class="sku" data-sku-tag={tag}>
      <label for={id}>
        <b>{t(`options_tag_${tag}`)}</b> <span class="muted">{tp('options_sku_count', list.length)}</span>
      </label>
      <textarea
        id={id}
        rows={4}
        placeholder={t('options_sku_placeholder')}
        value={draft ?? list.join('\n')}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? `${id}-err ${id}-hint` : `${id}-hint`}
        onInput={(e) => actions.draft(field, (e.currentTarget as HTMLTextAreaElement).value)}
        onChange={(e) => void actions.setSkuList(storeId, tag, (e.currentTarget as HTMLTextAreaElement).value)}
      />
      <span class="muted small" id={`${id}-hint`}>
        {t('options_sku_hint')}
      </span>
      {error && (
        <div class="param__error" id={`${id}-err`} role="alert">
          {errorText(error)}
        </div>
      )}
    </div>
  );
}

function SeenPicker({ storeId }: { storeId: string }) {
  const { actions } = useCtx();
  const seen = useSlice((s) => s.seen[storeId]);
  const flags = useSlice((s) => s.settings.skuFlags[storeId] ?? EMPTY);
  const [filter, setFilter] = useState('');
  if (!seen?.length) return <p class="muted small">{t('options_seen_none')}</p>;
  const shown = seen.filter((x) => !filter || x.sku.includes(filter) || x.name?.toLowerCase().includes(filter.toLowerCase())).slice(0, 100);
  return (
    <details class="seen">
      <summary>{tp('options_seen_title', seen.length)}</summary>
      <input
        type="search"
        placeholder={t('options_seen_filter')}
        value={filter}
        onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
      />
      <table class="seen__table">
        <thead>
          <tr>
            <th>{t('options_seen_sku')}</th>
            {SKU_TAGS.map((tag) => (
              <th key={tag}>{t(`options_tag_${tag}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((x) => (
            <tr key={x.sku}>
              <td>
                <code>{x.sku}</code> {x.name && <span class="muted small">{x.name}</span>}
              </td>
              {SKU_TAGS.map((tag) => (
                <td key={tag}>
                  <input
                    type="checkbox"
                    aria-label={`${x.sku}: ${t(`options_tag_${tag}`)}`}
                    checked={flags[tag].includes(x.sku)}
                    onChange={(e) => void actions.toggleSku(storeId, tag, x.sku, (e.currentTarget as HTMLInputElement).checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The seller's own name for the store (storage/store-names.ts): shown instead of its id everywhere. */
function StoreNameField({ storeId, name }: { storeId: string; name: string }) {
  const { actions } = useCtx();
  const err = useSlice((s) => s.errors.storeName);
  const [text, setText] = useState(name);
  return (
    <form
      class="inline"
      data-store-name-form={storeId}
      onSubmit={(e) => {
        e.preventDefault();
        void actions.setStoreName(storeId, text);
      }}
    >
      <label for="store-name">{t('storename_label')}</label>
      <input
        id="store-name"
        type="text"
        maxLength={STORE_NAME_MAX + 20}
        placeholder={t('storename_placeholder')}
        value={text}
        aria-invalid={err ? 'true' : 'false'}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit">{t('storename_save')}</button>
      {err && (
        <div class="param__error" role="alert" data-error-for="storeName">
          {errorText(err)}
        </div>
      )}
    </form>
  );
}

export function StoreFactsSection() {
  const { actions } = useCtx();
  useSlice((s) => s.lang);
  const stores = useSlice((s) => s.stores);
  const selected = useSlice((s) => s.selectedStore);
  const auto = useSlice((s) => !!s.settings.autoConfirmShipment[s.selectedStore]);
  const newStoreErr = useSlice((s) => s.errors.newStore);
  const [newId, setNewId] = useState('');
  return (
    <section id="stores" class="card" aria-labelledby="stores-h">
      <h2 id="stores-h">{t('options_stores_title')}</h2>
      <p class="muted">{t('options_stores_intro')}</p>
      <div class="row">
        <label for="store-select">{t('options_store')}</label>
        <select
          id="store-select"
          value={selected}
          onChange={(e) => void actions.selectStore((e.currentTarget as HTMLSelectElement).value)}
        >
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {storeName(s)}
            </option>
          ))}
        </select>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (actions.addStore(newId)) setNewId('');
          }}
        >
          <input
            id="store-new"
            type="text"
            inputMode="numeric"
            placeholder={t('options_store_add_placeholder')}
            aria-label={t('options_store_add_placeholder')}
            value={newId}
            aria-invalid={newStoreErr ? 'true' : 'false'}
            aria-describedby={newStoreErr ? 'store-new-err' : undefined}
            onInput={(e) => setNewId((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit">{t('options_store_add')}</button>
        </form>
      </div>
      {newStoreErr && (
        <div class="param__error" id="store-new-err" role="alert">
          {errorText(newStoreErr)}
        </div>
      )}
      {selected !== UNKNOWN_STORE && selected !== ALL_STORES && <StoreNameField key={selected} storeId={selected} name={stores.find((x) => x.id === selected)?.name ?? ''} />}
      {selected === UNKNOWN_STORE && <p class="muted small">{t('options_store_unknown_hint')}</p>}
      {selected === ALL_STORES && <p class="muted small">{t('options_store_all_hint')}</p>}
      {selected !== ALL_STORES && (
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            checked={auto}
            data-auto-confirm={selected}
            onChange={(e) => void actions.setAutoConfirm(selected, (e.currentTarget as HTMLInputElement).checked)}
          />
          <span>
            <b>{t('options_auto_confirm')}</b>
            <br />
            <span class="muted small">{t('options_auto_confirm_hint')}</span>
          </span>
        </label>
      )}
      <div class="skus">
        {SKU_TAGS.map((tag) => (
          <SkuList key={`${selected}-${tag}`} storeId={selected} tag={tag} />
        ))}
      </div>
      <SeenPicker storeId={selected} />
    </section>
  );
}
