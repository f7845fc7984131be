/**
 * The history's read/write API. Writes (merge, clear) are the background's
 * only, each queued on the one write lock (storage/mutex.ts) and followed by
 * retention and the cap (prune.ts); reads are anyone's and never throw.
 */
import type { Order } from '../../rules';
import { repairOrder, UNKNOWN_STORE } from '../../rules';
import { isPanelOrigin, type PanelOrigin } from '../../panel/origins';
import { readStoreNames } from '../store-names';
import { storageWriteLock } from '../mutex';
import { layoutItem } from '../layout';
import {
  DAY_MS,
  MAX_ORDERS_PER_STORE,
  RETENTION_DAYS,
  type Coverage,
  type HistoryRecord,
  type HistorySource,
  type IndexData,
  type LoadReport,
  type MergeResult,
  type StoreData,
  type StoreEntry,
  type StoreInfo,
} from './schema';
import { mergeRecord } from './merge';
import { dropOldest, pruneRecords, relevantAt } from './prune';
import { dataForWrite, indexItem, lastPrune, memory, readIndex, readRaw, storeIdsFromKeys, storeItem } from './items';
import { maxIso, minIso, ms, toMs } from './helpers';
import { isObj, storeKeyOf } from '../../rules';

// ---------------------------------------------------------------- writes (background only)

const PRUNE_EVERY_MS = 3_600_000;

function isQuotaError(e: unknown): boolean {
  return /quota|QUOTA_BYTES|exceeded/i.test(String((e as Error)?.message ?? e));
}

export interface WriteOptions {
  /** Injected clock for retention (tests); default Date.now(). */
  now?: number;
  /** Overrides MAX_ORDERS_PER_STORE (tests, or a smaller budget). */
  cap?: number;
  label?: string;
  crossborder?: boolean;
  /** The panel origin the orders were seen on (the sending tab's; panel/origins.ts). */
  origin?: PanelOrigin;
}

/**
 * Writes a store's data and its index entry, pruning retention and the cap,
 * and, when the storage quota refuses the write, the oldest orders a tenth at
 * a time until it fits (recorded in `pruned` for the popup).
 */
export async function commit(
  storeId: string,
  data: StoreData,
  index: IndexData,
  opts: WriteOptions,
): Promise<number> {
  const nowMs = opts.now ?? Date.now();
  const cap = opts.cap ?? MAX_ORDERS_PER_STORE;
  // Retention moves by days: a full pass per write (every scroll of the panel) is wasted work.
  let expired = 0;
  let overCap = 0;
  const last = lastPrune.get(storeId);
  if (last === undefined || Math.abs(nowMs - last) >= PRUNE_EVERY_MS || Object.keys(data.orders).length > cap) {
    ({ expired, overCap } = pruneRecords(data.orders, nowMs, cap));
    lastPrune.set(storeId, nowMs);
  }
  let quotaDropped = 0;
  const prev = index.stores[storeId];
  for (let attempt = 0; ; attempt++) {
    try {
      await storeItem(storeId).setValue(data);
      break;
    } catch (e) {
      memory.delete(storeId);
      const count = Object.keys(data.orders).length;
      if (!isQuotaError(e) || attempt >= 8 || count === 0) throw e;
      quotaDropped += dropOldest(data.orders, Math.max(1, Math.ceil(count / 10)));
    }
  }
  let lastSeen: string | undefined;
  for (const rec of Object.values(data.orders)) lastSeen = maxIso(lastSeen, rec.lastSeen);
  const rev = (prev?.rev ?? 0) + 1;
  const entry: StoreEntry = { ...(prev ?? { id: storeId }), id: storeId, count: Object.keys(data.orders).length, rev };
  if (lastSeen) entry.lastSeen = lastSeen;
  else delete entry.lastSeen;
  if (opts.label) entry.label = opts.label.slice(0, 120);
  if (opts.crossborder !== undefined) {
    if (opts.crossborder) entry.crossborder = true;
    else delete entry.crossborder;
  }
  if (isPanelOrigin(opts.origin)) entry.origin = opts.origin;
  if (overCap || quotaDropped) {
    entry.pruned = {
      count: overCap + quotaDropped + (prev?.pruned?.count ?? 0),
      at: new Date(nowMs).toISOString(),
      reason: quotaDropped ? 'quota' : 'cap',
    };
  }
  index.stores[storeId] = entry;
  await indexItem.setValue(index);
  memory.set(storeId, { rev, data });
  return expired + overCap + quotaDropped;
}

/**
 * Merges observed orders into a store's history. Background only (single
 * writer); concurrent calls are queued, so none is lost.
 */
export function mergeOrders(
  storeIdIn: string,
  orders: unknown[],
  source: HistorySource,
  observedAt?: string | number | Date,
  opts: WriteOptions = {},
): Promise<MergeResult> {
  const storeId = storeKeyOf(storeIdIn);
  return storageWriteLock.run(async () => {
    const result: MergeResult = { storeId, added: 0, updated: 0, unchanged: 0, rejected: [], pruned: 0, tooOld: 0 };
    const retentionLimit = (opts.now ?? Date.now()) - RETENTION_DAYS * DAY_MS;
    const at = new Date(toMs(observedAt)).toISOString();
    const index = await readIndex();
    const data = await dataForWrite(storeId, index);
    let dirty = false;
    for (const raw of Array.isArray(orders) ? orders : []) {
      const s = repairOrder(raw);
      if (!s.ok) {
        const pn = (raw as { postingNumber?: unknown })?.postingNumber;
        result.rejected.push({ ...(typeof pn === 'string' && { postingNumber: pn.slice(0, 64) }), reason: s.reason });
        continue;
      }
      const order = s.order;
      if (storeId !== UNKNOWN_STORE) order.storeId = storeId;
      const m = mergeRecord(data.orders[order.postingNumber], order, at, source, opts.origin);
      if (m.change === 'added' && relevantAt(m.rec) < retentionLimit) {
        result.tooOld++;
        continue;
      }
      if (m.change === 'added') result.added++;
      else if (m.change === 'updated') result.updated++;
      else result.unchanged++;
      if (m.touched) {
        data.orders[order.postingNumber] = m.rec;
        dirty = true;
      }
    }
    const prev = index.stores[storeId];
    const metaChanged =
      (opts.label && opts.label !== prev?.label) ||
      (opts.crossborder !== undefined && !!opts.crossborder !== !!prev?.crossborder) ||
      (isPanelOrigin(opts.origin) && opts.origin !== prev?.origin);
    if (dirty || metaChanged || !prev) {
      if (Object.keys(data.orders).length || prev) result.pruned = await commit(storeId, data, index, opts);
    }
    return result;
  });
}

/** Removes one store's history (the options page's "forget this store"). */
export function clearStore(storeIdIn: string): Promise<void> {
  const storeId = storeKeyOf(storeIdIn);
  return storageWriteLock.run(async () => {
    await storeItem(storeId).removeValue();
    const index = await readIndex();
    delete index.stores[storeId];
    await indexItem.setValue(index);
    memory.delete(storeId);
  });
}

/** Removes every store's history and the layout flags (settings are left alone). */
export function clearAll(): Promise<void> {
  return storageWriteLock.run(async () => {
    const index = await readIndex();
    const ids = new Set([...Object.keys(index.stores), ...(await storeIdsFromKeys(true))]);
    for (const id of ids) await storeItem(id).removeValue();
    await indexItem.removeValue();
    await layoutItem.removeValue();
    memory.clear();
  });
}

// ---------------------------------------------------------------- reads (anyone)

export async function listStores(): Promise<StoreInfo[]> {
  const index = await readIndex();
  // The index lost (or never written by an old version): rebuild the list from the items themselves.
  for (const id of await storeIdsFromKeys(Object.keys(index.stores).length === 0)) {
    if (index.stores[id]) continue;
    const { data } = await readRaw(id);
    let lastSeen: string | undefined;
    for (const r of Object.values(data.orders)) lastSeen = maxIso(lastSeen, r.lastSeen);
    index.stores[id] = { id, count: Object.keys(data.orders).length, rev: 0, ...(lastSeen && { lastSeen }) };
  }
  const named = await readStoreNames(); // the seller's own name for a store wins (storage/store-names.ts)
  return Object.values(index.stores)
    .map((e) => ({
      id: e.id,
      orders: e.count,
      ...((named[e.id] ?? e.label) && { label: named[e.id] ?? e.label }),
      ...(e.lastSeen && { lastSeen: e.lastSeen }),
      ...(e.pruned && { pruned: e.pruned }),
      ...(e.crossborder && { crossborder: true }),
      ...(e.origin && { origin: e.origin }),
    }))
    .sort((a, b) => (ms(b.lastSeen) || 0) - (ms(a.lastSeen) || 0) || a.id.localeCompare(b.id));
}

/** A store's records and a report of anything that could not be kept. Never throws. */
export async function readStore(storeId: string): Promise<{ records: HistoryRecord[]; report: LoadReport }> {
  const id = storeKeyOf(storeId);
  const { data, report } = await readRaw(id);
  return { records: Object.values(data.orders), report };
}

export async function loadHistory(storeId: string): Promise<HistoryRecord[]> {
  return (await readStore(storeId)).records;
}

export async function loadOrders(storeId: string): Promise<Order[]> {
  return (await readStore(storeId)).records.map((r) => r.order);
}

/**
 * Every store's orders (the icon count, reminders, the all-stores overview).
 * Runs every minute in the background: a store whose index rev has not moved
 * since it was last read comes from memory instead of storage.
 */
export interface StoreOrders {
  storeId: string;
  orders: Order[];
  crossborder: boolean;
  /** The origin the store was last seen on (links of orders without their own). */
  origin?: PanelOrigin;
  /** Posting number → the origin that order was last seen on, where known. */
  origins: Record<string, PanelOrigin>;
  /** The store's name (the seller's own, storage/store-names.ts), for the morning summary. */
  label?: string;
}

export async function loadAllOrders(): Promise<StoreOrders[]> {
  const index = await readIndex();
  const out: StoreOrders[] = [];
  for (const s of await listStores()) {
    const rev = index.stores[s.id]?.rev ?? 0;
    const mem = memory.get(s.id);
    let data: StoreData;
    if (rev > 0 && mem && mem.rev === rev) data = mem.data;
    else {
      data = (await readRaw(s.id)).data;
      if (rev > 0) memory.set(s.id, { rev, data });
    }
    const recs = Object.values(data.orders);
    out.push({
      storeId: s.id,
      orders: recs.map((r) => r.order),
      crossborder: !!s.crossborder,
      ...(s.origin && { origin: s.origin }),
      origins: originsOf(recs),
      ...(s.label && { label: s.label }),
    });
  }
  return out;
}

/** Posting number → the origin its order was last seen on, for the records that know it. */
export function originsOf(records: HistoryRecord[]): Record<string, PanelOrigin> {
  const out: Record<string, PanelOrigin> = Object.create(null) as Record<string, PanelOrigin>;
  for (const r of records) if (r.origin) out[r.order.postingNumber] = r.origin;
  return out;
}

/** What the figures rest on: "126 orders seen between 2 Nov and 21 Nov". */
export async function coverage(storeId: string): Promise<Coverage> {
  return coverageOf(await loadHistory(storeId));
}

export function coverageOf(records: HistoryRecord[]): Coverage {
  const c: Coverage = { count: records.length };
  let pFrom: string | undefined, pTo: string | undefined, sFrom: string | undefined, sTo: string | undefined, last: string | undefined;
  for (const r of records) {
    if (r.order.paidAt) {
      pFrom = minIso(pFrom, r.order.paidAt);
      pTo = maxIso(pTo, r.order.paidAt);
    }
    sFrom = minIso(sFrom, r.firstSeen);
    sTo = maxIso(sTo, r.firstSeen);
    last = maxIso(last, r.lastSeen);
  }
  if (pFrom && pTo) c.paidAt = { from: pFrom, to: pTo };
  if (sFrom && sTo) c.firstSeen = { from: sFrom, to: sTo };
  if (last) c.lastSeen = last;
  return c;
}

/** Calls back with the ids of the stores whose history changed (any context). */
export function watchHistory(cb: (changedStoreIds: string[]) => void): () => void {
  return indexItem.watch((next, prev) => {
    const a = isObj(next?.stores) ? next.stores : {};
    const b = isObj(prev?.stores) ? prev.stores : {};
    const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
    const changed = [...ids].filter((id) => a[id]?.rev !== b[id]?.rev || a[id]?.count !== b[id]?.count);
    if (changed.length) cb(changed);
  });
}
