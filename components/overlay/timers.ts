/**
 * The ONE timer registry of the content script.
 *
 * Why not WXT's `ctx.setTimeout`: it adds an `abort` listener to the
 * context's signal for every call and never removes it once the timer has
 * fired, so a page open all day (a countdown tick a second, a slice and a
 * debounce per re-render) collected hundreds of thousands of listeners and
 * the closures they hold (docs/architecture.md; README, Reliability).
 *
 * Here a timer lives in one Map from the moment it is armed until it fires or
 * is cleared — never longer — and the whole registry is cleared by ONE abort
 * listener (or by `clearAll()`): the number of live entries is the number of
 * timers actually pending (a handful), whatever the session length.
 */

export interface TimerRegistry {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: unknown): void;
  /** Timers armed and not yet fired or cleared. */
  readonly size: number;
  /** Clears every pending timer; later setTimeout calls are refused (return 0). */
  clearAll(): void;
  readonly disposed: boolean;
}

export interface TimerRegistryOptions {
  /** One listener on it clears everything when it aborts. */
  signal?: AbortSignal;
  /** The native timer functions (the window's in the content script; fakes in tests). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  /** A callback that throws is reported here and never reaches the page. */
  onError?(e: unknown): void;
}

export function createTimerRegistry(opts: TimerRegistryOptions = {}): TimerRegistry {
  const setT = opts.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((id: unknown) => globalThis.clearTimeout(id as number));
  /** Our handle → the native id. Handles are never reused, so a stale clear is harmless. */
  const live = new Map<number, unknown>();
  let nextHandle = 1;
  let disposed = false;

  const clearAll = () => {
    disposed = true;
    for (const id of live.values()) clearT(id);
    live.clear();
    opts.signal?.removeEventListener('abort', clearAll);
  };
  if (opts.signal?.aborted) disposed = true;
  else opts.signal?.addEventListener('abort', clearAll, { once: true });

  return {
    setTimeout(fn, ms) {
      if (disposed) return 0;
      const h = nextHandle++;
      const id = setT(() => {
        // Forget first: a callback that re-arms (the ticker) adds a new entry, never keeps the old one.
        if (!live.delete(h) || disposed) return;
        try {
          fn();
        } catch (e) {
          opts.onError?.(e);
        }
      }, ms);
      live.set(h, id);
      return h;
    },
    clearTimeout(h) {
      if (typeof h !== 'number') return;
      const id = live.get(h);
      if (id === undefined) return;
      live.delete(h);
      clearT(id);
    },
    get size() {
      return live.size;
    },
    clearAll,
    get disposed() {
      return disposed;
    },
  };
}

/** The native pair the registry runs on (TimerRegistryOptions). */
export interface NativeTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** A timer on AbortSignal.timeout: its callback, forgotten when cleared; the signal held while it is pending. */
interface Slot {
  fn: (() => void) | null;
  signal: AbortSignal;
  listener: () => void;
}

/** setTimeout's own ceiling (a longer delay overflows and fires at once there); AbortSignal.timeout refuses NaN and negatives. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Native timers the page cannot clear.
 *
 * Why: in Chromium a content script's `setTimeout` ids come from the page's own id space (one per
 * window), so a panel script that clears "every timer" (`for (let i = 0; i < top; i++)
 * clearTimeout(i)`, a pattern of some SPA route-change code) clears the overlay's too: the ticker
 * stops and every countdown freezes, a backlog of rows is never read (test/e2e/page-timers.e2e.ts
 * shows it against the window's timers). `AbortSignal.timeout()` runs on the same timer task source
 * but hands out no id, so nothing outside this script can cancel it. A signal cannot be cancelled
 * either: clearing one of ours takes its listener off (and forgets the callback), so the signal
 * lapses at its own time with nothing of ours on it. Only pending timers hold a listener: the
 * page's listener count (the soak's `jsEventListeners`, bench/soak.mjs) stays the handful the
 * overlay has armed, however often it re-arms the ticker or a debounce.
 *
 * `win`: the window whose timers are the fallback, per call where AbortSignal.timeout throws and
 * for the whole page where it is missing (Chrome < 103, Firefox < 100).
 */
export function pageProofTimers(win: { setTimeout(fn: () => void, ms: number): number; clearTimeout(id: number): void }): NativeTimers {
  const AS = (globalThis as { AbortSignal?: { timeout?: (ms: number) => AbortSignal } }).AbortSignal;
  const timeout = typeof AS?.timeout === 'function' ? AS.timeout.bind(AS) : undefined;
  return {
    setTimeout(fn, ms) {
      if (timeout) {
        const d = Math.min(MAX_DELAY_MS, Math.max(0, Math.floor(ms) || 0));
        try {
          const slot: Slot = {
            fn,
            signal: timeout(d),
            listener: () => {
              const f = slot.fn;
              slot.fn = null;
              if (f) f();
            },
          };
          slot.signal.addEventListener('abort', slot.listener, { once: true });
          return slot;
        } catch {
          /* this call on the window's timer */
        }
      }
      return win.setTimeout(fn, ms);
    },
    clearTimeout(id) {
      if (typeof id === 'number') win.clearTimeout(id);
      else if (id !== null && typeof id === 'object' && 'listener' in id) {
        const slot = id as Slot;
        slot.fn = null;
        slot.signal.removeEventListener('abort', slot.listener);
      }
    },
  };
}
