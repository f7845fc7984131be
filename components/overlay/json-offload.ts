/**
 * The page side of the worker that walks the panel's big JSON bodies off the page's main thread
 * (panel/json-offload.ts has the protocol and the worker's program). json-feed.ts hands it a body
 * when `takes` says so and walks the body itself otherwise, or when the worker fails.
 *
 * One body at a time (the feed walks its queue in order). Owns one Worker (made on first use, ended
 * after OFFLOAD_IDLE_MS without a body, so a tab left open all day holds no worker while the panel
 * is quiet), one silence timer and one idle timer; destroy() ends them all.
 *
 * Failure never loses a body: the worker failing to start, an error in it, an answer it cannot
 * deliver, or OFFLOAD_SILENCE_MS without a word while it walks, and the body in hand is handed back
 * (`failed`), to be walked on the page's thread as before; the worker is not used again on this
 * page. When it failed before it ever answered (a page whose Content-Security-Policy forbids blob:
 * workers: the browser then sends the page's CSP report, which names no extension), `blocked` is
 * told, so the overlay can stop trying on that origin (start.ts keeps it; docs/performance.md).
 */
import type { Order } from '../../rules';
import type { JsonOptions } from '../../panel/json';
import type { WalkReply, WalkRequest } from '../../panel/json-offload';
import type { KeyShape } from '../../panel/report-json';

/**
 * Bodies of at least this many characters go to the worker (a posting is ≈ 800): smaller ones
 * (a «Показать ещё» page of a few dozen postings) cost the page a millisecond or two to walk in
 * place, where a worker's round trip would hold their rows' badges back (json-feed.ts kick).
 */
export const OFFLOAD_MIN_CHARS = 64 * 1024;
/** Nothing heard from the worker for this long while it walks a body: it is given up on. */
export const OFFLOAD_SILENCE_MS = 5_000;
/** The worker is ended after this long without a body, and made again for the next one. */
export const OFFLOAD_IDLE_MS = 60_000;

export interface OffloadHandlers {
  /** Orders of the body, as the walk found them (never an empty list). */
  orders(list: Order[]): void;
  /** The body's key structure, when it was asked for. */
  keys(shape: KeyShape): void;
  /** The body is walked to its end. */
  done(): void;
  /** The worker failed: the body is the caller's to walk again, from its start. */
  failed(): void;
}

export interface OffloadEnv {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** A new worker running components/overlay/json-worker.ts (may throw: the page forbids it). */
  make(): Worker;
  /** The worker could not run on this page at all (see above). */
  blocked?(): void;
}

interface InFlight {
  id: number;
  h: OffloadHandlers;
}

export class JsonOffload {
  private worker: Worker | null = null;
  /** Failed on this page (or not allowed on this origin): never tried again. */
  private broken: boolean;
  /** Whether any worker of this page ever answered (a failure after that is not the page's policy). */
  private answered = false;
  private current: InFlight | null = null;
  private nextId = 1;
  private silenceTimer: unknown = undefined;
  private idleTimer: unknown = undefined;
  private destroyed = false;

  constructor(
    private readonly env: OffloadEnv,
    /** False until the overlay knows the worker is allowed on this origin (start.ts reads it from storage). */
    allowed = true,
  ) {
    this.broken = !allowed;
  }

  /** Allows the worker from now on (the origin's stored answer arrived and says yes). */
  allow(): void {
    if (!this.destroyed && !this.answered && this.worker === null) this.broken = false;
  }

  /**
   * Starts the worker ahead of the first body (the overlay runs on a postings page, whose list is
   * coming): its thread and program are ready when the body arrives, instead of holding the rows'
   * badges back by their start-up. Ended like any idle worker (OFFLOAD_IDLE_MS).
   */
  warm(): void {
    if (this.broken || this.destroyed || this.worker !== null) return;
    // No body is in hand without a worker (walk makes one first): an idle worker from the start.
    if (this.ensureWorker()) this.armIdle();
  }

  /** Whether a body of `chars` characters is for the worker (walked when its turn comes, json-feed.ts). */
  takes(chars: number): boolean {
    return !this.broken && !this.destroyed && chars >= OFFLOAD_MIN_CHARS;
  }

  /** Whether a worker is running now (tests, diagnostics). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Starts walking one body in the worker; false when it could not start (the caller walks it in
   * place; `failed` is then not called).
   */
  walk(text: string, opts: JsonOptions, keys: boolean, h: OffloadHandlers): boolean {
    if (this.broken || this.destroyed || this.current !== null) return false;
    const w = this.ensureWorker();
    if (!w) return false;
    const id = this.nextId++;
    this.current = { id, h };
    this.clearIdle();
    // The browser copies the request (structured clone): the caller's options are never shared with the worker.
    const req: WalkRequest = { id, text, opts, keys };
    try {
      w.postMessage(req);
    } catch {
      this.current = null;
      this.fail(false);
      return false;
    }
    this.armSilence();
    return true;
  }

  destroy(): void {
    this.destroyed = true;
    this.current = null;
    this.endWorker();
    this.clearIdle();
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    let w: Worker;
    try {
      w = this.env.make();
    } catch {
      this.fail(true);
      return null;
    }
    w.onmessage = (e) => this.onReply(e.data as WalkReply);
    w.onerror = (e) => {
      // An error inside the worker (or the page refusing its script) is ours to handle: not the page's console.
      e.preventDefault?.();
      this.fail(!this.answered);
    };
    w.onmessageerror = () => this.fail(false);
    this.worker = w;
    return w;
  }

  private onReply(r: WalkReply): void {
    const cur = this.current;
    if (this.destroyed || !cur || typeof r !== 'object' || r === null || r.id !== cur.id) return;
    this.answered = true;
    this.armSilence();
    try {
      if (r.keys !== undefined) cur.h.keys(r.keys);
      if (Array.isArray(r.orders) && r.orders.length) cur.h.orders(r.orders);
    } catch {
      // A handler threw (json-feed.ts guards its own; this is the last line): the body is done with, the worker kept.
    }
    if (r.done && this.current === cur) {
      this.current = null;
      this.clearSilence();
      this.armIdle();
      try {
        cur.h.done();
      } catch {
        /* as above */
      }
    }
  }

  /** The worker is given up on this page; the body in hand goes back to the caller. */
  private fail(beforeAnyAnswer: boolean): void {
    const cur = this.current;
    this.current = null;
    this.broken = true;
    this.endWorker();
    this.clearIdle();
    if (beforeAnyAnswer && !this.answered) {
      try {
        this.env.blocked?.();
      } catch {
        /* a store that cannot be written: tried again on the next page */
      }
    }
    if (cur && !this.destroyed) {
      try {
        cur.h.failed();
      } catch {
        /* as above */
      }
    }
  }

  private endWorker(): void {
    this.clearSilence();
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    w.onmessage = null;
    w.onerror = null;
    w.onmessageerror = null;
    try {
      w.terminate();
    } catch {
      /* already gone */
    }
  }

  private armSilence(): void {
    this.clearSilence();
    this.silenceTimer = this.env.setTimeout(() => {
      this.silenceTimer = undefined;
      if (this.current) this.fail(false);
    }, OFFLOAD_SILENCE_MS);
  }

  private clearSilence(): void {
    if (this.silenceTimer !== undefined) this.env.clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = this.env.setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.current) this.endWorker();
    }, OFFLOAD_IDLE_MS);
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) this.env.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
