/**
 * The `ui` chunk loaded on first use (components/overlay/lazy.ts): the hover/focus card and the
 * chip's at-risk list, with their own copy of lib/i18n kept in step by the loader. A classic
 * script (WXT builds unlisted scripts as one IIFE): evaluating it in the content script's
 * isolated world leaves its API under LAZY_KEYS.ui there. A web-accessible resource for the
 * panel's origins only (wxt.config.ts).
 */
import { createHoverCard } from '../components/badge/card';
import { createAtRiskPanel } from '../components/badge/atrisk-list';
import { useMessages } from '../lib/i18n';
import { LAZY_KEYS, type UiApi } from '../components/overlay/lazy';

export default defineUnlistedScript(() => {
  const api: UiApi = { createHoverCard, createAtRiskPanel, useMessages };
  (globalThis as Record<symbol, unknown>)[LAZY_KEYS.ui] = api;
});
