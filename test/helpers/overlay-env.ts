/**
 * How the overlay's unit tests wire the controller (happy-dom, on a fake clock): one
 * environment and one clock set-up for the controller, page-zone, report, parts and
 * long-session tests, so each test shows only what it watches or wires differently.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { ControllerEnv } from '../../components/overlay/state';

/**
 * The controller's environment: this document and window, Date.now, the global (fake)
 * timers, a send that resolves, errors thrown into the test, warnings dropped. `over`
 * replaces what a test records or routes elsewhere (send, warn, a timer registry).
 */
export function controllerEnv(over: Partial<ControllerEnv> = {}): ControllerEnv {
  return {
    doc: document,
    win: window,
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as number),
    send: () => Promise.resolve(),
    onError: (e) => {
      throw e;
    },
    warn: () => {},
    ...over,
  };
}

/**
 * Around each test of the calling describe block (or file): fake setTimeout, clearTimeout
 * and Date set to `now` before; real timers and an empty body after. Call it before the
 * block's own hooks: vitest runs after-hooks last-registered first, so the block's own
 * clean-up (destroying its controller) still runs on the fake clock, before this one.
 * `performance` fakes performance.now as well: work cut in slices of real time (the JSON
 * feed's FEED_SLICE_MS) then takes as many slices on a loaded machine as on an idle one.
 */
export function fakeClockEach(now: number, opts: { performance?: boolean } = {}): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', ...(opts.performance ? (['performance'] as const) : [])] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });
}
