/**
 * The clock of the page: the one shared ticker (ticker.ts: one timeout,
 * re-armed as rarely as the visible text allows, woken after sleep) and which
 * badges are near the viewport (off-screen badges skip their text updates).
 *
 * Near the viewport is a cheap window check, not an IntersectionObserver
 * registration per badge (docs/performance.md): only a badge whose countdown
 * text is about to change has its box read, at most once per "scroll epoch";
 * a scroll (the entrypoint's one scroll listener → onScroll) or NEAR_RECHECK_MS
 * starts a new epoch and ticks soon, so text left stale off screen is written
 * as it comes into view.
 *
 * Owns the ticker (its timer and wake listeners) and the scroll tick's timer.
 */
import { tickBadge, type Badge } from '../../components/badge/badge';
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

/** Badges this far (px) outside the viewport still count as visible (no stale text while scrolling in). */
const NEAR_MARGIN = 300;
/** After a scroll, the tick that writes what came into view waits this long (one per burst of scroll events). */
const SCROLL_TICK_MS = 120;
/** Rows can move without a scroll (the page inserting above them): visibility is measured anew at least this often. */
const NEAR_RECHECK_MS = 10_000;

export class Clock {
  private readonly ticker: Ticker;
  private epoch = 0;
  private epochAt = 0;
  private viewH = 0;
  private scrollTimer: unknown = null;
  /** Whether a badge is near the viewport, measured at most once per epoch. */
  private readonly near = (b: Badge): boolean => {
    if (b.nearEpoch !== this.epoch) {
      b.nearEpoch = this.epoch;
      const r = b.host.getBoundingClientRect();
      b.visible = r.bottom >= -NEAR_MARGIN && r.top <= this.viewH + NEAR_MARGIN;
    }
    return b.visible;
  };

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

  /** The page scrolled: badges may have come into view; one tick soon writes their text. */
  scrolled(): void {
    this.epoch++;
    if (this.scrollTimer !== null) return;
    this.scrollTimer = this.state.env.setTimeout(() => {
      this.scrollTimer = null;
      this.state.guard('scroll', () => this.ticker.poke());
    }, SCROLL_TICK_MS);
  }

  /** One tick for every badge; returns the nearest positive msLeft on screen. */
  tick(now: number): number {
    const s = this.state;
    let nearest = Infinity;
    let levels = false;
    const lost: Badge[] = [];
    if (now - this.epochAt >= NEAR_RECHECK_MS) {
      this.epoch++;
      this.epochAt = now;
    }
    this.viewH = s.env.win.innerHeight || s.env.doc.documentElement?.clientHeight || 0;
    for (const b of this.deps.badges()) {
      if (!b.host.isConnected) {
        lost.push(b);
        continue;
      }
      if (tickBadge(b, now, s.lines, this.near)) levels = true;
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

  /** Timers pending (the destroy tests). */
  get armed(): boolean {
    return this.scrollTimer !== null || this.ticker.running;
  }

  destroy(): void {
    this.ticker.stop();
    if (this.scrollTimer !== null) this.state.env.clearTimeout(this.scrollTimer);
    this.scrollTimer = null;
  }
}
