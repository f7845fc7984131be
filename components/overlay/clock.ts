/**
 * The clock of the page: the one shared ticker (ticker.ts: one timeout,
 * re-armed as rarely as the visible text allows, woken after sleep) and which
 * badges are near the viewport (off-screen badges skip their text updates).
 * Owns the ticker (its timer and wake listeners) and the one
 * IntersectionObserver.
 */
import { tickBadge, badgeOf, type Badge } from '../../components/badge/badge';
import { createTicker, type Ticker } from './ticker';
import type { OverlayState } from './state';

export interface ClockDeps {
  /** This run's live badges. */
  badges(): ReadonlySet<Badge>;
  /** A badge whose host the page dropped without a mutation we could see. */
  lost(b: Badge): void;
  /** Some level changed, or badges were lost: the chip's counts. */
  levelsChanged(): void;
  /** Nothing but countdowns moved. */
  quiet(): void;
  /** After every tick (the open card). */
  ticked(now: number): void;
  /** What the ticker runs: the controller's tick() (spied on by tests), which calls tick() here. */
  run(now: number): number;
}

/** Badges this far outside the viewport still count as visible (no blank text while scrolling in). */
const NEAR_MARGIN = '300px 0px';

export class Clock {
  private readonly ticker: Ticker;
  private io: IntersectionObserver | null = null;

  constructor(
    private readonly state: OverlayState,
    private readonly deps: ClockDeps,
  ) {
    const env = state.env;
    this.ticker = createTicker({
      tick: (now) => deps.run(now),
      now: env.now,
      setTimeout: env.setTimeout,
      clearTimeout: env.clearTimeout,
      doc: env.doc,
      // Wake signs (focus, pageshow, online): after the machine slept the first tick corrects everything.
      win: env.win,
      onError: (e) => env.onError(e, 'ticker'),
    });
    const IO = (env.win as unknown as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
    if (IO) {
      try {
        // ONE observer for every badge.
        this.io = new IO((entries) => state.guard('io', () => this.onIntersect(entries)), { rootMargin: NEAR_MARGIN });
      } catch {
        this.io = null;
      }
    }
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  /** Something changed: tick soon (the ticker decides how soon). */
  poke(): void {
    this.ticker.poke();
  }

  /** A new badge: its visibility is followed. */
  watch(b: Badge): void {
    this.io?.observe(b.host);
  }

  unwatch(b: Badge): void {
    this.io?.unobserve(b.host);
  }

  /** One tick for every badge; returns the nearest positive msLeft on screen. */
  tick(now: number): number {
    const s = this.state;
    let nearest = Infinity;
    let levels = false;
    const lost: Badge[] = [];
    for (const b of this.deps.badges()) {
      if (!b.host.isConnected) {
        lost.push(b);
        continue;
      }
      if (tickBadge(b, now, s.lines, s.view)) levels = true;
      if (b.visible) {
        const ms = b.dueMs - now;
        if (ms > 0 && ms < nearest) nearest = ms;
      }
    }
    for (const b of lost) this.deps.lost(b);
    if (levels || lost.length) this.deps.levelsChanged();
    else this.deps.quiet();
    this.deps.ticked(now);
    return nearest;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const now = this.state.env.now();
    let any = false;
    for (const en of entries) {
      const b = badgeOf(en.target);
      if (!b) continue;
      const was = b.visible;
      b.visible = en.isIntersecting;
      if (b.visible && !was) {
        tickBadge(b, now, this.state.lines, this.state.view);
        any = true;
      }
    }
    if (any) this.ticker.poke();
  }

  destroy(): void {
    this.ticker.stop();
    this.io?.disconnect();
    this.io = null;
  }
}
