/**
 * The ONE clock behind every countdown on the page.
 *
 * Why one: a timer per badge means thousands of timers and thousands of
 * wake-ups a second on a 2,000-row list. Here a single timeout is re-armed
 * after each tick, as rarely as the visible text allows:
 *  - every second while some visible deadline is less than an hour away
 *    (the badge shows "8m 05s" there);
 *  - otherwise at the next wall-clock minute, or earlier when the nearest
 *    deadline is about to enter its last hour (so seconds start on time);
 *  - not at all while the tab is hidden (the page is not looked at; one tick
 *    runs as soon as it is shown again).
 *
 * After the computer sleeps, timers are paused while the wall clock runs on:
 * a tick armed a minute ahead would fire up to a minute after wake, showing
 * countdowns an hour stale. So every sign of wake (visibilitychange, focus,
 * pageshow, online, the page lifecycle's `resume`) compares Date.now() with
 * when the armed tick was due and, if it is overdue (the clock jumped), ticks
 * at once — countdowns, levels and the chip are right on that first tick.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export interface TickerOptions {
  /**
   * Updates everything that depends on the clock. Returns the smallest
   * positive msLeft among the countdowns on screen (Infinity when none), so
   * the ticker knows whether seconds are shown.
   */
  tick(now: number): number;
  now?: () => number;
  /** ctx.setTimeout in the content script, so an invalidated script stops ticking. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  /** Where visibilitychange is listened for; `hidden` is read from it. */
  doc?: {
    readonly hidden: boolean;
    addEventListener(type: 'visibilitychange', fn: () => void): void;
    removeEventListener(type: 'visibilitychange', fn: () => void): void;
  };
  /** Where focus / pageshow / online are listened for (wake signs besides visibilitychange). */
  win?: {
    addEventListener(type: string, fn: () => void): void;
    removeEventListener(type: string, fn: () => void): void;
  };
  /** Called when tick() throws; the ticker keeps going. */
  onError?(e: unknown): void;
}

/** An armed tick this late (ms) means the timers were paused: the machine slept or the tab was frozen. */
export const JUMP_MS = 2 * SECOND;
const WAKE_WIN_EVENTS = ['focus', 'pageshow', 'online'] as const;

/** The delay until the next tick, given the nearest positive msLeft on screen. */
export function nextDelay(now: number, nearestMsLeft: number): number {
  if (nearestMsLeft > 0 && nearestMsLeft <= HOUR) {
    // Land just after the second boundary of the deadline itself, so "8m 05s" steps evenly.
    const intoSecond = nearestMsLeft % SECOND;
    return Math.max(50, intoSecond === 0 ? SECOND : intoSecond) + 5;
  }
  let delay = MINUTE - (now % MINUTE) + 5;
  if (Number.isFinite(nearestMsLeft) && nearestMsLeft > HOUR) {
    // Wake when the countdown crosses into its last hour, not up to a minute later.
    delay = Math.min(delay, nearestMsLeft - HOUR + 5);
  }
  return Math.max(50, delay);
}

export interface Ticker {
  start(): void;
  stop(): void;
  /** Tick now and reschedule (new badges, settings changed, tab shown). */
  poke(): void;
  /**
   * Tick within `ms` (the same one timer, brought forward; never later than
   * armed): rows arriving in many small batches share one tick instead of a
   * full tick each.
   */
  soon(ms: number): void;
  /** The delay the ticker armed last (for tests and the bench). */
  readonly lastDelay: number;
  /** Clock jumps noticed (a tick ran more than JUMP_MS after it was due). */
  readonly jumps: number;
  /** A wake sign: ticks now if the armed tick is overdue (the clock jumped), else nothing. */
  wake(): void;
  readonly running: boolean;
}

export function createTicker(opts: TickerOptions): Ticker {
  const now = opts.now ?? (() => Date.now());
  const setT = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((id) => globalThis.clearTimeout(id as number));
  const doc = opts.doc ?? (typeof document !== 'undefined' ? document : undefined);
  let timer: unknown = null;
  let running = false;
  let lastDelay = 0;
  /** When the armed tick should run (wall clock), NaN when none is armed. */
  let dueAt = NaN;
  let jumps = 0;

  const disarm = () => {
    if (timer !== null) clearT(timer);
    timer = null;
  };

  const run = () => {
    timer = null;
    if (!running) return;
    if (doc?.hidden) {
      dueAt = NaN;
      return; // visibilitychange re-arms
    }
    const t = now();
    if (t - dueAt > JUMP_MS) jumps++;
    let nearest = Infinity;
    try {
      nearest = opts.tick(t);
    } catch (e) {
      opts.onError?.(e);
    }
    lastDelay = nextDelay(t, nearest);
    dueAt = t + lastDelay;
    timer = setT(run, lastDelay);
  };

  const onWake = () => {
    if (!running || doc?.hidden) return;
    // Only when the clock ran past the armed tick: a focus click on a live page costs nothing.
    if (timer === null || now() - dueAt > JUMP_MS) {
      disarm();
      run();
    }
  };

  const onVisibility = () => {
    if (!running) return;
    disarm();
    if (!doc?.hidden) run();
  };

  return {
    start() {
      if (running) return;
      running = true;
      doc?.addEventListener('visibilitychange', onVisibility);
      (doc as { addEventListener?: (t: string, f: () => void) => void } | undefined)?.addEventListener?.('resume', onWake);
      for (const ev of WAKE_WIN_EVENTS) opts.win?.addEventListener(ev, onWake);
      run();
    },
    stop() {
      running = false;
      disarm();
      doc?.removeEventListener('visibilitychange', onVisibility);
      (doc as { removeEventListener?: (t: string, f: () => void) => void } | undefined)?.removeEventListener?.('resume', onWake);
      for (const ev of WAKE_WIN_EVENTS) opts.win?.removeEventListener(ev, onWake);
      dueAt = NaN;
    },
    poke() {
      if (!running) return;
      disarm();
      run();
    },
    soon(ms) {
      // Hidden: visibilitychange ticks when the tab is shown.
      if (!running || doc?.hidden) return;
      const at = now() + ms;
      if (timer !== null && dueAt <= at) return;
      disarm();
      dueAt = at;
      timer = setT(run, ms);
    },
    get lastDelay() {
      return lastDelay;
    },
    get jumps() {
      return jumps;
    },
    wake: onWake,
    get running() {
      return running;
    },
  };
}
