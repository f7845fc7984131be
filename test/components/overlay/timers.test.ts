/**
 * pageProofTimers (components/overlay/timers.ts): the overlay's native timers, on a source a page
 * cannot clear by id. Real timers (AbortSignal.timeout is not one vitest's fake clock drives), each
 * a few ms; the browser's side is test/e2e/page-timers.e2e.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTimerRegistry, pageProofTimers } from '../../../components/overlay/timers';

const sleep = (ms: number) => new Promise((r) => globalThis.setTimeout(r, ms));

/** A window's timer pair that records its calls (the fallback); numeric ids, as a browser's are. */
function fakeWin() {
  const calls = { set: 0, clear: 0 };
  const live = new Map<number, ReturnType<typeof globalThis.setTimeout>>();
  let next = 1;
  return {
    calls,
    setTimeout: (fn: () => void, ms: number) => {
      calls.set++;
      const id = next++;
      live.set(id, globalThis.setTimeout(() => (live.delete(id), fn()), ms));
      return id;
    },
    clearTimeout: (id: number) => {
      calls.clear++;
      globalThis.clearTimeout(live.get(id));
      live.delete(id);
    },
  };
}

/** Until `ok()` or ~2 s: a timer's callback comes in a later task, never at an exact time. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await sleep(10);
}

describe('pageProofTimers', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('fires once, after its delay, on AbortSignal.timeout (not the window timers)', async () => {
    const win = fakeWin();
    const t = pageProofTimers(win);
    const fn = vi.fn();
    const started = Date.now();
    t.setTimeout(fn, 20);
    expect(fn).not.toHaveBeenCalled();
    await until(() => fn.mock.calls.length > 0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
    await sleep(30);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(win.calls).toEqual({ set: 0, clear: 0 });
  });

  it('a cleared timer never fires; clearing every numeric id (what a page can do) clears none', async () => {
    const t = pageProofTimers(fakeWin());
    const cleared = vi.fn();
    const kept = vi.fn();
    const a = t.setTimeout(cleared, 5);
    t.setTimeout(kept, 5);
    t.clearTimeout(a);
    // The page's "clear everything" loop, ids from 0 up past the newest.
    const top = globalThis.setTimeout(() => {}, 0) as unknown as number;
    for (let i = 0; i <= Number(top) + 1000; i++) {
      globalThis.clearTimeout(i);
      globalThis.clearInterval(i);
    }
    await until(() => kept.mock.calls.length > 0);
    await sleep(20);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(cleared).not.toHaveBeenCalled();
    // Clearing twice, or something that is not one of ours, is harmless.
    t.clearTimeout(a);
    t.clearTimeout(undefined);
    t.clearTimeout({});
  });

  it('a cleared timer takes its listener off its signal: only pending timers hold one (the soak counts them)', () => {
    const signals: EventTarget[] = [];
    const added = new Map<EventTarget, number>();
    vi.stubGlobal('AbortSignal', {
      timeout: () => {
        const t = new EventTarget();
        const add = t.addEventListener.bind(t);
        const remove = t.removeEventListener.bind(t);
        t.addEventListener = (type: string, l: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean) => {
          added.set(t, (added.get(t) ?? 0) + 1);
          add(type, l, o);
        };
        t.removeEventListener = (type: string, l: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean) => {
          added.set(t, (added.get(t) ?? 0) - 1);
          remove(type, l, o);
        };
        signals.push(t);
        return t;
      },
    });
    const t = pageProofTimers(fakeWin());
    const fn = vi.fn();
    const ids = Array.from({ length: 50 }, () => t.setTimeout(fn, 60_000));
    for (const id of ids.slice(0, 49)) t.clearTimeout(id);
    expect(signals.length).toBe(50);
    expect([...added.values()].reduce((a, b) => a + b, 0)).toBe(1);
    // The one still pending fires; the cleared ones, if their signals fire, do nothing.
    for (const sig of signals) sig.dispatchEvent(new Event('abort'));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a delay that is not a plain number of ms does not throw: NaN and negatives fire at once, a huge one is capped', async () => {
    const t = pageProofTimers(fakeWin());
    const fn = vi.fn();
    for (const ms of [Number.NaN, -5, 0.4]) t.setTimeout(fn, ms);
    const far = vi.fn();
    const id = t.setTimeout(far, Number.POSITIVE_INFINITY);
    await until(() => fn.mock.calls.length === 3);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(far).not.toHaveBeenCalled();
    t.clearTimeout(id);
  });

  it('falls back to the window timers where AbortSignal.timeout is missing, and per call where it throws', async () => {
    const win = fakeWin();
    vi.stubGlobal('AbortSignal', { timeout: undefined });
    const old = pageProofTimers(win);
    const fn = vi.fn();
    const id = old.setTimeout(fn, 1);
    expect(typeof id).toBe('number');
    old.clearTimeout(old.setTimeout(() => {}, 1));
    await until(() => fn.mock.calls.length > 0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(win.calls).toEqual({ set: 2, clear: 1 });
    vi.stubGlobal('AbortSignal', {
      timeout: () => {
        throw new TypeError('refused');
      },
    });
    const throwing = pageProofTimers(win);
    const g = vi.fn();
    throwing.setTimeout(g, 1);
    await until(() => g.mock.calls.length > 0);
    expect(g).toHaveBeenCalledTimes(1);
    expect(win.calls.set).toBe(3);
  });

  it('under the registry: entries are the pending timers, clearAll leaves nothing to fire, a throwing callback is reported', async () => {
    const t = pageProofTimers(fakeWin());
    const onError = vi.fn();
    const reg = createTimerRegistry({ ...t, onError });
    const fired = vi.fn();
    reg.setTimeout(fired, 1);
    reg.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    const later = vi.fn();
    reg.setTimeout(later, 30);
    expect(reg.size).toBe(3);
    await until(() => reg.size === 1);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    reg.clearAll();
    expect(reg.size).toBe(0);
    await sleep(50);
    expect(later).not.toHaveBeenCalled();
  });
});
