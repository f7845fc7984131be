/**
 * The `core` chunk loaded by the content script's bootstrap on the tab's first postings page
 * (components/overlay/boot.ts, components/overlay/lazy.ts): the overlay itself, started by
 * startCore (components/overlay/start.ts). A classic script (WXT builds unlisted scripts as one
 * IIFE): evaluating it in the content script's isolated world leaves its API under
 * LAZY_KEYS.core there. A web-accessible resource for the panel's origins only (wxt.config.ts).
 */
import { startCore } from '../components/overlay/start';
import { LAZY_KEYS, type CoreApi } from '../components/overlay/lazy';

export default defineUnlistedScript(() => {
  const api: CoreApi = { startCore };
  (globalThis as Record<symbol, unknown>)[LAZY_KEYS.core] = api;
});
