/**
 * The options page's seam to the order history (storage/history/, owned by the
 * history layer): the stores seen, the SKUs seen in a store, and the
 * export / import / clear of everything stored.
 *
 * The history module's own export / import (which know how to merge orders:
 * the newer fact wins) are used for the history; the generic merge below is
 * for the other stored keys (settings, overrides).
 */
import { readStoreNames } from '../../storage/store-names';
import { browser } from 'wxt/browser';
import { ALL_STORES, validStoreKey } from '../../storage/settings';
import { UNKNOWN_STORE } from '../../rules';
import * as history from '../../storage/history';
import { redactExport } from '../../background/channels/config';
import { withoutApiKeys } from '../../background/seller-api/store';

export interface StoreChoice {
  id: string;
  name?: string;
}

type HistoryModule = Partial<{
  listStores: () => Promise<unknown>;
  loadOrders: (storeId: string) => Promise<unknown>;
  exportAll: () => Promise<unknown>;
  importAll: (data: unknown) => Promise<unknown>;
}>;

let cached: Promise<HistoryModule | null> | null = null;
/** The history module (tests may replace it with setHistoryModuleForTests). */
export function historyModule(): Promise<HistoryModule | null> {
  cached ??= Promise.resolve(history as HistoryModule);
  return cached;
}

/** For tests: use this module instead of storage/history/ (null: none). */
export function setHistoryModuleForTests(mod: HistoryModule | null): void {
  cached = Promise.resolve(mod);
}

function toChoice(x: unknown): StoreChoice | null {
  if (typeof x === 'string' || typeof x === 'number') return validStoreKey(String(x)) ? { id: String(x) } : null;
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const id = o.id ?? o.storeId ?? o.companyId;
    if ((typeof id === 'string' || typeof id === 'number') && validStoreKey(String(id))) {
      const name = typeof o.label === 'string' && o.label ? o.label : typeof o.name === 'string' && o.name ? o.name : undefined;
      return { id: String(id), name };
    }
  }
  return null;
}

/**
 * Stores to offer: every store ('*', SKU lists only), those the history knows,
 * those the settings already hold facts for, and 'unknown' (orders whose store
 * the page did not tell).
 */
export async function listStoreChoices(settingsStores: string[]): Promise<StoreChoice[]> {
  const out = new Map<string, StoreChoice>();
  const mod = await historyModule();
  if (mod?.listStores) {
    try {
      const list = await mod.listStores();
      if (Array.isArray(list)) for (const x of list) {
        const c = toChoice(x);
        if (c && !out.has(c.id)) out.set(c.id, c);
      }
    } catch {
      /* the history being unreadable must not take the options page down */
    }
  }
  for (const id of settingsStores) if (validStoreKey(id) && !out.has(id)) out.set(id, { id });
  out.delete(UNKNOWN_STORE);
  out.delete(ALL_STORES);
  // A store known only from the settings still shows the name the seller gave it.
  const named = await readStoreNames();
  for (const c of out.values()) if (named[c.id]) c.name = named[c.id];
  return [{ id: ALL_STORES }, ...out.values(), { id: UNKNOWN_STORE }];
}

/** SKUs (and offer ids) already seen in a store's history, most frequent first. */
export async function seenSkus(storeId: string): Promise<{ sku: string; name?: string; count: number }[]> {
  const mod = await historyModule();
  if (!mod?.loadOrders || storeId === ALL_STORES) return [];
  try {
    const orders = await mod.loadOrders(storeId);
    if (!Array.isArray(orders)) return [];
    const by = new Map<string, { sku: string; name?: string; count: number }>();
    for (const o of orders) {
      const items = (o as { items?: unknown })?.items;
      if (!Array.isArray(items)) continue;
      for (const it of items) {
        const i = it as { sku?: unknown; offerId?: unknown; name?: unknown };
        for (const id of [i.sku, i.offerId]) {
          if (typeof id !== 'string' && typeof id !== 'number') continue;
          const k = String(id).trim();
          if (!k) continue;
          const e = by.get(k) ?? { sku: k, count: 0, name: typeof i.name === 'string' ? i.name : undefined };
          e.count++;
          by.set(k, e);
        }
      }
    }
    return [...by.values()].sort((a, b) => b.count - a.count || (a.sku < b.sku ? -1 : 1)).slice(0, 500);
  } catch {
    return [];
  }
}

/** The export file's envelope: what made it, when, and everything stored. */
export interface ExportFile {
  app: 'ozon-order-guard';
  format: 1;
  exportedAt: string;
  storage: Record<string, unknown>;
  /** The history module's own export, when it has one. */
  history?: unknown;
}

export async function exportEverything(now = new Date(), opts: { includeSecrets?: boolean; includeApiKeys?: boolean } = {}): Promise<ExportFile> {
  // Channel keys and Seller API keys are secrets: out of the file unless the seller asks
  // (background/channels/config.ts, background/seller-api/store.ts).
  const redacted = redactExport((await browser.storage.local.get(null)) as Record<string, unknown>, opts.includeSecrets === true);
  const storage = opts.includeApiKeys ? redacted : withoutApiKeys(redacted);
  const file: ExportFile = { app: 'ozon-order-guard', format: 1, exportedAt: now.toISOString(), storage };
  const mod = await historyModule();
  if (mod?.exportAll) {
    try {
      file.history = await mod.exportAll();
    } catch {
      /* storage already holds the history's raw items */
    }
  }
  return file;
}

/**
 * Merges `incoming` into `current` losing nothing from either: keys only one
 * side has are kept, nested objects merge key by key, arrays become their
 * union, and where both hold a different plain value the current one stays
 * (it is the newer state of this browser).
 */
export function mergeLosingNothing(current: unknown, incoming: unknown): unknown {
  if (current === undefined) return incoming;
  if (incoming === undefined) return current;
  if (Array.isArray(current) && Array.isArray(incoming)) {
    const seen = new Set(current.map((x) => JSON.stringify(x)));
    return [...current, ...incoming.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  if (isPlain(current) && isPlain(incoming)) {
    const out: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(incoming)) out[k] = mergeLosingNothing(current[k], v);
    return out;
  }
  return current;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/** Storage keys the history layer owns (storage/history/items.ts): restored by its own importer, not merged here. */
export function isHistoryKey(key: string): boolean {
  return /^history(Index|:)/.test(key);
}

/**
 * Restores the history part of an export through the history layer, which
 * merges record by record (the newer fact wins). The background does the
 * writing (it serialises every history write); calling the module directly is
 * the fallback when no background answers (tests, a restarting worker).
 */
export async function importHistory(data: unknown): Promise<boolean> {
  try {
    const answer = (await browser.runtime.sendMessage({ type: 'history:importAll', json: data })) as
      | { problem?: string; error?: string }
      | undefined;
    if (answer && typeof answer === 'object' && !answer.error) return !answer.problem;
  } catch {
    /* no background listening: fall through */
  }
  const mod = await historyModule();
  if (!mod?.importAll) return false;
  try {
    const r = (await mod.importAll(data)) as { problem?: string } | undefined;
    return !r?.problem;
  } catch {
    return false;
  }
}

/** Tells the history layer everything is being cleared (it keeps caches), ignoring a missing background. */
export async function clearHistory(): Promise<void> {
  try {
    await browser.runtime.sendMessage({ type: 'history:clear' });
  } catch {
    /* storage.local.clear() below removes its items anyway */
  }
}

export function isExportFile(x: unknown): x is ExportFile {
  return isPlain(x) && x.app === 'ozon-order-guard' && isPlain(x.storage);
}
