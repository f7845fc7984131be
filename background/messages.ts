/**
 * Messages between the content script, the popup/options and the background.
 * Every message is plain JSON. The background is the only writer of the order
 * history, so two panel tabs never race on storage (no lost update: test/hostile/storage.test.ts).
 */
import type { Order } from '../rules';
import type { MergeResult } from '../storage/history';
import type { Lang } from '../lib/i18n';

export type Message =
  /**
   * Content → background: orders read from the page (DOM and/or the panel's JSON).
   * `source` says which ('page' by default); `storeLabel` is the store's name where the page shows it.
   * The orders travel as objects with their repeated texts (carrier, product names) as numbers into
   * `texts` (lib/orders-wire.ts): the browser copies the message on the page's main thread for the
   * price of its size, and a JSON text costs that copy about as much as its objects, plus the
   * stringify (docs/performance.md). `ordersJson` + `textsJson` is the same message as JSON texts
   * (older senders, tools), parsed by the background (see ORDERS_JSON_MAX_CHARS in
   * background/router.ts). Without `texts` / `textsJson` the texts are written out. Answer: MergeAnswer.
   */
  | {
      type: 'orders:seen';
      storeId: string;
      /** The orders as rows under field names sent once (lib/orders-wire.ts encodeOrderRows): the content script's form. */
      keys?: string[];
      rows?: unknown[][];
      itemKeys?: string[];
      /** …or as objects / a JSON text (older forms; tools and tests). */
      orders?: Order[] | unknown[];
      texts?: string[];
      ordersJson?: string;
      textsJson?: string;
      url: string;
      source?: 'page' | 'json';
      storeLabel?: string;
    }
  /** Content → background: an orders list is shown but no row was recognised (or it recovered). */
  | { type: 'layout:status'; storeId: string; url: string; broken: boolean; detail?: string }
  /** Any page → background: the message table of a language (for the content script's override). */
  | { type: 'i18n:table'; lang: Lang }
  /**
   * Content → background: the seller's stored rulebook overrides, as the page read them, cleaned by
   * rules/rulebook-check.ts validateOverrides (which the page's overlay does not carry: docs/performance.md
   * "What the content script carries"). Sent only for an edited rulebook. Answer: RulebookOverrides.
   */
  | { type: 'rulebook:clean'; overrides: unknown }
  /** Popup → background: recompute the icon badge / alarms now. Answer: { ok: true, count } */
  | { type: 'refresh' }
  /**
   * Popup → background: orders parsed from an Ozon CSV export (csv/import.ts parseOrdersCsv),
   * merged into `storeId`. `observedAt` is when the file was exported (File.lastModified);
   * without it the newest instant in the file (report.latestInstant) stands in, so an older
   * export never rolls back what the panel showed since. Answer: MergeAnswer.
   */
  | { type: 'orders:import'; storeId: string; orders: Order[]; observedAt?: string | number; report?: { latestInstant?: string } }
  /** Options → background: restore a backup (storage/history/backup.ts exportAll's JSON). Answer: ImportAllReport. */
  | { type: 'history:importAll'; json: unknown }
  /** Options → background: forget one store's history, or all of it (storeId absent). Answer: { ok: true } */
  | { type: 'history:clear'; storeId?: string };

/** What `orders:seen` / `orders:import` answer (or `{ error }` when refused): the history's merge result. */
export type MergeAnswer = MergeResult;

export type ErrorAnswer = { error: string };
