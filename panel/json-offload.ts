/**
 * The panel's JSON taken in OFF the page's main thread: what the overlay asks its dedicated worker
 * (components/overlay/json-offload.ts, the page side; components/overlay/json-worker.ts, the
 * worker's entry) and what the worker answers, and the worker's whole program, `walkRequest`. The
 * program is pure (the clock and the way out are parameters), so the tests run it in Node exactly
 * as the worker runs it.
 *
 * Why a worker: on a list of 1,000 postings, parsing the body and mapping each posting to an Order
 * was ≈ 40 ms of the page's main thread, most of it the engine running the mapping's code for the
 * first time on every page load; posting the text to a worker and taking its orders back costs the
 * page ≈ 5 ms (docs/performance.md, "Fourteenth pass"). The worker runs the very same walk
 * (panel/json.ts jsonWalk), so its orders are the orders the page would have made.
 */
import { jsonWalk, type JsonOptions } from './json';
import { jsonKeys, type KeyShape } from './report-json';
import { SCHEMES, isObj, type Order, type Scheme } from '../rules';

/** One body to walk. `keys`: the page report wants this body's key structure too (panel/report-json.ts). */
export interface WalkRequest {
  id: number;
  text: string;
  opts: JsonOptions;
  keys: boolean;
}

/**
 * One answer: orders found since the last answer (in document order, as jsonWalk's `take`), the
 * body's key structure (first, when asked for), and `done` on the last answer of a request. A body
 * that is not JSON, or not an object, is done at once with no orders.
 */
export interface WalkReply {
  id: number;
  orders?: Order[];
  keys?: KeyShape;
  done?: true;
}

/**
 * The worker answers at least this often while it walks (ms of its own time): the page gets the
 * first orders while the rest are still being mapped, and taking back one answer stays a short
 * task on the page's thread (≈ 250 orders; no extension task over 50 ms).
 */
export const WALK_ANSWER_MS = 8;

/** A request as it arrived (our own overlay sends it; checked all the same), or null. */
function requestOf(v: unknown): WalkRequest | null {
  if (!isObj(v)) return null;
  const { id, text, opts, keys } = v as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof text !== 'string' || !isObj(opts)) return null;
  const o = opts as Record<string, unknown>;
  if (typeof o.scheme !== 'string' || !(SCHEMES as readonly string[]).includes(o.scheme)) return null;
  const clean: JsonOptions = { scheme: o.scheme as Scheme };
  if (typeof o.storeId === 'string') clean.storeId = o.storeId;
  return { id, text, opts: clean, keys: keys === true };
}

/**
 * The worker's program: walks one body and posts its orders in answers of about WALK_ANSWER_MS of
 * work each, then `done`. Never throws: a request it cannot read gets one `done` (or nothing, when
 * it has no id), a body that is not JSON is done with no orders.
 */
export function walkRequest(raw: unknown, post: (r: WalkReply) => void, now: () => number): void {
  const req = requestOf(raw);
  if (!req) {
    const id = isObj(raw) ? (raw as Record<string, unknown>).id : undefined;
    if (typeof id === 'number') post({ id, done: true });
    return;
  }
  const { id } = req;
  let body: unknown;
  try {
    body = JSON.parse(req.text);
  } catch {
    post({ id, done: true });
    return;
  }
  if (body === null || typeof body !== 'object') {
    post({ id, done: true });
    return;
  }
  if (req.keys) post({ id, keys: jsonKeys(body) });
  const walk = jsonWalk(body, req.opts);
  for (;;) {
    const t0 = now();
    const done = walk.run(() => now() - t0 > WALK_ANSWER_MS);
    const orders = walk.take();
    if (done) {
      post(orders.length ? { id, orders, done: true } : { id, done: true });
      return;
    }
    if (orders.length) post({ id, orders });
  }
}
