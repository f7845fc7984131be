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
   * The content script sends the orders as plain objects (components/overlay/sender.ts: the browser's
   * copy of them costs the page no more than a compacter form's, whose encoding cost more than
   * both, docs/performance.md). The background also reads them with their repeated texts (carrier,
   * product names) as numbers into `texts`, and as JSON texts `ordersJson` + `textsJson`
   * (lib/orders-wire.ts; tools and tests; see ORDERS_JSON_MAX_CHARS in background/router.ts).
   * Without `texts` / `textsJson` the texts are written out. Answer: MergeAnswer.
   */
  | {
      type: 'orders:seen';
      storeId: string;
      /** The orders (the content script's form), or with their texts in `texts` (tools and tests). */
      orders?: Order[] | unknown[];
      texts?: string[];
      /** …or as JSON texts (tools and tests). */
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
