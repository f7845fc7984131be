/**
 * Orders to the background ('orders:seen', background/messages.ts): only
 * what changed since the last send, debounced, in chunks. Owns one timer.
 */
import { UNKNOWN_STORE, samePlain } from '../../rules';
import type { Order } from '../../rules';
import type { OverlayState } from './state';

const SEND_DEBOUNCE_MS = 1000;
/**
 * Orders per message, and per task: a flush of 5,000 orders sent in one task was a 50–70 ms
 * extension task (the JSON text and the browser's copy of it); one chunk per task keeps each
 * well under the 50 ms budget (docs/performance.md).
 */
const SEND_CHUNK = 250;

export class Sender {
  /** Orders changed since the last send; emptied by every flush (SEND_DEBOUNCE_MS). */
  private pending = new Map<string, Order>();
  /**
   * posting → the order the background last got from us, bounded by `trim`. Mostly the very
   * objects the badges and the JSON cache hold already; compared with samePlain (rules/plain.ts)
   * only when a posting comes again, where a JSON.stringify + hash of every order on every
   * queue and flush was the overlay's largest self time (docs/performance.md).
   */
  private sent = new Map<string, Order>();
  private timer: unknown = null;
  private destroyed = false;

  constructor(
    private readonly state: OverlayState,
    /** The JSON cache's bound (json-cache.ts), applied to `sent` too. */
    private readonly trim: (map: Map<string, unknown>) => void,
  ) {}

  /** A bridged order: stamped with the tab's store when it has none. */
  queueBridged(o: Order): void {
    const id = this.state.storeId;
    this.queue(id !== UNKNOWN_STORE && !o.storeId ? { ...o, storeId: id } : o);
  }

  queue(order: Order): void {
    if (this.destroyed) return;
    const last = this.sent.get(order.postingNumber);
    if (last !== undefined && samePlain(last, order)) return;
    this.pending.set(order.postingNumber, order);
    if (this.timer === null) this.timer = this.state.env.setTimeout(() => this.flush(), SEND_DEBOUNCE_MS);
  }

  /** Sends what changed since the last send: one chunk now, the rest in the next tasks. */
  flush(): void {
    this.timer = null;
    if (this.destroyed || this.state.destroyed || !this.pending.size) return;
    const orders: Order[] = [];
    for (const [posting, o] of this.pending) {
      this.pending.delete(posting);
      orders.push(o);
      // Re-inserted, so the order of the map is "least recently sent first".
      this.sent.delete(posting);
      this.sent.set(posting, o);
      if (orders.length >= SEND_CHUNK) break;
    }
    this.trim(this.sent);
    // The orders as they are, never re-encoded: the browser's copy of 250 plain orders costs the page
    // about what the same orders as rows under field names did, and the rows' encoding, run cold on
    // every list, cost the page ≈ 15 ms more per 1,000 orders (docs/performance.md, "Fourteenth pass").
    this.state.send({ type: 'orders:seen', storeId: this.state.storeId, orders, url: this.state.url() });
    if (this.pending.size && this.timer === null) this.timer = this.state.env.setTimeout(() => this.flush(), 0);
  }

  /** Pending timers, for the destroy tests. */
  get armed(): boolean {
    return this.timer !== null;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer !== null) this.state.env.clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    this.sent.clear();
  }
}
