/**
 * Orders to the background ('orders:seen', background/messages.ts): only
 * what changed since the last send, debounced, in chunks. Owns one timer.
 */
import { UNKNOWN_STORE } from '../../rules';
import type { Order } from '../../rules';
import type { OverlayState } from './state';

const SEND_DEBOUNCE_MS = 1000;
const SEND_CHUNK = 500;

/** A stable text of an order, to tell "changed" from "re-rendered the same". */
// One stringify per order object: the row signature, queue and flush each asked
// for the same order's signature (orders are never mutated, only replaced).
const sigMemo = new WeakMap<Order, string>();
export function orderSig(o: Order): string {
  let s = sigMemo.get(o);
  if (s === undefined) sigMemo.set(o, (s = JSON.stringify(o)));
  return s;
}

/**
 * 53 bits of a signature (two FNV-1a lanes): what "sent already" needs to
 * remember. A collision would only skip re-sending one changed order until it
 * changes again.
 */
export function sigHash(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

export class Sender {
  /** Orders changed since the last send; emptied by every flush (SEND_DEBOUNCE_MS). */
  private pending = new Map<string, Order>();
  /** posting → hash of the signature the background last got from us (a number, not the ~1 KB text); bounded by `trim`. */
  private sent = new Map<string, number>();
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
    const sig = sigHash(orderSig(order));
    if (this.sent.get(order.postingNumber) === sig) return;
    this.pending.set(order.postingNumber, order);
    if (this.timer === null) this.timer = this.state.env.setTimeout(() => this.flush(), SEND_DEBOUNCE_MS);
  }

  /** Sends what changed since the last send, in chunks. */
  flush(): void {
    this.timer = null;
    if (this.destroyed || this.state.destroyed || !this.pending.size) return;
    const orders = [...this.pending.values()];
    this.pending.clear();
    for (const o of orders) {
      // Re-inserted, so the order of the map is "least recently sent first".
      this.sent.delete(o.postingNumber);
      this.sent.set(o.postingNumber, sigHash(orderSig(o)));
    }
    this.trim(this.sent);
    const url = this.state.url();
    for (let i = 0; i < orders.length; i += SEND_CHUNK) {
      this.state.send({ type: 'orders:seen', storeId: this.state.storeId, orders: orders.slice(i, i + SEND_CHUNK), url });
    }
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
