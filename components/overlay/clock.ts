/**
 * The clock of the page: the one shared ticker (ticker.ts: one timeout,
 * re-armed as rarely as the visible text allows, woken after sleep) and which
 * badges are near the viewport (off-screen badges skip their text updates).
 *
 * Near the viewport is a cheap window check, not an IntersectionObserver
 * registration per badge (docs/performance.md), and it never reads layout
 * unless the seller scrolls: a layout read while the page builds or redraws
 * its list forces a full layout in our task (measured: 560 ms at 5,000 rows
 * when read inside ticks, 100 ms when read every 10 s). After a scroll (at
 * most every SCROLL_MEASURE_MS) one pass in an animation frame finds the
 * badges near the viewport, then writes the text of those that came into view;
 * badges found off screen skip their countdown text until the next pass. In a
 * long list the pass reads a few dozen boxes, not one per badge: the rows near
 * the viewport are found by the probe's binary search (below), and only rows
 * outside such a list, or in one whose boxes are not in document order, are
 * read one by one (a box read is ≈ 5–6 µs on the bench's page: 28 ms a pass at
 * 5,000 rows, about a second of the thread for 3 s of scrolling; docs/performance.md
 * "Nineteenth pass"). When rows
 * change (the page inserting above them moves them without a scroll) every
 * badge counts as visible again until the next scroll.
 *
 * A badge whose countdown shows seconds (its last hour) is the one whose
 * text changes every second; for those alone, one IntersectionObserver for
 * the page says when they are near the viewport (the browser computes it in
 * its own frame, no layout read of ours): off screen they skip their
 * per-second text, and when none is on screen the ticker falls back to
 * minutes. Writing every such countdown every second, seen or not, was most
 * of a tick's cost (tickMs1k, docs/performance.md). A badge is watched from
 * the tick that finds it in its last hour until it leaves the page; its
 * visibility is then the observer's alone (the scroll pass and a change of
 * rows leave it be, since the observer follows layout shifts too).
 *
 * A long list's badges past the first DRAW_AT_ONCE are made bare (badge.ts
 * `Badge.bare`: every contract attribute and the aria-label, no pills) and
 * drawn here once near the viewport: a second observer answers once for each
 * new bare badge (the browser computes it after its next layout; the badge is
 * then let go, so scrolling costs the observer nothing), the scroll pass and
 * the watched badges' observer draw those that come into view later, and
 * rows leaving the page (which moves the rows below without a scroll) has the
 * bare ones checked again, at most every BARE_RECHECK_MS. A row re-rendered in
 * place whose badge was drawn near the viewport comes back drawn (bareOk). The pills of a thousand
 * badges off screen were most of what the badges cost the page to render
 * (docs/performance.md "Sixteenth pass").
 *
 * Anything else can move rows into view without a scroll too: a filter panel
 * or an expanded row above them collapsing, a banner closed, a font arriving.
 * For those, a probe finds the rows near the viewport by a binary search on the
 * boxes of the list's children (a few dozen box reads, whatever the list's
 * length) and, when one of them carries a bare badge, has the bare ones
 * checked again. It runs PROBE_DELAY_MS after a click, a key, a transition or
 * an animation ending, or an element leaving the page, and is asked for by the
 * ticks at most every PROBE_TICK_MS (a change with no event of its own: a class
 * set by the page's own timer). A box read needs the page's layout, so the
 * probe runs only once rows have been quiet for PROBE_QUIET_MS, and then after
 * the next frame, never in the task of a tick or of writes of ours: a probe that
 * forced the layout of a list being re-rendered, or of a tick's own writes, cost
 * the page that layout in our task (docs/performance.md "Eighteenth pass").
 * Every trigger is a no-op while no badge is bare.
 *
 * Owns the ticker (its timer and wake listeners), the scroll timer, the
 * measuring frame, the two observers, the recheck timer and the probe timer.
 */
import { HOST_TAG, drawBadge, tickBadge, type Badge } from '../../components/badge/badge';
import { showsSeconds } from '../../components/badge/countdown';
import { HOUR, MINUTE, createTicker, type Ticker } from './ticker';
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
  /** The live badge of the row `el` is (or of the host `el` is), if any: what the probe maps a list's child to. */
  badgeAt?(el: Element): Badge | undefined;
}

/**
 * While a page keeps appending rows, each settling tick (the ticker re-armed, the chip's count)
 * costs in proportion to the badges on the page: the chip counts them all, ≈ 2–10 µs each before
 * the engine has optimised it (and the tick itself walked them all before it visited only the
 * watched ones). Spaced by SETTLE_MS_PER_BADGE per badge (at most SETTLE_MAX_MS), those ticks stay
 * a small, fixed share of the thread however long the list grows; at 100 ms apart they were ≈ 10 %
 * of the extension's time on a 5,000-row render (≈ 50 ticks over a growing list,
 * docs/performance.md). New badges are drawn with their level and countdown at once either way;
 * only the chip's count waits: a quarter of a second on a 1,000-row list, a second at most.
 */
const SETTLE_MS_PER_BADGE = 0.25;
const SETTLE_MAX_MS = 1000;

export function settleSpacing(badges: number): number {
  return Math.min(SETTLE_MAX_MS, badges * SETTLE_MS_PER_BADGE);
}

/** Badges this far (px) outside the viewport still count as visible (no stale text while scrolling in). */
const NEAR_MARGIN = 300;
/**
 * Up to this many badges on the page, every badge is drawn at once (the panel's list opens with
 * 50 rows: docs/real-panel.md §3); past it a new badge is bare until it is near the viewport.
 */
export const DRAW_AT_ONCE = 60;
/** After rows change, bare badges are checked again this long after (at most once per this long). */
const BARE_RECHECK_MS = 1000;
/** A posting whose drawn badge near the viewport left the page this recently gets its new badge drawn at once. */
const SHOWN_KEEP_MS = 2000;
/** At most this many such postings are remembered (then started afresh). */
const SHOWN_MAX = 500;
/** After a click, a key, a transition or an element leaving the page, the probe runs this long after (once for a burst). */
const PROBE_DELAY_MS = 350;
/** The ticks ask for the probe at most this often (the fallback for a change that gave no sign). */
const PROBE_TICK_MS = 30_000;
/** The probe runs only once rows have not changed for this long (a list being built or re-rendered has its layout dirty: none forced by us). */
const PROBE_QUIET_MS = 1_000;
/** A frame the probe waits for that has not come by then (cancelled by the page): it runs from this timer. */
const PROBE_FRAME_BACKSTOP_MS = 500;
/** However often rows keep changing, a probe asked for runs within this long. */
const PROBE_WAIT_MAX_MS = 5_000;
/** At most this many lists are searched (the rows' containers: a list, a drawer); more means one wrapper per row: one level up. */
const PROBE_LISTS = 4;
/** How many levels above the rows a list is looked for. */
const PROBE_CLIMB = 2;
/** At most this many children from the first one near the viewport are looked at (a viewport and its margins of rows). */
const PROBE_ROWS_MAX = 200;
/** At most this many children in a row that are not laid out (collapsed) are stepped over to find a box. */
const PROBE_SKIP_MAX = 16;
/**
 * The scroll pass searches a list holding at least this many badges' rows (nearKids); a shorter
 * list's badges are read one by one, which costs them less than a millisecond.
 */
const SEARCH_MIN = 100;
/** A list is searched when its children hold at most this many rows each on average (a row, its detail row). */
const KID_ROWS_MAX = 4;
/** While scrolling, the measuring pass runs at most this often. */
const SCROLL_MEASURE_MS = 120;
/** A measuring pass whose animation frame has not come by then runs from its timer (see `frame`); a hidden tab has no frames either. */
const MEASURE_BACKSTOP_MS = 500;

export class Clock {
  private readonly ticker: Ticker;
  /** Rows were added or dropped since the last tick: the chip's counts are due (levelsChanged). */
  private countsDue = false;
  /** Whether the last measuring pass found some badge off screen. */
  private anyHidden = false;
  private scrollTimer: unknown = null;
  /** When the page last scrolled (epoch ms): a scroll after SCROLL_MEASURE_MS of none is measured at once (`scrolled`). */
  private scrolledAt = -Infinity;
  /**
   * The scroll pass's grouping of the badges' rows into the lists it searches and the badges it
   * reads one by one (nearBadges), kept while the rows stay as they were: scrolling moves no row,
   * and grouping 5,000 rows anew at every pass cost more than the search (docs/performance.md
   * "Nineteenth pass"). Dropped when rows change, when a badge leaves, and when a badge is drawn
   * that it did not group as it is now (a new one, or one in another row or host); a badge drawn
   * again in place (the panel's JSON, a tick's level) keeps it ("Twentieth pass").
   */
  private plan: {
    lists: { list: Element; kids: Map<Element, Badge[]> }[];
    single: Badge[];
    /** Each badge grouped, with the row and host it was grouped by. */
    at: Map<Badge, [Element | null, Element]>;
  } | null = null;
  /**
   * The badges the last scroll pass found near (their `visible` set by it), and whether the next
   * pass must visit every badge (rows changed: every badge counts as visible again). Between two
   * passes of one scroll only the badges entering or leaving the margin change, so a pass then
   * writes those alone, not a flag on each of 5,000 badges ("Nineteenth pass").
   */
  private passNear = new Set<Badge>();
  private passFull = true;
  /**
   * The pending measuring pass: an animation frame, and a timer behind it. The timer is the
   * backstop for a frame that never comes: a page may cancel animation frames it does not own
   * (their ids are the page's, like timers', components/overlay/timers.ts pageProofTimers), and a
   * pass that never ran would hold every later one back. Whichever comes first runs it.
   */
  private frame: { raf?: number; timer: unknown } | null = null;
  /** The one observer of the watched badges (null where the browser has none, or after destroy). */
  private io: IntersectionObserver | null | undefined = undefined;
  private readonly byHost = new WeakMap<Element, Badge>();
  private watchedCount = 0;
  /**
   * The watched badges (their countdown shows seconds) near the viewport, as the observer last said
   * (until it first answers, all of them): what a tick between two full walks visits. Off screen a
   * watched badge's seconds wait anyway; its level follows at the next full walk, as every other
   * badge's does.
   */
  private readonly shownWatched = new Set<Badge>();
  /**
   * When the next tick must walk every badge (epoch ms): the next wall-clock minute after the last
   * full walk (minute texts, levels, lost hosts), or earlier when a badge not watched is due to
   * enter its last hour (its seconds start then). Ticks before it (every second while a watched
   * countdown is on screen, the settling ticks after batches of rows) visit only the watched
   * badges near the viewport: a walk of 5,000 badges every second was ≈ 10 % of the extension's time on a
   * 5,000-row render (docs/performance.md). 0: the next tick is a full one.
   */
  private fullDueAt = 0;
  /** A badge showing seconds could not be watched: every tick walks every badge. */
  private fullOnly = false;
  /** The nearest deadline among visible badges not watched, as of the last full walk and the badges noted since (epoch ms). */
  private otherNearestDue = Infinity;
  /** The one-shot observer of bare badges (null where the browser has none or bare badges are off, or after destroy). */
  private nearIo: IntersectionObserver | null | undefined = undefined;
  /** Bare badges the one-shot observer has not answered for yet (it holds them until then). */
  private readonly checking = new Set<Badge>();
  private readonly checkingByHost = new WeakMap<Element, Badge>();
  /**
   * Where each bare badge's host was when the one-shot observer was last asked about it: a bare
   * badge drawn again in place (a change of settings or language, its order updated by the panel's
   * JSON) is not asked again, as nothing moved it. Asking every bare badge of a 5,000-row list again
   * at each change of settings was ≈ 30 ms of its redraw ("Nineteenth pass").
   */
  private readonly askedIn = new WeakMap<Badge, Node | null>();
  /** Postings whose drawn badge near the viewport left the page, and when (epoch ms): see bareOk. At most SHOWN_MAX. */
  private readonly shownGone = new Map<string, number>();
  /** Some badge was made bare since the last recheck found none. */
  private anyBare = false;
  /** A badge left the page since the last batch of rows (rowsChanged then has the bare ones checked again). */
  private dropped = false;
  private recheckTimer: unknown = null;
  /** The probe's pending timer (its delay, its wait for quiet rows, or the backstop of its frame), and its frame. */
  private probeTimer: unknown = null;
  private probeRaf: number | undefined = undefined;
  /** When the probe last ran (or the ticks last asked for it), and when rows last changed (epoch ms): PROBE_TICK_MS, PROBE_QUIET_MS. */
  private probedAt = 0;
  private rowsAt = 0;
  /** When the pending probe was asked for (epoch ms): PROBE_WAIT_MAX_MS. */
  private probeAskedAt = 0;

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

  /**
   * Rows changed in a batch: one tick within `ms` recounts the chip and
   * re-arms the ticker, shared by every batch until then (a full tick and a
   * full count per batch made N rows in k batches cost O(N·k)).
   */
  rowsSettling(ms: number): void {
    this.countsDue = true;
    this.ticker.soon(Math.max(ms, settleSpacing(this.deps.badges().size)));
  }

  /**
   * The page scrolled: badges may have come into view. The first scroll after a quiet spell is
   * measured in the next animation frame (the frame that shows it, when the event came in the
   * frame's own scroll steps), then at most one pass per SCROLL_MEASURE_MS while it goes on, and
   * one after it stops. Why the first at once: a jump (the End key, a drag of the scrollbar, a page
   * scrolling the «Показать ещё» button into view) shows bare rows in the viewport itself, and
   * their pills, drawn 120 ms later, made the rows taller and moved what was below them as the
   * seller reached for it (docs/performance.md "Twentieth pass"). Drawn in that first frame, they
   * no longer move under the seller's eyes (a scroll the compositor runs ahead of the page may still
   * show them bare for a frame).
   */
  scrolled(): void {
    const now = this.state.env.now();
    const quiet = now - this.scrolledAt >= SCROLL_MEASURE_MS;
    this.scrolledAt = now;
    if (this.scrollTimer !== null) return;
    // A lone scroll (a jump) needs no second pass: the first saw where it ended.
    if (quiet) return this.requestMeasure();
    this.scrollTimer = this.state.env.setTimeout(() => {
      this.scrollTimer = null;
      this.requestMeasure();
    }, SCROLL_MEASURE_MS);
  }

  /** Rows changed: positions are unknown again, every badge counts as visible (its text is kept current); watched ones are the observer's. */
  rowsChanged(): void {
    this.rowsAt = this.state.env.now();
    this.plan = null;
    this.passFull = true;
    if (this.dropped) {
      this.dropped = false;
      this.recheckSoon();
    }
    if (!this.anyHidden) return;
    this.anyHidden = false;
    for (const b of this.deps.badges()) if (!b.watched) b.visible = true;
    // Badges back in view: the next tick counts them (nearest deadline, last hour).
    this.fullDueAt = 0;
  }

  /**
   * Whether a new badge may be bare: this page has DRAW_AT_ONCE badges already, the environment
   * asks for it (the content script's; ControllerEnv.drawNear), the one-shot observer exists, and
   * no drawn badge of its posting left the page in the last SHOWN_KEEP_MS (a list re-rendered in
   * place: the row the seller was looking at comes back drawn, not blank for a frame).
   */
  bareOk(badges: number, posting: string): boolean {
    if (badges < DRAW_AT_ONCE || !this.state.env.drawNear || !this.nearObserver()) return false;
    const gone = this.shownGone.get(posting);
    return gone === undefined || this.state.env.now() - gone > SHOWN_KEEP_MS;
  }

  private nearObserver(): IntersectionObserver | null {
    if (this.nearIo !== undefined) return this.nearIo;
    const win = this.state.env.win as Window & { IntersectionObserver?: typeof IntersectionObserver };
    const IO = win.IntersectionObserver;
    this.nearIo = null;
    if (typeof IO !== 'function' || this.state.destroyed) return null;
    try {
      this.nearIo = new IO((entries) => this.state.guard('near', () => this.checked(entries)), { rootMargin: `${NEAR_MARGIN}px 0px` });
    } catch {
      this.nearIo = null;
    }
    return this.nearIo;
  }

  /** A bare badge: the one-shot observer says once whether it is near the viewport (`checked`). */
  private check(b: Badge): void {
    if (this.checking.has(b)) return;
    const io = this.nearObserver();
    try {
      if (!io) throw new Error('no observer');
      io.observe(b.host);
    } catch {
      // Nobody would ever say it is near: drawn now, as every badge was before.
      drawBadge(b, this.state.env.now());
      return;
    }
    this.checking.add(b);
    this.checkingByHost.set(b.host, b);
    this.askedIn.set(b, b.host.parentNode);
  }

  /** The one-shot observer's answer: bare badges near the viewport are drawn; each is let go either way. */
  private checked(entries: IntersectionObserverEntry[]): void {
    const now = this.state.env.now();
    let shown = false;
    for (const e of entries) {
      const b = this.checkingByHost.get(e.target);
      if (!b) continue;
      this.checking.delete(b);
      this.checkingByHost.delete(b.host);
      // Its visibility as answered (not `anyHidden`: a bare badge off screen has no text to keep current,
      // so rows changing need not count it visible again; the scroll pass and the rechecks find it).
      if (!b.watched) b.visible = e.isIntersecting;
      if (e.isIntersecting && drawBadge(b, now)) shown = true;
    }
    // Each answered badge is let go (an observed badge costs the browser a check in every frame that
    // scrolls): usually all of them at once, in one call; badges observed after the browser's check
    // (their answer still to come) keep the observer, and the answered ones leave one by one.
    try {
      if (!this.checking.size) this.nearIo?.disconnect();
      else for (const e of entries) if (!this.checkingByHost.has(e.target)) this.nearIo?.unobserve(e.target);
    } catch {
      /* best effort */
    }
    if (shown) {
      this.fullDueAt = 0;
      this.ticker.poke();
    }
  }

  /**
   * Bare badges checked again in a while: rows left the page (the rows below them move up, into
   * view, without a scroll) or the window was resized. Rows added move nothing into view that was
   * not checked: the browser's scroll anchoring keeps what is on screen in place when rows come
   * above it, and rows added below it are new badges, checked themselves.
   */
  recheckSoon(): void {
    if (!this.anyBare || this.recheckTimer !== null || this.state.destroyed) return;
    this.recheckTimer = this.state.env.setTimeout(() => {
      this.recheckTimer = null;
      this.state.guard('near', () => this.recheckBare());
    }, BARE_RECHECK_MS);
  }

  /** Rows changed a while ago: bare badges (some may have moved into view without a scroll) are checked again. */
  private recheckBare(): void {
    let any = false;
    for (const b of this.deps.badges()) {
      if (!b.bare) continue;
      any = true;
      if (b.host.isConnected) this.check(b);
    }
    this.anyBare = any;
  }

  /**
   * Something may have moved rows without a scroll (a click, a key, a transition or animation
   * ending, an element leaving the page): the probe runs once PROBE_DELAY_MS after the first of
   * a burst. Nothing while no badge is bare.
   */
  layoutMayMove(): void {
    if (!this.anyBare || this.probeTimer !== null || this.state.destroyed) return;
    this.probeAskedAt = this.state.env.now();
    this.armProbe(PROBE_DELAY_MS);
  }

  /**
   * The probe's one timer: when it fires while rows are still changing, it waits for them to be
   * quiet, but not beyond PROBE_WAIT_MAX_MS after it was asked for (a list the page keeps changing).
   */
  private armProbe(ms: number): void {
    const env = this.state.env;
    this.probeTimer = env.setTimeout(() => {
      this.probeTimer = null;
      const quietIn = Math.min(this.rowsAt + PROBE_QUIET_MS, this.probeAskedAt + PROBE_WAIT_MAX_MS) - env.now();
      if (quietIn > 0) return this.armProbe(quietIn);
      // After the next frame: the writes since (a tick's text, badges an observer's answer drew) are laid
      // out by then, so the box reads find the layout clean instead of forcing it. A frame the page cancels,
      // or that never comes, is backstopped by the timer.
      const win = env.win;
      if (typeof win.requestAnimationFrame !== 'function' || env.doc.hidden) return this.runProbe();
      this.probeTimer = env.setTimeout(() => this.runProbe(), PROBE_FRAME_BACKSTOP_MS);
      try {
        this.probeRaf = win.requestAnimationFrame(() => {
          this.probeRaf = undefined;
          if (this.probeTimer === null) return;
          env.clearTimeout(this.probeTimer);
          this.probeTimer = env.setTimeout(() => this.runProbe(), 0);
        });
      } catch {
        /* the backstop runs it */
      }
    }, ms);
  }

  /** The probe, its timer and frame ended. */
  private runProbe(): void {
    if (this.probeTimer !== null) this.state.env.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.cancelProbeFrame();
    this.state.guard('near', () => this.probe());
  }

  private cancelProbeFrame(): void {
    if (this.probeRaf === undefined) return;
    try {
      this.state.env.win.cancelAnimationFrame?.(this.probeRaf);
    } catch {
      /* best effort */
    }
    this.probeRaf = undefined;
  }

  /**
   * Whether a bare badge's row is near the viewport now: in each list that holds bare badges'
   * rows (their common container, whose children are laid out in their order), the children near
   * the viewport are found by a binary search on their boxes, and their badges looked at. When one
   * is bare, the rows moved without a scroll, and every bare badge is checked again (recheckBare:
   * the one-shot observer answers with the margin, and knows what scroll containers clip). A few
   * dozen box reads whatever the list's length, on a layout the frame has just made (armProbe);
   * nothing where the tab is hidden (its frames, and the seller, are elsewhere).
   *
   * Not a hit test (`elementsFromPoint`): on a list under a sticky header (the bench's page has one,
   * as many lists do) each hit test cost ≈ 0.8 ms at 1,000 rows on a laid-out page, where a box read
   * here costs ≈ 3 µs (docs/performance.md "Eighteenth pass").
   */
  private probe(): void {
    const s = this.state;
    this.probedAt = s.env.now();
    const doc = s.env.doc;
    if (!this.anyBare || s.destroyed || doc.hidden) return;
    const viewH = s.env.win.innerHeight || doc.documentElement?.clientHeight || 0;
    if (viewH <= 0) return;
    for (const list of this.bareLists()) {
      if (this.bareNear(list, viewH)) {
        this.recheckBare();
        return;
      }
    }
  }

  /**
   * The containers of the bare badges' rows, at most PROBE_LISTS: the rows' parents, or, where the
   * rows each sit in a wrapper of their own (a virtualised list's), their parents' parents.
   */
  private bareLists(): Element[] {
    for (let up = 0; up <= PROBE_CLIMB; up++) {
      const lists = new Set<Element>();
      for (const b of this.deps.badges()) {
        if (!b.bare || !b.row?.isConnected) continue;
        let list: Element | null = b.row.parentElement;
        for (let k = 0; k < up && list; k++) list = list.parentElement;
        if (list) lists.add(list);
        if (lists.size > PROBE_LISTS) break;
      }
      if (lists.size <= PROBE_LISTS) return [...lists];
    }
    return [];
  }

  /**
   * Whether a child of `list` near the viewport carries (or holds) a bare badge of ours; also when
   * the list's boxes do not say (not in document order: every bare badge is then checked again).
   */
  private bareNear(list: Element, viewH: number): boolean {
    const kids = this.nearKids(list, viewH, (kid) => this.badgeOfKid(kid) !== undefined);
    return !kids || kids.some((kid) => this.badgeOfKid(kid)?.bare);
  }

  /**
   * The children of `list` whose boxes are near the viewport (within NEAR_MARGIN), found by a
   * binary search on the children's boxes and a walk over the few near it: a few dozen box reads
   * whatever the list's length. The search holds only where the children are laid out top to
   * bottom in their document order (a table, a grid of rows, a plain list); the boxes it reads of
   * children holding our rows (`holds`), and the first and last such children's, are checked to be
   * in that order, and null says they are not (a virtualised list that recycles its rows, a layout
   * in columns), or that more than PROBE_ROWS_MAX children are near. Other children (a sticky
   * header, a «Показать ещё» button) take no part in the check. Children that are not laid out
   * (display: none) are never near.
   */
  private nearKids(list: Element, viewH: number, holds: (kid: Element) => boolean): Element[] | null {
    const kids = list.children;
    const n = kids.length;
    if (!n) return [];
    /** [index, top] of every box read of a child holding a row, for the order check. */
    const seen: [number, number][] = [];
    const boxAt = (i: number): DOMRect | null => {
      const kid = kids[i]!;
      const r = kid.getBoundingClientRect();
      if (!r.width && !r.height) return null;
      if (holds(kid)) seen.push([i, r.top]);
      return r;
    };
    // The first child whose box ends below the top of the margin.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      let r: DOMRect | null = null;
      for (let k = mid; k < n && k < mid + PROBE_SKIP_MAX && !r; k++) r = boxAt(k);
      if (r && r.bottom < -NEAR_MARGIN) lo = mid + 1;
      else hi = mid;
    }
    const out: Element[] = [];
    let i = lo;
    for (let looked = 0; i < n; i++, looked++) {
      if (looked >= PROBE_ROWS_MAX) return null;
      const r = boxAt(i);
      if (!r) continue;
      if (r.top > viewH + NEAR_MARGIN) break;
      if (r.bottom >= -NEAR_MARGIN) out.push(kids[i]!);
    }
    // The first and last rows too: an order broken away from the search's path shows there.
    for (let k = 0, got = 0; k < n && k < PROBE_SKIP_MAX && !got; k++) if (holds(kids[k]!)) got = boxAt(k) ? 1 : 0;
    for (let k = n - 1, got = 0; k >= 0 && k > n - 1 - PROBE_SKIP_MAX && !got; k--) if (holds(kids[k]!)) got = boxAt(k) ? 1 : 0;
    seen.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < seen.length; k++) if (seen[k]![1] < seen[k - 1]![1] - 0.5) return null;
    return out;
  }

  /** The live badge of a list's child: the row itself, a badge host, or the one host a wrapper holds. */
  private badgeOfKid(kid: Element): Badge | undefined {
    const badgeAt = this.deps.badgeAt;
    if (!badgeAt) return undefined;
    const b = badgeAt(kid);
    if (b) return b;
    const host = kid.querySelector(HOST_TAG);
    return host ? badgeAt(host) : undefined;
  }

  /** A badge the seller reached by keyboard: drawn at once, whatever the observers say. */
  focused(b: Badge): void {
    if (drawBadge(b, this.state.env.now())) this.ticker.poke();
  }

  private observer(): IntersectionObserver | null {
    if (this.io !== undefined) return this.io;
    const win = this.state.env.win as Window & { IntersectionObserver?: typeof IntersectionObserver };
    const IO = win.IntersectionObserver;
    this.io = null;
    if (typeof IO !== 'function' || this.state.destroyed) return null;
    try {
      this.io = new IO((entries) => this.state.guard('near', () => this.seen(entries)), { rootMargin: `${NEAR_MARGIN}px 0px` });
    } catch {
      this.io = null;
    }
    return this.io;
  }

  /** Watches a badge whose countdown shows seconds; until the observer first answers it counts as visible. */
  private watch(b: Badge): void {
    const io = this.observer();
    if (!io) return;
    try {
      io.observe(b.host);
    } catch {
      // Not watched, so only a full walk keeps its seconds: every tick is one from now on.
      this.fullOnly = true;
      return;
    }
    b.watched = true;
    this.byHost.set(b.host, b);
    if (b.visible) this.shownWatched.add(b);
    this.watchedCount++;
  }

  /** A badge leaves the page (rows.ts drop/forget, through the controller): the observer lets go of it. */
  unwatch(b: Badge): void {
    this.dropped = true;
    this.plan = null;
    if (!b.bare && b.visible && this.state.env.drawNear) {
      if (this.shownGone.size >= SHOWN_MAX) this.shownGone.clear();
      this.shownGone.set(b.posting, this.state.env.now());
    }
    if (this.checking.delete(b)) {
      this.checkingByHost.delete(b.host);
      try {
        this.nearIo?.unobserve(b.host);
      } catch {
        /* best effort */
      }
    }
    if (!b.watched) return;
    b.watched = false;
    this.shownWatched.delete(b);
    this.watchedCount--;
    try {
      this.io?.unobserve(b.host);
    } catch {
      /* best effort */
    }
  }

  /** The observer's answer: watched badges near the viewport or not; those that came into view get their text now. */
  private seen(entries: IntersectionObserverEntry[]): void {
    const now = this.state.env.now();
    let shown = false;
    for (const e of entries) {
      const b = this.byHost.get(e.target);
      if (!b || !b.watched) continue;
      const was = b.visible;
      b.visible = e.isIntersecting;
      if (b.visible) this.shownWatched.add(b);
      else this.shownWatched.delete(b);
      if (b.visible && drawBadge(b, now)) shown = true;
      else if (b.visible && !was) {
        tickBadge(b, now, this.state.lines);
        shown = true;
      }
    }
    // A countdown in its last hour came into view: the ticker steps seconds again.
    if (shown) this.ticker.poke();
  }

  /** How many badges the observer watches (tests: bounded by the badges on the page). */
  get watching(): number {
    return this.watchedCount;
  }

  /** How many bare badges wait for the one-shot observer's answer (tests: bounded by the badges on the page). */
  get checkingNear(): number {
    return this.checking.size;
  }

  private requestMeasure(): void {
    if (this.frame || this.state.destroyed) return;
    const win = this.state.env.win;
    const hasFrames = typeof win.requestAnimationFrame === 'function';
    const run = (fromTimer?: boolean) => {
      // The other of the pair, once this one has run (or a later pass's): nothing to do.
      if (this.frame !== f) return;
      if (fromTimer && hasFrames && this.state.env.doc.hidden) {
        // A hidden tab has no frames and needs no pass yet: its frame runs it when the tab is shown.
        f.timer = this.state.env.setTimeout(() => run(true), MEASURE_BACKSTOP_MS);
        return;
      }
      this.cancelFrame();
      this.state.guard('near', () => this.measure());
    };
    const f: { raf?: number; timer: unknown } = { timer: this.state.env.setTimeout(() => run(true), hasFrames ? MEASURE_BACKSTOP_MS : 0) };
    this.frame = f;
    if (hasFrames) {
      try {
        f.raf = win.requestAnimationFrame(() => run());
      } catch {
        /* the backstop runs it */
      }
    }
  }

  /** Ends the pending measuring pass's frame and timer. */
  private cancelFrame(): void {
    const f = this.frame;
    this.frame = null;
    if (!f) return;
    if (f.raf !== undefined) {
      try {
        this.state.env.win.cancelAnimationFrame?.(f.raf);
      } catch {
        /* best effort */
      }
    }
    this.state.env.clearTimeout(f.timer);
  }

  /** Which badges are near the viewport (every box read first, then the writes). */
  private measure(): void {
    const s = this.state;
    const viewH = s.env.win.innerHeight || s.env.doc.documentElement?.clientHeight || 0;
    const near = this.nearBadges(viewH);
    const now = s.env.now();
    let shown = false;
    /** Came into view: a bare badge is drawn; another's text (left as it was while off screen) is written now. */
    const inView = (b: Badge, was: boolean): void => {
      if (drawBadge(b, now)) shown = true;
      else if (!was) {
        tickBadge(b, now, s.lines);
        shown = true;
      } else return;
      // A countdown in its last hour may have come into view: the ticker steps seconds again. Each
      // badge that came into view is scheduled itself: a full tick over every badge after each pass
      // was, beside the box reads, most of what scrolling a 5,000-row list cost ("Nineteenth pass").
      this.schedule(b, now);
    };
    if (this.passFull || !this.anyHidden) {
      this.anyHidden = false;
      for (const b of this.deps.badges()) {
        const was = b.visible;
        // A watched badge's visibility is its observer's; a host the page dropped keeps its flag until it is reclaimed.
        if (!b.watched && b.host.isConnected) b.visible = near.has(b);
        if (b.visible) inView(b, was);
        else this.anyHidden = true;
      }
    } else {
      // The same rows, scrolled: only the badges entering or leaving the margin change.
      for (const b of this.passNear) if (!near.has(b) && !b.watched && b.host.isConnected) b.visible = false;
      for (const b of near) {
        if (b.watched) continue;
        const was = b.visible;
        b.visible = true;
        inView(b, was);
      }
      // Badges off screen remain (a badge the one-shot observer found near stays counted visible: its text is kept current).
      this.anyHidden = near.size < this.deps.badges().size;
    }
    this.passFull = false;
    this.passNear = near;
    if (shown) this.ticker.poke();
  }

  /**
   * The badges (neither watched nor dropped) near the viewport, found with as few box reads as the
   * page allows. Rows are grouped by their container, a level or two up where each row (or a few)
   * has a wrapper of its own; a container holding SEARCH_MIN rows or more is searched (nearKids),
   * and every row under a child found near counts as near. Rows in a shorter container, or in one
   * whose boxes are not in document order, have their own badge's box read, as every badge's was.
   */
  private nearBadges(viewH: number): Set<Badge> {
    const plan = (this.plan ??= this.groupRows());
    const near = new Set<Badge>();
    let single: Badge[] | null = null;
    for (const { list, kids } of plan.lists) {
      const found = list.isConnected ? this.nearKids(list, viewH, (kid) => kids.has(kid)) : null;
      if (found) for (const kid of found) for (const b of kids.get(kid) ?? []) near.add(b);
      else {
        // Not in document order (or gone): each of its badges is read, as every badge was.
        single ??= [...plan.single];
        for (const under of kids.values()) for (const b of under) single.push(b);
      }
    }
    for (const b of single ?? plan.single) {
      if (b.watched || !b.host.isConnected) continue;
      const r = b.host.getBoundingClientRect();
      if (r.bottom >= -NEAR_MARGIN && r.top <= viewH + NEAR_MARGIN) near.add(b);
    }
    return near;
  }

  /**
   * The badges' rows grouped for nearBadges: by their container, a level or two up where each row
   * (or a few) has a wrapper of its own. A container holding SEARCH_MIN rows or more, whose
   * children hold at most KID_ROWS_MAX rows each, is searched; the other badges are read one by one.
   */
  private groupRows(): NonNullable<Clock['plan']> {
    const out: NonNullable<Clock['plan']> = { lists: [], single: [], at: new Map() };
    let rest: Badge[] = [];
    for (const b of this.deps.badges()) {
      if (!b.host.isConnected) continue;
      rest.push(b);
      out.at.set(b, [b.row ?? null, b.host]);
    }
    for (let up = 0; up <= PROBE_CLIMB && rest.length >= SEARCH_MIN; up++) {
      // container → (its child holding the row → the badges under that child)
      const lists = new Map<Element, Map<Element, Badge[]>>();
      const next: Badge[] = [];
      for (const b of rest) {
        let kid: Element | null = b.row ?? null;
        for (let k = 0; k < up && kid; k++) kid = kid.parentElement;
        const list = kid?.parentElement;
        if (!kid || !list) {
          out.single.push(b);
          continue;
        }
        let kids = lists.get(list);
        if (!kids) lists.set(list, (kids = new Map()));
        const under = kids.get(kid);
        if (under) under.push(b);
        else kids.set(kid, [b]);
      }
      for (const [list, kids] of lists) {
        let rows = 0;
        for (const under of kids.values()) rows += under.length;
        if (rows < SEARCH_MIN) {
          // A short group: rows each in a wrapper of their own are grouped again one level up.
          for (const under of kids.values()) for (const b of under) next.push(b);
        } else if (rows <= kids.size * KID_ROWS_MAX) out.lists.push({ list, kids });
        // One child holding many rows would make every row under it near: read one by one.
        else for (const under of kids.values()) for (const b of under) out.single.push(b);
      }
      rest = next;
    }
    for (const b of rest) out.single.push(b);
    return out;
  }

  /**
   * A badge was drawn or drawn again (rows.ts, through the controller): watched at once when its
   * countdown shows seconds, else its last hour and its deadline count for the ticks to come.
   */
  note(b: Badge): void {
    const at = this.plan?.at.get(b);
    if (!at || at[0] !== (b.row ?? null) || at[1] !== b.host || !b.host.isConnected) this.plan = null;
    if (b.bare) {
      this.anyBare = true;
      if (this.askedIn.get(b) !== b.host.parentNode) this.check(b);
    }
    this.schedule(b, this.state.env.now());
  }

  /** What a badge in view asks of the ticks: watched in its last hour, else its last hour and its deadline among the next ticks'. */
  private schedule(b: Badge, now: number): void {
    const due = b.dueMs;
    if (!Number.isFinite(due)) return;
    if (!b.watched && showsSeconds(due - now)) this.watch(b);
    // Without the observer every tick is a full walk anyway (tick()).
    if (b.watched || !this.observer()) return;
    if (due - HOUR > now && due - HOUR + 5 < this.fullDueAt) this.fullDueAt = due - HOUR + 5;
    if (b.visible && due > now && due < this.otherNearestDue) this.otherNearestDue = due;
  }

  /** One tick: every badge when a full walk is due (fullDueAt), else the watched ones; returns the nearest positive msLeft on screen. */
  tick(now: number): number {
    // Without the observer no badge is watched: every tick walks them all, as it must.
    const nearest = this.fullOnly || !this.observer() || now >= this.fullDueAt ? this.fullTick(now) : this.watchedTick(now);
    this.deps.ticked(now);
    // A change with no event of its own (a class the page's timer sets, a font) moved rows into view: looked for now
    // and then, once this tick's writes are laid out (the probe's own delay), never in this task.
    if (this.anyBare && this.probeTimer === null && now - this.probedAt >= PROBE_TICK_MS) {
      this.probedAt = now;
      this.layoutMayMove();
    }
    return nearest;
  }

  private fullTick(now: number): number {
    const s = this.state;
    let nearest = Infinity;
    let other = Infinity;
    let lastHourAt = Infinity;
    let levels = false;
    const lost: Badge[] = [];
    for (const b of this.deps.badges()) {
      if (!b.host.isConnected) {
        lost.push(b);
        continue;
      }
      const ms = b.dueMs - now;
      if (!b.watched && showsSeconds(ms)) this.watch(b);
      if (tickBadge(b, now, s.lines)) levels = true;
      if (!b.watched && ms > HOUR && ms < lastHourAt) lastHourAt = ms;
      if (b.visible && ms > 0) {
        if (ms < nearest) nearest = ms;
        if (!b.watched && ms < other) other = ms;
      }
    }
    this.otherNearestDue = now + other;
    this.fullDueAt = Math.min((Math.floor(now / MINUTE) + 1) * MINUTE, now + lastHourAt - HOUR + 5);
    for (const b of lost) this.deps.lost(b);
    this.settled(levels || lost.length > 0);
    return nearest;
  }

  private watchedTick(now: number): number {
    const s = this.state;
    let nearest = this.otherNearestDue - now;
    if (!(nearest > 0)) nearest = Infinity;
    let levels = false;
    const lost: Badge[] = [];
    for (const b of this.shownWatched) {
      if (!b.host.isConnected) {
        lost.push(b);
        continue;
      }
      if (tickBadge(b, now, s.lines)) levels = true;
      const ms = b.dueMs - now;
      if (ms > 0 && ms < nearest) nearest = ms;
    }
    for (const b of lost) this.deps.lost(b);
    this.settled(levels || lost.length > 0);
    return nearest;
  }

  /** After a tick: the chip's counts when levels changed, badges were lost or rows came (countsDue); else quiet. */
  private settled(changed: boolean): void {
    if (changed || this.countsDue) {
      this.countsDue = false;
      this.deps.levelsChanged();
    } else this.deps.quiet();
  }

  /** Timers pending (the destroy tests). */
  get armed(): boolean {
    return this.scrollTimer !== null || this.frame !== null || this.recheckTimer !== null || this.probeTimer !== null || this.ticker.running;
  }

  destroy(): void {
    this.ticker.stop();
    try {
      this.io?.disconnect();
    } catch {
      /* best effort */
    }
    this.io = null;
    try {
      this.nearIo?.disconnect();
    } catch {
      /* best effort */
    }
    this.nearIo = null;
    this.checking.clear();
    this.shownGone.clear();
    this.passNear.clear();
    this.plan = null;
    if (this.recheckTimer !== null) this.state.env.clearTimeout(this.recheckTimer);
    this.recheckTimer = null;
    if (this.probeTimer !== null) this.state.env.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.cancelProbeFrame();
    this.watchedCount = 0;
    this.shownWatched.clear();
    if (this.scrollTimer !== null) this.state.env.clearTimeout(this.scrollTimer);
    this.scrollTimer = null;
    this.cancelFrame();
  }
}
