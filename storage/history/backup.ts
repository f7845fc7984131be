/**
 * The options page's backup of the whole history: export every store's
 * records, and restore a file (text or parsed) record by record through the
 * same repair (repair.ts) and merge (merge.ts) as everything else. Restoring
 * writes, so it is the background's only, on the one write lock.
 */
import { isStoreId, UNKNOWN_STORE } from '../../rules';
import { storageWriteLock } from '../mutex';
import { STORE_VERSION, type HistoryRecord } from './schema';
import { parseTruncatedJson, sanitizeStore } from './repair';
import { mergeHistoryRecords } from './merge';
import { dataForWrite, readIndex } from './items';
import { commit, listStores, loadHistory, type WriteOptions } from './store';
import { isObj, samePlain } from '../../rules';

export const BACKUP_FORMAT = 'ozon-order-guard/history';

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  stores: { id: string; label?: string; records: HistoryRecord[] }[];
}

export interface ImportAllReport {
  stores: number;
  added: number;
  updated: number;
  unchanged: number;
  dropped: { store?: string; key: string; reason: string }[];
  problem?: string;
}

export async function exportAll(now = Date.now()): Promise<Backup> {
  const stores: Backup['stores'] = [];
  for (const s of await listStores()) {
    stores.push({ id: s.id, ...(s.label && { label: s.label }), records: await loadHistory(s.id) });
  }
  return { format: BACKUP_FORMAT, version: STORE_VERSION, exportedAt: new Date(now).toISOString(), stores };
}

/**
 * Restores a backup (text or parsed): every valid record is merged record by
 * record (first/last seen, status history and fields all kept), every invalid
 * one reported. A truncated file keeps its complete records. Background only.
 */
export function importAll(json: unknown, opts: WriteOptions = {}): Promise<ImportAllReport> {
  return storageWriteLock.run(async () => {
    const report: ImportAllReport = { stores: 0, added: 0, updated: 0, unchanged: 0, dropped: [] };
    let value = json;
    if (typeof value === 'string') {
      value = parseTruncatedJson(value);
      if (value === undefined) {
        report.problem = 'not a backup file (unreadable JSON)';
        return report;
      }
    }
    if (!isObj(value) || !Array.isArray(value.stores)) {
      report.problem = 'not a backup file (no stores)';
      return report;
    }
    if (value.format !== undefined && value.format !== BACKUP_FORMAT) {
      report.problem = `not a backup file (format ${String(value.format).slice(0, 40)})`;
      return report;
    }
    const index = await readIndex();
    for (const [i, s] of value.stores.entries()) {
      if (!isObj(s)) {
        report.dropped.push({ key: `stores[${i}]`, reason: 'not an object' });
        continue;
      }
      const storeId = isStoreId(s.id) ? s.id : UNKNOWN_STORE;
      const { data: incoming, report: r } = sanitizeStore({ orders: s.records }, storeId, opts.now);
      for (const d of r.dropped) report.dropped.push({ store: storeId, ...d });
      if (r.problem) report.dropped.push({ store: storeId, key: 'records', reason: r.problem });
      const data = await dataForWrite(storeId, index);
      for (const [pn, rec] of Object.entries(incoming.orders)) {
        if (storeId !== UNKNOWN_STORE) rec.order.storeId = storeId;
        const cur = data.orders[pn];
        if (!cur) {
          data.orders[pn] = rec;
          report.added++;
          continue;
        }
        const merged = mergeHistoryRecords(cur, rec);
        if (samePlain(merged, cur)) report.unchanged++;
        else {
          data.orders[pn] = merged;
          report.updated++;
        }
      }
      report.stores++;
      await commit(storeId, data, index, { ...opts, ...(typeof s.label === 'string' && { label: s.label }) });
    }
    return report;
  });
}
