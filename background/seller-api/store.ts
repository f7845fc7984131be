/**
 * What the Seller API sync keeps in `browser.storage.local`:
 * - `local:apiSync:keys`  per store: Client-Id, Api-Key, API origin, on/off.
 *   Written by the options page, read by the background only; left out of the
 *   data export unless the seller asks (withoutApiKeys), never logged, never
 *   shown again in full (maskKey).
 * - `local:apiSync:state` per store: the run in progress (its cursor per
 *   scheme, so a restarted worker resumes it), the last complete sync, the
 *   last error, and Ozon's own rating summary. No key in it: the popup reads it.
 *
 * The store id is the seller's Client-Id: Ozon's Client-Id is the company id
 * the panel itself uses (`sc_company_id`, panel/cookies.ts), so synced
 * postings land in the same per-store history as those the panel shows.
 */
import { storage } from 'wxt/utils/storage';
import { isApiOrigin, type ApiOrigin } from './paths';
import type { RatingSummary } from './map';
import type { ApiErrorKind } from './client';
import { isObj } from '../../rules';

export interface ApiKeyEntry {
  clientId: string;
  apiKey: string;
  origin: ApiOrigin;
  enabled: boolean;
}
export type KeysData = Record<string, ApiKeyEntry>;

export const KEYS_STORAGE_KEY = 'apiSync:keys';
export const STATE_STORAGE_KEY = 'apiSync:state';

export const keysItem = storage.defineItem<KeysData>(`local:${KEYS_STORAGE_KEY}`, { fallback: {} });

export type SchemeKey = 'FBS' | 'FBO';

/** One request range of a scheme: `statuses` narrows it (the "still open" pass). */
export interface Pass {
  since: string;
  to: string;
  statuses?: string[];
}

export interface SchemeRun {
  /** The method chosen (the current one until Ozon refuses it). */
  method?: 'fbsListV4' | 'fbsListV3' | 'fboListV3' | 'fboListV2';
  passes: Pass[];
  pass: number;
  cursor?: string;
  offset?: number;
  done: boolean;
}

export interface SyncRun {
  startedAt: string;
  since: string;
  to: string;
  /** Postings merged so far in this run. */
  postings: number;
  schemes: Record<SchemeKey, SchemeRun>;
  /** Ozon's cancel-reason titles by id, per scheme (the two lists differ). */
  reasonTitles?: Partial<Record<SchemeKey, Record<string, string>>>;
  ratingDone?: boolean;
}

export interface SyncError {
  /** 'permission': the seller has not granted (or has revoked) the API host. */
  kind: ApiErrorKind | 'permission';
  status?: number;
  detail?: string;
  path?: string;
  at: string;
}

export interface StoreSyncState {
  run?: SyncRun;
  /** The last run that reached the end of every list. */
  last?: { at: string; since: string; to: string; postings: number };
  error?: SyncError;
  rating?: { at: string; summary: RatingSummary };
}
export type StateData = Record<string, StoreSyncState>;

export const stateItem = storage.defineItem<StateData>(`local:${STATE_STORAGE_KEY}`, { fallback: {} });


/** Keys as stored, each entry checked (a hand-edited or foreign value is dropped, never thrown on). */
export async function readKeys(): Promise<KeysData> {
  let raw: unknown;
  try {
    raw = await keysItem.getValue();
  } catch {
    return {};
  }
  const out: KeysData = {};
  if (!isObj(raw)) return out;
  for (const [id, e] of Object.entries(raw)) {
    if (!isObj(e) || typeof e.clientId !== 'string' || typeof e.apiKey !== 'string' || !isApiOrigin(e.origin)) continue;
    if (!/^\d{1,20}$/.test(e.clientId) || id !== e.clientId) continue;
    out[id] = { clientId: e.clientId, apiKey: e.apiKey, origin: e.origin, enabled: e.enabled === true };
  }
  return out;
}

export async function readState(): Promise<StateData> {
  try {
    const v = await stateItem.getValue();
    return isObj(v) ? (v as StateData) : {};
  } catch {
    return {};
  }
}

/** The last 4 characters only: enough to tell two keys apart, useless to anyone who sees the screen. */
export function maskKey(key: string): string {
  const k = String(key ?? '');
  return k.length <= 4 ? '••••' : `••••${k.slice(-4)}`;
}

/** A copy of everything stored without the API keys (the data export's default). */
export function withoutApiKeys(all: Record<string, unknown>): Record<string, unknown> {
  const out = { ...all };
  delete out[KEYS_STORAGE_KEY];
  delete out[`${KEYS_STORAGE_KEY}$`];
  return out;
}

/**
 * Whether a complete sync covers the popup's window: it ended at most
 * `slackMs` ago (a day, as coverageGap allows for panel history) and reached back
 * to the window's start. Since then the panel and the next sync add the rest.
 */
export function syncCovers(s: StoreSyncState | undefined, now: number, windowDays: number, slackMs = 86_400_000): boolean {
  const last = s?.last;
  if (!last) return false;
  const at = Date.parse(last.at);
  const since = Date.parse(last.since);
  if (!Number.isFinite(at) || !Number.isFinite(since)) return false;
  return now - at <= slackMs && since <= now - windowDays * 86_400_000 + slackMs;
}
