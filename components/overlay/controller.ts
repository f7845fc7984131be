/**
 * The badge controller: page rows in, one correct badge per row out.
 *
 * It owns no rule and no DOM reading: rows come from the reading layer
 * (panel/), verdicts from the rules module (rules/). It is the thin
 * composition of the parts of one overlay run, each owning its own
 * listeners and timers and freeing them in its destroy():
 *
 *   state.ts         configuration in force, where the page is, the error guard
 *   json-feed.ts     the panel's JSON bodies from the page-world bridge → orders, sliced
 *   json-cache.ts    the panel's JSON orders, bounded by the page
 *   rows.ts          recognised row → Order → Verdict → its one badge
 *   scan.ts          which rows to read and when (observer, sliced backlog)
 *   clock.ts         the shared ticker, sleep / wake, near-viewport badges
 *   card-control.ts  the hover / focus card
 *   chip-control.ts  the summary chip and its at-risk list
 *   sender.ts        changed orders to the background
 *   layout-watch.ts  loud failure when the panel's layout changes
 *
 * It lives here, not in entrypoints/, because entrypoints are wiring only
 * (entrypoints/content/index.ts builds it with the browser's environment and
 * hands it the page-wide events it listens to on the run's guard,
 * components/overlay/lifetime.ts); unit tests drive it with happy-dom and a
 * fake clock.
 */
import { pageInfo, readContext, readPanelCookies } from '../../panel/index';
import type { PageInfo, ReadContext } from '../../panel/types';
import type { Rulebook } from '../../rules';
import type { Order, Scheme } from '../../rules';
import { UNKNOWN_STORE } from '../../rules';
import type { Settings } from '../../storage/settings';
import type { Badge, BadgeView, LevelLines } from '../../components/badge/badge';
import { badgeOf, isBadgeHost } from '../../components/badge/badge';
import { OverlayState, type ControllerEnv } from './state';
import { JsonCache } from './json-cache';
import { JsonFeed } from './json-feed';
import { Sender } from './sender';
import { RowBadges } from './rows';
import { RowScanner } from './scan';
import { Clock } from './clock';
import { CardControl } from './card-control';
import { ChipControl } from './chip-control';
import { LayoutWatch } from './layout-watch';
import type { PageZoneTracker } from './page-zone';
import { removeBadgeStyles } from '../../components/badge/styles';

export type { ControllerEnv } from './state';
export { SETTLE_MS, SETTLE_MAX_MS } from './layout-watch';
export { JSON_FLOOR, JSON_PER_ROW, JSON_RECENT_MS } from './json-cache';

/**
 * After an observer batch, the chip's count and the full tick wait this long
 * (shared by every batch meanwhile): a page appending rows in many chunks
 * paid an O(badges) count and tick per chunk (docs/performance.md). New
 * badges are drawn with their level and countdown at once either way.
 */
const BATCH_TICK_MS = 100;

export class BadgeController {
  readonly env: ControllerEnv;
  private readonly state: OverlayState;
  private readonly cache: JsonCache;
  private readonly feed: JsonFeed;
  private readonly sender: Sender;
  private readonly rows: RowBadges;
  private readonly scanner: RowScanner;
  private readonly clock: Clock;
  private readonly card: CardControl;
  private readonly chip: ChipControl;
  private readonly layout: LayoutWatch;

  constructor(env: ControllerEnv) {
    this.env = env;
    const state = (this.state = new OverlayState(env));
    // The rows are made after the cache and the card, which only ask them questions late (through closures).
    let rows: RowBadges | null = null;
    const shown = {
      get size() {
        return rows?.size ?? 0;
      },
      postings: () => rows?.postings() ?? [],
    };
    this.cache = new JsonCache(env.now, shown);
    this.sender = new Sender(state, (m) => this.cache.trim(m));
    this.card = new CardControl(state, (b) => !!rows?.badges.has(b));
    this.chip = new ChipControl(state, () => this.rows.badges);
    this.clock = new Clock(state, {
      badges: () => this.rows.badges,
      lost: (b) => this.rows.reclaim(b),
      levelsChanged: () => this.chip.update(),
      quiet: () => this.chip.refreshList(),
      ticked: (now) => this.card.refresh(undefined, now),
      run: (now) => this.tick(now),
      badgeAt: (el) => this.rows.badgeAt(el),
    });
    rows = this.rows = new RowBadges(state, {
      json: this.cache,
      sender: this.sender,
      drawn: (b) => {
        this.clock.note(b);
        this.card.refresh(b);
      },
      forgotten: (b) => {
        this.card.forget(b);
        this.clock.unwatch(b);
      },
      later: (rs, soon) => (soon ? this.scanner.readSliced(rs) : this.scanner.readLater(rs)),
      bare: (posting) => this.clock.bareOk(this.rows.size, posting),
    });
    // A noted zone witness counts only while its row still shows that posting (a virtualised list re-uses rows).
    state.zone.shows = (row, posting) => this.rows.shows(row, posting);
    this.cache.onBodiesDone = () => this.state.guard('json-done', () => this.rows.releaseWaiting());
    this.layout = new LayoutWatch(state, { rows: () => this.rows.size, jsonSinceNav: () => this.cache.sinceNav });
    this.scanner = new RowScanner(state, {
      rows: this.rows,
      changed: (batch) => this.afterChange(batch),
      settle: () => this.layout.arm(),
      beforeRead: () => this.feed.kick(),
      expectRows: () => this.cache.sinceNav > 0 || this.cache.awaiting(),
      moved: () => this.clock.layoutMayMove(),
    });
    this.feed = new JsonFeed(
      env,
      {
        context: () => this.jsonContext(),
        deliver: (orders) => this.ingestJson(orders),
        held: (posting) => this.cache.get(posting),
        // New rows wait for the body being walked (json-cache.ts JSON_WAIT_MS): read against it, once.
        began: () => this.cache.beginBody(),
        ended: () => this.cache.endBody(),
        progress: () => this.cache.progress(),
        wantsKeys: (path) => !!env.apiKeys?.wants(path),
        keys: (path, shape) => this.state.guard('report', () => env.apiKeys?.add(path, shape)),
      },
      { offload: env.offload ?? null },
    );
  }

  // ------------------------------------------------------------- read-only

  get settings(): Settings {
    return this.state.settings;
  }
  get rulebook(): Rulebook {
    return this.state.rulebook;
  }
  get lines(): LevelLines {
    return this.state.lines;
  }
  get view(): BadgeView {
    return this.state.view;
  }
  get page(): PageInfo | null {
    return this.state.page;
  }
  get rctx(): ReadContext | null {
    return this.state.rctx;
  }
  get storeId(): string {
    return this.state.storeId;
  }
  get active(): boolean {
    return this.state.active;
  }
  get zone(): PageZoneTracker {
    return this.state.zone;
  }
  /** Every live badge. */
  get badges(): ReadonlySet<Badge> {
    return this.rows.badges;
  }
  /** posting → order from the panel's JSON (untrusted, validated); bounded by cacheCap(). */
  get json(): ReadonlyMap<string, Order> {
    return this.cache.map;
  }
  /** The bound of the per-posting caches (json-cache.ts, JSON_FLOOR). */
  cacheCap(): number {
    return this.cache.cap();
  }
  /** The panel's JSON order for a posting, as rows are read with it (the page report reads rows the same way). */
  jsonOrder(posting: string): Order | undefined {
    return this.cache.get(posting);
  }
  /** What the overlay holds per row, for the long-session test: each bounded by the badges on the page. */
  get holding(): { badges: number; indexed: number; waiting: number; watched: number } {
    return { badges: this.rows.size, indexed: this.rows.indexed, waiting: this.rows.waitingRows, watched: this.clock.watching };
  }

  /** Whether the page is in the "layout changed" state (posting numbers shown, no row recognised): the popup's page report says so. */
  get layoutChanged(): boolean {
    return this.layout.layoutChanged;
  }

  // ---------------------------------------------------------------- config

  /** New settings and/or rulebook (live: every badge is re-rendered). */
  configure(settings: Settings, rulebook: Rulebook): void {
    this.state.guard('configure', () => {
      this.state.configure(settings, rulebook);
      this.syncZone();
      if (this.state.active) {
        this.rerenderAll();
        this.clock.poke();
      }
    });
  }

  /** Text changed (language): rewrite every badge, the chip and the open card. */
  relabel(): void {
    this.state.guard('relabel', () => {
      this.state.configVersion++;
      if (this.state.active) this.rerenderAll();
    });
  }

  private rerenderAll(): void {
    // In slices, the badges in view first (scan.ts redrawSliced); the chip and the ticker now, and again after the last slice.
    this.scanner.redrawSliced(this.rows.inViewFirst());
    this.afterChange();
    this.card.refresh();
  }

  // ------------------------------------------------------------ navigation

  /** The URL changed (first run, SPA navigation). */
  navigate(url: string): void {
    this.state.guard('navigate', () => {
      const s = this.state;
      const page = pageInfo(url);
      s.page = page;
      const rctx: ReadContext = readContext(page, this.readCookie());
      s.zone.navigate(rctx.tzOffsetMinutes);
      rctx.tzOffsetMinutes = s.zone.tzOffset();
      s.rctx = rctx;
      s.storeId = rctx.storeId ?? UNKNOWN_STORE;
      this.cache.sinceNav = 0;
      this.layout.navigated();
      if (!page.isPostings) {
        this.deactivate();
        return;
      }
      if (!s.active) {
        s.active = true;
        this.scanner.start();
        this.clock.start();
      }
      this.scanner.resetScope();
      this.scanner.fullScan();
      this.layout.arm();
    });
  }

  private readCookie(): string {
    try {
      return this.env.doc.cookie;
    } catch {
      return '';
    }
  }

  private deactivate(): void {
    if (!this.state.active) return;
    this.state.active = false;
    this.scanner.stop();
    this.clock.stop();
    this.rows.dropAll();
    this.card.hide();
    this.chip.clear();
    this.layout.disarm();
  }

  /** Reads every row under the scope (or the page) and reconciles badges. */
  fullScan(): void {
    if (this.state.destroyed) return;
    this.scanner.fullScan();
  }

  /**
   * T3: when the page's zone is decided anew, rows read in the old one are read again (JSON rows
   * come out the same). While no row since the navigation was read in the page's zone, the noted
   * witnesses stay unread (page-zone.ts) and only a new setting or cookie is followed.
   */
  private syncZone(): void {
    const s = this.state;
    const rctx = s.rctx;
    const tz = s.zone.tzOffset(s.zone.wanted);
    if (!rctx || rctx.tzOffsetMinutes === tz) return;
    s.rctx = { ...rctx, tzOffsetMinutes: tz };
    if (!s.active) return;
    this.scanner.readSliced(this.rows.connectedRows());
  }

  /** Rows were read: the zone, the chip, the clock, the loud-failure state. After a batch, chip and tick wait BATCH_TICK_MS. */
  private afterChange(batch = false): void {
    this.clock.rowsChanged();
    this.syncZone();
    if (batch) {
      this.clock.rowsSettling(BATCH_TICK_MS);
    } else {
      this.chip.update();
      this.clock.poke();
    }
    this.layout.rowsSeen();
  }

  // ------------------------------------------------------------- JSON bridge

  /**
   * A window `message` event: maybe a body from our MAIN-world interceptor, maybe anything. Only
   * this very window (not frames, not other origins), and the body itself is untrusted
   * (json-feed.ts checks, parses once, walks in slices and hands the orders to ingestJson).
   */
  onBridgeMessage(e: MessageEvent): void {
    this.state.guard('bridge', () => this.feed.accept(e, this.env.win));
  }

  /** The page world says a body is coming (panel/bridge-message.ts BRIDGE_EXPECT_EVENT): new rows wait for it. */
  expectBody(): void {
    if (this.state.active) this.cache.expect();
  }

  /** The walk's context at a body's arrival, as the MAIN world read it before: the list's scheme, the store cookie. */
  private jsonContext(): { scheme: Scheme; storeId?: string } {
    const scheme = this.state.page?.scheme ?? pageInfo(this.env.win.location?.href ?? '').scheme;
    const storeId = readPanelCookies(this.readCookie()).storeId;
    return storeId ? { scheme, storeId } : { scheme };
  }

  /** One slice's checked orders from the panel's JSON: the cache, the sender, the rows. */
  private ingestJson(orders: Order[]): void {
    this.state.guard('bridge', () => {
      const touched = this.cache.ingest(orders);
      for (const o of orders) this.sender.queueBridged(o);
      if (!this.state.active) return;
      this.scanner.quiet(() => this.rows.jsonChanged(touched));
      // Batched like the observer's: a body arrives in several slices (each badge it redrew has its level and
      // countdown already), and a full tick + chip count per slice made N postings in k slices cost O(N·k).
      this.afterChange(true);
    });
  }

  // ------------------------------------------------------------------ clock

  /** One tick for every badge; returns the nearest positive msLeft on screen. */
  tick(now: number): number {
    return this.clock.tick(now);
  }

  // ------------------------------------------------------------------- chip

  /** The chip's click: the next order at risk, soonest deadline first, cycling. */
  scrollToNextAtRisk(): Badge | undefined {
    return this.chip.scrollToNextAtRisk();
  }

  /** The seller's at-risk badges on the page (FBO is Ozon's), soonest deadline first. */
  atRiskSorted(): Badge[] {
    return this.chip.atRiskSorted();
  }

  /** The chip's list button: opens / closes the list of at-risk orders. */
  toggleList(): void {
    this.chip.toggleList();
  }

  // ------------------------------------------------------------------- card

  onPointerOver(e: Event): void {
    this.state.guard('hover', () => this.card.onPointerOver(e));
  }

  onPointerOut(e: Event): void {
    this.state.guard('hover', () => this.card.onPointerOut(e));
  }

  onFocusIn(e: Event): void {
    this.state.guard('focus', () => {
      // A bare badge reached by keyboard is drawn at once (clock.ts): the seller is looking at it.
      const t = e.target;
      const b = isBadgeHost(t as Node | null) ? badgeOf(t as Element) : undefined;
      if (b && this.rows.badges.has(b)) this.clock.focused(b);
      this.card.onFocusIn(e);
    });
  }

  onFocusOut(e: Event): void {
    this.state.guard('focus', () => this.card.onFocusOut(e));
  }

  onKeyDown(e: KeyboardEvent): void {
    this.state.guard('key', () => {
      this.card.onKeyDown(e);
      // A key may open or close something above the rows (Enter on a toggle): clock.ts probe.
      if (this.state.active) this.clock.layoutMayMove();
    });
  }

  /**
   * A click, or a transition or animation of the page's ending: rows may have moved into view
   * without a scroll (a panel above them collapsed). The clock looks soon, in a few dozen box
   * reads, and only while some badge is bare (clock.ts layoutMayMove).
   */
  onLayoutHint(): void {
    this.state.guard('layout-hint', () => {
      if (this.state.active) this.clock.layoutMayMove();
    });
  }

  /** The window was resized: what is near the viewport is measured again, as after a scroll (clock.ts). */
  onResize(): void {
    this.state.guard('resize', () => {
      if (this.state.active) this.clock.scrolled();
    });
  }

  /** The page scrolled (one capture listener, the entrypoint's): the card follows its badge, the clock writes what came into view. */
  onScroll(): void {
    this.state.guard('scroll', () => {
      this.card.onScroll();
      if (this.state.active) this.clock.scrolled();
    });
  }

  // -------------------------------------------------------------- layout

  /** An orders list with posting numbers (in text or the panel's JSON) but no row recognised: the layout changed. */
  checkLayout(): void {
    this.layout.check();
  }

  // ----------------------------------------------------------------- cleanup

  /** Extension update / reload: every trace of us leaves the page. */
  destroy(): void {
    if (this.state.destroyed) return;
    const parts = [this.feed, this.scanner, this.clock, this.rows, this.card, this.chip, this.sender, this.layout, this.cache];
    for (const p of parts) {
      try {
        p.destroy();
      } catch {
        /* best effort: the other parts still go */
      }
    }
    try {
      // Hosts a previous instance may have left (it could not clean up).
      for (const h of this.env.doc.querySelectorAll('ozon-guard-badge,ozon-guard-card,ozon-guard-chip,ozon-guard-list')) h.remove();
      removeBadgeStyles(this.env.doc);
    } catch {
      /* best effort */
    }
    this.state.destroyed = true;
  }
}
