/**
 * The `report` chunk loaded when the popup asks for a page report (components/overlay/lazy.ts,
 * entrypoints/content/index.ts): the report builder (panel/report.ts) behind PageReporter. A
 * classic script evaluated in the content script's isolated world; its API is left under
 * LAZY_KEYS.report there. A web-accessible resource for the panel's origins only (wxt.config.ts).
 */
import { PageReporter } from '../components/overlay/report';
import { LAZY_KEYS, type ReportApi } from '../components/overlay/lazy';

export default defineUnlistedScript(() => {
  const api: ReportApi = { PageReporter };
  (globalThis as Record<symbol, unknown>)[LAZY_KEYS.report] = api;
});
