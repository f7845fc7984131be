/** See page-messages.mjs: logs every window message the page hears into `window.__oogHeard`. */
export function logPageMessages(): void;
