/**
 * The order history's public face: importers take the history from here
 * (`storage/history`), never from its parts. The parts, by job: schema.ts (the
 * record and index shapes, limits), items.ts (the storage items, raw reads),
 * repair.ts (any stored value back into the current shape, the v1 → v2
 * migration), merge.ts (observations into records, pure), prune.ts (retention
 * and the cap), store.ts (the read/write API), backup.ts (export / import all).
 */
export {
  HISTORY_SOURCES,
  RETENTION_DAYS,
  MAX_ORDERS_PER_STORE,
  MAX_STATUS_HISTORY,
  LAST_SEEN_STEP_MS,
  type HistorySource,
  type StatusChange,
  type HistoryRecord,
  type StoreEntry,
  type StoreInfo,
  type LoadReport,
  type MergeResult,
  type Coverage,
} from './schema';
export { _resetHistoryForTests } from './items';
export { migrateStoreV1toV2, parseTruncatedJson, sanitizeStore } from './repair';
export { mergeRecord, mergeHistoryRecords } from './merge';
export { relevantAt, pruneRecords } from './prune';
export {
  mergeOrders,
  clearStore,
  clearAll,
  listStores,
  readStore,
  loadHistory,
  loadOrders,
  loadAllOrders,
  originsOf,
  coverage,
  coverageOf,
  watchHistory,
  type WriteOptions,
  type StoreOrders,
} from './store';
export { BACKUP_FORMAT, exportAll, importAll, type Backup, type ImportAllReport } from './backup';
