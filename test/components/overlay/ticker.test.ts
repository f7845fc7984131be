import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTicker, HOUR, MINUTE, nextDelay, SECOND } from '../../../components/overlay/ticker';

/** A document stand-in whose `hidden` the test flips. */
function fakeDoc() {
  const listeners = new Set<() => void>();
  return {
    hidden: false,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    fire() {
      for (const l of listeners) l();
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

describe('nextDelay', () => {
  it('ticks every second while a visible deadline is under an hour away (D5 last hour shows seconds)', () => {
    expect(nextDelay(0, 30 * MINUTE)).toBeLessThanOrEqual(SECOND + 5);
    expect(nextDelay(0, 30 * MINUTE + 300)).toBe(305);
  });
  it('otherwise waits for the next wall-clock minute', () => {
    const now = Date.UTC(2026, 0, 1, 10, 0, 20);
    expect(nextDelay(now, 5 * HOUR)).toBe(40 * SECOND + 5);
    expect(nextDelay(now, Infinity)).toBe(40 * SECOND + 5);
  });
  it('wakes when the nearest deadline enters its last hour, not up to a minute late', () => {
    const now = Date.UTC(2026, 0, 1, 10, 0, 0);
    expect(nextDelay(now, HOUR + 10 * SECOND)).toBe(10 * SECOND + 5);
  });
  it('overdue deadlines (negative msLeft) do not force per-second ticks', () => {
    expect(nextDelay(Date.UTC(2026, 0, 1, 10, 0, 0), -5 * MINUTE)).toBe(MINUTE + 5);
  });
});

describe('createTicker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 0, 1, 10, 0, 0));
  });
  afterEach(() => vi.useRealTimers());

  it('ticks per minute when every deadline is far, per second under an hour', () => {
    let nearest = 5 * HOUR;
    const tick = vi.fn(() => nearest);
    const doc = fakeDoc();
    const t = createTicker({ tick, doc });
    t.start();
    expect(tick).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(59 * SECOND);
    expect(tick).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2 * SECOND);
    expect(tick).toHaveBeenCalledTimes(2);
    nearest = 10 * MINUTE;
    t.poke();
    const before = tick.mock.calls.length;
    vi.advanceTimersByTime(10 * SECOND);
    expect(tick.mock.calls.length - before).toBeGreaterThanOrEqual(9);
    expect(tick.mock.calls.length - before).toBeLessThanOrEqual(11);
    t.stop();
  });

  it('soon(ms) brings the one armed tick forward, shared by calls until it runs, never later than armed', () => {
    const tick = vi.fn(() => 5 * HOUR);
    const doc = fakeDoc();
    const t = createTicker({ tick, doc });
    t.start();
    expect(tick).toHaveBeenCalledTimes(1);
    t.soon(100);
    t.soon(100);
    vi.advanceTimersByTime(50);
    t.soon(100); // already due within 100 ms: not pushed back
    vi.advanceTimersByTime(60);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(1);
    // Armed a minute ahead again; soon() with a longer wait than armed changes nothing.
    t.soon(10 * MINUTE);
    vi.advanceTimersByTime(61 * SECOND);
    expect(tick).toHaveBeenCalledTimes(3);
    doc.hidden = true;
    t.soon(100);
    vi.advanceTimersByTime(200);
    t.stop();
  });

  it('pauses while the tab is hidden and ticks at once when shown again', () => {
    const tick = vi.fn(() => 10 * MINUTE);
    const doc = fakeDoc();
    const t = createTicker({ tick, doc });
    t.start();
    doc.hidden = true;
    doc.fire();
    const n = tick.mock.calls.length;
    vi.advanceTimersByTime(5 * MINUTE);
    expect(tick.mock.calls.length).toBe(n);
    doc.hidden = false;
    doc.fire();
    expect(tick.mock.calls.length).toBe(n + 1);
    t.stop();
    expect(doc.listenerCount).toBe(0);
  });

  it('keeps ticking after tick() throws, reporting the error', () => {
    const onError = vi.fn();
    let calls = 0;
    const t = createTicker({
      tick: () => {
        calls++;
        throw new Error('boom');
      },
      doc: fakeDoc(),
      onError,
    });
    t.start();
    vi.advanceTimersByTime(2 * MINUTE + SECOND);
    expect(calls).toBe(3);
    expect(onError).toHaveBeenCalled();
    t.stop();
  });

  it('stop() leaves no timer behind', () => {
    const tick = vi.fn(() => 10 * MINUTE);
    const t = createTicker({ tick, doc: fakeDoc() });
    t.start();
    t.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(HOUR);
    expect(tick).toHaveBeenCalledTimes(1);
  });
});
