/**
 * Each part of the overlay (components/overlay/: json-cache, sender,
 * layout-watch, rows, scan, clock, card-control, chip-control) owns its
 * listeners and timers and frees them in destroy(): after it, no listener it
 * added is left on any target, no timer of it is pending, and nothing of
 * ours is left in the page.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTimerRegistry, type TimerRegistry } from '../../../components/overlay/timers';
import { OverlayState, type ControllerEnv } from '../../../components/overlay/state';
import { JsonCache, JSON_WAIT_MS } from '../../../components/overlay/json-cache';
import { Sender } from '../../../components/overlay/sender';
import { LayoutWatch } from '../../../components/overlay/layout-watch';
import { RowBadges, WAIT_MAX_MS } from '../../../components/overlay/rows';
import { RowScanner } from '../../../components/overlay/scan';
import { Clock, DRAW_AT_ONCE, settleSpacing } from '../../../components/overlay/clock';
import { badgeText, createRenderedBadge, tickBadge, type Badge } from '../../../components/badge/badge';
import { evaluateFacts } from '../../../rules/index';
import { CardControl } from '../../../components/overlay/card-control';
import { ChipControl } from '../../../components/overlay/chip-control';
import { pageInfo, readContext } from '../../../panel/index';
import { configureLazy, loadLazy, LAZY_KEYS, type UiApi } from '../../../components/overlay/lazy';
import { createHoverCard } from '../../../components/badge/card';
import { createAtRiskPanel } from '../../../components/badge/atrisk-list';
import type { Message } from '../../../background/messages';
import type { Order } from '../../../rules/types';
import { H, MIN, NOW, URL_LIST, rowHtml, tableHtml } from '../../helpers/overlay-page';
import { controllerEnv, fakeClockEach } from '../../helpers/overlay-env';


/** Net listeners added to ANY target (removed by removeEventListener or by their signal aborting). */
function countListeners() {
  let net = 0;
  const restores: (() => void)[] = [];
  // window and document first (happy-dom gives them their own methods), then every other target.
  const targets: { t: EventTarget; own: boolean }[] = [
    { t: window, own: true },
    { t: document, own: true },
    { t: EventTarget.prototype, own: false },
  ];
  const originals = targets.map(({ t }) => ({ add: t.addEventListener, remove: t.removeEventListener }));
  targets.forEach(({ t, own }, i) => {
    const { add, remove } = originals[i]!;
    t.addEventListener = function (this: EventTarget, type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | AddEventListenerOptions) {
      const signal = typeof o === 'object' ? o.signal : undefined;
      if (!signal?.aborted) {
        net++;
        // The abort listener itself is the signal's bookkeeping, not ours: added uncounted.
        if (signal) originals[2]!.add.call(signal, 'abort', () => net--, { once: true });
      }
      return add.call(this, type, fn, o);
    } as typeof add;
    t.removeEventListener = function (this: EventTarget, type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | EventListenerOptions) {
      net--;
      return remove.call(this, type, fn, o);
    } as typeof remove;
    restores.push(() => {
      if (own) {
        delete (t as { addEventListener?: unknown }).addEventListener;
        delete (t as { removeEventListener?: unknown }).removeEventListener;
        if (t.addEventListener !== add) {
          t.addEventListener = add;
          t.removeEventListener = remove;
        }
      } else {
        t.addEventListener = add;
        t.removeEventListener = remove;
      }
    });
  });
  return {
    get net() {
      return net;
    },
    restore() {
      for (const r of restores.reverse()) r();
    },
  };
}

let timers: TimerRegistry;
let sent: Message[];
let listeners: ReturnType<typeof countListeners>;

/** The usual environment, with timers through this test's registry and what is sent recorded. */
function env(): ControllerEnv {
  return controllerEnv({
    setTimeout: (fn, ms) => timers.setTimeout(fn, ms),
    clearTimeout: (id) => timers.clearTimeout(id),
    send: (m) => void sent.push(m),
  });
}

/** A state on the postings page, and the parts rows need. */
function setup() {
  const state = new OverlayState(env());
  state.page = pageInfo(URL_LIST);
  state.rctx = readContext(state.page, '');
  state.active = true;
  let rows: RowBadges | null = null;
  const cache = new JsonCache(state.env.now, { get size() { return rows?.size ?? 0; }, postings: () => rows?.postings() ?? [] });
  const sender = new Sender(state, (m) => cache.trim(m));
  const later: Element[][] = [];
  const soon: boolean[] = [];
  rows = new RowBadges(state, {
    json: cache,
    sender,
    drawn: () => {},
    forgotten: () => {},
    later: (rs, now) => {
      later.push(rs);
      soon.push(!!now);
    },
  });
  return { state, cache, sender, rows, later, soon };
}

const trs = () => [...document.querySelectorAll('#tb tr')];
/** A row the page just rendered: a copy of row `i` without our badge, appended to the list. */
function freshRow(i: number): Element {
  const tr = trs()[i]!.cloneNode(true) as Element;
  tr.querySelector('ozon-guard-badge')?.remove();
  trs()[i]!.parentElement!.append(tr);
  return tr;
}
const ours = () => document.querySelectorAll('ozon-guard-badge,ozon-guard-card,ozon-guard-chip,ozon-guard-list').length;

fakeClockEach(NOW);
beforeEach(() => {
  timers = createTimerRegistry();
  sent = [];
  document.body.innerHTML = tableHtml([rowHtml('12345678-0001-1', NOW + 5 * H), rowHtml('12345678-0002-1', NOW + 50 * MIN)]);
  listeners = countListeners();
});
/** The card and list chunk, loaded the way the content script does (components/overlay/lazy.ts), from the modules themselves. */
async function loadUiChunk() {
  const api: UiApi = { createHoverCard, createAtRiskPanel, useMessages: () => {} };
  configureLazy({ url: (f) => f, messages: () => ({ lang: null, table: null }), importer: async () => void ((globalThis as Record<symbol, unknown>)[LAZY_KEYS.ui] = api) });
  expect(await loadLazy('ui')).toBe(api);
}

afterEach(() => {
  configureLazy(null);
  delete (globalThis as Record<symbol, unknown>)[LAZY_KEYS.ui];
  listeners.restore();
});

describe('json-cache', () => {
  it('an answer the panel repeats holds nothing new: no posting touched, the order held stays the same object', () => {
    const { cache } = setup();
    const o = { postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_packaging', shipBy: new Date(NOW + H).toISOString() } as Order;
    expect([...cache.ingest([o])]).toEqual(['12345678-0001-1']);
    const held = cache.get('12345678-0001-1');
    expect([...cache.ingest([{ ...o }])]).toEqual([]);
    expect(cache.get('12345678-0001-1')).toBe(held);
    // Something new is still taken.
    expect([...cache.ingest([{ ...o, status: 'awaiting_shipment' }])]).toEqual(['12345678-0001-1']);
    expect(cache.get('12345678-0001-1')!.status).toBe('awaiting_shipment');
  });
});

describe('clock: near the viewport without a registration per badge', () => {
  /** The rows' badges in `win` (800 px high), the first placed far below the view and the second in it, and a clock over them. */
  function twoBadges(win: Partial<Window>) {
    const { state, rows, sender } = setup();
    (state.env as { win: Window }).win = { innerHeight: 800, addEventListener() {}, removeEventListener() {}, ...win } as unknown as Window;
    for (const tr of trs()) rows.reread(tr);
    const [far, near] = [...rows.badges];
    const box = (top: number) => () => ({ top, bottom: top + 40 }) as DOMRect;
    far!.host.getBoundingClientRect = box(5000);
    near!.host.getBoundingClientRect = box(10);
    const clock: Clock = new Clock(state, { badges: () => rows.badges, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run: (now) => clock.tick(now) });
    return { rows, sender, far: far!, near: near!, box, clock };
  }

  it('after a scroll, badges off screen keep their text until they come into view or the rows change', async () => {
    // A window without animation frames: the measuring pass runs on a timer.
    const { rows, sender, far, near, box, clock } = twoBadges({});
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect([far.visible, near.visible]).toEqual([false, true]);
    const farText = far.host.getAttribute('data-t-cd');
    const nearText = near.host.getAttribute('data-t-cd');
    vi.setSystemTime(NOW + 2 * MIN);
    clock.tick(Date.now());
    expect(far.host.getAttribute('data-t-cd')).toBe(farText);
    expect(near.host.getAttribute('data-t-cd')).not.toBe(nearText);
    // Scrolled into view: the next pass writes it.
    far.host.getBoundingClientRect = box(100);
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect(far.visible).toBe(true);
    expect(far.host.getAttribute('data-t-cd')).not.toBe(farText);
    // Off screen again, then the rows change: positions unknown, every badge counts as visible.
    far.host.getBoundingClientRect = box(5000);
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect(far.visible).toBe(false);
    clock.rowsChanged();
    expect(far.visible).toBe(true);
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });
  it('a measuring pass whose animation frame the page cancelled still runs (its timer backstop), and only once', async () => {
    // The page cancels every animation frame it can: ours never comes.
    const frames: (() => void)[] = [];
    const { rows, sender, far, near, box, clock } = twoBadges({
      requestAnimationFrame: (fn: FrameRequestCallback) => frames.push(() => fn(0)),
      cancelAnimationFrame: () => {},
    });
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect(frames.length).toBe(1);
    expect(far.visible).toBe(true); // not measured yet
    await vi.advanceTimersByTimeAsync(600);
    expect([far.visible, near.visible]).toEqual([false, true]);
    // The late frame, if it ever comes, does nothing: the pass ran.
    far.host.getBoundingClientRect = box(100);
    frames[0]!();
    expect(far.visible).toBe(false);
    // A frame that does come runs the next pass and ends its backstop.
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect(frames.length).toBe(2);
    frames[1]!();
    expect(far.visible).toBe(true);
    expect(clock.armed).toBe(false); // the pass ran, its backstop ended (the ticker was never started here)
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });
});

describe('clock: the settling tick after a batch of rows', () => {
  it('is spaced by the badges on the page (0.25 ms each, from 100 ms to 1 s), so a growing list never pays a walk of every badge per frame', async () => {
    expect([settleSpacing(0), settleSpacing(1_000), settleSpacing(2_000), settleSpacing(1e9)]).toEqual([0, 250, 500, 1000]);
    const { state } = setup();
    const many = new Set(Array.from({ length: 2_000 }, () => ({ host: { isConnected: true }, dueMs: NaN, watched: false, visible: true }) as unknown as Badge));
    let ticks = 0;
    const clock: Clock = new Clock(state, { badges: () => many, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run: (now) => (ticks++, clock.tick(now)) });
    clock.start();
    ticks = 0;
    // A batch every 50 ms for 2 s: at 100 ms apart that was 20 walks of 2,000 badges; now one per 500 ms.
    for (let i = 0; i < 40; i++) {
      clock.rowsSettling(100);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeLessThanOrEqual(5);
    clock.destroy();
  });
});

describe('clock: countdowns that show seconds are watched by one IntersectionObserver', () => {
  /** A stand-in for the browser's observer: records what is observed; the test answers for the browser. */
  class FakeIO {
    static last: FakeIO | null = null;
    observed = new Set<Element>();
    disconnected = false;
    constructor(readonly cb: (entries: IntersectionObserverEntry[]) => void) {
      FakeIO.last = this;
    }
    observe(e: Element) {
      this.observed.add(e);
    }
    unobserve(e: Element) {
      this.observed.delete(e);
    }
    disconnect() {
      this.disconnected = true;
      this.observed.clear();
    }
    answer(e: Element, isIntersecting: boolean) {
      this.cb([{ target: e, isIntersecting } as unknown as IntersectionObserverEntry]);
    }
  }

  it('off screen its seconds wait; in view they are written at once; it is let go with its badge; destroy disconnects', async () => {
    const { state, rows, sender } = setup();
    const win = { innerHeight: 800, IntersectionObserver: FakeIO, addEventListener() {}, removeEventListener() {} } as unknown as Window;
    (state.env as { win: Window }).win = win;
    for (const tr of trs()) rows.reread(tr);
    const [far, hot] = [...rows.badges]; // 5 h left, and 50 min left (seconds shown)
    const clock: Clock = new Clock(state, { badges: () => rows.badges, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run: (now) => clock.tick(now) });
    clock.tick(Date.now());
    const io = FakeIO.last!;
    expect([...io.observed]).toEqual([hot!.host]);
    expect([far!.watched, hot!.watched, clock.watching]).toEqual([false, true, 1]);
    // Until the browser answers it counts as visible; then off screen: its seconds stop moving.
    io.answer(hot!.host, false);
    expect(hot!.visible).toBe(false);
    const text = hot!.host.getAttribute('data-t-cd');
    vi.setSystemTime(NOW + 3_000);
    clock.tick(Date.now());
    expect(hot!.host.getAttribute('data-t-cd')).toBe(text);
    // A change of rows does not overrule the observer (it follows layout shifts itself).
    clock.rowsChanged();
    expect(hot!.visible).toBe(false);
    // In view: written in the same callback.
    vi.setSystemTime(NOW + 5_000);
    io.answer(hot!.host, true);
    expect(hot!.visible).toBe(true);
    expect(hot!.host.getAttribute('data-t-cd')).not.toBe(text);
    // Its row leaves: the observer lets go (the controller wires rows' forget to unwatch).
    clock.unwatch(hot!);
    expect(io.observed.size).toBe(0);
    expect(clock.watching).toBe(0);
    clock.destroy();
    expect(io.disconnected).toBe(true);
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });

  it('between two full walks a tick visits only the watched badges on screen; every badge is walked again at the next wall minute; a badge noted in its last hour is watched at once', () => {
    const { state, rows, sender } = setup();
    const win = { innerHeight: 800, IntersectionObserver: FakeIO, addEventListener() {}, removeEventListener() {} } as unknown as Window;
    (state.env as { win: Window }).win = win;
    for (const tr of trs()) rows.reread(tr);
    const [far, hot] = [...rows.badges]; // 5 h left, and 50 min left (seconds shown)
    let levelCalls = 0;
    const clock: Clock = new Clock(state, { badges: () => rows.badges, lost: () => {}, levelsChanged: () => void levelCalls++, quiet: () => {}, ticked: () => {}, run: (now) => clock.tick(now) });
    clock.tick(Date.now());
    let farLooks = 0;
    Object.defineProperty(far!.host, 'isConnected', { configurable: true, get: () => (farLooks++, true) });
    const hotText = hot!.host.getAttribute('data-t-cd');
    vi.setSystemTime(NOW + 3_000);
    const nearest = clock.tick(Date.now());
    expect(farLooks).toBe(0); // not walked
    expect(hot!.host.getAttribute('data-t-cd')).not.toBe(hotText); // its seconds moved
    expect(nearest).toBe(hot!.dueMs - Date.now()); // the watched countdown on screen sets the pace
    // The settling tick after a batch of rows: still only the watched, and the chip's counts are due.
    clock.rowsSettling(100);
    const calls = levelCalls;
    clock.tick(Date.now());
    expect(farLooks).toBe(0);
    expect(levelCalls).toBe(calls + 1);
    // Off screen (the observer says so), the watched one is left to the full walks too.
    let hotLooks = 0;
    Object.defineProperty(hot!.host, 'isConnected', { configurable: true, get: () => (hotLooks++, true) });
    FakeIO.last!.answer(hot!.host, false);
    vi.setSystemTime(NOW + 5_000);
    clock.tick(Date.now());
    expect(hotLooks).toBe(0);
    FakeIO.last!.answer(hot!.host, true);
    vi.setSystemTime(NOW + 6_000);
    clock.tick(Date.now());
    expect(hotLooks).toBe(1);
    // The next wall minute: a full walk (minute texts, levels, lost hosts).
    vi.setSystemTime((Math.floor(NOW / MIN) + 1) * MIN);
    clock.tick(Date.now());
    expect(farLooks).toBe(1);
    // A row in its last hour drawn between two ticks: watched at once, its seconds run from the next tick.
    const holder = document.createElement('tbody');
    holder.innerHTML = rowHtml('12345678-0003-1', Date.now() + 30 * MIN);
    const third = holder.firstElementChild!;
    document.querySelector('#tb')!.append(third);
    rows.reread(third);
    const fresh = [...rows.badges].find((b) => b.posting === '12345678-0003-1')!;
    expect(fresh.watched).toBe(false);
    clock.note(fresh);
    expect(fresh.watched).toBe(true);
    expect(FakeIO.last!.observed.has(fresh.host)).toBe(true);
    clock.destroy();
    sender.destroy();
    rows.destroy();
  });
});

describe('bare badges: past DRAW_AT_ONCE on a page, the pills are drawn once near the viewport (clock.ts)', () => {
  /** A stand-in for the browser's observers: every instance kept; the test answers for the browser. */
  class FakeIO {
    static all: FakeIO[] = [];
    observed = new Set<Element>();
    disconnects = 0;
    constructor(readonly cb: (entries: IntersectionObserverEntry[]) => void) {
      FakeIO.all.push(this);
    }
    observe(e: Element) {
      this.observed.add(e);
    }
    unobserve(e: Element) {
      this.observed.delete(e);
    }
    disconnect() {
      this.disconnects++;
      this.observed.clear();
    }
    answer(els: Element[], isIntersecting: boolean) {
      this.cb(els.map((target) => ({ target, isIntersecting }) as unknown as IntersectionObserverEntry));
    }
  }
  const CONTRACT = ['data-ozon-guard', 'data-posting', 'data-status', 'data-cancel', 'data-archive', 'data-deadline', 'data-due', 'data-level'];
  const num = (i: number) => `1234${String(5000 + i).padStart(4, '0')}-0001-1`;

  function bareSetup(n: number) {
    FakeIO.all = [];
    document.body.innerHTML = tableHtml(Array.from({ length: n }, (_, i) => rowHtml(num(i), NOW + 5 * H + i * MIN)));
    const state = new OverlayState({ ...env(), drawNear: true, win: { innerHeight: 800, innerWidth: 1200, IntersectionObserver: FakeIO, addEventListener() {}, removeEventListener() {} } as unknown as Window });
    state.page = pageInfo(URL_LIST);
    state.rctx = readContext(state.page, '');
    state.active = true;
    let rows: RowBadges | null = null;
    const cache = new JsonCache(state.env.now, { get size() { return rows?.size ?? 0; }, postings: () => rows?.postings() ?? [] });
    const sender = new Sender(state, (m) => cache.trim(m));
    const clock: Clock = new Clock(state, { badges: () => rows!.badges, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run: (now) => clock.tick(now), badgeAt: (el) => rows!.badgeAt(el) });
    rows = new RowBadges(state, {
      json: cache,
      sender,
      drawn: (b) => clock.note(b),
      forgotten: (b) => clock.unwatch(b),
      later: () => {},
      bare: (posting) => clock.bareOk(rows!.size, posting),
    });
    for (const tr of trs()) rows.reread(tr);
    const badges = [...rows.badges];
    const near = () => FakeIO.all.find((io) => io.observed.size && [...io.observed].every((h) => badges.find((b) => b.host === h)?.bare))!;
    return { state, rows, sender, clock, badges, near };
  }

  it('a bare badge drawn again in place (settings, language, its JSON) is not asked about again; one whose row put it in a new cell is', () => {
    const { state, rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 10);
    const bare = badges.slice(DRAW_AT_ONCE);
    const io = near();
    expect(io.observed.size).toBe(10);
    io.answer(bare.map((b) => b.host), false);
    expect(io.observed.size).toBe(0);
    // What a change of language does (controller.ts relabel): every badge drawn again.
    state.configVersion++;
    for (const b of [...rows.badges]) rows.redraw(b);
    expect(bare.every((b) => b.bare)).toBe(true);
    expect(io.observed.size).toBe(0);
    // The page re-renders one row's first cell (a new element): the badge lands in the new cell and is asked about.
    const b = bare[3]!;
    const cell = b.host.parentElement!;
    const fresh = cell.cloneNode(true) as Element;
    fresh.querySelector('ozon-guard-badge')?.remove();
    cell.replaceWith(fresh);
    rows.reread(b.row!);
    expect(b.host.parentElement).toBe(fresh);
    expect([...io.observed]).toEqual([b.host]);
    clock.destroy();
    sender.destroy();
    rows.destroy();
  });

  it('every contract attribute and the aria-label at once; the pills, once drawn, are what a badge drawn at once shows; the observer lets each go', () => {
    const { state, rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 10);
    const drawn = badges.slice(0, DRAW_AT_ONCE);
    const bare = badges.slice(DRAW_AT_ONCE);
    expect(drawn.every((b) => !b.bare && badgeText(b.host) !== '')).toBe(true);
    expect(bare.every((b) => b.bare)).toBe(true);
    for (const b of bare) {
      for (const a of CONTRACT) expect(b.host.hasAttribute(a), a).toBe(true);
      expect(b.host.getAttribute('aria-label')).toContain(b.posting);
      expect(badgeText(b.host)).toBe('');
      expect(b.host.hasAttribute('data-b')).toBe(true);
    }
    // One answer per bare badge is asked of the browser.
    const io = near();
    expect([...io.observed]).toEqual(bare.map((b) => b.host));
    expect(clock.checkingNear).toBe(10);
    // Three are near the viewport: drawn, exactly as a badge drawn at once for the same order at the same instant.
    vi.setSystemTime(NOW + 7_000);
    io.answer(bare.slice(0, 3).map((b) => b.host), true);
    for (const b of bare.slice(0, 3)) {
      expect(b.bare).toBe(false);
      const same = createRenderedBadge(b.order!, evaluateFacts(b.order!, Date.now(), state.rulebook), state.view, Date.now(), state.lines, document, state.rulebook);
      const attrs = (h: Element) => Object.fromEntries([...h.attributes].map((a) => [a.name, a.value]));
      expect(attrs(b.host)).toEqual(attrs(same.host));
      expect(b.host.textContent).toBe(same.host.textContent);
    }
    // The answered ones are let go one by one while others still wait; the rest answered, the observer is disconnected in one call.
    expect(io.observed.size).toBe(7);
    io.answer(bare.slice(3).map((b) => b.host), false);
    expect(bare.slice(3).every((b) => b.bare && !b.visible)).toBe(true);
    expect([io.disconnects, clock.checkingNear]).toEqual([1, 0]);
    // Off screen a bare badge's level still follows the clock (a contract attribute); no pill is written.
    const far = bare[9]!;
    expect(tickBadge(far, far.dueMs - 30 * MIN, state.lines)).toBe(true);
    expect(far.host.getAttribute('data-level')).toBe('critical');
    expect(badgeText(far.host)).toBe('');
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });

  it('a list re-rendered in place: a row whose badge was drawn comes back drawn at once; a bare one comes back bare; after SHOWN_KEEP_MS, bare', async () => {
    const { rows, sender, clock, badges } = bareSetup(DRAW_AT_ONCE + 10);
    /** The page replaces row `i` by a new element showing the same posting (React re-rendering it). */
    const replace = (i: number) => {
      const old = trs().find((tr) => tr.textContent!.includes(num(i)))!;
      const tr = old.cloneNode(true) as Element;
      tr.querySelector('ozon-guard-badge')?.remove();
      old.replaceWith(tr);
      rows.reread(old);
      rows.reread(tr);
      return [...rows.badges].find((b) => b.row === tr)!;
    };
    expect([badges[5]!.bare, badges[65]!.bare]).toEqual([false, true]);
    expect(rows.size).toBeGreaterThanOrEqual(DRAW_AT_ONCE);
    const again = replace(5);
    expect([again.posting, again.bare, badgeText(again.host) !== '']).toEqual([num(5), false, true]);
    expect(replace(65).bare).toBe(true);
    // Long after its drawn badge left, a posting's new badge is bare like any other past the first 60.
    const row7 = trs().find((tr) => tr.textContent!.includes(num(7)))!;
    row7.remove();
    rows.reread(row7);
    await vi.advanceTimersByTimeAsync(2_100);
    document.querySelector('#tb')!.insertAdjacentHTML('beforeend', rowHtml(num(7), NOW + 5 * H));
    const back = trs().at(-1)!;
    rows.reread(back);
    expect([...rows.badges].find((b) => b.row === back)!.bare).toBe(true);
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });

  it('drawn later by the scroll pass, by keyboard focus, and by a recheck after rows leave; under DRAW_AT_ONCE or without drawNear none is bare', async () => {
    const { rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 6);
    const bare = badges.slice(DRAW_AT_ONCE);
    const io = near();
    io.answer(bare.map((b) => b.host), false);
    // Keyboard: the seller tabs onto one.
    clock.focused(bare[0]!);
    expect([bare[0]!.bare, badgeText(bare[0]!.host) !== '']).toEqual([false, true]);
    // Rows leave the page (the rows below move up without a scroll): the bare ones are asked about again, once.
    rows.drop(badges[0]!);
    rows.drop(badges[1]!);
    clock.rowsChanged();
    clock.rowsChanged();
    expect(io.observed.size).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect([...io.observed]).toEqual(bare.slice(1).map((b) => b.host));
    io.answer([bare[1]!.host], true);
    expect(bare[1]!.bare).toBe(false);
    io.answer(bare.slice(2).map((b) => b.host), false);
    // A scroll: the measuring pass reads the boxes (happy-dom's are all at 0,0: on screen) and draws the rest.
    clock.scrolled();
    await vi.advanceTimersByTimeAsync(200);
    expect(bare.every((b) => !b.bare && badgeText(b.host) !== '')).toBe(true);
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);

    // A page of the panel's usual size, and an environment that does not ask for it: every badge drawn at once.
    const small = bareSetup(DRAW_AT_ONCE - 1);
    expect(small.badges.every((b) => !b.bare)).toBe(true);
    small.clock.destroy();
    small.sender.destroy();
    small.rows.destroy();
    const s2 = setup();
    document.body.innerHTML = tableHtml(Array.from({ length: DRAW_AT_ONCE + 5 }, (_, i) => rowHtml(num(i), NOW + 5 * H)));
    for (const tr of trs()) s2.rows.reread(tr);
    expect([...s2.rows.badges].every((b) => !b.bare)).toBe(true);
    s2.sender.destroy();
    s2.rows.destroy();
  });
  /**
   * The list's layout, for the probe: every row of #tb 50 px tall, row i at i × 50 − `offset` px from
   * the top of the viewport; a row set to display: none has no box. Counts the boxes the probe reads
   * (rows only: the badges' own boxes stay happy-dom's).
   */
  function rowBoxes() {
    const proto = Element.prototype;
    const orig = proto.getBoundingClientRect;
    const st = { offset: 0, reads: 0 };
    proto.getBoundingClientRect = function (this: Element) {
      if (this.tagName !== 'TR' || this.parentElement?.id !== 'tb') return orig.call(this);
      st.reads++;
      if ((this as HTMLElement).style.display === 'none') return new DOMRect(0, 0, 0, 0);
      const i = [...this.parentElement.children].filter((r) => (r as HTMLElement).style.display !== 'none').indexOf(this);
      return new DOMRect(0, i * 50 - st.offset, 1000, 50);
    };
    return {
      st,
      restore() {
        proto.getBoundingClientRect = orig;
      },
    };
  }

  it('rows moved into view without a scroll (a panel above them collapsed): a probe after a click, a key, a transition or a removal finds a bare badge on screen and has the bare ones checked again; nothing while none is bare', async () => {
    const { state, rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 8);
    const bare = badges.slice(DRAW_AT_ONCE);
    const io = near();
    io.answer(bare.map((b) => b.host), false);
    expect(io.observed.size).toBe(0);
    // Before: the viewport (800 px, and the 300 px margins) shows rows 0–21, all drawn.
    const pts = rowBoxes();
    try {
      clock.layoutMayMove();
      clock.layoutMayMove(); // a burst: one probe
      await vi.advanceTimersByTimeAsync(349);
      expect(pts.st.reads).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      // No bare badge near: nothing is asked of the observer; a binary search and the rows near, not a pass over the list.
      expect(pts.st.reads).toBeGreaterThan(0);
      expect(pts.st.reads).toBeLessThan(40);
      expect(io.observed.size).toBe(0);
      // The panel above collapses by 2,600 px: row 60 (bare) is now at 400 px. The next sign finds it.
      pts.st.offset = 2_600;
      pts.st.reads = 0;
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(350);
      expect(pts.st.reads).toBeGreaterThan(0);
      expect(pts.st.reads).toBeLessThan(40);
      expect([...io.observed]).toEqual(bare.map((b) => b.host));
      // The observer answers (with its margin) for the ones now near: drawn.
      io.answer(bare.slice(0, 3).map((b) => b.host), true);
      io.answer(bare.slice(3).map((b) => b.host), false);
      expect(bare.slice(0, 3).every((b) => !b.bare && badgeText(b.host) !== '')).toBe(true);
      expect(bare.slice(3).every((b) => b.bare)).toBe(true);

      // From the ticks: asked for at most every 30 s, and run after the probe's delay, never in the tick's own task
      // (its text writes are laid out by the next frame; a box read in its task would force that layout).
      pts.st.reads = 0;
      clock.tick(Date.now());
      await vi.advanceTimersByTimeAsync(400);
      expect(pts.st.reads).toBe(0); // the hint's probe ran under 30 s ago
      await vi.advanceTimersByTimeAsync(30_000);
      clock.tick(Date.now());
      expect(pts.st.reads).toBe(0);
      await vi.advanceTimersByTimeAsync(350);
      const once = pts.st.reads;
      expect(once).toBeGreaterThan(0);
      clock.tick(Date.now());
      await vi.advanceTimersByTimeAsync(400);
      expect(pts.st.reads).toBe(once);

      // Rows changing (a list being re-rendered: its layout is dirty): the probe waits until they have been quiet for 1 s…
      pts.st.reads = 0;
      clock.layoutMayMove();
      clock.rowsChanged();
      await vi.advanceTimersByTimeAsync(350);
      expect(pts.st.reads).toBe(0);
      await vi.advanceTimersByTimeAsync(650);
      expect(pts.st.reads).toBeGreaterThan(0);
      // …but a page that never stops changing them gets its probe within 5 s of the sign.
      pts.st.reads = 0;
      clock.layoutMayMove();
      for (let i = 0; i < 20; i++) {
        clock.rowsChanged();
        await vi.advanceTimersByTimeAsync(300);
        expect(pts.st.reads > 0).toBe(i * 300 + 300 >= 5_000);
      }

      // A hidden tab: no box read.
      pts.st.reads = 0;
      const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(400);
      hidden.mockRestore();
      expect(pts.st.reads).toBe(0);

      // Every bare badge drawn (a scroll pass): the recheck finds none bare, and from then on a hint sets no timer and probes nothing.
      clock.scrolled();
      await vi.advanceTimersByTimeAsync(200);
      expect(bare.every((b) => !b.bare)).toBe(true);
      rows.drop(badges[0]!);
      clock.rowsChanged();
      await vi.advanceTimersByTimeAsync(1_000);
      for (const e of [...io.observed]) io.answer([e], true);
      pts.st.reads = 0;
      const before = timers.size;
      clock.layoutMayMove();
      expect(timers.size).toBe(before);
      await vi.advanceTimersByTimeAsync(11_000);
      clock.tick(Date.now());
      expect(pts.st.reads).toBe(0);
    } finally {
      pts.restore();
    }
    // A hint pending at destroy leaves no timer.
    clock.destroy();
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
    expect(state.destroyed).toBe(false);
  });

  it('the probe waits for the next frame (the writes before it laid out), then runs in a task of its own; a frame that never comes is backstopped', async () => {
    const { state, rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 4);
    near().answer(badges.slice(DRAW_AT_ONCE).map((b) => b.host), false);
    const frames = new Map<number, () => void>();
    let nextId = 0;
    Object.assign(state.env.win, {
      requestAnimationFrame: (cb: () => void) => {
        frames.set(++nextId, cb);
        return nextId;
      },
      cancelAnimationFrame: (id: number) => void frames.delete(id),
    });
    const pts = rowBoxes();
    try {
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(400);
      // Its delay is over: it asked for a frame, and probes nothing yet.
      expect([frames.size, pts.st.reads]).toEqual([1, 0]);
      // The frame comes: still nothing in the frame's own callback (the layout is not yet done there)…
      const [id, frame] = [...frames][0]!;
      frames.delete(id);
      frame();
      expect(pts.st.reads).toBe(0);
      // …the task after it probes.
      await vi.advanceTimersByTimeAsync(0);
      expect(pts.st.reads).toBeGreaterThan(0);
      // A frame that never comes (the page cancels frames it does not own): the backstop runs it 500 ms later.
      pts.st.reads = 0;
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(400);
      expect(frames.size).toBe(1);
      // (asked for at 350 ms, so the backstop is due at 850 ms)
      await vi.advanceTimersByTimeAsync(449);
      expect(pts.st.reads).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(pts.st.reads).toBeGreaterThan(0);
      // The frame it no longer needs was given back.
      expect(frames.size).toBe(0);
      // Destroyed while waiting for its frame: no timer, no frame left.
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(400);
      expect(frames.size).toBe(1);
    } finally {
      pts.restore();
    }
    clock.destroy();
    expect(frames.size).toBe(0);
    sender.destroy();
    rows.destroy();
    expect(timers.size).toBe(0);
  });

  it('the probe finds the list above rows that each sit in a wrapper of their own (a virtualised list), and steps over rows not laid out', async () => {
    FakeIO.all = [];
    const n = 120;
    document.body.innerHTML = `<div id="list">${Array.from({ length: n }, (_, i) => `<div class="w"><div class="row" id="row${i}"><span>posting ${i}</span><ozon-guard-badge></ozon-guard-badge></div></div>`).join('')}</div>`;
    const state = new OverlayState({ ...env(), drawNear: true, win: { innerHeight: 800, innerWidth: 1200, IntersectionObserver: FakeIO, addEventListener() {}, removeEventListener() {} } as unknown as Window });
    // Stand-ins for the rows' badges: the probe reads only whether each is bare, its row and its host.
    const set = new Set<Badge>();
    const byEl = new Map<Element, Badge>();
    [...document.querySelectorAll('.row')].forEach((row, i) => {
      const b = { bare: i >= DRAW_AT_ONCE, row, host: row.querySelector('ozon-guard-badge')!, visible: true, watched: false, dueMs: NaN, posting: `p${i}` } as unknown as Badge;
      set.add(b);
      byEl.set(row, b);
      byEl.set(b.host, b);
    });
    const clock: Clock = new Clock(state, { badges: () => set, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run: (now) => clock.tick(now), badgeAt: (el) => byEl.get(el) });
    for (const b of set) clock.note(b);
    const io = FakeIO.all.at(-1)!;
    io.answer([...io.observed], false);
    // Wrapper i at i × 50 − offset; the first 30 wrappers are collapsed (no box) once `collapsed` is set.
    let offset = 0;
    let collapsed = false;
    let reads = 0;
    const orig = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function (this: Element) {
      if (!this.classList.contains('w')) return orig.call(this);
      reads++;
      const i = [...this.parentElement!.children].indexOf(this);
      if (collapsed && i < 30) return new DOMRect(0, 0, 0, 0);
      return new DOMRect(0, (collapsed ? i - 30 : i) * 50 - offset, 1000, 50);
    };
    try {
      // Rows 0–21 near: all drawn; nothing asked.
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(350);
      expect(reads).toBeGreaterThan(0);
      expect(reads).toBeLessThan(60);
      expect(io.observed.size).toBe(0);
      // Scrolled so rows 30–45 show (with the margins 24–52: none bare), then 30 rows above collapse: rows 60–
      // move up into view. The wrappers' list is found, the collapsed ones stepped over.
      offset = 30 * 50;
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(350);
      expect(io.observed.size).toBe(0);
      collapsed = true;
      reads = 0;
      clock.layoutMayMove();
      await vi.advanceTimersByTimeAsync(350);
      expect(reads).toBeLessThan(80);
      expect(io.observed.size).toBe(n - DRAW_AT_ONCE);
    } finally {
      Element.prototype.getBoundingClientRect = orig;
    }
    clock.destroy();
    expect(timers.size).toBe(0);
  });

  it('the probe leaves no timer behind when the clock is destroyed with one pending', async () => {
    const { rows, sender, clock, badges, near } = bareSetup(DRAW_AT_ONCE + 2);
    near().answer(badges.slice(DRAW_AT_ONCE).map((b) => b.host), false);
    const pts = rowBoxes();
    try {
      clock.layoutMayMove();
      clock.destroy();
      sender.destroy();
      rows.destroy();
      expect(timers.size).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(pts.st.reads).toBe(0);
    } finally {
      pts.restore();
    }
  });

  /**
   * The layout of a long list for the scroll pass: row k of #tb (in document order) 50 px tall at
   * `at(k)` × 50 − `offset` px from the top of the viewport, and every box in it (the row, a
   * wrapper of its own, its badge) that row's box. Counts the boxes read.
   */
  function listBoxes(at: (k: number) => number = (k) => k) {
    const proto = Element.prototype;
    const orig = proto.getBoundingClientRect;
    const st = { offset: 0, reads: 0 };
    const all = trs();
    proto.getBoundingClientRect = function (this: Element) {
      const row = this.tagName === 'TBODY' ? this.querySelector('tr') : this.closest('tr');
      const k = row ? all.indexOf(row) : -1;
      if (k < 0) return orig.call(this);
      st.reads++;
      return new DOMRect(0, at(k) * 50 - st.offset, 1000, 50);
    };
    return { st, restore: () => void (proto.getBoundingClientRect = orig) };
  }
  /** Whether row k is near an 800 px viewport (the pass's 300 px margins) at `offset`. */
  const nearAt = (top: number) => top + 50 >= -300 && top <= 800 + 300;

  /**
   * A list of n rows past DRAW_AT_ONCE (bareSetup), its bare badges answered "not near" by the one-shot
   * observer, laid out by listBoxes(at); `body` runs with it, and then, pass or fail, the layout is given
   * back and the clock, sender and rows are destroyed.
   */
  async function withLongList(
    n: number,
    body: (l: ReturnType<typeof bareSetup> & { layout: ReturnType<typeof listBoxes>['st'] }) => Promise<void>,
    at?: (k: number) => number,
  ): Promise<void> {
    const setup = bareSetup(n);
    setup.near().answer(setup.badges.slice(DRAW_AT_ONCE).map((b) => b.host), false);
    const boxes = listBoxes(at);
    try {
      await body({ ...setup, layout: boxes.st });
    } finally {
      boxes.restore();
      setup.clock.destroy();
      setup.sender.destroy();
      setup.rows.destroy();
    }
  }
  /** Every badge's `visible` is what its row's box says at `offset` (row k at position at(k)). */
  function expectNearAt(badges: Badge[], offset: number, at: (k: number) => number = (k) => k): void {
    for (let k = 0; k < badges.length; k++) expect(badges[k]!.visible, `row ${k} at ${offset}`).toBe(nearAt(at(k) * 50 - offset));
  }

  it('the scroll pass in a long list reads a few dozen boxes, not one per badge, and finds exactly the rows near the viewport; the bare ones there are drawn', async () => {
    await withLongList(400, async ({ clock, badges, layout }) => {
      for (const offset of [6_000, 6_025, 12_000, 0]) {
        layout.offset = offset;
        layout.reads = 0;
        clock.scrolled();
        await vi.advanceTimersByTimeAsync(200);
        expect(layout.reads).toBeGreaterThan(0);
        expect(layout.reads).toBeLessThan(80);
        expectNearAt(badges, offset);
        for (const b of badges) if (b.visible) expect(b.bare, `${b.posting} drawn`).toBe(false);
      }
      // Rows never near stay bare: the pass drew only what it found.
      expect(badges[DRAW_AT_ONCE + 50]!.bare).toBe(true);
    });
    expect(timers.size).toBe(0);
  });

  it('a list whose rows are not laid out in their document order (a virtualised list recycling rows) has every badge read, with the same answer', async () => {
    const n = 300;
    // Row k sits at position perm(k): a fixed shuffle of 0 … n − 1.
    const perm = (k: number) => (k * 7) % n;
    await withLongList(
      n,
      async ({ clock, badges, layout }) => {
        layout.offset = 5_000;
        clock.scrolled();
        await vi.advanceTimersByTimeAsync(200);
        expect(layout.reads).toBeGreaterThanOrEqual(n);
        expectNearAt(badges, 5_000, perm);
      },
      perm,
    );
  });

  it('a scroll after a quiet spell is measured at once (a jump shows its rows drawn), a continuing scroll at most every 120 ms and once after it stops', async () => {
    await withLongList(300, async ({ clock, badges, layout }) => {
      const passes = vi.spyOn(clock as unknown as { measure: () => void }, 'measure');
      // A jump: measured in the next frame (here the frame's stand-in, a timer of 0), not 120 ms later; nothing after it.
      layout.offset = 9_000;
      clock.scrolled();
      await vi.advanceTimersByTimeAsync(1);
      expect(passes).toHaveBeenCalledTimes(1);
      expectNearAt(badges, 9_000);
      expect(badges[185]!.bare).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(passes).toHaveBeenCalledTimes(1);
      // A wheel scroll of 600 ms, an event per frame: the first at once, then one per 120 ms, and one after the last.
      passes.mockClear();
      for (let t = 0; t < 600; t += 16) {
        layout.offset = 9_000 - t * 5;
        clock.scrolled();
        await vi.advanceTimersByTimeAsync(16);
      }
      const during = passes.mock.calls.length;
      expect(during).toBeGreaterThanOrEqual(4);
      expect(during).toBeLessThanOrEqual(7);
      await vi.advanceTimersByTimeAsync(200);
      expect(passes.mock.calls.length).toBe(during + 1);
      expectNearAt(badges, layout.offset);
    });
    expect(timers.size).toBe(0);
  });

  it('the scroll pass keeps its grouping of the rows across badges drawn again in place, and groups again for a new badge, a badge in a new host, rows changing or a badge leaving', async () => {
    await withLongList(300, async ({ state, rows, clock, badges, layout }) => {
      const grouped = vi.spyOn(clock as unknown as { groupRows: () => unknown }, 'groupRows');
      const pass = async (offset: number) => {
        layout.offset = offset;
        clock.scrolled();
        await vi.advanceTimersByTimeAsync(200);
        expectNearAt(badges, offset);
      };
      await pass(3_000);
      expect(grouped).toHaveBeenCalledTimes(1);
      // Every badge drawn again in place (what a change of language or the panel's JSON does): the same grouping serves.
      state.configVersion++;
      for (const b of [...rows.badges]) rows.redraw(b);
      await pass(6_000);
      expect(grouped).toHaveBeenCalledTimes(1);
      // A badge whose host was replaced (its row drawn anew): grouped again.
      const b = badges[200]!;
      const old = b.host;
      b.host = old.cloneNode(true) as typeof old;
      old.replaceWith(b.host);
      clock.note(b);
      await pass(6_500);
      expect(grouped).toHaveBeenCalledTimes(2);
      // Rows changing, and a badge leaving: grouped again each time.
      clock.rowsChanged();
      await pass(7_000);
      expect(grouped).toHaveBeenCalledTimes(3);
      clock.unwatch(badges[299]!);
      await pass(7_500);
      expect(grouped).toHaveBeenCalledTimes(4);
      // A badge the grouping never saw (a new row's): grouped again.
      const stranger = { ...badges[10]! };
      clock.note(stranger);
      await pass(8_000);
      expect(grouped).toHaveBeenCalledTimes(5);
    });
  });

  it('rows each in a wrapper of their own are searched one level up; after the rows change the pass groups them again', async () => {
    await withLongList(300, async ({ clock, badges, layout }) => {
      layout.offset = 4_000;
      clock.scrolled();
      await vi.advanceTimersByTimeAsync(200);
      expect(layout.reads).toBeLessThan(80);
      // Each row moved into a tbody of its own (the table is now the list of wrappers).
      const table = document.querySelector('table')!;
      for (const tr of trs()) table.appendChild(document.createElement('tbody')).appendChild(tr);
      clock.rowsChanged();
      layout.offset = 9_000;
      layout.reads = 0;
      clock.scrolled();
      await vi.advanceTimersByTimeAsync(200);
      expect(layout.reads).toBeLessThan(80);
      expectNearAt(badges, 9_000);
    });
  });

});

describe('rows: exactly one badge host in a row, whatever the page brought into it', () => {
  const hostsIn = (row: Element) => [...row.querySelectorAll('ozon-guard-badge')];

  it('a new row that arrives with hosts in it (our markup copied, a badged cell moved in) keeps one live badge; its old row gets its own back', () => {
    const { rows, later } = setup();
    for (const tr of trs()) rows.reread(tr);
    const [first, second] = trs() as [Element, Element];
    expect([hostsIn(first).length, hostsIn(second).length]).toEqual([1, 1]);
    // A copy of the first row's markup, our host included (a page that clones rows), appended as a new row.
    const copy = first.cloneNode(true) as Element;
    first.parentElement!.append(copy);
    expect(hostsIn(copy)).toHaveLength(1);
    rows.reread(copy);
    expect(hostsIn(copy)).toHaveLength(1);
    expect([...rows.badges].some((b) => b.row === copy && b.host === hostsIn(copy)[0])).toBe(true);
    // The second row's badged cell moved into a new row element (a page re-parenting its cells).
    const moved = document.createElement('tr');
    for (const td of [...second.children]) moved.append(td);
    second.replaceWith(moved);
    rows.reread(moved);
    expect(hostsIn(moved)).toHaveLength(1);
    expect([...rows.badges].filter((b) => b.row === moved)).toHaveLength(1);
    // The row that host was drawn for is handed back to be read again (rows.ts apply: its own row puts it back).
    expect(later.flat()).toEqual([second]);
    // And a row with a badge of its own that got a stray host besides: the stray goes, the badge stays.
    const own = hostsIn(first)[0]!;
    const stray = own.cloneNode(true) as Element;
    first.lastElementChild!.append(stray);
    rows.reread(first);
    expect(hostsIn(first)).toEqual([own]);
    expect(later.flat()).toEqual([second]);
    rows.destroy();
  });
});

describe('rows wait for the JSON being taken in (json-cache.ts JSON_WAIT_MS)', () => {
  const jsonOrder = (n: string): Order => ({ postingNumber: n, scheme: 'FBS', status: 'awaiting_shipment', shipBy: new Date(NOW + 7 * H).toISOString() });

  it('a new row is read when its posting\'s order lands, against it, and drawn once', () => {
    const { rows, cache, later, soon } = setup();
    cache.beginBody();
    for (const tr of trs()) rows.reread(tr);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(0);
    rows.jsonChanged(cache.ingest([jsonOrder('12345678-0001-1')]));
    // Handed to the scanner as "soon" (its orders are here: the cheap read, first slice at once).
    expect(later.flat()).toEqual([trs()[0]]);
    expect(soon).toEqual([true]);
    for (const r of later.flat()) rows.reread(r);
    const hosts = document.querySelectorAll('[data-ozon-guard]');
    expect(hosts).toHaveLength(1);
    // The JSON's status and ship-by (P1, P2), not the row's.
    expect(hosts[0]!.getAttribute('data-status')).toBe('awaiting_shipment');
    expect(hosts[0]!.getAttribute('data-due')).toBe(new Date(NOW + 7 * H).toISOString());
    expect(rows.waitingRows).toBe(1);
  });

  it('the rest is read from the DOM when the body is done, or at the deadline; a row waits only once', async () => {
    const { rows, cache, later, soon } = setup();
    cache.onBodiesDone = () => rows.releaseWaiting();
    cache.beginBody();
    for (const tr of trs()) rows.reread(tr);
    cache.endBody();
    expect(rows.waitingRows).toBe(0);
    expect(later.flat()).toHaveLength(2);
    expect(soon).toEqual([false]); // waited in vain: full DOM reads, from the next task on
    for (const r of later.flat()) rows.reread(r);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(2);

    // The deadline: a body that never ends holds no row back longer than JSON_WAIT_MS.
    const s2 = setup();
    s2.cache.beginBody();
    const tr = freshRow(0);
    s2.rows.reread(tr);
    expect(s2.rows.waitingRows).toBe(1);
    await vi.advanceTimersByTimeAsync(JSON_WAIT_MS);
    expect(s2.rows.waitingRows).toBe(0);
    expect(s2.later.flat()).toEqual([tr]);
    s2.cache.beginBody(); // a second body: the row that already waited is read at once
    s2.rows.reread(tr);
    expect(s2.rows.waitingRows).toBe(0);
    expect(tr.querySelector('[data-ozon-guard]')).not.toBeNull();
  });

  it('a parked row that mutates (or is found again by a scan) stays parked: it is read once, when its order lands', () => {
    const { rows, cache, later } = setup();
    cache.beginBody();
    const [first] = trs();
    rows.reread(first!);
    expect(rows.waitingRows).toBe(1);
    // The page touches the row again, or a full scan finds it: no DOM-only read, no badge yet.
    first!.setAttribute('data-touched', '1');
    rows.reread(first!);
    rows.reread(first!);
    expect(rows.waitingRows).toBe(1);
    expect(first!.querySelector('[data-ozon-guard]')).toBeNull();
    rows.jsonChanged(cache.ingest([jsonOrder('12345678-0001-1')]));
    expect(later.flat()).toEqual([first]);
    for (const r of later.flat()) rows.reread(r);
    // Drawn once, from the JSON (P1): its status is the JSON's.
    const hosts = first!.querySelectorAll('[data-ozon-guard]');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.getAttribute('data-status')).toBe('awaiting_shipment');
  });

  it('a parked row is read without walking it again when its order lands, unless it changed meanwhile', () => {
    const { rows, cache, later } = setup();
    cache.beginBody();
    const [first, second] = trs();
    rows.reread(first!);
    rows.reread(second!);
    expect(rows.waitingRows).toBe(2);
    const spy = vi.spyOn(document, 'createTreeWalker');
    // primaryPosting's walk: elements and text (other readers walk cells for their own reasons).
    const walks = () => spy.mock.calls.filter((c) => c[1] === (1 | 4)).length;
    rows.jsonChanged(cache.ingest([jsonOrder('12345678-0001-1')]));
    for (const r of later.flat()) rows.reread(r);
    // What the parking test found is used: no walk of the row, and the badge is the JSON's.
    expect(walks()).toBe(0);
    expect(first!.querySelector('[data-ozon-guard]')!.getAttribute('data-posting')).toBe('12345678-0001-1');
    expect(first!.querySelector('[data-ozon-guard]')!.getAttribute('data-status')).toBe('awaiting_shipment');

    // The second row is recycled for another posting, and its mutation has not been reported yet.
    const link = second!.querySelector('a')!;
    link.setAttribute('href', '/app/postings/fbs?postingDetails=12345678-0009-1');
    link.textContent = '12345678-0009-1';
    later.length = 0;
    rows.jsonChanged(cache.ingest([jsonOrder('12345678-0002-1')]));
    for (const r of later.flat()) rows.reread(r);
    // Walked again: its badge names the posting it shows now, never the one it was parked under.
    expect(walks()).toBe(1);
    expect(second!.querySelector('[data-ozon-guard]')!.getAttribute('data-posting')).toBe('12345678-0009-1');
    spy.mockRestore();
  });

  it('a body announced by the page world (expect) holds new rows like one being walked: read against it when it lands, released when it ends or at the deadline', async () => {
    const { rows, cache, later } = setup();
    cache.onBodiesDone = () => rows.releaseWaiting();
    cache.expect();
    expect(cache.awaiting()).toBe(true);
    for (const tr of trs()) rows.reread(tr);
    expect(rows.waitingRows).toBe(2);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(0);
    // The body arrives and carries the first row's order: that row is read against it.
    cache.beginBody();
    rows.jsonChanged(cache.ingest([jsonOrder('12345678-0001-1')]));
    expect(later.flat()).toEqual([trs()[0]]);
    // It ends: the expectation is over with it, the other row is read from the DOM.
    cache.endBody();
    expect(cache.awaiting()).toBe(false);
    expect(later.flat()).toEqual([trs()[0], trs()[1]]);
    for (const r of later.flat()) rows.reread(r);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(2);
    expect(trs()[0]!.querySelector('[data-ozon-guard]')!.getAttribute('data-status')).toBe('awaiting_shipment');

    // Announced but never sent (a body the page world then skipped): the wait's deadline releases the rows.
    const s2 = setup();
    s2.cache.expect();
    const tr = freshRow(0);
    s2.rows.reread(tr);
    expect(s2.rows.waitingRows).toBe(1);
    await vi.advanceTimersByTimeAsync(JSON_WAIT_MS);
    expect(s2.cache.awaiting()).toBe(false);
    expect(s2.rows.waitingRows).toBe(0);
    expect(s2.later.flat()).toEqual([tr]);
  });

  it('the wait runs from the feed\'s last step (progress), and no row waits longer than WAIT_MAX_MS however the deadline moves', async () => {
    const { rows, cache, later } = setup();
    cache.beginBody();
    const [first] = trs();
    rows.reread(first!);
    expect(rows.waitingRows).toBe(1);
    // The page's own work holds the feed's first step back past the wait counted from the body's arrival.
    await vi.advanceTimersByTimeAsync(JSON_WAIT_MS - 50);
    cache.progress();
    await vi.advanceTimersByTimeAsync(JSON_WAIT_MS - 50);
    expect(rows.waitingRows).toBe(1); // still waiting: the feed is at work
    await vi.advanceTimersByTimeAsync(100);
    expect(rows.waitingRows).toBe(0); // no step since: read from the DOM
    expect(later.flat()).toEqual([first]);

    // A page announcing bodies over and over: the row is read after WAIT_MAX_MS at the latest.
    const s2 = setup();
    s2.cache.expect();
    const tr = freshRow(1);
    s2.rows.reread(tr);
    expect(s2.rows.waitingRows).toBe(1);
    let waited = 0;
    while (s2.rows.waitingRows && waited < 10_000) {
      s2.cache.expect();
      await vi.advanceTimersByTimeAsync(100);
      waited += 100;
    }
    expect(waited).toBeGreaterThanOrEqual(WAIT_MAX_MS);
    expect(waited).toBeLessThanOrEqual(WAIT_MAX_MS + 100);
    expect(s2.later.flat()).toEqual([tr]);
  });

  it('a JSON order is shared with the badge, never changed: drawing, seller flags, sending and a second reading leave it as it came', () => {
    const { state, rows, cache, sender } = setup();
    const order: Order = {
      ...jsonOrder('12345678-0001-1'),
      availableActions: ['cancel', 'ship'],
      items: [{ sku: '777', offerId: 'A-1', name: 'Чехол', quantity: 2, price: 10 }],
      carrier: 'СДЭК',
    };
    cache.ingest([order]);
    const held = cache.get('12345678-0001-1')!;
    const before = structuredClone(held);
    // The seller lists that SKU as electronics: the badge's order carries the flag, the JSON order does not.
    state.settings = { ...state.settings, skuFlags: { '*': { digital: [], electronics: ['777'], preorder: [] } } };
    rows.reread(trs()[0]!);
    const b = [...rows.badges][0]!;
    expect(b.order!.flags?.electronics).toBe(true);
    expect(b.order!.items).toBe(held.items); // shared, not copied
    rows.reread(trs()[0]!);
    sender.flush();
    const msg = sent.find((m) => m.type === 'orders:seen');
    expect(msg).toBeDefined();
    // The background gets a copy (the browser's) of the orders themselves.
    const m = structuredClone(msg) as { orders: Order[] };
    expect(m.orders[0]!.postingNumber).toBe('12345678-0001-1');
    expect(cache.get('12345678-0001-1')).toBe(held);
    expect(held).toEqual(before);
    expect(held.flags).toBeUndefined();
    sender.destroy();
    rows.destroy();
  });

  it('no body being taken in: rows are read at once, as before', () => {
    const { rows } = setup();
    for (const tr of trs()) rows.reread(tr);
    expect(rows.waitingRows).toBe(0);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(2);
  });
});

describe('scan: changes while the known list\'s rows wait for their JSON', () => {
  it('a change inside a row not drawn yet re-reads that row; a change outside the rows scans nothing', async () => {
    const { state, rows, cache, later } = setup();
    document.body.insertAdjacentHTML('afterbegin', '<header id="hd"><span id="count">0</span></header>');
    const scan = new RowScanner(state, { rows, changed: () => {}, settle: () => {} });
    const full = vi.spyOn(scan, 'fullScan');
    const reread = vi.spyOn(rows, 'reread');
    cache.beginBody();
    scan.start();
    scan.fullScan();
    expect(rows.waitingRows).toBe(2); // both rows parked for their orders: no badge drawn yet
    expect(rows.size).toBe(0);
    full.mockClear();
    reread.mockClear();
    // The page's counter changes (outside any row): no full scan of the list.
    document.querySelector('#count')!.textContent = '2';
    await vi.advanceTimersByTimeAsync(100);
    expect(full).not.toHaveBeenCalled();
    // A cell of the first row gains a node: that row alone is looked at again (and stays parked).
    const [first] = trs();
    first!.querySelector('td')!.append(document.createElement('i'));
    await vi.advanceTimersByTimeAsync(100);
    expect(full).not.toHaveBeenCalled();
    expect(reread.mock.calls.map((c) => c[0])).toEqual([first]);
    expect(rows.waitingRows).toBe(2);
    // Its order lands: read once, against it.
    rows.jsonChanged(cache.ingest([{ postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_shipment', shipBy: new Date(NOW + 7 * H).toISOString() }]));
    for (const r of later.flat()) rows.reread(r);
    expect(first!.querySelector('[data-ozon-guard]')?.getAttribute('data-status')).toBe('awaiting_shipment');
    scan.destroy();
    rows.destroy();
  });
});

describe('scan: a batch of rows first lets a small waiting body in (json-feed.ts kick)', () => {
  it('calls beforeRead before it reads the batch\'s rows', async () => {
    const { state, rows } = setup();
    const log: string[] = [];
    const scan = new RowScanner(state, { rows, changed: () => {}, settle: () => {}, beforeRead: () => void log.push('before') });
    const reread = rows.reread.bind(rows);
    vi.spyOn(rows, 'reread').mockImplementation((r) => {
      log.push('read');
      reread(r);
    });
    scan.start();
    scan.fullScan();
    log.length = 0;
    document.querySelector('#tb')!.insertAdjacentHTML('beforeend', rowHtml('12345678-0003-1', NOW + 3 * H));
    await vi.advanceTimersByTimeAsync(100);
    expect(log[0]).toBe('before');
    expect(log).toContain('read');
    scan.destroy();
    rows.destroy();
  });
});

/** A row element from its markup (a `<tr>` parsed in its table's context). */
function trOf(html: string): Element {
  const t = document.createElement('table');
  t.innerHTML = `<tbody>${html}</tbody>`;
  return t.querySelector('tr')!;
}

describe('scan: the first chunk of a list the JSON announced is read from the observer\'s callback', () => {
  it('no list known, postings described: the first rows added are scanned at once, the next chunks read as rows of the list; at most one eager scan per EAGER_SCAN_GAP_MS', async () => {
    const { state, rows } = setup();
    const tb = document.querySelector('#tb')!;
    tb.replaceChildren(); // the list, mounted by the page later
    let expect_ = false;
    const scan = new RowScanner(state, { rows, changed: () => {}, settle: () => {}, expectRows: () => expect_ });
    const full = vi.spyOn(scan, 'fullScan');
    scan.start();
    // Nothing described yet: an addition waits for the observer's delay (no scan from its callback).
    document.body.insertAdjacentHTML('beforeend', '<div id="spinner">…</div>');
    await Promise.resolve();
    await Promise.resolve();
    expect(full).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    full.mockClear();
    // The panel's JSON described postings: the first chunk is scanned in the callback, no timer run.
    expect_ = true;
    tb.append(trOf(rowHtml('12345678-0001-1', NOW + 5 * H)));
    await Promise.resolve();
    await Promise.resolve();
    expect(full).toHaveBeenCalledTimes(1);
    expect(rows.size).toBe(1);
    // The next chunk is a known list's new rows: read in the callback without a scan.
    tb.append(trOf(rowHtml('12345678-0002-1', NOW + 50 * MIN)));
    await Promise.resolve();
    await Promise.resolve();
    expect(full).toHaveBeenCalledTimes(1);
    expect(rows.size).toBe(2);
    scan.destroy();
    rows.destroy();
  });

  it('a page that keeps changing with no order row in it is scanned eagerly at most once per gap', async () => {
    const { state, rows } = setup();
    document.querySelector('#tb')!.replaceChildren();
    const scan = new RowScanner(state, { rows, changed: () => {}, settle: () => {}, expectRows: () => true });
    const full = vi.spyOn(scan, 'fullScan');
    scan.start();
    for (let i = 0; i < 20; i++) {
      document.body.insertAdjacentHTML('beforeend', `<p>tick ${i}</p>`);
      await Promise.resolve();
      await Promise.resolve();
    }
    // One eager scan; the rest waited for the observer's delay (none has passed in fake time).
    expect(full).toHaveBeenCalledTimes(1);
    scan.destroy();
    rows.destroy();
  });
});

describe('destroy() of each overlay part', () => {
  it('json-cache: the orders held are let go', () => {
    const { cache } = setup();
    cache.ingest([{ postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'awaiting_packaging' } as Order]);
    expect(cache.map.size).toBe(1);
    cache.destroy();
    expect(cache.map.size).toBe(0);
  });

  it('sender: its debounce timer is cleared and nothing is sent afterwards', async () => {
    const { sender, rows } = setup();
    for (const tr of trs()) rows.reread(tr);
    expect(sender.armed).toBe(true);
    sender.destroy();
    expect(timers.size).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    sender.flush();
    expect(sent).toHaveLength(0);
  });

  it('layout-watch: its settle timer is cleared', async () => {
    const { state } = setup();
    const w = new LayoutWatch(state, { rows: () => 0, jsonSinceNav: () => 0 });
    w.arm();
    expect(w.armed).toBe(true);
    w.destroy();
    expect(w.armed).toBe(false);
    expect(timers.size).toBe(0);
  });

  it('rows: every badge leaves the page', () => {
    const { rows, sender } = setup();
    for (const tr of trs()) rows.reread(tr);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(2);
    rows.destroy();
    sender.destroy();
    expect(ours()).toBe(0);
    expect(rows.size).toBe(0);
  });

  it('rows: rows waiting for the JSON and the wait\'s timer are gone', () => {
    const { rows, cache, sender } = setup();
    cache.beginBody();
    for (const tr of trs()) rows.reread(tr);
    expect(rows.waitingRows).toBe(2);
    expect(timers.size).toBe(1); // the wait's deadline (nothing was drawn, so nothing queued to send)
    rows.destroy();
    sender.destroy();
    cache.destroy();
    expect(rows.waitingRows).toBe(0);
    expect(timers.size).toBe(0);
  });

  it('scan: the observer is disconnected and the backlog and its timer are gone', async () => {
    const { state, rows, sender } = setup();
    const changed = vi.fn();
    const scan = new RowScanner(state, { rows, changed, settle: () => {} });
    scan.start();
    scan.fullScan();
    expect(rows.size).toBe(2);
    scan.destroy();
    expect(scan.pending).toEqual({ rows: 0, armed: false });
    const calls = changed.mock.calls.length;
    document.querySelector('#tb')!.insertAdjacentHTML('beforeend', rowHtml('12345678-0003-1', NOW + 3 * H));
    await vi.advanceTimersByTimeAsync(500);
    expect(changed.mock.calls.length).toBe(calls);
    rows.destroy();
    sender.destroy();
    expect(timers.size).toBe(0);
    expect(listeners.net).toBe(0);
  });

  it('clock: the ticker stops, its wake listeners and its scroll tick go', () => {
    const { state, rows, sender } = setup();
    for (const tr of trs()) rows.reread(tr);
    const run = vi.fn((now: number) => clock.tick(now));
    const clock: Clock = new Clock(state, { badges: () => rows.badges, lost: () => {}, levelsChanged: () => {}, quiet: () => {}, ticked: () => {}, run });
    clock.start();
    clock.scrolled();
    expect(clock.armed).toBe(true);
    expect(run).toHaveBeenCalled();
    expect(listeners.net).toBeGreaterThan(0);
    sender.destroy();
    clock.destroy();
    expect(clock.armed).toBe(false);
    expect(listeners.net).toBe(0);
    expect(timers.size).toBe(0);
    const n = run.mock.calls.length;
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(run.mock.calls.length).toBe(n);
    rows.destroy();
  });

  it('card-control: the card, its listeners and its hover / hide timers go', async () => {
    await loadUiChunk();
    const { state, rows, sender } = setup();
    for (const tr of trs()) rows.reread(tr);
    const card = new CardControl(state, (b) => rows.badges.has(b));
    const [a, b] = [...rows.badges];
    card.show(a!);
    expect(document.querySelector('ozon-guard-card')).not.toBeNull();
    expect(card.anchor).toBe(a!.host);
    // A hover on the other badge arms the hover timer; leaving the card arms the hide timer.
    card.onPointerOver({ target: b!.host } as unknown as Event);
    card.host!.dispatchEvent(new MouseEvent('mouseleave'));
    expect(card.armed).toBe(2);
    sender.destroy();
    card.destroy();
    expect(card.armed).toBe(0);
    expect(timers.size).toBe(0);
    expect(listeners.net).toBe(0);
    expect(document.querySelector('ozon-guard-card')).toBeNull();
    rows.destroy();
  });

  it('chip-control: the chip and the at-risk list leave the page with their listeners', async () => {
    await loadUiChunk();
    const { state, rows, sender } = setup();
    for (const tr of trs()) rows.reread(tr);
    const chip = new ChipControl(state, () => rows.badges);
    chip.update();
    chip.toggleList();
    expect(document.querySelector('ozon-guard-chip')).not.toBeNull();
    expect(document.querySelector('ozon-guard-list')).not.toBeNull();
    sender.destroy();
    chip.destroy();
    rows.destroy();
    expect(ours()).toBe(0);
    expect(listeners.net).toBe(0);
    expect(timers.size).toBe(0);
  });
});
