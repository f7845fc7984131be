/**
 * The options page's state: one zustand (vanilla) store over the two storage
 * items it edits (settings, rulebook overrides), plus what is being typed.
 *
 * Why drafts and errors live here and not in the inputs: a refused value must
 * stay visible next to its field (with the reason) while the value in force —
 * and storage — stay as they were; a storage change from another tab must not
 * wipe what the seller is typing.
 */
import { setStoreName } from '../../storage/store-names';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { defaultRulebook, getParam, type Rulebook } from '../../rules';
import { parseList, validateOverrides, validateParamValue, type PathError, type ValidationError } from '../../rules';
import {
  normalizeSettings,
  parseSkuList,
  rulebookFrom,
  rulebookOverridesItem,
  settingsItem,
  SETTINGS_KEY,
  OVERRIDES_KEY,
  defaultSettings,
  defaultOverrides,
  validateSettings,
  validateZone,
  validatePageZone,
  MAX_SKUS_PER_LIST,
  ALL_STORES,
  type RulebookOverrides,
  type Settings,
  type SkuTag,
} from '../../storage/settings';
import { lang, type Lang } from '../../lib/i18n';
import { applyLanguage } from '../../lib/language';
import { readStoredConfig, watchStored } from '../../storage/config';
import { samePlain, UNKNOWN_STORE } from '../../rules';
import {
  clearHistory,
  exportEverything,
  importHistory,
  isExportFile,
  isHistoryKey,
  listStoreChoices,
  mergeLosingNothing,
  seenSkus,
  type StoreChoice,
} from './history';
import { mergeImportedPrefs } from './import-merge';
import { browser } from 'wxt/browser';

export interface Notice {
  kind: 'ok' | 'error';
  key: string;
  subs: (string | number)[];
}

export interface OptionsState {
  status: 'loading' | 'ready';
  settings: Settings;
  overrides: RulebookOverrides;
  /** The rulebook in force (defaults + valid overrides). */
  rulebook: Rulebook;
  /** What is typed in a field that is not (yet) in force: field id → text. */
  drafts: Record<string, string>;
  /** Why a field's typed value was refused: field id → error. */
  errors: Record<string, ValidationError>;
  /** Stored values that were dropped on load (bad or unknown), for one notice. */
  rejectedOnLoad: PathError[];
  /** The language strings are shown in; changing it re-renders every string. */
  lang: Lang;
  stores: StoreChoice[];
  selectedStore: string;
  seen: Record<string, { sku: string; name?: string; count: number }[]>;
  notice: Notice | null;
  /** Where the last save went: shown briefly as "Saved". */
  savedAt: number;
}

export type OptionsStore = StoreApi<OptionsState>;

export function createOptionsStore(): OptionsStore {
  const rb = defaultRulebook;
  return createStore<OptionsState>(() => ({
    status: 'loading',
    settings: normalizeSettings({}),
    overrides: { profile: rb.profile, values: {} },
    rulebook: rb,
    drafts: {},
    errors: {},
    rejectedOnLoad: [],
    lang: lang(),
    stores: [{ id: UNKNOWN_STORE }],
    selectedStore: UNKNOWN_STORE,
    seen: {},
    notice: null,
    savedAt: 0,
  }));
}

function withoutKey<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const out = { ...rec };
  delete out[key];
  return out;
}

/** Everything the page does, bound to one store. */
export function optionsActions(store: OptionsStore) {
  const set = store.setState;
  const get = store.getState;

  /** A refused value stays typed next to its field, with the reason; nothing is stored. */
  const refuse = (field: string, error: ValidationError, text: string): false => {
    set({ errors: { ...get().errors, [field]: error }, drafts: { ...get().drafts, [field]: text } });
    return false;
  };
  /** A value in force (or reset): its draft and its error go. */
  const settle = (field: string) => set({ errors: withoutKey(get().errors, field), drafts: withoutKey(get().drafts, field) });

  const applyOverrides = (raw: unknown) => {
    const { overrides, rejected } = validateOverrides(raw);
    set({ overrides, rulebook: rulebookFrom(overrides) });
    return rejected;
  };
  const applySettings = (raw: unknown) => {
    const { settings, rejected } = validateSettings(raw);
    set({ settings });
    return rejected;
  };

  async function saveOverrides(next: RulebookOverrides) {
    set({ overrides: next, rulebook: rulebookFrom(next), savedAt: Date.now() });
    await rulebookOverridesItem.setValue(next);
  }
  async function saveSettings(next: Settings) {
    set({ settings: next, savedAt: Date.now() });
    await settingsItem.setValue(next);
  }

  async function refreshStores() {
    const s = get().settings;
    const ids = [...Object.keys(s.autoConfirmShipment), ...Object.keys(s.skuFlags)];
    const stores = await listStoreChoices(ids);
    // Default to a real store (the history lists its stores first); keep a deliberate choice.
    const cur = get().selectedStore;
    const real = stores.find((c) => c.id !== ALL_STORES && c.id !== UNKNOWN_STORE);
    const selected = cur !== UNKNOWN_STORE && stores.some((c) => c.id === cur) ? cur : (real ?? stores[0]!).id;
    set({ stores, selectedStore: selected });
    void loadSeen(selected);
  }

  async function loadSeen(storeId: string) {
    const list = await seenSkus(storeId);
    set({ seen: { ...get().seen, [storeId]: list } });
  }

  const actions = {
    /** Loads both items (validated), the language and the stores; watches storage. Returns the unwatch. */
    async init(): Promise<() => void> {
      // The one loader's stored values as they are (storage/config.ts): validated here, so what is refused can be listed.
      const stored = await readStoredConfig();
      const r1 = applySettings(stored.settings);
      const r2 = applyOverrides(stored.overrides);
      const l = await applyLanguage(get().settings.language);
      set({ lang: l, rejectedOnLoad: [...r1, ...r2], status: 'ready' });
      applyDocumentLang(l);
      await refreshStores();
      // Another tab (or an import) changed storage: follow it, keep what is being typed.
      const un1 = watchStored<unknown>(SETTINGS_KEY, defaultSettings, async (v) => {
        const before = get().settings.language;
        applySettings(v);
        if (get().settings.language !== before) await actions.applyLanguage();
      });
      const un2 = watchStored<unknown>(OVERRIDES_KEY, defaultOverrides, (v) => void applyOverrides(v));
      return () => {
        un1();
        un2();
      };
    },

    async applyLanguage() {
      const l = await applyLanguage(get().settings.language);
      applyDocumentLang(l);
      set({ lang: l });
    },

    /** A draft edit: shown, not in force until committed. */
    draft(field: string, text: string) {
      set({ drafts: { ...get().drafts, [field]: text }, errors: withoutKey(get().errors, field) });
    },

    /**
     * Commits a param's typed value: validated against the rulebook in force;
     * refused → the error shows next to the field and nothing is stored.
     */
    async commitParam(path: string, raw: unknown): Promise<boolean> {
      const res = validateParamValue(path, raw, get().rulebook);
      if (!res.ok) return refuse(path, res.error, Array.isArray(raw) ? raw.join('\n') : String(raw ?? ''));
      const def = getParam(defaultRulebook, path)!;
      const values = { ...get().overrides.values };
      if (samePlain(res.value, def.value)) delete values[path];
      else values[path] = res.value;
      settle(path);
      await saveOverrides({ ...get().overrides, values });
      return true;
    },

    async resetParam(path: string) {
      const values = withoutKey(get().overrides.values, path);
      settle(path);
      await saveOverrides({ ...get().overrides, values });
    },

    async resetAll() {
      const keep = Object.keys(get().drafts).filter((k) => !getParam(defaultRulebook, k));
      const drafts = Object.fromEntries(keep.map((k) => [k, get().drafts[k]!]));
      const errors = Object.fromEntries(
        Object.entries(get().errors).filter(([k]) => !getParam(defaultRulebook, k)),
      );
      set({ drafts, errors });
      await saveOverrides({ ...get().overrides, values: {} });
    },

    async setProfile(profile: Rulebook['profile']) {
      await saveOverrides({ ...get().overrides, profile });
    },

    async updateSettings(patch: Partial<Settings>) {
      const { settings } = validateSettings({ ...get().settings, ...patch });
      await saveSettings(settings);
    },

    async setLanguage(language: Settings['language']) {
      await actions.updateSettings({ language });
      await actions.applyLanguage();
    },

    /** The second clock's zone: 'auto' or an IANA name; a bad one is refused next to the field. */
    async setZone(input: string): Promise<boolean> {
      const res = validateZone(input.trim() === '' ? 'auto' : input);
      if (!res.ok) return refuse('secondZone', res.error, input);
      settle('secondZone');
      await actions.updateSettings({ secondZone: res.value });
      return true;
    },

    /** T3: how the panel's zone-less times are read ('auto', 'moscow', 'local' or an offset); a bad offset is refused, the old setting kept. */
    async setPageZone(input: string): Promise<boolean> {
      const res = validatePageZone(input);
      if (!res.ok) return refuse('pageZone', res.error, input);
      settle('pageZone');
      await actions.updateSettings({ pageZone: res.value });
      return true;
    },

    async selectStore(id: string) {
      set({ selectedStore: id });
      if (!get().seen[id]) await loadSeen(id);
    },

    /** The seller's own name for a store (storage/store-names.ts); empty = back to the id. A bad name is refused, the old kept. */
    async setStoreName(storeId: string, name: string): Promise<boolean> {
      const r = await setStoreName(storeId, name);
      if (!r.ok) {
        set({ errors: { ...get().errors, storeName: r.error } });
        return false;
      }
      set({ errors: withoutKey(get().errors, 'storeName'), savedAt: Date.now() });
      await refreshStores();
      return true;
    },

    /** Adds a store by its id (the panel's company id) when the history has not seen it. */
    addStore(id: string): boolean {
      const v = id.trim();
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(v)) {
        set({ errors: { ...get().errors, newStore: { key: 'options_err_store_id', subs: [] } } });
        return false;
      }
      const stores = get().stores.some((s) => s.id === v)
        ? get().stores
        : [...get().stores.filter((s) => s.id !== UNKNOWN_STORE), { id: v }, { id: UNKNOWN_STORE }];
      // (The '*' entry stays first: the filter keeps it.)
      set({ stores, selectedStore: v, errors: withoutKey(get().errors, 'newStore') });
      void loadSeen(v);
      return true;
    },

    async setAutoConfirm(storeId: string, on: boolean) {
      const s = get().settings;
      await saveSettings({ ...s, autoConfirmShipment: { ...s.autoConfirmShipment, [storeId]: on } });
    },

    /** Saves a typed / pasted SKU list (split, trimmed, deduped). */
    async setSkuList(storeId: string, tag: SkuTag, text: string): Promise<boolean> {
      const field = `sku.${storeId}.${tag}`;
      const list = parseList(text, 'any');
      if (list.length > MAX_SKUS_PER_LIST) return refuse(field, { key: 'options_err_too_many_skus', subs: [MAX_SKUS_PER_LIST] }, text);
      const s = get().settings;
      const current = s.skuFlags[storeId] ?? { digital: [], electronics: [], preorder: [] };
      settle(field);
      await saveSettings({ ...s, skuFlags: { ...s.skuFlags, [storeId]: { ...current, [tag]: list } } });
      return true;
    },

    /** Adds or removes one seen SKU from a tagged list. */
    async toggleSku(storeId: string, tag: SkuTag, sku: string, on: boolean) {
      const s = get().settings;
      const current = s.skuFlags[storeId] ?? { digital: [], electronics: [], preorder: [] };
      const list = on ? parseSkuList([...current[tag], sku]) : current[tag].filter((x) => x !== sku);
      set({ drafts: withoutKey(get().drafts, `sku.${storeId}.${tag}`) });
      await saveSettings({ ...s, skuFlags: { ...s.skuFlags, [storeId]: { ...current, [tag]: list } } });
    },

    async exportData(opts: { includeSecrets?: boolean; includeApiKeys?: boolean } = {}): Promise<{ name: string; json: string }> {
      const file = await exportEverything(new Date(), opts);
      const stamp = file.exportedAt.slice(0, 10);
      return { name: `ozon-order-guard-${stamp}.json`, json: JSON.stringify(file, null, 2) };
    },

    /**
     * Imports an export file: settings and overrides are validated (bad values
     * dropped, reported), then merged with what is stored — nothing of either
     * side is lost; the history goes through its own importer when it has one.
     */
    async importData(text: string): Promise<Notice> {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch {
        return actions.notify({ kind: 'error', key: 'options_import_not_json', subs: [] });
      }
      if (!isExportFile(parsed)) return actions.notify({ kind: 'error', key: 'options_import_not_ours', subs: [] });
      const incoming = { ...parsed.storage };
      const current = (await browser.storage.local.get(null)) as Record<string, unknown>;

      const { settings: mergedSettings, overrides: mergedOv, rejected } = mergeImportedPrefs(incoming, current);
      delete incoming.settings;
      delete incoming.rulebookOverrides;
      // Versioned items keep their "$" meta keys beside them: those follow their item.
      delete incoming['settings$'];
      delete incoming['rulebookOverrides$'];

      const historyDone = parsed.history !== undefined && (await importHistory(parsed.history));
      const rest: Record<string, unknown> = {};
      let keys = 0;
      for (const [k, v] of Object.entries(incoming)) {
        // The history layer merged its own items record by record; a generic merge would only blur them.
        if (historyDone && isHistoryKey(k.replace(/\$$/, ''))) continue;
        const merged = mergeLosingNothing(current[k], v);
        if (JSON.stringify(merged) !== JSON.stringify(current[k])) {
          rest[k] = merged;
          keys++;
        }
      }
      if (Object.keys(rest).length) await browser.storage.local.set(rest);
      await settingsItem.setValue(mergedSettings);
      await rulebookOverridesItem.setValue(mergedOv);
      applySettings(mergedSettings);
      applyOverrides(mergedOv);
      await actions.applyLanguage();
      await refreshStores();
      return actions.notify(
        rejected.length
          ? { kind: 'error', key: 'options_import_done_with_rejects', subs: [keys, rejected.length, rejected.map((r) => r.path).join(', ')] }
          : { kind: 'ok', key: 'options_import_done', subs: [keys] },
      );
    },

    /** Clears everything stored (after the typed confirmation), back to the defaults. */
    async clearAll(): Promise<Notice> {
      await clearHistory();
      await browser.storage.local.clear();
      set({
        settings: normalizeSettings({}),
        overrides: { profile: defaultRulebook.profile, values: {} },
        rulebook: defaultRulebook,
        drafts: {},
        errors: {},
        seen: {},
      });
      await actions.applyLanguage();
      await refreshStores();
      return actions.notify({ kind: 'ok', key: 'options_clear_done', subs: [] });
    },

    notify(n: Notice): Notice {
      set({ notice: n });
      return n;
    },
  };
  return actions;
}

export type OptionsActions = ReturnType<typeof optionsActions>;

function applyDocumentLang(l: Lang) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = l === 'zh_CN' ? 'zh-CN' : l;
}
