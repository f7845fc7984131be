/**
 * What the popup needs from the rest of the extension, as one interface.
 *
 * The history, CSV and alarm layers (lib/history, lib/csv, lib/alarms) are
 * the data's owners; this seam keeps the popup's components free of storage
 * details and lets tests hand in a source backed by the fake browser.
 */
import type { Order } from '../../rules/types';
import type { Rulebook } from '../../rules/rulebook';

export interface StoreInfo {
  id: string;
  /** A human name where the panel showed one. */
  name?: string;
  /** Last time the content script saw this store (ISO), for picking a default. */
  lastSeenAt?: string;
}

/** What the figures rest on: how many orders the history holds and when they were seen / paid. */
export interface SeenCoverage {
  count: number;
  from?: string;
  to?: string;
}

export interface HistoryFlags {
  /** The content script saw an orders list but recognised no row. */
  layoutChanged: null | { at?: string; url?: string; detail?: string; storeId?: string };
  /** Orders older than the retention were dropped. */
  pruned: null | { count: number; at?: string };
}

export interface ImportOutcome {
  storeId: string;
  /** The importer's own one-line summary ("412 postings: 380 new, …"). */
  summary: string;
  postings: number;
  added: number;
  updated: number;
  skipped: { line: number; reason: string }[];
}

export interface CsvFile {
  bytes: ArrayBuffer;
  name?: string;
  /** The file's modification time (epoch ms): when the export was downloaded. */
  lastModified?: number;
}

export interface PopupSource {
  listStores(): Promise<StoreInfo[]>;
  loadOrders(storeId: string): Promise<Order[]>;
  coverage(storeId: string): Promise<SeenCoverage | null>;
  /** The store of the active Seller Panel tab, if one is open and known. */
  activeStore(): Promise<string | null>;
  flags(): Promise<HistoryFlags>;
  /** Calls back whenever the history changes; returns the unwatch function. */
  watch(cb: () => void): () => void;
  /** Parses a CSV export and has the background merge it into `storeId` (null: the store is not known). */
  importCsv(file: CsvFile, storeId: string | null): Promise<ImportOutcome>;
  exportAtRiskCsv(orders: Order[], now: number, rulebook: Rulebook): string;
  exportCancellationsCsv(orders: Order[], now: number, rulebook: Rulebook): string;
  postingUrl(order: Order): string;
  /** Opens a URL in a new tab (a posting, or the popup itself). */
  openTab(url: string): Promise<void>;
}
