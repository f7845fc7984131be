/**
 * The MAIN-world half of the JSON bridge. The panel loads its order lists
 * from its own same-origin /api/… endpoints; this script, injected at
 * document_start before the panel's code runs, observes those responses
 * read-only (panel/interceptor.ts: clones, never alters or delays), says "a
 * body is coming" when an answer's headers arrive, and hands each body's TEXT
 * over to the isolated content script (panel/bridge-message.ts, a DOM string;
 * a posted message when nobody takes it; panel/bridge.ts), which
 * checks it as untrusted (the page can post anything), parses it once and
 * walks it there (components/overlay/json-feed.ts).
 *
 * Kept minimal on purpose: code in the MAIN world shares the page's globals
 * and cannot use extension APIs, and every byte of it is parsed on every
 * panel page load. A string crosses the worlds as one copy of its bytes;
 * walked orders as objects cost a structured clone each (docs/performance.md).
 */
import { installInterceptor } from '../panel/interceptor';
import { bodyExpecter, bodyPoster } from '../panel/bridge-message';
import { PANEL_MATCHES } from '../panel/origins';

export default defineContentScript({
  matches: PANEL_MATCHES,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    try {
      installInterceptor(window, bodyPoster(window), { expect: bodyExpecter(window) });
    } catch {
      /* never break the panel */
    }
  },
});
