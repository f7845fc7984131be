/**
 * The panel origins on which the JSON worker could not run (components/overlay/json-offload.ts):
 * a page whose Content-Security-Policy forbids blob: workers refuses it, and the browser then
 * sends that page's CSP report (it names no extension, but it says one tried). Remembered in
 * `local:offloadBlocked` (a list of origins, at most the panel's own few), so each origin is tried
 * once per install and not on every page load; the bodies are then taken in on the page's thread,
 * as they were before the worker (docs/performance.md, "Fourteenth pass").
 *
 * Also remembered, in `local:offloadUsed` (origin → when, epoch ms), when the worker last took a body
 * on each origin: the overlay starts the worker ahead of the list only where the lists were big
 * enough for it lately (OFFLOAD_WARM_MS). The real panel opens its lists with 50 rows and grows them
 * by pages of 50 (docs/real-panel.md §3), all walked on the page: a worker started on every page load
 * there was ≈ 6 ms of the page's main thread and a thread of its own for a minute, for nothing
 * (docs/performance.md "Seventeenth pass").
 *
 * Read and written by the content script with the browser's storage API itself (no storage library
 * in the page side: storage/config.ts). Never throws: a store that cannot be read means "not
 * blocked" (the worker is tried; if the page forbids it, that is found again).
 */
import { browser } from 'wxt/browser';

export const OFFLOAD_BLOCKED_KEY = 'offloadBlocked';
/** More origins than the panel has are not kept (a bad value cannot grow). */
const MAX_ORIGINS = 8;

function originsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length <= 100).slice(0, MAX_ORIGINS) : [];
}

export const OFFLOAD_USED_KEY = 'offloadUsed';
/** The worker is started ahead of the list on an origin where it took a body this recently. */
export const OFFLOAD_WARM_MS = 14 * 24 * 3600_000;
/** A use is written at most this often per origin (not on every page load). */
const USED_WRITE_EVERY_MS = 24 * 3600_000;

/** origin → when the worker last took a body there, from a stored value of any shape (a bad one: nothing). */
function usedOf(v: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, at] of Object.entries(v as Record<string, unknown>)) {
    if (out.size >= MAX_ORIGINS) break;
    if (k.length <= 100 && typeof at === 'number' && Number.isFinite(at)) out.set(k, at);
  }
  return out;
}

/**
 * What the overlay needs at its start, in one read: whether the worker is known not to run on
 * `origin`, and whether to start it ahead of the list (it took a body there within OFFLOAD_WARM_MS
 * of `now`; a time in the future, a clock set back, counts as recent).
 */
export async function offloadState(origin: string, now: number): Promise<{ blocked: boolean; warm: boolean }> {
  try {
    const got = await browser.storage.local.get([OFFLOAD_BLOCKED_KEY, OFFLOAD_USED_KEY]);
    const at = usedOf(got?.[OFFLOAD_USED_KEY]).get(origin);
    return { blocked: originsOf(got?.[OFFLOAD_BLOCKED_KEY]).includes(origin), warm: at !== undefined && now - at < OFFLOAD_WARM_MS };
  } catch {
    return { blocked: false, warm: false };
  }
}

/** Remembers that the worker took a body on `origin` at `now` (written when the stored time is a day old or more). */
export async function rememberOffloadUsed(origin: string, now: number): Promise<void> {
  try {
    const got = await browser.storage.local.get(OFFLOAD_USED_KEY);
    const used = usedOf(got?.[OFFLOAD_USED_KEY]);
    const at = used.get(origin);
    if (at !== undefined && Math.abs(now - at) < USED_WRITE_EVERY_MS) return;
    used.delete(origin);
    used.set(origin, now);
    // The newest MAX_ORIGINS origins (a Map keeps the order set; the one just written is last).
    const kept = [...used].slice(-MAX_ORIGINS);
    await browser.storage.local.set({ [OFFLOAD_USED_KEY]: Object.fromEntries(kept) });
  } catch {
    /* written on a later page load */
  }
}

/** Remembers that the worker could not run on `origin`. */
export async function rememberOffloadBlocked(origin: string): Promise<void> {
  try {
    const got = await browser.storage.local.get(OFFLOAD_BLOCKED_KEY);
    const list = originsOf(got?.[OFFLOAD_BLOCKED_KEY]);
    if (list.includes(origin)) return;
    await browser.storage.local.set({ [OFFLOAD_BLOCKED_KEY]: [...list, origin].slice(-MAX_ORIGINS) });
  } catch {
    /* tried again on the next page load */
  }
}
