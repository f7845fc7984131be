/**
 * The panel's own orders, as our page-world observer bridged them: the body
 * text it posts (entrypoints/interceptor.content.ts) is checked as untrusted,
 * parsed and walked by json-feed.ts, each order checked with the order schema,
 * and the controller hands each slice's orders to `ingest`: posting → Order,
 * bounded in proportion to the page. While a body is being walked it also
 * says so (beginBody / endBody), so new rows wait for their orders (rows.ts).
 *
 * It holds no listener: the window `message` listener is the entrypoint's,
 * on the run's guard (components/overlay/lifetime.ts).
 */
import { mergeOrder } from '../../panel/index';
import { samePlain, type Order } from '../../rules';

/**
 * Bounded memory, in proportion to the page (docs/architecture.md; README,
 * Reliability): the caches keyed by posting (this one, and the sender's
 * "sent already") hold at most JSON_FLOOR + JSON_PER_ROW × max(rows badged
 * now, postings in the panel's responses of the last JSON_RECENT_MS — a page
 * of 5,000 arriving in five responses before its rows) entries, oldest first
 * out, never one whose row is on screen. A list of 40 rows keeps ≤ 180 orders
 * however many postings the tab has seen; a 5,000-row page keeps its own
 * 5,000 and no more than twice that (a fixed 20,000 kept ~0.9 MB per 1,000
 * postings seen in a long session).
 */
export const JSON_FLOOR = 100;
export const JSON_PER_ROW = 2;
export const JSON_RECENT_MS = 10_000;
/** At most this many response sizes are remembered for the bound. */
const RECENT_MAX = 64;
/**
 * A row that appears while a body of the panel's JSON is being taken in waits at most this long
 * for its posting's order (rows.ts): read against the JSON a row costs ~7 µs, read from the DOM
 * alone ~45 µs and then drawn a second time when its JSON lands (docs/performance.md).
 */
export const JSON_WAIT_MS = 300;

export interface ShownPostings {
  /** How many rows carry a badge now. */
  readonly size: number;
  /** The postings of those rows (never evicted). */
  postings(): Iterable<string>;
}

export class JsonCache {
  /** posting → order from the panel's JSON (untrusted, validated); bounded by cap(). */
  readonly map = new Map<string, Order>();
  /** Sizes of the panel's JSON responses of the last JSON_RECENT_MS (their rows may not be there yet). */
  private recent: { at: number; n: number }[] = [];
  /** Orders bridged since the last navigation (layout-watch.ts: JSON without rows is a broken layout). */
  sinceNav = 0;
  /** Bodies being taken in (received, not yet walked to the end), and until when rows wait for them. */
  private bodies = 0;
  /** Until when a body announced by the page world is waited for (expect), epoch ms; 0: none. */
  private expectUntil = 0;
  private waitUntil = 0;
  /** Called when the last body in progress is done (rows that waited for it are read). */
  onBodiesDone: (() => void) | null = null;

  constructor(
    private readonly now: () => number,
    private readonly shown: ShownPostings,
  ) {}

  get(posting: string): Order | undefined {
    return this.map.get(posting);
  }

  /**
   * A bridged batch: each order merged into the one held (most recent last);
   * returns the postings whose order changed. An answer the panel repeats
   * (polling, a tab switched back) holds nothing new: the order held stays the
   * same object, so its rows are neither read nor drawn again (rows.ts).
   */
  ingest(orders: readonly Order[]): Set<string> {
    const touched = new Set<string>();
    for (const o of orders) {
      const prev = this.map.get(o.postingNumber);
      const merged = prev ? mergeOrder(prev, o) : o;
      this.map.delete(o.postingNumber);
      if (prev && samePlain(merged, prev)) {
        this.map.set(o.postingNumber, prev);
        continue;
      }
      this.map.set(o.postingNumber, merged);
      touched.add(o.postingNumber);
    }
    const now = this.now();
    this.recent.push({ at: now, n: orders.length });
    while (this.recent.length > RECENT_MAX || (this.recent.length && now - this.recent[0]!.at > JSON_RECENT_MS)) this.recent.shift();
    this.trim(this.map);
    this.sinceNav += orders.length;
    return touched;
  }

  /** A body of the panel's JSON was received and is being walked (its orders come in slices). */
  beginBody(): void {
    this.bodies++;
    this.waitUntil = this.now() + JSON_WAIT_MS;
  }

  /**
   * The feed is about to take the next step of the bodies in progress: the wait runs JSON_WAIT_MS
   * from now. A body's walk is finite (json.ts bounds its nodes), so rows still wait a bounded time;
   * counted from the body's arrival, the wait could end before the first step ran (the page's own
   * render held the feed's first task back ≈ 160 ms on a 1,000-row list) and the rows were read from
   * the DOM, then again against their orders (docs/performance.md).
   */
  progress(): void {
    if (this.bodies > 0) this.waitUntil = this.now() + JSON_WAIT_MS;
  }

  /** That body's walk ended (all its orders ingested, or it failed). */
  endBody(): void {
    if (this.bodies > 0) this.bodies--;
    if (!this.bodies) {
      // The announced body (or the last of them) has been taken in: rows no longer wait for it.
      this.expectUntil = 0;
      this.onBodiesDone?.();
    }
  }

  /**
   * The page world says a body is coming (panel/bridge-message.ts BRIDGE_EXPECT_EVENT): new rows
   * wait for it as for a body being walked, until a body ends or JSON_WAIT_MS pass.
   */
  expect(): void {
    this.expectUntil = this.now() + JSON_WAIT_MS;
  }

  /** Whether a new row should wait for the JSON being taken in, or announced (bounded by JSON_WAIT_MS). */
  awaiting(): boolean {
    const now = this.now();
    return (this.bodies > 0 && now < this.waitUntil) || now < this.expectUntil;
  }

  /** When the wait ends at the latest (epoch ms). */
  get waitDeadline(): number {
    return Math.max(this.bodies > 0 ? this.waitUntil : 0, this.expectUntil);
  }

  /** The bound of the per-posting caches (see JSON_FLOOR). */
  cap(): number {
    let recent = 0;
    for (const r of this.recent) recent += r.n;
    return JSON_FLOOR + JSON_PER_ROW * Math.max(this.shown.size, recent);
  }

  /** Drops the oldest entries of `map` above cap(), keeping those of rows on screen. */
  trim(map: Map<string, unknown>): void {
    const cap = this.cap();
    if (map.size <= cap) return;
    const shown = new Set<string>(this.shown.postings());
    for (const k of map.keys()) {
      if (map.size <= cap) break;
      if (!shown.has(k)) map.delete(k);
    }
  }

  destroy(): void {
    this.map.clear();
    this.recent = [];
    this.bodies = 0;
    this.expectUntil = 0;
    this.onBodiesDone = null;
  }
}
