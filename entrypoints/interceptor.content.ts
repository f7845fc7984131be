/**
 * The MAIN-world half of the JSON bridge. The panel loads its order lists
 * from its own same-origin /api/… endpoints; this script, injected at
 * document_start before the panel's code runs, observes those responses
 * read-only (panel/interceptor.ts: clones, never alters or delays) and posts
 * the postings it finds to the isolated content script, which validates them
 * as untrusted (the page can post anything).
 *
 * Kept minimal on purpose: code in the MAIN world shares the page's globals
 * and cannot use extension APIs.
 */
import { installInterceptor } from '../panel/interceptor';
import { bridgePoster } from '../panel/bridge';
import { PANEL_MATCHES } from '../panel/origins';
import { keysPoster } from '../panel/report-json';

export default defineContentScript({
  matches: PANEL_MATCHES,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    try {
      installInterceptor(window, bridgePoster(window), { onJson: keysPoster(window) });
    } catch {
      /* never break the panel */
    }
  },
});
