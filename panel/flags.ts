/**
 * C2 facts the panel rarely shows: digital goods, electronics and pre-sale
 * items (the seller's own SKU / offer-id lists) and the store's
 * "Auto-Confirm Shipment" switch, from the seller's settings (storage/settings.ts).
 * Each flag set here records where it came from (`flagSources`), so the badge
 * card can say "blocked because SKU 123 is on your electronics list".
 */
import type { Order, OrderFlags } from '../rules';
import type { Settings, SkuFlagLists } from '../storage/settings';

type ListFlag = keyof SkuFlagLists;
const LIST_FLAGS: readonly ListFlag[] = ['digital', 'electronics', 'preorder'];

function norm(s: string): string {
  return s.trim().toLowerCase();
}

type Lists = Record<ListFlag, Set<string>>;

/**
 * The sets built from one settings object, per store: applySellerFlags runs
 * for every row read, and building the sets each time was most of its cost.
 * Keyed weakly by the settings object (a change of settings is a new object,
 * storage/settings.ts), so it holds one entry per store of the settings in
 * force and nothing after they are replaced.
 */
const listCache = new WeakMap<Settings, Map<string, Lists>>();

/** The store's lists, plus lists kept for every store (key `*`), as sets. */
function listsFor(settings: Settings, storeId: string | undefined): Lists {
  let byStore = listCache.get(settings);
  if (!byStore) listCache.set(settings, (byStore = new Map()));
  const key = storeId ?? '';
  const hit = byStore.get(key);
  if (hit) return hit;
  const lists = buildLists(settings, storeId);
  byStore.set(key, lists);
  return lists;
}

function buildLists(settings: Settings, storeId: string | undefined): Lists {
  const out = { digital: new Set<string>(), electronics: new Set<string>(), preorder: new Set<string>() };
  const sources = [settings.skuFlags?.['*'], storeId ? settings.skuFlags?.[storeId] : undefined];
  for (const lists of sources) {
    if (!lists) continue;
    for (const f of LIST_FLAGS) {
      const l = lists[f];
      if (!Array.isArray(l)) continue;
      for (const s of l) if (typeof s === 'string' && s.trim()) out[f].add(norm(s));
    }
  }
  return out;
}

/**
 * A copy of `order` with the seller's flags applied. Only ever sets a flag to
 * true; a flag the page itself set keeps its source.
 */
export function applySellerFlags(order: Order, settings: Settings, storeId?: string): Order {
  const store = storeId ?? order.storeId;
  const lists = listsFor(settings, store);
  // No list holds anything and the store's switch is off (most sellers, most rows): nothing to set.
  if (!lists.digital.size && !lists.electronics.size && !lists.preorder.size && !(store && settings.autoConfirmShipment?.[store] === true)) return order;
  const flags: OrderFlags = { ...(order.flags ?? {}) };
  const sources: NonNullable<Order['flagSources']> = { ...(order.flagSources ?? {}) };
  let changed = false;
  const keys: string[] = [];
  for (const it of order.items ?? []) {
    if (it.sku) keys.push(norm(it.sku));
    if (it.offerId) keys.push(norm(it.offerId));
  }
  for (const f of LIST_FLAGS) {
    if (flags[f] === true || !lists[f].size) continue;
    if (keys.some((k) => lists[f].has(k))) {
      flags[f] = true;
      sources[f] = 'sku_list';
      changed = true;
    }
  }
  if (store && flags.autoConfirmShipment !== true && settings.autoConfirmShipment?.[store] === true) {
    flags.autoConfirmShipment = true;
    sources.autoConfirmShipment = 'store_setting';
    changed = true;
  }
  if (!changed) return order;
  return { ...order, flags, flagSources: sources };
}
