/**
 * What the popup needs from the rest of the extension, as one interface.
 *
 * The history, CSV and alarm layers (storage/history, csv/, background/reminders) are
 * the data's owners; this seam keeps the popup's components free of storage
 * details and lets tests hand in a source backed by the fake browser.
 */
import type { Order, Scheme } from '../../rules';
import type { Rulebook } from '../../rules';

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
  /**
   * Nothing told the file's scheme (no scheme column, no column only one
   * scheme's export has, no panel page) and the seller did not choose one:
   * NOTHING was imported; ask, then import again with the answer.
   */
  needsScheme?: boolean;
  /** Postings placed in the window by the order's creation date (no processing date in the file). */
  placedByCreation?: number;
  /** Postings with no date at all: not in the 30-day figures. */
  undated?: number;
}

/** The seller's word on a file's scheme in the import: a scheme, or "ask me when the file does not say". */
export type ImportScheme = Scheme | 'ask';

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
  /**
   * Parses a CSV export and has the background merge it into `storeId` (null:
   * the store is not known). `scheme`: the seller's choice for the whole file.
   * Answers `needsScheme` without importing when the scheme is not known.
   */
  importCsv(file: CsvFile, storeId: string | null, scheme?: Scheme): Promise<ImportOutcome>;
  /** `zone`: the seller's own zone (T2) for the own-time columns beside the Moscow ones. */
  exportAtRiskCsv(orders: Order[], now: number, rulebook: Rulebook, zone?: string): string;
  exportCancellationsCsv(orders: Order[], now: number, rulebook: Rulebook, zone?: string): string;
  postingUrl(order: Order): string;
  /** Opens a URL in a new tab (a posting, or the popup itself). */
  openTab(url: string): Promise<void>;
}
