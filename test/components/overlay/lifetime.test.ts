import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTimerRegistry } from '../../../components/overlay/timers';
import { createGuard, OWNER_KEY, supervise, watchLocation, type Guard } from '../../../components/overlay/lifetime';

/** An AbortSignal whose abort listeners we can count (WXT's ctx.setTimeout added one per call). */
function countedSignal() {
  const ac = new AbortController();
  let listeners = 0;
  let adds = 0;
  const add = ac.signal.addEventListener.bind(ac.signal);
  const remove = ac.signal.removeEventListener.bind(ac.signal);
  ac.signal.addEventListener = ((t: string, f: EventListener, o?: AddEventListenerOptions) => {
    if (t === 'abort') {
      listeners++;
      adds++;
    }
    add(t, f, o);
  }) as typeof ac.signal.addEventListener;
  ac.signal.removeEventListener = ((t: string, f: EventListener, o?: EventListenerOptions) => {
    if (t === 'abort') listeners--;
    remove(t, f, o);
  }) as typeof ac.signal.removeEventListener;
  return {
    ac,
    get listeners() {
      return listeners;
    },
    get adds() {
      return adds;
    },
  };
}

describe('timer registry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('forgets a timer when it fires or is cleared; one abort listener for any number of timers', () => {
    const sig = countedSignal();
    const r = createTimerRegistry({ signal: sig.ac.signal });
    expect(sig.listeners).toBe(1);
    const fired: number[] = [];
    for (let i = 0; i < 1000; i++) r.setTimeout(() => fired.push(i), 10 + (i % 7));
    expect(r.size).toBe(1000);
    const id = r.setTimeout(() => fired.push(-1), 5);
    r.clearTimeout(id);
    r.clearTimeout(id); // twice: harmless
    r.clearTimeout('junk');
    vi.advanceTimersByTime(100);
    expect(fired).toHaveLength(1000);
    expect(fired).not.toContain(-1);
    expect(r.size).toBe(0);
    expect(sig.listeners).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort clears every pending timer, removes its own listener and refuses new ones', () => {
    const sig = countedSignal();
    const r = createTimerRegistry({ signal: sig.ac.signal });
    const fn = vi.fn();
    for (let i = 0; i < 10; i++) r.setTimeout(fn, 1000);
    sig.ac.abort();
    expect(r.size).toBe(0);
    expect(r.disposed).toBe(true);
    expect(r.setTimeout(fn, 1)).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    // One listener ever added; it is gone with the abort (once), nothing left holding the registry.
    expect(sig.adds).toBe(1);
  });

  it('a callback that re-arms itself (the ticker) keeps exactly one entry; a throwing one is reported', () => {
    const errors: unknown[] = [];
    const r = createTimerRegistry({ onError: (e) => errors.push(e) });
    let n = 0;
    const loop = () => {
      n++;
      r.setTimeout(loop, 1000);
    };
    r.setTimeout(loop, 1000);
    vi.advanceTimersByTime(3600_000);
    expect(n).toBe(3600);
    expect(r.size).toBe(1);
    r.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    vi.advanceTimersByTime(2);
    expect(errors).toHaveLength(1);
    r.clearAll();
    expect(r.size).toBe(0);
  });
});

describe('guard', () => {
  it('removes its listeners and runs its cleanups once, in reverse order', () => {
    const g = createGuard();
    const target = new EventTarget();
    const fn = vi.fn();
    g.on(target, 'x', fn);
    const order: number[] = [];
    g.onDispose(() => order.push(1));
    g.onDispose(() => order.push(2));
    target.dispatchEvent(new Event('x'));
    g.dispose();
    g.dispose();
    target.dispatchEvent(new Event('x'));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(order).toEqual([2, 1]);
    expect(g.isInvalid).toBe(true);
    // Registered after dispose: runs at once, the listener is never added.
    const late = vi.fn();
    g.onDispose(late);
    expect(late).toHaveBeenCalledTimes(1);
    g.on(target, 'x', fn);
    target.dispatchEvent(new Event('x'));
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

/** A stand-in for WXT's ContentScriptContext: onInvalidated + notifyInvalidated. */
function fakeCtx() {
  const cbs: (() => void)[] = [];
  let invalid = false;
  return {
    onInvalidated: (cb: () => void) => void cbs.push(cb),
    notifyInvalidated() {
      if (invalid) return;
      invalid = true;
      for (const cb of cbs) cb();
    },
  };
}

describe('supervise (WXT context invalidations)', () => {
  let world: Record<string, unknown>;
  let alive: boolean;
  beforeEach(() => {
    vi.useFakeTimers();
    world = {};
    alive = true;
  });
  afterEach(() => vi.useRealTimers());

  /** Each start() registers one "overlay" in `running`, removed when its guard is disposed. */
  function instance(running: Set<string>, name: string) {
    const ctx = fakeCtx();
    let starts = 0;
    const sup = supervise({
      world,
      onContextInvalidated: ctx.onInvalidated,
      runtimeAlive: () => alive,
      start: (g: Guard) => {
        const id = `${name}#${++starts}`;
        running.add(id);
        g.onDispose(() => running.delete(id));
      },
    });
    return { ctx, sup, get starts() { return starts; } };
  }

  it('premature invalidation (runtime alive, nobody newer): the overlay starts again under a fresh guard', () => {
    const running = new Set<string>();
    const a = instance(running, 'a');
    const first = a.sup.guard!;
    expect([...running]).toEqual(['a#1']);
    a.ctx.notifyInvalidated();
    expect(first.isInvalid).toBe(true);
    vi.advanceTimersByTime(0);
    expect([...running]).toEqual(['a#2']);
    expect(a.sup.restarts).toBe(1);
    expect(a.sup.guard).not.toBe(first);
    expect(a.sup.guard!.isInvalid).toBe(false);
    // Still watched: a later update (runtime gone) cleans up.
    alive = false;
    vi.advanceTimersByTime(5000);
    expect(running.size).toBe(0);
    expect(a.sup.stopped).toBe(true);
    expect(world[OWNER_KEY]).toBeUndefined();
  });

  it('invalidation by an update (runtime gone): cleaned up, never restarted', () => {
    const running = new Set<string>();
    const a = instance(running, 'a');
    alive = false;
    a.ctx.notifyInvalidated();
    vi.advanceTimersByTime(10_000);
    expect(running.size).toBe(0);
    expect(a.starts).toBe(1);
    expect(a.sup.stopped).toBe(true);
  });

  it('an update with no invalidation event at all is noticed by the liveness check', () => {
    const running = new Set<string>();
    instance(running, 'a');
    alive = false;
    vi.advanceTimersByTime(5000);
    expect(running.size).toBe(0);
  });

  it('injected twice: the newer instance takes over, the older one stops and does not come back (never two overlays)', () => {
    const running = new Set<string>();
    const a = instance(running, 'a');
    // WXT's new context invalidates the old one from its constructor, then the new main() starts.
    a.ctx.notifyInvalidated();
    const b = instance(running, 'b');
    vi.advanceTimersByTime(0);
    expect([...running]).toEqual(['b#1']);
    vi.advanceTimersByTime(60_000);
    expect([...running]).toEqual(['b#1']);
    expect(a.sup.stopped).toBe(true);
    expect(b.sup.stopped).toBe(false);
    // The same when the new injection does NOT invalidate the old context (WXT #1937 shapes vary).
    instance(running, 'c');
    expect([...running]).toEqual(['c#1']);
    expect(b.sup.stopped).toBe(true);
  });

  it('a restarted instance stops when a newer one is injected later', () => {
    const running = new Set<string>();
    const a = instance(running, 'a');
    a.ctx.notifyInvalidated();
    vi.advanceTimersByTime(0);
    expect([...running]).toEqual(['a#2']);
    instance(running, 'b');
    expect([...running]).toEqual(['b#1']);
    vi.advanceTimersByTime(10_000);
    expect([...running]).toEqual(['b#1']);
  });
});

describe('watchLocation', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls without a Navigation API, one timer at a time, and stops with the guard', () => {
    const g = createGuard();
    const loc = { href: 'https://seller.ozon.ru/app/postings/fbs?tab=a' };
    const seen: string[] = [];
    watchLocation(g, { location: loc } as unknown as Window, (u) => seen.push(u));
    vi.advanceTimersByTime(3000);
    loc.href = 'https://seller.ozon.ru/app/postings/fbs?tab=b';
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['https://seller.ozon.ru/app/postings/fbs?tab=b']);
    expect(g.timers.size).toBe(1);
    g.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses the Navigation API where there is one (listener removed on dispose)', () => {
    const g = createGuard();
    const nav = new EventTarget();
    const seen: string[] = [];
    watchLocation(g, { location: { href: 'https://x/a' }, navigation: nav } as unknown as Window, (u) => seen.push(u));
    const ev = (url: string) => Object.assign(new Event('navigate'), { destination: { url } });
    nav.dispatchEvent(ev('https://x/b'));
    nav.dispatchEvent(ev('https://x/b'));
    g.dispose();
    nav.dispatchEvent(ev('https://x/c'));
    expect(seen).toEqual(['https://x/b']);
  });
});
