/**
 * The badge controller: page rows in, one correct badge per row out.
 *
 * It owns no rule and no DOM reading: rows come from the reading layer
 * (panel/), verdicts from the rules module (rules/). What it adds is the
 * page life: which rows changed, which badge belongs where, the clock, the
 * card, the chip, the background messages, and cleaning all of it up.
 *
 * It lives here, not in entrypoints/, because entrypoints are wiring only
 * (entrypoints/content/index.ts builds it with the browser's environment);
 * unit tests drive it with happy-dom and a fake clock.
 */
import {
  applySellerFlags,
  findRows,
  mergeOrder,
  pageInfo,
  readContext,
  readRow,
  bridgeBatchOf,
} from '../../panel/index';
import type { PageInfo, ReadContext, RowRead } from '../../panel/types';
import { evaluateOrder } from '../../rules/index';
import { rulebookCfg } from '../../rules/evaluate';
import { defaultRulebook, type Rulebook } from '../../rules/rulebook';
import type { Order } from '../../rules/types';
import { showsPostingShape } from '../../rules/posting-number';
import { UNKNOWN_STORE, type Message } from '../../background/messages';
import { defaultSettings, type Settings } from '../../storage/settings';
import { createBatchObserver, type Batch, type BatchObserver } from './observer';
import { createTicker, type Ticker } from './ticker';
import {
  HOST_TAG,
  badgeOf,
  createBadge,
  isBadgeHost,
  removeBadge,
  renderBadge,
  tickBadge,
  type Badge,
  type BadgeView,
  type LevelLines,
} from '../../components/badge/badge';
import type { CardData, HoverCard } from '../../components/badge/card';
import { createLazyHoverCard } from '../../components/badge/card-loader';
import { createChip, sellersRisk, type Chip } from '../../components/badge/chip';
import type { AtRiskPanel } from '../../components/badge/atrisk-list';
import { createLazyAtRiskPanel } from '../../components/badge/atrisk-loader';
import { PageZoneTracker } from './page-zone';

/** How long the page must be quiet before "no rows" counts as a broken layout. */
export const SETTLE_MS = 3000;
export const SETTLE_MAX_MS = 10_000;
/**
 * Bounded memory, in proportion to the page (docs/architecture.md; README,
 * Reliability): the caches below keyed by posting (`json`, `sentSig`) hold at
 * most JSON_FLOOR + JSON_PER_ROW × max(rows badged now, postings in the
 * panel's responses of the last JSON_RECENT_MS — a page of 5,000 arriving in
 * five responses before its rows) entries, oldest first out, never one whose row is on
 * screen. A list of 40 rows keeps ≤ 180 orders however many postings the tab
 * has seen; a 5,000-row page keeps its own 5,000 and no more than twice that
 * (a fixed 20,000 kept ~0.9 MB per 1,000 postings seen in a long session).
 */
export const JSON_FLOOR = 100;
export const JSON_PER_ROW = 2;
export const JSON_RECENT_MS = 10_000;
const SEND_DEBOUNCE_MS = 1000;
const SEND_CHUNK = 500;
/**
 * Rows are read in slices of at most ~SLICE_MS (never fewer than
 * SLICE_MIN_ROWS), the rest in the next task: reading a whole 1,000-row
 * re-render in one go was a 300 ms task on the page's main thread (bench:
 * the performance budget: no extension task over 50 ms, docs/performance.md).
 */
const SLICE_MS = 20;
const SLICE_MIN_ROWS = 50;

export interface ControllerEnv {
  doc: Document;
  win: Window;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** To the background; may reject (extension reloaded): the controller swallows it. */
  send(msg: Message): Promise<unknown> | void;
  /** Reports a caught error (logged once per kind by the entrypoint). */
  onError(e: unknown, where: string): void;
  warn(message: string): void;
}

const UI_TAGS = new Set(['OZON-GUARD-BADGE', 'OZON-GUARD-CARD', 'OZON-GUARD-CHIP']);

function isOwn(n: Node): boolean {
  return n.nodeType === 1 && UI_TAGS.has((n as Element).tagName);
}

/** A stable text of an order, to tell "changed" from "re-rendered the same". */
// One stringify per order object: applyRead, queueSend and flushSend each asked
// for the same order's signature (orders are never mutated, only replaced).
const sigMemo = new WeakMap<Order, string>();
function orderSig(o: Order): string {
  let s = sigMemo.get(o);
  if (s === undefined) sigMemo.set(o, (s = JSON.stringify(o)));
  return s;
}

/**
 * 53 bits of a signature (two FNV-1a lanes): what "sent already" needs to
 * remember. A collision would only skip re-sending one changed order until it
 * changes again.
 */
function sigHash(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

function lowestCommonAncestor(els: Element[]): Element | null {
  if (!els.length) return null;
  let lca: Element | null = els[0]!;
  for (let i = 1; i < els.length && lca; i++) {
    const e = els[i]!;
    while (lca && !lca.contains(e)) lca = lca.parentElement;
  }
  return lca;
}

/** The same D5 lines evaluateOrder uses (including its guard against an edited rulebook holding garbage). */
function levelLines(rulebook: Rulebook): LevelLines {
  const cfg = rulebookCfg(rulebook);
  return { atRiskMs: cfg.atRiskMs, criticalMs: cfg.criticalMs };
}

function viewOf(settings: Settings): BadgeView {
  return { density: settings.badgeDensity, parts: { ...settings.badgeParts } };
}

export class BadgeController {
  readonly env: ControllerEnv;
  settings: Settings = defaultSettings;
  rulebook: Rulebook = defaultRulebook;
  lines: LevelLines = levelLines(defaultRulebook);
  view: BadgeView = viewOf(defaultSettings);
  page: PageInfo | null = null;
  rctx: ReadContext | null = null;
  storeId = UNKNOWN_STORE;
  active = false;

  /** Every live badge. */
  readonly badges = new Set<Badge>();
  private rowBadge = new WeakMap<Element, Badge>();
  /** The last DOM read of a row and the signature of what its badge shows. */
  private rowRead = new WeakMap<Element, RowRead>();
  private rowSig = new WeakMap<Element, string>();
  /**
   * The parents of the rows the last full scan found. An element added right
   * under one of them is a new row of a known list (the SPA appending a page
   * or a time-sliced chunk): it is read on its own instead of re-reading the
   * whole list, which made N rows arriving in chunks cost O(N²).
   */
  private rowParents = new Set<Element>();
  /** Rows found but not read yet (see SLICE_MS), in document order. */
  private backlog = new Set<Element>();
  private backlogTimer: unknown = null;
  /** posting → order from the panel's JSON (untrusted, validated); bounded by cacheCap(). */
  readonly json = new Map<string, Order>();
  /** Sizes of the panel's JSON responses of the last JSON_RECENT_MS (their rows may not be there yet); ≤ 64 entries. */
  private jsonRecent: { at: number; n: number }[] = [];
  private jsonSinceNav = 0;
  private configVersion = 0;
  /** T3: which offset the page prints its zone-less times in (learned, cookie, set, or Moscow). */
  readonly zone: PageZoneTracker;

  private observer: BatchObserver;
  private ticker: Ticker;
  private io: IntersectionObserver | null = null;
  private card: HoverCard | null = null;
  private chip: Chip | null = null;
  /** The chip's list of at-risk orders (components/badge/atrisk-list.ts), made on first open. */
  private list: AtRiskPanel | null = null;
  private chipIndex = -1;

  /** Orders changed since the last send; emptied by every flushSend (SEND_DEBOUNCE_MS). */
  private pendingSend = new Map<string, Order>();
  /** posting → hash of the signature the background last got from us (a number, not the ~1 KB text); bounded by cacheCap(). */
  private sentSig = new Map<string, number>();
  private sendTimer: unknown = null;

  private settleTimer: unknown = null;
  private navAt = 0;
  private layoutBroken = false;
  private warned = false;
  private hoverTimer: unknown = null;
  private hideTimer: unknown = null;
  private destroyed = false;

  constructor(env: ControllerEnv) {
    this.env = env;
    this.zone = new PageZoneTracker((ms) => -new Date(ms).getTimezoneOffset(), env.now);
    this.observer = createBatchObserver({
      isOwn,
      onBatch: (b) => this.onBatch(b),
      setTimeout: env.setTimeout,
      clearTimeout: env.clearTimeout,
      onError: (e) => env.onError(e, 'observer'),
      delay: 30,
      // A new row of a known list is read in the observer's callback: its badge lands in the row's own frame.
      urgent: (el) => !!el.parentElement && this.rowParents.has(el.parentElement),
    });
    this.ticker = createTicker({
      tick: (now) => this.tick(now),
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
        // ONE observer for every badge: off-screen badges skip their text updates.
        this.io = new IO((entries) => this.guard('io', () => this.onIntersect(entries)), {
          rootMargin: '300px 0px',
        });
      } catch {
        this.io = null;
      }
    }
  }

  private guard<T>(where: string, fn: () => T): T | undefined {
    if (this.destroyed) return undefined;
    try {
      return fn();
    } catch (e) {
      this.env.onError(e, where);
      return undefined;
    }
  }

  // ---------------------------------------------------------------- config

  /** New settings and/or rulebook (live: every badge is re-rendered). */
  configure(settings: Settings, rulebook: Rulebook): void {
    this.guard('configure', () => {
      this.settings = settings;
      this.rulebook = rulebook;
      this.lines = levelLines(rulebook);
      this.view = viewOf(settings);
      this.zone.configure(settings.pageZone, rulebook);
      this.configVersion++;
      this.syncZone();
      if (this.active) {
        this.rerenderAll();
        this.ticker.poke();
      }
    });
  }

  /** Text changed (language): rewrite every badge, the chip and the open card. */
  relabel(): void {
    this.guard('relabel', () => {
      this.configVersion++;
      if (this.active) this.rerenderAll();
    });
  }

  // ------------------------------------------------------------ navigation

  /** The URL changed (first run, SPA navigation). */
  navigate(url: string): void {
    this.guard('navigate', () => {
      const page = pageInfo(url);
      this.page = page;
      const rctx: ReadContext = readContext(page, this.readCookie());
      this.zone.navigate(rctx.tzOffsetMinutes);
      rctx.tzOffsetMinutes = this.zone.tzOffset();
      this.rctx = rctx;
      this.storeId = rctx.storeId ?? UNKNOWN_STORE;
      this.jsonSinceNav = 0;
      this.navAt = this.env.now();
      if (!page.isPostings) {
        this.deactivate();
        return;
      }
      if (!this.active) {
        this.active = true;
        this.observer.observe(this.env.doc.body ?? this.env.doc.documentElement);
        this.ticker.start();
      }
      // A new tab / page: the list container may be a different one.
      this.observer.setScope(null);
      this.fullScan();
      this.armSettle();
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
    if (!this.active) return;
    this.active = false;
    this.observer.disconnect();
    this.ticker.stop();
    for (const b of [...this.badges]) this.dropBadge(b);
    this.card?.hide();
    this.chip?.set({ atRisk: 0, overdue: 0, total: 0 });
    if (this.settleTimer !== null) this.env.clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  // --------------------------------------------------------------- reading

  private scanRoot(): ParentNode {
    return this.observer.scope ?? this.env.doc.body ?? this.env.doc;
  }

  /** Reads every row under the scope (or the page) and reconciles badges. */
  fullScan(): void {
    if (!this.active || !this.rctx) return;
    const t0 = performance.now();
    const root = this.scanRoot();
    // Finding rows is one cheap pass; reading them (the costly part) goes through the sliced backlog.
    const rows = findRows(root, this.rctx);
    const seen = new Set<Element>(rows);
    this.rowParents = new Set();
    for (const row of rows) if (row.parentElement) this.rowParents.add(row.parentElement);
    for (const b of [...this.badges]) {
      const row = b.row;
      if (!row || !row.isConnected || ((root as Node).contains(row) && !seen.has(row))) this.dropBadge(b);
    }
    this.updateScope(rows);
    // The slice's clock starts with the scan: finding 1,000 rows is itself ~25 ms of the same task.
    this.readSliced(rows, t0);
    this.afterChange();
  }

  /** Reads (or re-reads) rows now, up to one slice, and the rest in later tasks. */
  private readSliced(rows: Iterable<Element>, t0?: number): void {
    for (const row of rows) this.backlog.add(row);
    this.drainBacklog(t0);
  }

  private drainBacklog(t0 = performance.now()): void {
    if (!this.active || !this.rctx) {
      this.backlog.clear();
      return;
    }
    // Fewer rows guaranteed when the task has already spent its slice (a full scan before).
    const min = performance.now() - t0 > SLICE_MS ? SLICE_MIN_ROWS / 5 : SLICE_MIN_ROWS;
    let n = 0;
    for (const row of this.backlog) {
      this.backlog.delete(row);
      this.rereadRow(row);
      if (++n >= min && performance.now() - t0 > SLICE_MS) break;
    }
    if (this.backlog.size && this.backlogTimer === null) {
      this.backlogTimer = this.env.setTimeout(() => {
        this.backlogTimer = null;
        this.guard('backlog', () => {
          this.drainBacklog();
          // New badges are rendered with their countdown already; the chip and the
          // ticker's re-arm (a full tick over every badge) wait for the last slice.
          if (!this.backlog.size) this.afterChange();
        });
      }, 0);
    }
  }

  /** The list container once rows are known: later batches only look there. */
  private updateScope(rows: Element[]): void {
    if (this.page?.detailsPosting) {
      // The drawer lives outside the list: keep looking at the whole page.
      this.observer.setScope(null);
      return;
    }
    if (!rows.length) {
      this.observer.setScope(null);
      return;
    }
    const rowsParent = lowestCommonAncestor(rows.map((r) => r.parentElement ?? r));
    // One level above the rows' parent: a tbody the SPA swaps out is still inside the scope.
    const scope = rowsParent?.parentElement ?? rowsParent;
    this.observer.setScope(scope && scope !== this.env.doc.documentElement ? scope : null);
  }

  private onBatch(batch: Batch): void {
    this.guard('batch', () => {
      if (!this.active || !this.rctx) return;
      if (batch.scopeLost) {
        this.fullScan();
        this.armSettle();
        return;
      }
      const rows = new Set<Element>();
      let unknown = false;
      const toRow = (n: Node): Element | null => {
        for (let e: Element | null = n.nodeType === 1 ? (n as Element) : n.parentElement; e; e = e.parentElement) {
          if (this.rowBadge.has(e)) return e;
        }
        return null;
      };
      const fresh: Element[] = [];
      for (const el of batch.added) {
        const r = toRow(el);
        if (r) rows.add(r);
        else if (el.parentElement && this.rowParents.has(el.parentElement)) fresh.push(el);
        else unknown = true;
      }
      for (const el of batch.changed) {
        const r = toRow(el);
        if (r) rows.add(r);
        else if (!this.badges.size) unknown = true;
      }
      if (batch.removed.length) {
        // A removed row takes its badge with it; a removed cell may have held it.
        for (const n of batch.removed) {
          if (n.nodeType !== 1) continue;
          const r = toRow(n);
          if (r) rows.add(r);
        }
      }
      for (const host of batch.ownRemoved) {
        const b = badgeOf(host);
        if (b && this.badges.has(b) && b.row?.isConnected) rows.add(b.row);
      }
      if (unknown || batch.removed.length > 50) {
        this.fullScan();
      } else {
        for (const row of rows) this.rereadRow(row);
        this.readSliced(fresh.filter((el) => el.isConnected && !this.rowBadge.has(el)));
        for (const b of [...this.badges]) if (!b.row?.isConnected) this.dropBadge(b);
        if (batch.outside.length) this.scanOutside(batch.outside);
        this.afterChange();
      }
      this.armSettle();
    });
  }

  /** Added elements outside the list (a drawer, a second list): read only those subtrees. */
  private scanOutside(els: Element[]): void {
    if (!this.rctx) return;
    for (const el of els) {
      if (!el.isConnected) continue;
      for (const row of findRows(el, this.rctx)) {
        const r = readRow(row, this.rctx, this.jsonFor);
        if (r) this.applyRead(r);
      }
    }
  }

  private rereadRow(row: Element): void {
    if (!this.rctx) return;
    const b = this.rowBadge.get(row);
    if (!row.isConnected) {
      if (b) this.dropBadge(b);
      return;
    }
    const r = readRow(row, this.rctx, this.jsonFor);
    if (r) this.applyRead(r);
    else if (b) this.dropBadge(b);
  }

  /** One row's read → its one badge (created, updated in place, or left alone). */
  private applyRead(read: RowRead): void {
    if (read.json && this.json.get(read.order.postingNumber) !== read.json) {
      // Read against a JSON order that is no longer the one in force (newer, or evicted): read the row again.
      this.rereadRow(read.row);
      return;
    }
    const { row, anchor } = read;
    this.rowRead.set(row, read);
    const witness = this.json.get(read.order.postingNumber);
    if (witness) this.zone.observe(row, witness);
    const order = this.orderFor(read);
    const sig = `${this.configVersion}|${orderSig(order)}`;
    let b = this.rowBadge.get(row);
    if (b && !this.badges.has(b)) b = undefined;
    const placed = !!b && b.host.parentNode === anchor;
    // Hosts of other rows that a re-render moved in here, or duplicates: never two in one row.
    for (const h of row.querySelectorAll(HOST_TAG)) {
      if (b && h === b.host) continue;
      const other = badgeOf(h);
      if (other && other.row && other.row !== row && this.badges.has(other)) {
        // Its own row puts it back: the observer reports the removal (ownRemoved) and that row is re-read.
        h.remove();
      } else {
        if (other) this.forget(other);
        h.remove();
      }
    }
    if (b && placed && this.rowSig.get(row) === sig) return; // unchanged: no work
    if (!b) {
      b = createBadge();
      b.row = row;
      this.rowBadge.set(row, b);
      this.badges.add(b);
      this.io?.observe(b.host);
    }
    b.row = row;
    const verdict = evaluateOrder(order, this.env.now(), this.rulebook);
    renderBadge(b, order, verdict, this.view, this.env.now(), this.lines);
    if (b.host.parentNode !== anchor) anchor.append(b.host);
    this.rowSig.set(row, sig);
    this.queueSend(order);
    if (this.card?.anchor === b.host) this.card.update(this.cardData(b)!);
  }

  /** The panel's JSON order for a posting: rows it covers are read only for what it lacks (readRow). */
  private readonly jsonFor = (posting: string): Order | undefined => this.json.get(posting);

  /** The DOM read merged with the panel's JSON (T3 / P1 / P2: JSON wins) and the seller's own flags. */
  private orderFor(read: RowRead): Order {
    const j = this.json.get(read.order.postingNumber);
    let order = j ? mergeOrder(read.order, j) : read.order;
    if (this.storeId !== UNKNOWN_STORE && !order.storeId) order = { ...order, storeId: this.storeId };
    return applySellerFlags(order, this.settings, this.storeId);
  }

  private forget(b: Badge): void {
    this.badges.delete(b);
    this.io?.unobserve(b.host);
    if (b.row && this.rowBadge.get(b.row) === b) {
      this.rowBadge.delete(b.row);
      this.rowSig.delete(b.row);
    }
    if (this.card?.anchor === b.host) this.card.hide();
  }

  private dropBadge(b: Badge): void {
    this.forget(b);
    removeBadge(b);
  }

  private rerenderAll(): void {
    for (const b of [...this.badges]) {
      const row = b.row;
      const read = row && this.rowRead.get(row);
      if (!row || !read || !row.isConnected) {
        this.dropBadge(b);
        continue;
      }
      this.applyRead(read);
    }
    this.afterChange();
    const a = this.card?.anchor;
    if (a) {
      const b = badgeOf(a);
      const d = b && this.cardData(b);
      if (d) this.card!.update(d);
    }
  }

  /** T3: when the page's zone is decided anew, rows read in the old one are read again (JSON rows come out the same). */
  private syncZone(): void {
    const rctx = this.rctx;
    const tz = this.zone.tzOffset();
    if (!rctx || rctx.tzOffsetMinutes === tz) return;
    this.rctx = { ...rctx, tzOffsetMinutes: tz };
    if (!this.active) return;
    const rows: Element[] = [];
    for (const b of this.badges) if (b.row?.isConnected) rows.push(b.row);
    this.readSliced(rows);
  }

  private afterChange(): void {
    this.syncZone();
    this.updateChip();
    this.ticker.poke();
    if (this.badges.size && this.layoutBroken) this.setLayoutBroken(false);
  }

  // ------------------------------------------------------------- JSON bridge

  /** A window `message` event: maybe a batch from our MAIN-world interceptor, maybe anything. */
  onBridgeMessage(e: MessageEvent): void {
    this.guard('bridge', () => {
      // Only this very window (not frames, not other origins); the data itself is validated as untrusted.
      const batch = bridgeBatchOf(e, this.env.win);
      if (!batch) return;
      const touched = new Set<string>();
      for (const o of batch.orders) {
        const prev = this.json.get(o.postingNumber);
        this.json.delete(o.postingNumber);
        this.json.set(o.postingNumber, prev ? mergeOrder(prev, o) : o);
        touched.add(o.postingNumber);
      }
      const now = this.env.now();
      this.jsonRecent.push({ at: now, n: batch.orders.length });
      while (this.jsonRecent.length > 64 || (this.jsonRecent.length && now - this.jsonRecent[0]!.at > JSON_RECENT_MS)) this.jsonRecent.shift();
      this.trim(this.json);
      this.jsonSinceNav += batch.orders.length;
      for (const o of batch.orders) this.queueSend(this.storeId !== UNKNOWN_STORE && !o.storeId ? { ...o, storeId: this.storeId } : o);
      if (!this.active) return;
      for (const b of [...this.badges]) {
        if (!touched.has(b.posting) || !b.row) continue;
        const read = this.rowRead.get(b.row);
        if (read) this.applyRead(read);
      }
      this.afterChange();
    });
  }

  /** The bound of the per-posting caches (see JSON_FLOOR). */
  cacheCap(): number {
    let recent = 0;
    for (const r of this.jsonRecent) recent += r.n;
    return JSON_FLOOR + JSON_PER_ROW * Math.max(this.badges.size, recent);
  }

  /** Drops the oldest entries above cacheCap(), keeping those of rows on screen. */
  private trim(map: Map<string, unknown>): void {
    const cap = this.cacheCap();
    if (map.size <= cap) return;
    const shown = new Set<string>();
    for (const b of this.badges) shown.add(b.posting);
    for (const k of map.keys()) {
      if (map.size <= cap) break;
      if (!shown.has(k)) map.delete(k);
    }
  }

  // ------------------------------------------------------------------ clock

  /** One tick for every badge; returns the nearest positive msLeft on screen. */
  tick(now: number): number {
    let nearest = Infinity;
    let levels = false;
    const lost: Badge[] = [];
    for (const b of this.badges) {
      if (!b.host.isConnected) {
        lost.push(b);
        continue;
      }
      if (tickBadge(b, now, this.lines, this.view)) levels = true;
      if (b.visible) {
        const ms = b.dueMs - now;
        if (ms > 0 && ms < nearest) nearest = ms;
      }
    }
    for (const b of lost) {
      // The page dropped our host without a mutation we could see (e.g. moved the row): re-read.
      if (b.row?.isConnected) this.rereadRow(b.row);
      else this.dropBadge(b);
    }
    if (levels || lost.length) this.updateChip();
    else if (this.list?.open) this.list.refresh();
    const a = this.card?.anchor;
    if (a) {
      const b = badgeOf(a);
      const d = b && this.cardData(b, now);
      if (d) this.card!.update(d);
    }
    return nearest;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const now = this.env.now();
    let any = false;
    for (const en of entries) {
      const b = badgeOf(en.target);
      if (!b) continue;
      const was = b.visible;
      b.visible = en.isIntersecting;
      if (b.visible && !was) {
        tickBadge(b, now, this.lines, this.view);
        any = true;
      }
    }
    if (any) this.ticker.poke();
  }

  // ------------------------------------------------------------------- chip

  private counts() {
    let atRisk = 0;
    let overdue = 0;
    for (const b of this.badges) {
      if (!sellersRisk(b)) continue;
      if (b.level === 'at_risk' || b.level === 'critical') atRisk++;
      else if (b.level === 'overdue') overdue++;
    }
    return { atRisk, overdue, total: this.badges.size };
  }

  private updateChip(): void {
    if (!this.active) return;
    const c = this.counts();
    if (!this.chip && c.total)
      this.chip = createChip(() => this.guard('chip', () => this.scrollToNextAtRisk()), this.env.doc, () =>
        this.guard('list', () => this.toggleList()),
      );
    this.chip?.set(c);
    if (this.list?.open) this.list.refresh();
  }

  /** The chip's click: the next order at risk, soonest deadline first, cycling. */
  scrollToNextAtRisk(): Badge | undefined {
    const list = this.atRiskSorted();
    if (!list.length) return undefined;
    this.chipIndex = (this.chipIndex + 1) % list.length;
    return this.jumpTo(list[this.chipIndex]!);
  }

  /** The seller's at-risk badges on the page (FBO is Ozon's), soonest deadline first. */
  atRiskSorted(): Badge[] {
    return [...this.badges]
      .filter((b) => sellersRisk(b) && (b.level === 'at_risk' || b.level === 'critical' || b.level === 'overdue'))
      .sort((a, b) => a.dueMs - b.dueMs || a.posting.localeCompare(b.posting));
  }

  /** The chip's list button: opens / closes the list of at-risk orders. */
  toggleList(): void {
    this.list ??= createLazyAtRiskPanel({
      items: () => this.atRiskSorted(),
      now: () => this.env.now(),
      rulebook: () => this.rulebook,
      ownZone: () => this.ownZone(),
      hour12: () => this.settings.hour12,
      jump: (b) => void this.guard('list', () => this.jumpTo(b)),
      doc: this.env.doc,
    });
    this.list.toggle();
  }

  private jumpTo(b: Badge): Badge {
    b.row?.scrollIntoView?.({ block: 'center', behavior: 'auto' });
    try {
      b.host.focus({ preventScroll: true });
    } catch {
      /* focus is a nicety */
    }
    return b;
  }

  // ------------------------------------------------------------------- card

  private cardData(b: Badge, now = this.env.now()): CardData | null {
    if (!b.order || !b.verdict) return null;
    // The card shows the level as of now, like the badge.
    const verdict = b.verdict.level === b.level ? b.verdict : { ...b.verdict, level: b.level };
    return {
      order: b.order,
      verdict,
      now,
      rulebook: this.rulebook,
      ownZone: this.ownZone(),
      hour12: this.settings.hour12,
      pageZone: this.zone.zone,
    };
  }

  private ownZone(): string {
    const z = this.settings.secondZone;
    if (z && z !== 'auto') return z;
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
      return 'UTC';
    }
  }

  private badgeFromEvent(e: Event): Badge | undefined {
    const t = e.target as Element | null;
    if (!t || t.nodeType !== 1) return undefined;
    const host = isBadgeHost(t) ? t : t.closest?.(HOST_TAG);
    if (!host) return undefined;
    const b = badgeOf(host);
    return b && this.badges.has(b) ? b : undefined;
  }

  private showCard(b: Badge): void {
    const d = this.cardData(b);
    if (!d) return;
    if (!this.card) {
      this.card = createLazyHoverCard(this.env.doc);
      // Moving the pointer into the card keeps it open (to read or select text).
      this.card.host.addEventListener('mouseenter', () => this.cancelHide());
      this.card.host.addEventListener('mouseleave', () => this.scheduleHide());
    }
    this.cancelHide();
    this.card.show(b.host, d);
  }

  private cancelHide(): void {
    if (this.hideTimer !== null) this.env.clearTimeout(this.hideTimer);
    this.hideTimer = null;
  }

  private scheduleHide(): void {
    this.cancelHide();
    this.hideTimer = this.env.setTimeout(() => {
      this.hideTimer = null;
      // Keep it while its badge has keyboard focus.
      const a = this.card?.anchor;
      if (a && this.env.doc.activeElement === a) return;
      this.card?.hide();
    }, 250);
  }

  onPointerOver(e: Event): void {
    this.guard('hover', () => {
      const b = this.badgeFromEvent(e);
      if (!b) return;
      if (this.card?.anchor === b.host) {
        this.cancelHide();
        return;
      }
      if (this.hoverTimer !== null) this.env.clearTimeout(this.hoverTimer);
      this.hoverTimer = this.env.setTimeout(() => {
        this.hoverTimer = null;
        this.guard('hover', () => this.showCard(b));
      }, 120);
    });
  }

  onPointerOut(e: Event): void {
    this.guard('hover', () => {
      const b = this.badgeFromEvent(e);
      if (!b) return;
      const to = (e as MouseEvent).relatedTarget as Node | null;
      if (to && (to === b.host || to === this.card?.host)) return;
      if (this.hoverTimer !== null) this.env.clearTimeout(this.hoverTimer);
      this.hoverTimer = null;
      if (this.card?.anchor === b.host) this.scheduleHide();
    });
  }

  onFocusIn(e: Event): void {
    this.guard('focus', () => {
      const b = this.badgeFromEvent(e);
      if (b) this.showCard(b);
    });
  }

  onFocusOut(e: Event): void {
    this.guard('focus', () => {
      const b = this.badgeFromEvent(e);
      if (b && this.card?.anchor === b.host) this.scheduleHide();
    });
  }

  onKeyDown(e: KeyboardEvent): void {
    this.guard('key', () => {
      if (e.key === 'Escape' && this.card?.anchor) this.card.hide();
    });
  }

  /** Scrolling moves the badge under a fixed card: follow it, or hide once it is gone. */
  onScroll(): void {
    this.guard('scroll', () => {
      const a = this.card?.anchor;
      if (!a) return;
      const b = badgeOf(a);
      const d = b && this.cardData(b);
      if (d && a.isConnected) this.card!.update(d);
      else this.card!.hide();
    });
  }

  // -------------------------------------------------------------- messages

  private queueSend(order: Order): void {
    const sig = sigHash(orderSig(order));
    if (this.sentSig.get(order.postingNumber) === sig) return;
    this.pendingSend.set(order.postingNumber, order);
    if (this.sendTimer === null) this.sendTimer = this.env.setTimeout(() => this.flushSend(), SEND_DEBOUNCE_MS);
  }

  /** Sends what changed since the last send, in chunks. */
  flushSend(): void {
    this.sendTimer = null;
    if (this.destroyed || !this.pendingSend.size) return;
    const orders = [...this.pendingSend.values()];
    this.pendingSend.clear();
    for (const o of orders) {
      // Re-inserted, so the order of the map is "least recently sent first".
      this.sentSig.delete(o.postingNumber);
      this.sentSig.set(o.postingNumber, sigHash(orderSig(o)));
    }
    this.trim(this.sentSig);
    const url = this.env.win.location?.href ?? '';
    for (let i = 0; i < orders.length; i += SEND_CHUNK) {
      this.send({ type: 'orders:seen', storeId: this.storeId, orders: orders.slice(i, i + SEND_CHUNK), url });
    }
  }

  private send(msg: Message): void {
    try {
      const p = this.env.send(msg);
      if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(() => {});
    } catch {
      /* "Extension context invalidated" after an update: nothing to tell anyone */
    }
  }

  // ---------------------------------------------------------- loud failure

  /**
   * (Re)starts the quiet-period timer after which "no rows" is reported. A page
   * that never stops changing (a live clock in its header) is checked anyway
   * SETTLE_MAX_MS after the navigation.
   */
  private armSettle(): void {
    if (!this.active) return;
    if (this.settleTimer !== null) this.env.clearTimeout(this.settleTimer);
    const left = this.navAt + SETTLE_MAX_MS - this.env.now();
    this.settleTimer = this.env.setTimeout(() => {
      this.settleTimer = null;
      this.guard('settle', () => this.checkLayout());
    }, Math.max(0, Math.min(SETTLE_MS, left)));
  }

  /** An orders list with posting numbers (in text or the panel's JSON) but no row recognised: the layout changed. */
  checkLayout(): void {
    if (!this.active || this.badges.size) return;
    const body = this.env.doc.body;
    const text = body?.textContent ?? '';
    const hasContent = text.trim().length > 0;
    // Cells join without a separator in textContent: the shape anywhere counts as "numbers shown".
    const numbersShown = showsPostingShape(text.length > 2_000_000 ? text.slice(0, 2_000_000) : text);
    if (!hasContent || !(numbersShown || this.jsonSinceNav > 0)) return;
    this.setLayoutBroken(true);
  }

  /** Whether the page is in the "layout changed" state (posting numbers shown, no row recognised): the popup's page report says so. */
  get layoutChanged(): boolean {
    return this.layoutBroken;
  }

  /** The panel's JSON order for a posting, as rows are read with it (the page report reads rows the same way). */
  jsonOrder(posting: string): Order | undefined {
    return this.json.get(posting);
  }

  private setLayoutBroken(broken: boolean): void {
    if (this.layoutBroken === broken) return;
    this.layoutBroken = broken;
    const url = this.env.win.location?.href ?? '';
    if (broken && !this.warned) {
      this.warned = true;
      this.env.warn(
        `[Ozon Order Guard] no order rows recognised on ${url} — the panel's layout may have changed. Badges are off on this page until rows are recognised again.`,
      );
    }
    this.send({
      type: 'layout:status',
      storeId: this.storeId,
      url,
      broken,
      ...(broken ? { detail: 'posting numbers shown, no order row recognised' } : {}),
    });
  }

  // ----------------------------------------------------------------- cleanup

  /** Extension update / reload: every trace of us leaves the page. */
  destroy(): void {
    if (this.destroyed) return;
    try {
      this.observer.disconnect();
      this.ticker.stop();
      this.io?.disconnect();
      for (const b of this.badges) removeBadge(b);
      this.badges.clear();
      // Hosts a previous instance may have left (it could not clean up).
      for (const h of this.env.doc.querySelectorAll('ozon-guard-badge,ozon-guard-card,ozon-guard-chip,ozon-guard-list')) h.remove();
      this.card?.destroy();
      this.list?.destroy();
      this.chip?.destroy();
      this.backlog.clear();
      for (const t of [this.sendTimer, this.settleTimer, this.hoverTimer, this.hideTimer, this.backlogTimer]) {
        if (t !== null) this.env.clearTimeout(t);
      }
    } catch {
      /* best effort */
    }
    this.destroyed = true;
  }
}
