/**
 * The page side of the worker that walks the panel's big JSON bodies off the page's main thread
 * (panel/json-offload.ts has the protocol and the worker's program). json-feed.ts hands it a body
 * when `takes` says so and walks the body itself otherwise, or when the worker fails.
 *
 * One body at a time (the feed walks its queue in order). Owns one Worker (made on first use, ended
 * after OFFLOAD_IDLE_MS without a body, so a tab left open all day holds no worker while the panel
 * is quiet), one silence timer, one idle timer and one timer for a body held while the origin's
 * answer is pending; destroy() ends them all.
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
/** A body handed over before the origin's stored answer came waits this long for it, then is walked on the page. */
export const PENDING_MAX_MS = 1_000;
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
  /** The worker took its first body on this page (storage/offload.ts remembers it: warm). */
  used?(): void;
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
  /** Whether `used` was told on this page. */
  private usedTold = false;

  /**
   * Whether the origin's stored answer (allowed or not: start.ts reads it from storage) is still on
   * its way. A body handed over meanwhile is held (`held`) and posted when the answer is yes, given
   * back to be walked on the page when it is no or later than PENDING_MAX_MS. Before, such a body
   * was walked on the page at once, and the panel's first list body can come before that answer (it
   * did in a fresh browser: test/e2e/json-worker.e2e.ts).
   */
  private pending: boolean;
  private held: WalkRequest | null = null;
  private pendingTimer: unknown = undefined;

  constructor(
    private readonly env: OffloadEnv,
    /** False until the overlay knows the worker is allowed on this origin (`allow` / `deny`). */
    allowed = true,
  ) {
    this.broken = false;
    this.pending = !allowed;
  }

  /** The origin's stored answer says yes: the worker may run (a body held meanwhile goes to it now). */
  allow(): void {
    if (this.destroyed || !this.pending) return;
    this.pending = false;
    this.clearPending();
    const req = this.held;
    this.held = null;
    if (!req || !this.current) return;
    // Failures from here on go through `fail`, which gives the held body back (`failed`): it was taken.
    const w = this.ensureWorker();
    if (w) this.post(w, req, true);
  }

  /** The origin's stored answer says no (its CSP forbade the worker before): never tried on this page. */
  deny(): void {
    if (this.destroyed || !this.pending) return;
    this.pending = false;
    this.broken = true;
    this.giveBack();
  }

  /**
   * Starts the worker ahead of the first body (the overlay runs on a postings page, whose list is
   * coming): its thread and program are ready when the body arrives, instead of holding the rows'
   * badges back by their start-up. Ended like any idle worker (OFFLOAD_IDLE_MS). Called only where
   * big bodies came lately (start.ts, storage/offload.ts); elsewhere the first big body makes it.
   */
  warm(): void {
    if (this.broken || this.pending || this.destroyed || this.worker !== null) return;
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
    if (this.pending) {
      const id = this.nextId++;
      this.current = { id, h };
      this.held = { id, text, opts, keys };
      this.clearIdle();
      this.pendingTimer = this.env.setTimeout(() => {
        this.pendingTimer = undefined;
        this.giveBack();
      }, PENDING_MAX_MS);
      return true;
    }
    const w = this.ensureWorker();
    if (!w) return false;
    const id = this.nextId++;
    this.current = { id, h };
    this.clearIdle();
    // The browser copies the request (structured clone): the caller's options are never shared with the worker.
    return this.post(w, { id, text, opts, keys }, false);
  }

  /**
   * The request to the worker. `taken`: the caller was already told the body is the worker's (a held
   * body), so a failure to post gives it back (`failed`); otherwise walk() answers false instead.
   */
  private post(w: Worker, req: WalkRequest, taken: boolean): boolean {
    try {
      w.postMessage(req);
    } catch {
      if (!taken) this.current = null;
      this.fail(false);
      return false;
    }
    this.armSilence();
    if (!this.usedTold) {
      this.usedTold = true;
      try {
        this.env.used?.();
      } catch {
        /* a store that cannot be written: the worker is simply not started ahead next time */
      }
    }
    return true;
  }

  /** A held body goes back to the caller, to be walked on the page (`failed`). */
  private giveBack(): void {
    this.clearPending();
    const cur = this.current;
    this.held = null;
    this.current = null;
    if (!cur || this.destroyed) return;
    try {
      cur.h.failed();
    } catch {
      /* json-feed.ts guards its own */
    }
  }

  private clearPending(): void {
    if (this.pendingTimer !== undefined) this.env.clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
  }

  destroy(): void {
    this.destroyed = true;
    this.current = null;
    this.held = null;
    this.clearPending();
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
