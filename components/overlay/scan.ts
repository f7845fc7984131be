/**
 * Which rows to read, and when: a full scan of the list, the page-wide
 * observer's batches (observer.ts) turned into the rows they touch, and the
 * backlog that reads rows in slices so no task of ours runs long (no
 * extension task over 50 ms, docs/performance.md). Reading and badging one
 * row is rows.ts's.
 *
 * Owns the MutationObserver (observer.ts) and the backlog's timer.
 */
import { findRows, readRow } from '../../panel/index';
import { badgeOf, type Badge } from '../../components/badge/badge';
import { createBatchObserver, type Batch, type BatchObserver } from './observer';
import type { OverlayState } from './state';
import type { RowBadges } from './rows';

/**
 * Rows are read in slices of at most ~SLICE_MS (never fewer than
 * SLICE_MIN_ROWS), the rest in the next task: reading a whole 1,000-row
 * re-render in one go was a 300 ms task on the page's main thread (bench:
 * the performance budget: no extension task over 50 ms, docs/performance.md).
 */
const SLICE_MS = 20;
const SLICE_MIN_ROWS = 50;
/** More removals than this in one batch: the page re-rendered the list; scan it whole. */
const RESCAN_REMOVED = 50;
const BATCH_DELAY_MS = 30;

const UI_TAGS = new Set(['OZON-GUARD-BADGE', 'OZON-GUARD-CARD', 'OZON-GUARD-CHIP']);

function isOwn(n: Node): boolean {
  return n.nodeType === 1 && UI_TAGS.has((n as Element).tagName);
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

export interface ScanDeps {
  rows: RowBadges;
  /** Rows were read (a scan, a batch, the backlog's last slice): chip, clock, zone; `batch`: from an observer batch. */
  changed(batch?: boolean): void;
  /** The page changed: the loud-failure check waits for it to settle (layout-watch.ts). */
  settle(): void;
  /** Rows are about to be read: a small body waiting for its first slice is taken in now (json-feed.ts kick). */
  beforeRead?(): void;
  /** The panel's JSON has described postings since the navigation (or a body is on its way): their rows are coming. */
  expectRows?(): boolean;
  /** An element of the page's left it, anywhere: what was below may have moved up into view (clock.ts layoutMayMove). */
  moved?(): void;
}

/**
 * While no list is known, the first elements the page adds after its JSON described postings are
 * scanned from the observer's own callback, at most once per this many ms (a page that keeps
 * changing with no order row in it costs one scan per gap, not one per change).
 */
export const EAGER_SCAN_GAP_MS = 250;

export class RowScanner {
  private readonly observer: BatchObserver;
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
  /**
   * Badges to draw again after a change of settings, rulebook or language (redrawSliced), the ones
   * in view first, in slices of SLICE_MS like the rows: every badge of a 5,000-row list redrawn in
   * one task was a 50–450 ms task (bench/settings-latency.mjs, docs/performance.md "Nineteenth pass").
   */
  private redraws = new Set<Badge>();
  private redrawTimer: unknown = null;
  /** When the last eager first scan was asked for (EAGER_SCAN_GAP_MS). */
  private eagerAt = -Infinity;

  constructor(
    private readonly state: OverlayState,
    private readonly deps: ScanDeps,
  ) {
    const env = state.env;
    this.observer = createBatchObserver({
      isOwn,
      onBatch: (b) => this.onBatch(b),
      setTimeout: env.setTimeout,
      clearTimeout: env.clearTimeout,
      onError: (e) => env.onError(e, 'observer'),
      delay: BATCH_DELAY_MS,
      urgent: (el) => this.urgent(el),
      removed: () => this.deps.moved?.(),
    });
  }

  /**
   * An added element read from the observer's callback, not after its delay: a new row of a known
   * list (its badge lands in the row's own frame), or — no list known yet, the panel's JSON having
   * described postings — the first of a list being mounted. The page mounts a long list in chunks,
   * a frame each, and its rendering holds a delayed first scan back until most chunks are in: that
   * scan then walked the whole list (≈ 25 µs a row) where the chunks after a scan of the first one
   * are each read as new rows of a known list (docs/performance.md).
   */
  private urgent(el: Element): boolean {
    const up = el.parentElement;
    if (!up) return false;
    if (this.rowParents.has(up)) return true;
    if (this.rowParents.size || !this.deps.expectRows?.()) return false;
    const now = performance.now();
    if (now - this.eagerAt < EAGER_SCAN_GAP_MS) return false;
    this.eagerAt = now;
    return true;
  }

  start(): void {
    const doc = this.state.env.doc;
    this.observer.observe(doc.body ?? doc.documentElement);
  }

  stop(): void {
    this.observer.disconnect();
  }

  /** Our own writes (badges into rows) unseen by the page-wide observer (observer.ts quiet). */
  quiet<T>(fn: () => T): T {
    return this.observer.quiet(fn);
  }

  /** A new tab / page: the list container may be a different one. */
  resetScope(): void {
    this.observer.setScope(null);
  }

  private root(): ParentNode {
    return this.observer.scope ?? this.state.env.doc.body ?? this.state.env.doc;
  }

  /** Reads every row under the scope (or the page) and reconciles badges. */
  fullScan(): void {
    const s = this.state;
    if (!s.active || !s.rctx) return;
    const t0 = performance.now();
    const root = this.root();
    const rows = this.deps.rows;
    // Finding rows is one cheap pass; reading them (the costly part) goes through the sliced backlog.
    const found = findRows(root, s.rctx);
    const seen = new Set<Element>(found);
    this.rowParents = new Set();
    for (const row of found) if (row.parentElement) this.rowParents.add(row.parentElement);
    for (const b of [...rows.badges]) {
      const row = b.row;
      if (!row || !row.isConnected || ((root as Node).contains(row) && !seen.has(row))) rows.drop(b);
    }
    this.updateScope(found);
    // The slice's clock starts with the scan: finding 1,000 rows is itself ~25 ms of the same task.
    this.readSliced(found, t0);
    this.deps.changed();
  }

  /** Reads (or re-reads) rows now, up to one slice, and the rest in later tasks. */
  readSliced(rows: Iterable<Element>, t0?: number): void {
    for (const row of rows) this.backlog.add(row);
    this.drain(t0);
  }

  /**
   * Reads rows in the next tasks, in slices, none now: for callers whose own task has already
   * spent its budget (a slice of the panel's JSON whose orders released waiting rows, rows.ts).
   */
  readLater(rows: Iterable<Element>): void {
    for (const row of rows) this.backlog.add(row);
    this.armBacklog();
  }

  private drain(t0 = performance.now()): void {
    const s = this.state;
    if (!s.active || !s.rctx) {
      this.backlog.clear();
      return;
    }
    // Fewer rows guaranteed when the task has already spent its slice (a full scan before).
    const min = performance.now() - t0 > SLICE_MS ? SLICE_MIN_ROWS / 5 : SLICE_MIN_ROWS;
    this.slice(this.backlog, (row) => this.deps.rows.reread(row), min, t0);
    this.armBacklog();
  }

  /**
   * One slice of a queue (the rows' backlog, the badges to redraw): items taken from its front
   * until at least `min` are done and SLICE_MS has passed since `t0`, our own writes unrecorded.
   */
  private slice<T>(queue: Set<T>, each: (item: T) => void, min: number, t0: number): void {
    this.observer.quiet(() => {
      let n = 0;
      for (const item of queue) {
        queue.delete(item);
        each(item);
        if (++n >= min && performance.now() - t0 > SLICE_MS) break;
      }
    });
  }

  /**
   * Every badge drawn again with the settings, rulebook and language now in force: the first slice
   * now (the badges in view first), the rest in the next tasks. A newer change replaces what is
   * left of an older one's queue (every badge is in both); the chip and the ticker follow the last slice.
   */
  redrawSliced(badges: Iterable<Badge>): void {
    this.redraws = new Set(badges);
    this.drainRedraws(performance.now());
  }

  private drainRedraws(t0: number): void {
    this.slice(this.redraws, (b) => this.deps.rows.redraw(b), SLICE_MIN_ROWS, t0);
    if (!this.redraws.size || this.redrawTimer !== null) return;
    const s = this.state;
    this.redrawTimer = s.env.setTimeout(() => {
      this.redrawTimer = null;
      s.guard('redraw', () => {
        if (!s.active) {
          this.redraws.clear();
          return;
        }
        this.drainRedraws(performance.now());
        if (!this.redraws.size) this.deps.changed();
      });
    }, 0);
  }

  private armBacklog(): void {
    const s = this.state;
    if (this.backlog.size && this.backlogTimer === null) {
      this.backlogTimer = s.env.setTimeout(() => {
        this.backlogTimer = null;
        s.guard('backlog', () => {
          this.drain();
          // New badges are rendered with their countdown already; the chip and the
          // ticker's re-arm (a full tick over every badge) wait for the last slice.
          if (!this.backlog.size) this.deps.changed();
        });
      }, 0);
    }
  }

  /** The list container once rows are known: later batches only look there. */
  private updateScope(rows: Element[]): void {
    if (this.state.page?.detailsPosting || !rows.length) {
      // The drawer lives outside the list: keep looking at the whole page.
      this.observer.setScope(null);
      return;
    }
    // Rows of one list share a parent: the ancestor walk runs once per distinct parent, not per row.
    const rowsParent = lowestCommonAncestor([...new Set(rows.map((r) => r.parentElement ?? r))]);
    // One level above the rows' parent: a tbody the SPA swaps out is still inside the scope.
    const scope = rowsParent?.parentElement ?? rowsParent;
    this.observer.setScope(scope && scope !== this.state.env.doc.documentElement ? scope : null);
  }

  private onBatch(batch: Batch): void {
    this.state.guard('batch', () => this.observer.quiet(() => this.readBatch(batch)));
  }

  private readBatch(batch: Batch): void {
    const s = this.state;
    if (!s.active || !s.rctx) return;
    this.deps.beforeRead?.();
    if (batch.scopeLost) {
      this.fullScan();
      this.deps.settle();
      return;
    }
    const badges = this.deps.rows;
    const rows = new Set<Element>();
    let unknown = false;
    const parents = this.rowParents;
    // The row a node is in: one carrying our badge, or a child of a known list (a row not drawn
    // yet: parked for its JSON, or still empty). A change inside such a row re-reads that row
    // alone; it made a full scan of the list while no badge was drawn yet (docs/performance.md).
    const toRow = (n: Node): Element | null => {
      for (let e: Element | null = n.nodeType === 1 ? (n as Element) : n.parentElement; e; e = e.parentElement) {
        if (badges.isRow(e)) return e;
        const up = e.parentElement;
        if (up && parents.has(up)) return e;
      }
      return null;
    };
    const fresh: Element[] = [];
    for (const el of batch.added) {
      if (el.parentElement && parents.has(el.parentElement)) {
        if (badges.isRow(el)) rows.add(el);
        else fresh.push(el);
        continue;
      }
      const r = toRow(el);
      if (r) rows.add(r);
      else unknown = true;
    }
    for (const el of batch.changed) {
      const r = toRow(el);
      if (r) rows.add(r);
      // Nothing found yet: a change may be the list filling in. Once a list is known, a change
      // outside its rows (a counter, a header) is no reason to scan it again, drawn or not
      // (its rows may all be waiting for their JSON, rows.ts).
      else if (!badges.size && !parents.size) unknown = true;
    }
    // A removed row takes its badge with it; a removed cell may have held it.
    for (const n of batch.removed) {
      if (n.nodeType !== 1) continue;
      const r = toRow(n);
      if (r) rows.add(r);
    }
    for (const host of batch.ownRemoved) {
      const b: Badge | undefined = badgeOf(host);
      if (b && badges.badges.has(b) && b.row?.isConnected) rows.add(b.row);
    }
    // Many rows removed and nothing new that we know the place of: the page re-rendered the list
    // elsewhere; scan it whole. When every added element is a new child of a known list (the same
    // container refilled), each is read on its own: a full scan was ~45 µs a row (findRows) on top.
    if (unknown || (batch.removed.length > RESCAN_REMOVED && !fresh.length && !rows.size)) {
      this.fullScan();
    } else {
      for (const row of rows) badges.reread(row);
      this.readSliced(fresh.filter((el) => el.isConnected && !badges.isRow(el)));
      // Only a removal detaches a row (a removal above the scope loses the scope: full scan above).
      if (batch.removed.length || batch.ownRemoved.length) badges.dropDetached();
      if (batch.outside.length) this.scanOutside(batch.outside);
      this.deps.changed(true);
    }
    this.deps.settle();
  }

  /** Added elements outside the list (a drawer, a second list): read only those subtrees. */
  private scanOutside(els: Element[]): void {
    const rctx = this.state.rctx;
    if (!rctx) return;
    const rows = this.deps.rows;
    for (const el of els) {
      if (!el.isConnected) continue;
      for (const row of findRows(el, rctx)) {
        const r = readRow(row, rctx, rows.jsonFor);
        if (r) rows.apply(r);
      }
    }
  }

  /** Rows waiting to be read, and whether the backlog's timer is armed (the destroy tests). */
  get pending(): { rows: number; armed: boolean } {
    return { rows: this.backlog.size, armed: this.backlogTimer !== null };
  }

  destroy(): void {
    this.observer.disconnect();
    this.backlog.clear();
    if (this.backlogTimer !== null) this.state.env.clearTimeout(this.backlogTimer);
    this.backlogTimer = null;
    this.redraws.clear();
    if (this.redrawTimer !== null) this.state.env.clearTimeout(this.redrawTimer);
    this.redrawTimer = null;
    this.rowParents.clear();
  }
}
