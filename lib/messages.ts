/**
 * Messages between the content script, the popup/options and the background.
 * Every message is plain JSON. The background is the only writer of the order
 * history, so two panel tabs never race on storage (issue 7: no lost update).
 */
import type { Order } from '../rules/types';
import type { Lang } from './i18n';

export type Message =
  /** Content → background: orders read from the page (DOM and/or the panel's JSON). */
  | { type: 'orders:seen'; storeId: string; orders: Order[]; url: string }
  /** Content → background: an orders list is shown but no row was recognised (or it recovered). */
  | { type: 'layout:status'; storeId: string; url: string; broken: boolean; detail?: string }
  /** Any page → background: the message table of a language (for the content script's override). */
  | { type: 'i18n:table'; lang: Lang }
  /** Popup → background: recompute the icon badge / alarms now. */
  | { type: 'refresh' };

export const UNKNOWN_STORE = 'unknown';
