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
