/**
 * The panel's JSON, from the body text our MAIN-world script posts
 * (panel/interceptor.ts → panel/bridge.ts) to orders for the controller.
 *
 * Per body, in the isolated world (docs/performance.md, "The panel's JSON"):
 * - checked as untrusted first (panel/bridge.ts: this window, own origin,
 *   a string of bounded length) before anything reads the text;
 * - skipped, unparsed, when it is identical (string equality) to the body
 *   last seen for its API path with the same scheme and store AND every
 *   order that body left in the JSON cache is still the one held: a panel
 *   polling its list holds nothing new. A repeat after the cache trimmed or
 *   replaced one of those orders is used again;
 * - a big body (OFFLOAD_MIN_CHARS and more: a list) is parsed and walked by a
 *   worker, off the page's main thread, which answers with its orders as it
 *   finds them (json-offload.ts; its key structure too, for the page report);
 *   where the worker cannot run, or fails, the body is taken in here as below;
 * - otherwise parsed once (`parseBridgeBody`, shared with the page report's key
 *   log) and walked with `jsonWalk` in slices of at most FEED_SLICE_MS on the
 *   overlay's timers (no extension task over 50 ms; the parse itself is the one
 *   part that cannot be split);
 * - one body after another, in the order they came;
 * - each walked order delivered as the walk made it: the walk maps every field
 *   with the order schema's own limits (rules/order-schema.ts `strictOrder`
 *   gives its orders back unchanged, a property test holds it), so the
 *   schema's limits hold whatever the body held without a second pass.
 *
 * Bounded (nothing grows with time): FEED_QUEUE_MAX bodies waiting, and the
 * last body of FEED_REMEMBER_PATHS paths remembered, FEED_REMEMBER_CHARS of
 * text in all, with the orders each left in the cache. destroy() stops the
 * slice timer and forgets everything.
 */
import { BRIDGE_LIMITS, bridgeBodyOf, claimBody, jsonWalk, parseBridgeBody, type JsonWalk } from '../../panel/index';
import { jsonKeys, type KeyShape } from '../../panel/report-json';
import type { Order, Scheme } from '../../rules';
import type { JsonOffload } from './json-offload';

/** CPU per walk slice (docs/performance.md: no extension task over 50 ms). */
export const FEED_SLICE_MS = 8;
/** Bodies waiting to be walked; more arriving meanwhile are refused (a page posting bodies in a loop costs a bounded queue). */
export const FEED_QUEUE_MAX = 16;
/** API paths whose last body is remembered for the identical-body check (the list, its counters, a drawer). */
export const FEED_REMEMBER_PATHS = 4;
/** Text kept for that check in all: one body at the cap, or a few lists. */
export const FEED_REMEMBER_CHARS = BRIDGE_LIMITS.textLength;

export interface FeedEnv {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface FeedOptions {
  /** The slices' clock, ms (tests drive it; default performance.now). */
  clock?: () => number;
  /** The worker for big bodies (json-offload.ts); none: every body is taken in on the page's thread. */
  offload?: JsonOffload | null;
}

export interface FeedSink {
  /** What the walk needs now (at the body's arrival): the list's scheme and the store. */
  context(): { scheme: Scheme; storeId?: string };
  /** Checked orders of one slice: into the JSON cache, the sender and the rows (controller.ts). */
  deliver(orders: Order[]): void;
  /** The order the JSON cache holds for a posting now (json-cache.ts). */
  held(posting: string): Order | undefined;
  /**
   * A body is queued, and later done with (walked to the end, or dropped): while one is in
   * progress, new rows wait for their orders instead of being read from the DOM alone
   * (json-cache.ts JSON_WAIT_MS, rows.ts). Every `began` is matched by one `ended`.
   */
  began?(): void;
  ended?(): void;
  /**
   * A slice of the bodies in progress is about to run: the wait is counted from the feed's last
   * step, not from the body's arrival (the page's own work can hold our first slice back for
   * longer than the wait; json-cache.ts progress).
   */
  progress?(): void;
  /** Whether the page report wants this API path's key structure (report-keys.ts ApiKeysLog). */
  wantsKeys?(path: string): boolean;
  /** The key structure of a body this feed took off the page's thread (the key log does not parse it then). */
  keys?(path: string, shape: KeyShape): void;
}

interface Body {
  path: string;
  text: string;
  /** Scheme and store the walk used: the same text in another store is another answer. */
  key: string;
}

interface Job extends Body {
  event: MessageEvent | undefined;
  opts: { scheme: Scheme; storeId?: string };
  walk?: JsonWalk;
  /** posting → the order the cache held right after this body's delivery. */
  left: Map<string, Order>;
  /** False when an order it delivered was not held right after (trimmed at once). */
  whole: boolean;
  /** For the worker (json-offload.ts): waiting for its turn, or being walked there. Unset: taken in here. */
  remote?: 'waiting' | 'walking';
  /** The page report wants its key structure, and the key log left it to this feed (claimBody). */
  keys: boolean;
}

interface Seen extends Body {
  left: Map<string, Order>;
}

const defaultClock: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/** Bodies up to this many characters may be taken in ahead of their slice's task (kick). */
export const KICK_MAX_CHARS = 512 * 1024;

export class JsonFeed {
  private readonly queue: Job[] = [];
  /** path → its last body walked to the end; insertion order = least recently seen first. */
  private readonly seen = new Map<string, Seen>();
  private seenChars = 0;
  private timer: unknown;
  private destroyed = false;
  /** Bodies skipped as identical (diagnostics, tests). */
  skipped = 0;
  /** Bodies refused because FEED_QUEUE_MAX were waiting. */
  refused = 0;

  private readonly clock: () => number;
  /** The worker for big bodies; none: every body is taken in on the page's thread. */
  private readonly offload: JsonOffload | null;

  constructor(
    private readonly env: FeedEnv,
    private readonly sink: FeedSink,
    opts: FeedOptions = {},
  ) {
    this.clock = opts.clock ?? defaultClock;
    this.offload = opts.offload ?? null;
  }

  /** Whether a slice is scheduled (tests: destroy() stops it). */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** A window `message` event: maybe a body from our MAIN-world script, maybe anything. */
  accept(e: MessageEvent, win: Window): void {
    if (this.destroyed) return;
    const body = bridgeBodyOf(e, win);
    if (!body) return;
    const opts = this.sink.context();
    const key = `${opts.scheme}\u0000${opts.storeId ?? ''}`;
    const b: Body = { path: body.path, text: body.text, key };
    if (this.isRepeat(b)) {
      this.skipped++;
      return;
    }
    if (this.queue.length >= FEED_QUEUE_MAX) {
      this.refused++;
      return;
    }
    const job: Job = { ...b, event: e, opts, left: new Map(), whole: true, keys: false };
    if (this.offload?.takes(b.text.length)) {
      job.remote = 'waiting';
      job.keys = !!this.sink.wantsKeys?.(b.path);
      // Its key structure comes from the worker (or from the fallback here): the key log must not parse it.
      claimBody(e);
    }
    this.queue.push(job);
    this.sink.began?.();
    // The first slice (the parse, then the walk) in a task of its own: the message's task already
    // paid for the browser's copy of the text (≈ 25 ms for a 5,000-row body), and the two together
    // were the one extension task over 50 ms left (docs/performance.md).
    if (this.timer === undefined) this.timer = this.env.setTimeout(() => this.slice(), 0);
  }

  /**
   * Rows are about to be read while a small body waits for its first slice: that slice runs now
   * (scan.ts, before a batch of rows), so the rows are read once, against their orders, in the
   * same task. Otherwise they wait for the slice's own task, which the page's next frame comes
   * before: on a «Показать ещё» page that was ≈ 70 ms from the rows to their badges. Only bodies
   * up to KICK_MAX_CHARS (a page of a few dozen postings): a big body's parse keeps a task of its
   * own (no extension task over 50 ms).
   */
  kick(): void {
    if (this.destroyed || this.timer === undefined) return;
    const job = this.queue[0];
    if (!job || job.walk || job.remote || job.text.length > KICK_MAX_CHARS) return;
    this.env.clearTimeout(this.timer);
    this.slice();
  }

  destroy(): void {
    this.destroyed = true;
    this.offload?.destroy();
    if (this.timer !== undefined) this.env.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.seen.clear();
    this.seenChars = 0;
  }

  private same(a: Body, b: Body): boolean {
    return a.path === b.path && a.key === b.key && a.text === b.text;
  }

  private isRepeat(b: Body): boolean {
    for (const j of this.queue) if (this.same(j, b)) return true;
    const s = this.seen.get(b.path);
    if (!s || !this.same(s, b)) return false;
    for (const [posting, order] of s.left) if (this.sink.held(posting) !== order) return false;
    // Least recently seen goes first: this one is fresh again.
    this.seen.delete(b.path);
    this.seen.set(b.path, s);
    return true;
  }

  private slice(): void {
    this.timer = undefined;
    if (this.destroyed) return;
    this.sink.progress?.();
    const t0 = this.clock();
    const over = () => this.clock() - t0 > FEED_SLICE_MS;
    while (this.queue.length && !this.destroyed) {
      const job = this.queue[0]!;
      if (job.remote === 'waiting') this.startRemote(job);
      // The worker's answers move the queue on (startRemote): no slice until then.
      if (job.remote === 'walking') return;
      let done = true;
      try {
        if (!job.walk) {
          const parsed = job.event ? parseBridgeBody(job.event, job) : undefined;
          job.event = undefined;
          // A body the worker was to take (and could not): its key structure, which the key log left to us.
          if (job.keys && parsed !== null && typeof parsed === 'object') this.sink.keys?.(job.path, jsonKeys(parsed));
          // Malformed JSON or a bare value: nothing to walk (remembered, so its repeat is not parsed again).
          if (parsed !== null && typeof parsed === 'object') job.walk = jsonWalk(parsed, job.opts);
          // A parse that spent the slice (a 5,000-row body: 10–30 ms) ends the task: the walk and the
          // rows its first orders release (rows.ts, read at once) would make it one over 50 ms.
          if (job.walk && over()) break;
        }
        if (job.walk) {
          done = job.walk.run(over);
          const found = job.walk.take();
          if (found.length) this.deliver(job, found);
        }
      } catch {
        done = true; // a throwing sink: this body is dropped, the next ones still run
        job.whole = false;
      }
      if (done) this.finish(job);
      if (over()) break;
    }
    this.armSlice();
  }

  private armSlice(): void {
    if (this.queue.length && !this.destroyed && this.timer === undefined) this.timer = this.env.setTimeout(() => this.slice(), 0);
  }

  /** The head of the queue is done with: remembered for the identical-body check, and its wait ends. */
  private finish(job: Job): void {
    this.queue.shift();
    job.event = undefined;
    this.remember(job);
    this.sink.ended?.();
  }

  /**
   * The head body to the worker; when it cannot start there (json-offload.ts walk is false) it is
   * taken in here, in this slice. The worker's answers come in tasks of their own: each delivers
   * its orders like a slice would, the last one moves the queue on.
   */
  private startRemote(job: Job): void {
    const started = this.offload!.walk(job.text, job.opts, job.keys, {
      orders: (list) => {
        if (!this.isHead(job)) return;
        this.sink.progress?.();
        try {
          this.deliver(job, list);
        } catch {
          // A throwing sink: this answer is lost, the body is not remembered as whole (not skipped when it comes
          // again), and its later answers are still delivered.
          job.whole = false;
        }
      },
      keys: (shape) => {
        if (!this.isHead(job)) return;
        // Given once: a fallback walk here does not make it again.
        job.keys = false;
        this.sink.keys?.(job.path, shape);
      },
      done: () => {
        if (!this.isHead(job)) return;
        this.finish(job);
        this.armSlice();
      },
      failed: () => {
        if (!this.isHead(job)) return;
        // Taken in here from its start: orders already delivered come again equal, and the cache keeps the ones it holds (json-cache.ts ingest).
        job.remote = undefined;
        this.armSlice();
      },
    });
    job.remote = started ? 'walking' : undefined;
    if (started) this.sink.progress?.();
  }

  private isHead(job: Job): boolean {
    return !this.destroyed && this.queue[0] === job;
  }

  private deliver(job: Job, orders: Order[]): void {
    // Not checked again here: the walk's orders are fixed points of the order schema by construction
    // (panel/json.ts maps every field with the schema's own limits; the property test of
    // test/hostile/rules-fuzz.test.ts holds it), where a second strict pass over every order was
    // ≈ 10 µs an order on the page's main thread (docs/performance.md).
    if (!orders.length) return;
    this.sink.deliver(orders);
    if (this.destroyed) return;
    for (const o of orders) {
      const h = this.sink.held(o.postingNumber);
      if (h) job.left.set(o.postingNumber, h);
      else job.whole = false;
    }
  }

  private remember(job: Job): void {
    const old = this.seen.get(job.path);
    if (old) {
      this.seen.delete(job.path);
      this.seenChars -= old.text.length;
    }
    if (!job.whole || job.text.length > FEED_REMEMBER_CHARS) return;
    this.seen.set(job.path, { path: job.path, text: job.text, key: job.key, left: job.left });
    this.seenChars += job.text.length;
    for (const [path, s] of this.seen) {
      if (this.seen.size <= FEED_REMEMBER_PATHS && this.seenChars <= FEED_REMEMBER_CHARS) break;
      this.seen.delete(path);
      this.seenChars -= s.text.length;
    }
  }
}
