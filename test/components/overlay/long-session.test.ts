/**
 * A panel tab left open all day, on a fake clock: the controller wired the
 * way the content script wires it (one guard, one timer registry), a list
 * that keeps replacing rows, re-rendering and re-sending its JSON, and the
 * machine going to sleep. Nothing may grow; nothing may be stale after wake.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BadgeController, type ControllerEnv } from '../../../components/overlay/controller';
import { formatCountdown } from '../../../components/badge/countdown';
import { badgeOf, badgeText } from '../../../components/badge/badge';
import { createGuard, supervise, type Guard } from '../../../components/overlay/lifetime';
import { bodyMessage, messageEvent, postingsBody } from '../../helpers/bridge';
import { H, MIN, NOW, URL_LIST, rowHtml, tableHtml } from '../../helpers/overlay-page';
import { controllerEnv, fakeClockEach } from '../../helpers/overlay-env';


/** The content script's wiring: every timer through the one guard's registry. */
function envFor(guard: Guard): ControllerEnv {
  return controllerEnv({
    setTimeout: (fn, ms) => guard.timers.setTimeout(fn, ms),
    clearTimeout: (id) => guard.timers.clearTimeout(id),
  });
}

/** Net listeners added to window and document (by type), through the real methods. */
function countListeners() {
  const net = new Map<string, number>();
  const spies: { restore(): void }[] = [];
  for (const target of [window, document] as EventTarget[]) {
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    target.addEventListener = function (this: EventTarget, type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | AddEventListenerOptions) {
      net.set(type, (net.get(type) ?? 0) + 1);
      const signal = typeof o === 'object' ? o.signal : undefined;
      signal?.addEventListener('abort', () => net.set(type, (net.get(type) ?? 0) - 1), { once: true });
      return add.call(this, type, fn, o);
    } as typeof add;
    target.removeEventListener = function (this: EventTarget, type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | EventListenerOptions) {
      net.set(type, (net.get(type) ?? 0) - 1);
      return remove.call(this, type, fn, o);
    } as typeof remove;
    spies.push({ restore: () => ((target.addEventListener = add), (target.removeEventListener = remove)) });
  }
  return {
    total: () => [...net.values()].reduce((a, b) => a + b, 0),
    restore: () => spies.forEach((s) => s.restore()),
  };
}

const hosts = () => [...document.querySelectorAll('ozon-guard-badge')];
const rows = () => [...document.querySelectorAll('#tb tr')];
const oneBadgePerRow = () => rows().every((r) => r.querySelectorAll('ozon-guard-badge').length === 1);

describe('a tab open for 24 hours (fake clock)', () => {
  fakeClockEach(NOW);

  it('ticks, slices and debounces for a day with live timers, listeners and caches flat', async () => {
    const listeners = countListeners();
    const guard = createGuard();
    let seq = 0;
    let seen = 0;
    // New postings 20 min to 4 h from their deadline: the ticker runs every second whenever one
    // is inside its last hour, every minute otherwise, and rows go overdue on the way.
    const fresh = () => {
      seq++;
      seen++;
      const n = `${String(30_000_000 + seq)}-0001-1`;
      const ship = Math.floor((Date.now() + (seq % 499 === 0 ? 20 * MIN : 100 * MIN + (seq % 7) * 25 * MIN)) / MIN) * MIN;
      return { n, ship };
    };
    let items = Array.from({ length: 40 }, fresh);
    const renderAll = () => {
      document.body.innerHTML = tableHtml(items.map((p) => rowHtml(p.n, p.ship)));
    };
    const sendJson = () => {
      const body = postingsBody(items.map((p) => ({ postingNumber: p.n, status: 'awaiting_packaging', shipBy: new Date(p.ship).toISOString() })));
      c.onBridgeMessage(messageEvent(bodyMessage(body)));
    };
    renderAll();
    const c = new BadgeController(envFor(guard));
    guard.onDispose(() => c.destroy());
    const tickSpy = vi.spyOn(c, 'tick');
    c.navigate(URL_LIST);
    sendJson();

    const snapshot = () => ({ timers: guard.timers.size, pending: vi.getTimerCount(), listeners: listeners.total(), badges: c.badges.size });
    const STEP = 10 * MIN;
    const samples: ReturnType<typeof snapshot>[] = [];
    let maxTimers = 0;
    let maxJson = 0;
    for (let t = 0; t < 24 * H; t += STEP) {
      // Five rows replaced by new postings; every 30 min the whole list re-rendered; every 20 min a new list and its JSON.
      for (let k = 0; k < 5; k++) {
        const i = (seq * 7 + k * 13) % items.length;
        items[i] = fresh();
        const tmp = document.createElement('tbody');
        tmp.innerHTML = rowHtml(items[i]!.n, items[i]!.ship);
        rows()[i]!.replaceWith(tmp.firstElementChild!);
      }
      if (t % (30 * MIN) === 0) renderAll();
      if (t % (20 * MIN) === 0) {
        // A new list (another tab): new postings, new rows.
        items = items.map(() => fresh());
        renderAll();
        sendJson();
      }
      await vi.advanceTimersByTimeAsync(STEP);
      maxTimers = Math.max(maxTimers, guard.timers.size);
      maxJson = Math.max(maxJson, c.json.size);
      if (t % H === 0) samples.push(snapshot());
      expect(c.json.size).toBeLessThanOrEqual(c.cacheCap());
      // Per-row bookkeeping (the posting index, rows waiting for JSON, watched countdowns): never more than the rows.
      const held = c.holding;
      expect(held.indexed).toBeLessThanOrEqual(held.badges);
      expect(held.waiting + held.watched).toBeLessThanOrEqual(2 * Math.max(held.badges, 40));
    }
    await vi.advanceTimersByTimeAsync(2000);
    const end = snapshot();
    expect(seen).toBeGreaterThan(2000);
    // The ticker ran all day: at least once a minute.
    expect(tickSpy.mock.calls.length).toBeGreaterThanOrEqual(24 * 60);
    // Every row still badged, exactly once.
    expect(hosts()).toHaveLength(40);
    expect(oneBadgePerRow()).toBe(true);
    // Flat: the same at hour 1 and hour 24; a handful of live timers at most (ticker, settle, send debounce).
    expect(end.listeners).toBe(samples[1]!.listeners);
    expect(end.timers).toBeLessThanOrEqual(3);
    expect(maxTimers).toBeLessThanOrEqual(4);
    expect(end.pending).toBe(end.timers);
    expect(end.badges).toBe(40);
    for (const s of samples.slice(1)) expect(s.listeners).toBe(samples[1]!.listeners);
    // Caches: proportional to the rows, not to the postings seen.
    expect(maxJson).toBeLessThanOrEqual(c.cacheCap());
    expect(c.cacheCap()).toBeLessThan(seen / 5);
    // The countdowns are right at the end of the day.
    for (const h of hosts()) {
      const b = badgeOf(h)!;
      expect(badgeText(h)).toContain(formatCountdown(b.dueMs - Date.now()).slice(0, 3));
    }
    guard.dispose();
    expect(guard.timers.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners.total()).toBe(0);
    expect(hosts()).toHaveLength(0);
    listeners.restore();
  }, 120_000);
});

describe('the computer sleeps for an hour (timers paused, clock jumped)', () => {
  fakeClockEach(NOW);

  it('the first tick after wake corrects every countdown, level and the chip', () => {
    const ok3h = Math.floor((NOW + 170 * MIN) / MIN) * MIN; // ok → at_risk (~1 h 50 min left)
    const risk80 = Math.floor((NOW + 80 * MIN) / MIN) * MIN; // at_risk → critical (~20 min)
    const crit50 = Math.floor((NOW + 50 * MIN) / MIN) * MIN; // at_risk → overdue
    document.body.innerHTML = tableHtml([rowHtml('12345678-0001-1', ok3h), rowHtml('12345678-0002-1', risk80), rowHtml('12345678-0003-1', crit50)]);
    const guard = createGuard();
    const c = new BadgeController(envFor(guard));
    c.navigate(URL_LIST);
    const level = (n: string) => document.querySelector(`[data-posting="${n}"]`)!.getAttribute('data-level');
    const chip = () => document.querySelector('ozon-guard-chip')!;
    expect([level('12345678-0001-1'), level('12345678-0002-1'), level('12345678-0003-1')]).toEqual(['ok', 'at_risk', 'at_risk']);
    expect(chip().getAttribute('data-overdue')).toBe('0');
    expect(chip().getAttribute('data-at-risk')).toBe('2');

    // Lid closed: no timer runs, the wall clock moves an hour.
    vi.setSystemTime(NOW + H);
    // Lid opened: the window gets focus before any paused timer fires.
    window.dispatchEvent(new Event('focus'));

    expect([level('12345678-0001-1'), level('12345678-0002-1'), level('12345678-0003-1')]).toEqual(['at_risk', 'critical', 'overdue']);
    expect(chip().getAttribute('data-overdue')).toBe('1');
    expect(chip().getAttribute('data-at-risk')).toBe('2');
    for (const h of hosts()) {
      const b = badgeOf(h)!;
      expect(badgeText(h)).toContain(formatCountdown(b.dueMs - Date.now()));
    }
    guard.dispose();
  });

  it('a focus on a live page (no jump) does not tick again; visibilitychange and resume wake it too', () => {
    document.body.innerHTML = tableHtml([rowHtml('12345678-0002-1', Math.floor((NOW + 80 * MIN) / MIN) * MIN)]);
    const guard = createGuard();
    const c = new BadgeController(envFor(guard));
    const tick = vi.spyOn(c, 'tick');
    c.navigate(URL_LIST);
    const before = tick.mock.calls.length;
    window.dispatchEvent(new Event('focus'));
    expect(tick.mock.calls.length).toBe(before);
    vi.setSystemTime(NOW + H);
    document.dispatchEvent(new Event('resume'));
    expect(tick.mock.calls.length).toBe(before + 1);
    expect(document.querySelector('ozon-guard-badge')!.getAttribute('data-level')).toBe('critical');
    guard.dispose();
  });
});

describe('premature invalidation of the content-script context (real controller)', () => {
  fakeClockEach(NOW);
  beforeEach(() => {
    document.body.innerHTML = tableHtml([rowHtml('12345678-0001-1', NOW + 5 * H), rowHtml('12345678-0002-1', NOW + 90 * MIN)]);
  });

  function inject(world: Record<string, unknown>, alive: () => boolean) {
    const cbs: (() => void)[] = [];
    const sup = supervise({
      world,
      onContextInvalidated: (cb) => void cbs.push(cb),
      runtimeAlive: alive,
      start: (g) => {
        const c = new BadgeController(envFor(g));
        g.onDispose(() => c.destroy());
        c.navigate(URL_LIST);
      },
    });
    return { sup, invalidate: () => cbs.forEach((cb) => cb()) };
  }

  it('invalidated while the runtime is alive: badges come back, one per row', async () => {
    const world = {};
    const a = inject(world, () => true);
    expect(hosts()).toHaveLength(2);
    a.invalidate();
    await vi.advanceTimersByTimeAsync(50);
    expect(a.sup.restarts).toBe(1);
    expect(hosts()).toHaveLength(2);
    expect(oneBadgePerRow()).toBe(true);
    // The restarted overlay is live: a new row gets its badge.
    document.querySelector('#tb')!.insertAdjacentHTML('beforeend', rowHtml('12345678-0003-1', NOW + 2 * H));
    await vi.advanceTimersByTimeAsync(200);
    expect(hosts()).toHaveLength(3);
    expect(oneBadgePerRow()).toBe(true);
    a.sup.stop();
    expect(hosts()).toHaveLength(0);
  });

  it('injected twice: exactly one badge per row, from the newer instance only', async () => {
    const world = {};
    const a = inject(world, () => true);
    a.invalidate(); // WXT's newer context stops the old one first
    const b = inject(world, () => true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.sup.stopped).toBe(true);
    expect(hosts()).toHaveLength(2);
    expect(oneBadgePerRow()).toBe(true);
    b.sup.stop();
  });

  it('an update (runtime gone): every badge leaves and none comes back', async () => {
    let alive = true;
    const a = inject({}, () => alive);
    alive = false;
    a.invalidate();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hosts()).toHaveLength(0);
    expect(document.querySelector('ozon-guard-chip')).toBeNull();
  });
});

describe('the JSON cache is sized by the page, not by the session', () => {
  // performance.now faked too: the feed's slices (json-feed.ts) end by the clock, and a loaded CI
  // machine once walked the 40-posting body in two of them where the test awaits one.
  fakeClockEach(NOW, { performance: true });
  beforeEach(() => {
    document.body.innerHTML = tableHtml([]);
  });

  const batch = (from: number, n: number) =>
    bodyMessage(
      postingsBody(
        Array.from({ length: n }, (_, i) => ({
          postingNumber: `${40_000_000 + from + i}-0001-1`,
          status: 'awaiting_packaging',
          shipBy: new Date(NOW + 5 * H).toISOString(),
        })),
      ),
    );

  it('a 5,000-posting page in five responses before its rows: all kept; later a 40-posting list: trimmed to its bound', async () => {
    const guard = createGuard();
    const c = new BadgeController(envFor(guard));
    c.navigate(URL_LIST);
    const post = (data: unknown) => c.onBridgeMessage(messageEvent(data));
    for (let k = 0; k < 5; k++) {
      post(batch(k * 1000, 1000));
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(c.json.size).toBe(5000);
    await vi.advanceTimersByTimeAsync(60_000);
    post(batch(10_000, 40));
    await vi.advanceTimersByTimeAsync(0); // the feed walks in a task of its own (json-feed.ts)
    expect(c.json.size).toBeLessThanOrEqual(c.cacheCap());
    expect(c.cacheCap()).toBe(100 + 2 * 40);
    // The newest response is the one kept.
    expect(c.json.has('40010039-0001-1')).toBe(true);
    guard.dispose();
  });
});
