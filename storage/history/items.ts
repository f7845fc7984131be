/**
 * Where the history is kept, in `browser.storage.local` (@wxt-dev/storage
 * versioned items):
 * - `local:historyIndex`       { stores: { <storeId>: StoreEntry } } — small, read first
 * - `local:history:<storeId>`  { orders: { <postingNumber>: HistoryRecord } }
 *
 * Readers (popup, options) read storage directly. Writers are the background
 * only (store.ts, backup.ts): every write goes through one promise-queue mutex
 * (storage/mutex.ts), so two panel tabs messaging at once lose nothing. The
 * raw reads here never throw: an unreadable value is repaired (repair.ts) or
 * reported.
 */
import { storage } from 'wxt/utils/storage';
import { browser } from 'wxt/browser';
import { isStoreId, toIso } from '../../rules';
import { isPanelOrigin } from '../../panel/origins';
import { STORE_VERSION, type IndexData, type LoadReport, type StoreData, type StoreEntry } from './schema';
import { migrateStoreV1toV2, sanitizeStore } from './repair';
import { isObj } from '../../rules';

export const indexItem = storage.defineItem<IndexData>('local:historyIndex', {
  fallback: { stores: {} },
  version: 1,
});

const storeItems = new Map<string, ReturnType<typeof defineStoreItem>>();
function defineStoreItem(storeId: string) {
  return storage.defineItem<StoreData>(`local:history:${storeId}`, {
    fallback: { orders: {} },
    version: STORE_VERSION,
    migrations: { 2: migrateStoreV1toV2 },
  });
}
export function storeItem(storeId: string) {
  let item = storeItems.get(storeId);
  if (!item) {
    item = defineStoreItem(storeId);
    storeItems.set(storeId, item);
  }
  return item;
}

/** The background's copy of what it last wrote, valid while the index still holds the same rev. */
export const memory = new Map<string, { rev: number; data: StoreData }>();
/** When each store was last checked for retention (this worker's life only; a restart checks again). */
export const lastPrune = new Map<string, number>();

/** For tests: forget item definitions (so migrations run again) and the in-memory copies. */
export function _resetHistoryForTests(): void {
  storeItems.clear();
  memory.clear();
  lastPrune.clear();
}

export async function readRaw(storeId: string): Promise<{ data: StoreData; report: LoadReport }> {
  try {
    const raw = await storeItem(storeId).getValue();
    return sanitizeStore(raw, storeId);
  } catch (e) {
    return {
      data: { orders: {} },
      report: { storeId, kept: 0, dropped: [], repaired: 0, problem: `storage read failed: ${String(e)}` },
    };
  }
}

export async function readIndex(): Promise<IndexData> {
  try {
    const v = await indexItem.getValue();
    if (isObj(v) && isObj(v.stores)) {
      const stores: Record<string, StoreEntry> = {};
      for (const [id, e] of Object.entries(v.stores)) {
        if (!isStoreId(id) || !isObj(e)) continue;
        stores[id] = {
          id,
          count: typeof e.count === 'number' ? e.count : 0,
          rev: typeof e.rev === 'number' ? e.rev : 0,
          ...(typeof e.label === 'string' && { label: e.label }),
          ...(toIso(e.lastSeen) && { lastSeen: toIso(e.lastSeen) }),
          ...(isObj(e.pruned) && { pruned: e.pruned as StoreEntry['pruned'] }),
          ...(e.crossborder === true && { crossborder: true }),
          ...(isPanelOrigin(e.origin) && { origin: e.origin }),
        };
      }
      return { stores };
    }
  } catch {
    /* an unreadable index is rebuilt from the store items below */
  }
  return { stores: {} };
}

/**
 * Store ids that have a history item, found by key (used when the index is
 * lost). `getKeys` (Chrome 130+) lists keys without reading values; elsewhere
 * the whole area is read, so that path runs only when the index is empty.
 */
export async function storeIdsFromKeys(indexEmpty: boolean): Promise<string[]> {
  try {
    const area = browser.storage.local as unknown as { getKeys?: () => Promise<string[]> };
    let keys: string[] | undefined;
    if (typeof area.getKeys === 'function') {
      try {
        keys = await area.getKeys();
      } catch {
        keys = undefined; // older browsers (and the test double) lack it
      }
    }
    if (!keys) {
      if (!indexEmpty) return [];
      keys = Object.keys(await storage.snapshot('local'));
    }
    return keys
      .filter((k) => k.startsWith('history:') && !k.endsWith('$'))
      .map((k) => k.slice('history:'.length))
      .filter(isStoreId);
  } catch {
    return [];
  }
}

/** The store's data for a write: the in-memory copy while its rev still holds, else read from storage. */
export async function dataForWrite(storeId: string, index: IndexData): Promise<StoreData> {
  const rev = index.stores[storeId]?.rev ?? 0;
  const mem = memory.get(storeId);
  if (mem && rev > 0 && mem.rev === rev) return mem.data;
  const { data } = await readRaw(storeId);
  return data;
}
