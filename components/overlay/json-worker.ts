/**
 * The dedicated worker that walks the panel's big JSON bodies off the page's main thread: its whole
 * program is panel/json-offload.ts `walkRequest`. Bundled into the overlay's chunk as text and
 * started from a blob: URL (json-offload.ts; why, and what a page's Content-Security-Policy does
 * to it: docs/performance.md, "Fourteenth pass").
 */
import { walkRequest, type WalkReply } from '../../panel/json-offload';

// A dedicated worker's global scope: `postMessage` takes the message alone (the DOM lib types `self` as a window).
const scope = self as unknown as { postMessage(r: WalkReply): void; onmessage: ((e: MessageEvent) => void) | null };
scope.onmessage = (e) => walkRequest(e.data, (r) => scope.postMessage(r), () => performance.now());
