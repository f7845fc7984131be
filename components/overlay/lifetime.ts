/**
 * The content script's own lifetime: a guard that owns every listener and
 * timer of one running overlay, and a supervisor that decides what an
 * invalidation of WXT's content-script context means.
 *
 * Why not rely on WXT's context alone: it has been invalidated while the
 * extension was alive — on heavy pages (wxt-dev/wxt #884, #1359) and when the
 * script is injected twice (#1937) — which left the panel without badges
 * until a reload. An invalidation is only final when the runtime is gone (an
 * update, reload or uninstall: `browser.runtime.id` is undefined) or a newer
 * instance of this script took over the page; otherwise the overlay is
 * started again under a fresh guard (docs/architecture.md).
 *
 * One owner per isolated world: every instance registers in a global of the
 * extension's isolated world (shared by every injection of this script, never
 * visible to the page) and stops the previous one before starting, so two
 * instances never badge the same rows.
 */
import { createTimerRegistry, type TimerRegistry } from './timers';

export interface Guard {
  readonly signal: AbortSignal;
  readonly timers: TimerRegistry;
  readonly isInvalid: boolean;
  /** addEventListener bound to this guard: removed when it is disposed. */
  on(target: EventTarget, type: string, fn: (e: Event) => void, opts?: AddEventListenerOptions): void;
  /** Runs once on dispose (in reverse order of registration). */
  onDispose(cb: () => void): void;
  dispose(): void;
}

export interface GuardOptions {
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  onError?(e: unknown): void;
}

export function createGuard(opts: GuardOptions = {}): Guard {
  const ac = new AbortController();
  const timers = createTimerRegistry({ signal: ac.signal, ...opts });
  let cleanups: (() => void)[] = [];
  return {
    signal: ac.signal,
    timers,
    get isInvalid() {
      return ac.signal.aborted;
    },
    on(target, type, fn, o) {
      if (ac.signal.aborted) return;
      // The signal removes it: no bookkeeping of ours per listener.
      target.addEventListener(type, fn, { ...o, signal: ac.signal });
    },
    onDispose(cb) {
      if (ac.signal.aborted) {
        cb();
        return;
      }
      cleanups.push(cb);
    },
    dispose() {
      if (ac.signal.aborted) return;
      ac.abort();
      const list = cleanups.reverse();
      cleanups = [];
      for (const cb of list) {
        try {
          cb();
        } catch (e) {
          opts.onError?.(e);
        }
      }
    },
  };
}

/** The isolated world's slot for the instance that owns the page. */
export const OWNER_KEY = '__ozonOrderGuardOwner';

interface Owner {
  token: string;
  stop(): void;
}

export interface SupervisorEnv {
  /** Subscribes to WXT's context invalidation (ctx.onInvalidated). */
  onContextInvalidated(cb: () => void): void;
  /** False once the extension was updated, reloaded or removed (browser.runtime.id is gone). */
  runtimeAlive(): boolean;
  /** Starts the overlay; everything it registers goes through the guard. */
  start(guard: Guard): void;
  /** Where owners register (the isolated world's globalThis). */
  world?: Record<string, unknown>;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  onError?(e: unknown): void;
  /** How often a restarted overlay checks that the runtime is still there (no WXT context watches it any more). */
  livenessMs?: number;
}

export interface Supervisor {
  readonly guard: Guard | null;
  /** How many times the overlay was started again after an invalidation that was not final. */
  readonly restarts: number;
  readonly stopped: boolean;
  stop(): void;
}

export const LIVENESS_MS = 2000;

export function supervise(env: SupervisorEnv): Supervisor {
  const world = env.world ?? (globalThis as unknown as Record<string, unknown>);
  const setT = env.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  let guard: Guard | null = null;
  let restarts = 0;
  let stopped = false;

  const isOwner = () => (world[OWNER_KEY] as Owner | undefined)?.token === token;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    guard?.dispose();
    guard = null;
    if (isOwner()) delete world[OWNER_KEY];
  };

  const run = () => {
    const g = createGuard({ setTimeout: env.setTimeout, clearTimeout: env.clearTimeout, onError: env.onError });
    guard = g;
    try {
      env.start(g);
    } catch (e) {
      env.onError?.(e);
    }
    watchLiveness(g);
  };

  /**
   * An update leaves the old script running with a dead runtime and nothing
   * fires: WXT only notices inside its own ctx timers, which we no longer use.
   * So the guard polls it (one timer at a time, in the guard's registry).
   */
  function watchLiveness(g: Guard): void {
    const check = () => {
      if (g.isInvalid) return;
      if (!env.runtimeAlive() || !isOwner()) {
        stop();
        return;
      }
      g.timers.setTimeout(check, env.livenessMs ?? LIVENESS_MS);
    };
    g.timers.setTimeout(check, env.livenessMs ?? LIVENESS_MS);
  }

  const onInvalidated = () => {
    if (stopped) return;
    // Synchronously: a newer instance invalidates us from its constructor, before it draws anything.
    guard?.dispose();
    guard = null;
    // Then decide (the newer instance has registered by the next task).
    setT(() => {
      if (stopped) return;
      if (!env.runtimeAlive() || !isOwner()) {
        stop();
        return;
      }
      restarts++;
      run();
    }, 0);
  };

  const prev = world[OWNER_KEY] as Owner | undefined;
  world[OWNER_KEY] = { token, stop } satisfies Owner;
  try {
    prev?.stop();
  } catch (e) {
    env.onError?.(e);
  }
  env.onContextInvalidated(onInvalidated);
  run();

  return {
    get guard() {
      return guard;
    },
    get restarts() {
      return restarts;
    },
    get stopped() {
      return stopped;
    },
    stop,
  };
}

/**
 * URL changes of the SPA (what WXT's `wxt:locationchange` did, but bound to
 * our guard so it survives a restart): the Navigation API where there is one,
 * else a 1 s poll (one timer at a time).
 */
export function watchLocation(guard: Guard, win: Window, onChange: (url: string) => void, pollMs = 1000): void {
  let last = win.location.href;
  const nav = (win as unknown as { navigation?: EventTarget }).navigation;
  if (nav && typeof nav.addEventListener === 'function') {
    guard.on(nav, 'navigate', (e) => {
      const url = (e as Event & { destination?: { url?: string } }).destination?.url;
      if (!url || url === last) return;
      last = url;
      onChange(url);
    });
    return;
  }
  const poll = () => {
    const url = win.location.href;
    if (url !== last) {
      last = url;
      onChange(url);
    }
    guard.timers.setTimeout(poll, pollMs);
  };
  guard.timers.setTimeout(poll, pollMs);
}
