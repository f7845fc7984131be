/**
 * The "panel layout changed" flag per store, raised by the content script
 * (`layout:status`, background/router.ts) when it finds no rows it can read,
 * and shown by the popup. Kept in `local:layout` as { <storeId>: LayoutFlag };
 * written by the background only, on the history's write lock (storage/mutex.ts),
 * since clearing the history clears the flags too.
 */
import { storage } from 'wxt/utils/storage';
import { storageWriteLock } from './mutex';
import { isObj, storeKeyOf } from '../rules';

export interface LayoutFlag {
  broken: true;
  url: string;
  detail?: string;
  at: string;
}

export type LayoutData = Record<string, LayoutFlag>;

export const layoutItem = storage.defineItem<LayoutData>('local:layout', {
  fallback: {},
  version: 1,
});

export async function getLayoutFlags(): Promise<LayoutData> {
  try {
    const v = await layoutItem.getValue();
    return isObj(v) ? v : {};
  } catch {
    return {};
  }
}

/** Raised by `layout:status` {broken:true}, cleared by {broken:false} for the same store. */
export function setLayoutStatus(storeIdIn: string, url: string, broken: boolean, detail?: string, at = Date.now()): Promise<void> {
  const storeId = storeKeyOf(storeIdIn);
  return storageWriteLock.run(async () => {
    const flags = { ...(await getLayoutFlags()) };
    const cur = flags[storeId];
    if (broken) {
      const next: LayoutFlag = { broken: true, url: String(url).slice(0, 500), at: new Date(at).toISOString() };
      if (detail) next.detail = String(detail).slice(0, 500);
      // Repeated reports of the same breakage don't rewrite storage.
      if (cur && cur.url === next.url && cur.detail === next.detail) return;
      flags[storeId] = next;
    } else {
      if (!cur) return;
      delete flags[storeId];
    }
    await layoutItem.setValue(flags);
  });
}

export function watchLayout(cb: (flags: LayoutData) => void): () => void {
  return layoutItem.watch((v) => cb(isObj(v) ? v : {}));
}
