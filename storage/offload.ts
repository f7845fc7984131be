/**
 * The panel origins on which the JSON worker could not run (components/overlay/json-offload.ts):
 * a page whose Content-Security-Policy forbids blob: workers refuses it, and the browser then
 * sends that page's CSP report (it names no extension, but it says one tried). Remembered in
 * `local:offloadBlocked` (a list of origins, at most the panel's own few), so each origin is tried
 * once per install and not on every page load; the bodies are then taken in on the page's thread,
 * as they were before the worker (docs/performance.md, "Fourteenth pass").
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

/** Whether the worker is known not to run on `origin`. */
export async function offloadBlocked(origin: string): Promise<boolean> {
  try {
    const got = await browser.storage.local.get(OFFLOAD_BLOCKED_KEY);
    return originsOf(got?.[OFFLOAD_BLOCKED_KEY]).includes(origin);
  } catch {
    return false;
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
