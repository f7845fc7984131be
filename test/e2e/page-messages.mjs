/**
 * A page script that logs every window message from its first line on, as an analytics or
 * framework listener would, into `window.__oogHeard`: nothing it hears may name the extension
 * (WXT's content-script context announced its start there, under a type holding the extension's
 * id, until entrypoints/content/index.ts turned that off). One listener for both browsers'
 * checks: test/e2e/security.e2e.ts (Chromium, an init script) and test/e2e/firefox-smoke.mjs
 * (Firefox, a BiDi preload script). Self-contained: each browser gets it as source text.
 */
export function logPageMessages() {
  const seen = [];
  window.__oogHeard = seen;
  window.addEventListener('message', (e) => {
    try {
      seen.push(typeof e.data === 'string' ? e.data : JSON.stringify(e.data));
    } catch {
      seen.push(String(e.data));
    }
  });
}
