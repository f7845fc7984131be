/**
 * Which store each panel tab shows. Why: the popup opens on "the store of the
 * active panel tab", but it cannot read the panel's company-id cookie and the
 * extension has no "tabs" permission. The content script's messages carry the
 * store id and the sender's tab id, so the background remembers the pair; the
 * popup asks for its active tab's id (which tabs.query returns without the
 * permission). Bounded: tab ids are reused.
 */
import { storage } from 'wxt/utils/storage';
import { LAST_SEEN_STEP_MS } from './history';

const MAX_TAB_STORES = 64;

interface TabStores {
  /** tab id → { store id, when last reported } */
  tabs: Record<string, { storeId: string; at: number }>;
}

const tabStoresItem = storage.defineItem<TabStores>('local:tabStores', {
  fallback: { tabs: {} },
  version: 1,
});

/** Background only: the store `storeId` is what tab `tabId` showed last. */
export async function rememberTabStore(tabId: number, storeId: string, at = Date.now()): Promise<void> {
  if (!Number.isInteger(tabId) || tabId < 0 || !storeId) return;
  const cur = await tabStoresItem.getValue();
  const tabs = { ...(cur?.tabs ?? {}) };
  if (tabs[tabId]?.storeId === storeId && at - tabs[tabId].at < LAST_SEEN_STEP_MS) return;
  tabs[tabId] = { storeId, at };
  const ids = Object.keys(tabs);
  if (ids.length > MAX_TAB_STORES) {
    ids.sort((a, b) => tabs[a]!.at - tabs[b]!.at);
    for (const id of ids.slice(0, ids.length - MAX_TAB_STORES)) delete tabs[id];
  }
  await tabStoresItem.setValue({ tabs });
}

/** The store a panel tab showed last, if the content script ever reported one from it. */
export async function storeOfTab(tabId: number | undefined): Promise<string | undefined> {
  if (tabId === undefined) return undefined;
  const cur = await tabStoresItem.getValue();
  const hit = cur?.tabs?.[tabId];
  return hit && typeof hit.storeId === 'string' ? hit.storeId : undefined;
}
