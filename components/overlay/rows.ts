/**
 * Recognised rows → Order → Verdict → their one badge, and the per-row
 * state that makes a re-render of the same facts cost nothing: the row's
 * last read, the badge it carries, and the signature of what that badge
 * shows. Which rows to read, and when, is scan.ts's.
 *
 * Owns the badges (their hosts leave the page in destroy()).
 */
import { applySellerFlags, mergeOrder, primaryPosting, readRow, stillFound } from '../../panel/index';
import type { RowRead } from '../../panel/types';
import { evaluateFacts } from '../../rules/index';
import type { Order } from '../../rules';
import { UNKNOWN_STORE, samePlain } from '../../rules';
import { HOST_TAG, badgeOf, createRenderedBadge, removeBadge, renderBadge, type Badge } from '../../components/badge/badge';
import type { OverlayState } from './state';
import type { JsonCache } from './json-cache';
import type { Sender } from './sender';

export interface RowsDeps {
  json: JsonCache;
  sender: Sender;
  /** A badge was (re)drawn: the open card follows it. */
  drawn(b: Badge): void;
  /** A badge left: its card closes. */
  forgotten(b: Badge): void;
  /**
   * Rows that waited for the JSON, to read in slices (scan.ts): `soon` — their orders just landed,
   * so each read is the cheap JSON-backed one and the first slice runs now (its badge within the
   * JSON slice's frame); otherwise — they waited in vain and each is a full DOM read — from the
   * next task on.
   */
  later(rows: Element[], soon?: boolean): void;
  /** Whether a new badge for `posting` is made bare (its pills drawn once near the viewport: clock.ts); none: never. */
  bare?(posting: string): boolean;
}

/** At most this many rows wait for the JSON at once; more are read from the DOM straight away. */
const WAITING_MAX = 10_000;
/**
 * However the wait's deadline moves on (a body still being walked, json-cache.ts progress; a body
 * announced again and again, which a page could do on purpose), no row waits longer than this.
 */
export const WAIT_MAX_MS = 2_000;

/**
 * What a badge was drawn from: the merged order is a function of exactly these (the row's own
 * reading, the JSON order held for its posting — the cache keeps the same object while the panel
 * repeats it, json-cache.ts — the tab's store, and the settings / rulebook / language in force,
 * `configVersion`), so "unchanged" is an identity check plus one allocation-free comparison of
 * the row's small reading (rules/plain.ts samePlain), never a serialisation of the merged order.
 */
interface DrawnFrom {
  config: number;
  store: string;
  json: Order | undefined;
  dom: Order;
}

export class RowBadges {
  /** Every live badge. */
  readonly badges = new Set<Badge>();
  private rowBadge = new WeakMap<Element, Badge>();
  /**
   * posting → its live badges (usually one; a drawer and its list row make two): the panel's
   * JSON arriving in slices touches a few hundred postings at a time, and each slice must cost
   * what it touched, not a pass over every badge (docs/performance.md).
   */
  private byPosting = new Map<string, Badge | Badge[]>();
  /**
   * New rows waiting for their posting's order from the JSON body being taken in (json-cache.ts
   * JSON_WAIT_MS): posting → row. Each is read as soon as its order lands, and the rest when the
   * body is done or the wait's deadline passes — never later, and never more than WAITING_MAX.
   */
  private waiting = new Map<string, Element>();
  private waitTimer: unknown = null;
  /** When the rows now waiting began to wait (the first of them), epoch ms. */
  private waitSince = 0;
  /** Rows that waited once: never again (a page whose bodies keep overlapping cannot hold a row back). */
  private waited = new WeakSet<Element>();
  /** The posting a row was parked under (it is parked while `waiting` still maps that posting to it). */
  private parkedAs = new WeakMap<Element, string>();
  /**
   * Where the parking test found a parked row's posting, while nothing of the row changed since:
   * its read when the order lands (or the wait ends) does not walk the row again. A row parked
   * before the body arrives is the usual case on a panel that renders its list from the very
   * body the extension is still taking in, and the walk was most of that read (docs/performance.md).
   */
  private parkedFound = new WeakMap<Element, { num: string; el: Element }>();
  /** The last DOM read of a row, and what its badge was last drawn from. */
  private rowRead = new WeakMap<Element, RowRead>();
  private rowDrawn = new WeakMap<Element, DrawnFrom>();

  constructor(
    private readonly state: OverlayState,
    private readonly deps: RowsDeps,
  ) {}

  /** Whether `el` is a row carrying one of our badges. */
  isRow(el: Element): boolean {
    return this.rowBadge.has(el);
  }

  /** The live badge of the row `el` is, or of the host `el` is (clock.ts's probe maps a list's children back to their badges). */
  badgeAt(el: Element): Badge | undefined {
    const b = this.rowBadge.get(el) ?? badgeOf(el);
    return b && this.badges.has(b) ? b : undefined;
  }

  /** The postings on screen (never evicted from the caches: json-cache.ts). */
  *postings(): Iterable<string> {
    for (const b of this.badges) yield b.posting;
  }

  get size(): number {
    return this.badges.size;
  }

  /** The panel's JSON order for a posting: rows it covers are read only for what it lacks (readRow). */
  readonly jsonFor = (posting: string): Order | undefined => this.deps.json.get(posting);

  /** Reads one row again (or drops its badge when it is gone or no longer an order row). */
  reread(row: Element): void {
    const rctx = this.state.rctx;
    if (!rctx) return;
    const b = this.rowBadge.get(row);
    if (!row.isConnected) {
      if (b) this.drop(b);
      return;
    }
    // The row's posting when the parking test below had to find it: readRow does not walk the row again for it.
    let found: ReturnType<typeof primaryPosting>;
    if (!b && this.deps.json.awaiting()) {
      // Still parked (a mutation of the row while its order is on the way): it is read once, when the order lands.
      const parked = this.parkedAs.get(row);
      if (parked !== undefined && this.waiting.get(parked) === row) {
        // The row changed while parked: what was found in it may be stale (a recycled row), so it is walked again.
        this.parkedFound.delete(row);
        return;
      }
      if (this.waiting.size < WAITING_MAX && !this.waited.has(row)) {
        found = primaryPosting(row, rctx);
        // No posting: no order row (readRow would say so), and no badge to drop (`!b`).
        if (!found) return;
        if (!this.deps.json.get(found.num)) {
          this.park(found.num, row, found);
          return;
        }
      }
    }
    if (!found) {
      const kept = this.parkedFound.get(row);
      if (kept !== undefined) {
        this.parkedFound.delete(row);
        // A mutation not yet delivered may have changed the row since: kept only while it still shows that number.
        if (stillFound(row, kept)) found = kept;
      }
    }
    const r = readRow(row, rctx, this.jsonFor, found);
    if (r) this.apply(r);
    else if (b) this.drop(b);
  }

  private park(posting: string, row: Element, found: { num: string; el: Element }): void {
    const other = this.waiting.get(posting);
    this.waiting.set(posting, row);
    this.waited.add(row);
    this.parkedAs.set(row, posting);
    this.parkedFound.set(row, found);
    // Two rows of one posting (a list row and its drawer): the first is read now rather than forgotten.
    if (other && other !== row) this.deps.later([other]);
    this.armWait();
  }

  /** The wait's timer: at the deadline in force, the rows still waiting are read; a deadline moved on (json-cache.ts progress) is waited for. */
  private armWait(): void {
    if (this.waitTimer !== null) return;
    const env = this.state.env;
    if (this.waitSince === 0) this.waitSince = env.now();
    const until = Math.min(this.deps.json.waitDeadline, this.waitSince + WAIT_MAX_MS);
    this.waitTimer = env.setTimeout(() => {
      this.waitTimer = null;
      this.state.guard('json-wait', () => {
        if (this.waiting.size && this.deps.json.awaiting() && env.now() < this.waitSince + WAIT_MAX_MS) this.armWait();
        else this.releaseWaiting();
      });
    }, Math.max(0, until - env.now()));
  }

  /** The JSON body is done (or the wait's deadline passed): rows still waiting are read as they are. */
  releaseWaiting(): void {
    if (this.waitTimer !== null) this.state.env.clearTimeout(this.waitTimer);
    this.waitTimer = null;
    this.waitSince = 0;
    if (!this.waiting.size) return;
    const rows = [...this.waiting.values()];
    this.waiting.clear();
    this.deps.later(rows);
  }

  /** Whether `row` was last read as showing `posting` (the zone tracker's check on a noted witness). */
  shows(row: Element, posting: string): boolean {
    return this.rowRead.get(row)?.order.postingNumber === posting;
  }

  /** Postings in the badge index (the long-session test: never more than the badges). */
  get indexed(): number {
    return this.byPosting.size;
  }

  /** Rows waiting for the JSON (the destroy tests). */
  get waitingRows(): number {
    return this.waiting.size;
  }

  /** One row's read → its one badge (created, updated in place, or left alone). */
  apply(read: RowRead): void {
    const json = this.deps.json;
    if (read.json && json.get(read.order.postingNumber) !== read.json) {
      // Read against a JSON order that is no longer the one in force (newer, or evicted): read the row again.
      this.reread(read.row);
      return;
    }
    const { row, anchor } = read;
    const s = this.state;
    // T3: this row's times were read in the page's zone, so the zone's witnesses are now worth reading (page-zone.ts).
    if (read.zoned) s.zone.markUsed();
    this.rowRead.set(row, read);
    // The JSON order the row was read against is the one in force (checked above): no second lookup.
    const witness = read.json ?? json.get(read.order.postingNumber);
    let b = this.rowBadge.get(row);
    if (b && !this.badges.has(b)) b = undefined;
    const placed = !!b && b.host.parentNode === anchor;
    // Hosts of other rows that a re-render moved in here, or duplicates: never two in one row. The
    // row's live collection of hosts (the browser keeps one per element and tag, so a row drawn again
    // asks for it nearly free, where a selector query walked the row each time: ≈ 20 ms of a 5,000-row
    // list's redraw, docs/performance.md "Nineteenth pass"); copied before anything is removed.
    // A row with no badge of ours yet asks a one-off query first: nearly always it holds no host,
    // and the browser then makes and caches no collection for it (0.2 against 0.8 µs a row,
    // bench/dom-cost.mjs; docs/performance.md "Twenty-first pass").
    const live = b || row.querySelector(HOST_TAG) ? row.getElementsByTagName(HOST_TAG) : null;
    const hosts = live && (live.length > 1 || (live.length === 1 && live[0] !== b?.host)) ? Array.from(live) : [];
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      if (b && h === b.host) continue;
      const other = badgeOf(h);
      if (other && other.row && other.row !== row && this.badges.has(other)) {
        // Its own row puts it back, read again next: our own writes are not reported to us (observer.ts quiet).
        h.remove();
        this.deps.later([other.row]);
      } else {
        if (other) this.forget(other);
        h.remove();
      }
    }
    const last = this.rowDrawn.get(row);
    if (b && placed && last && last.config === s.configVersion && last.store === s.storeId && last.json === witness && samePlain(last.dom, read.order)) return; // unchanged: no work
    // T3: a JSON-backed row is a witness of the page's zone; an unchanged one (returned above) would repeat its witness.
    if (witness) s.zone.observe(row, witness, read.printed);
    const order = this.orderFor(read, witness);
    const now = s.env.now();
    // What the badge shows; the whole verdict waits until its card asks (Badge.verdict).
    const facts = evaluateFacts(order, now, s.rulebook);
    if (!b) {
      b = createRenderedBadge(order, facts, s.view, now, s.lines, s.env.doc, s.rulebook, !!this.deps.bare?.(order.postingNumber));
      this.rowBadge.set(row, b);
      this.badges.add(b);
      this.index(b, undefined);
    } else {
      const was = b.posting;
      renderBadge(b, order, facts, s.view, now, s.lines, s.rulebook);
      if (was !== b.posting) this.index(b, was);
    }
    b.row = row;
    if (b.host.parentNode !== anchor) anchor.append(b.host);
    this.rowDrawn.set(row, { config: s.configVersion, store: s.storeId, json: witness, dom: read.order });
    this.deps.sender.queue(order);
    this.deps.drawn(b);
  }

  /** The DOM read merged with the panel's JSON (T3 / P1 / P2: JSON wins) and the seller's own flags. */
  private orderFor(read: RowRead, j: Order | undefined): Order {
    const s = this.state;
    let order = j ? mergeOrder(read.order, j) : read.order;
    if (s.storeId !== UNKNOWN_STORE && !order.storeId) order = { ...order, storeId: s.storeId };
    return applySellerFlags(order, s.settings, s.storeId);
  }

  /** Files a badge under its (new) posting, out of the old one's entry. */
  private index(b: Badge, was: string | undefined): void {
    if (was !== undefined) this.unindex(b, was);
    const cur = this.byPosting.get(b.posting);
    if (cur === undefined) this.byPosting.set(b.posting, b);
    else if (Array.isArray(cur)) {
      if (!cur.includes(b)) cur.push(b);
    } else if (cur !== b) this.byPosting.set(b.posting, [cur, b]);
  }

  private unindex(b: Badge, posting: string): void {
    const cur = this.byPosting.get(posting);
    if (cur === b) this.byPosting.delete(posting);
    else if (Array.isArray(cur)) {
      const rest = cur.filter((x) => x !== b);
      if (!rest.length) this.byPosting.delete(posting);
      else this.byPosting.set(posting, rest.length === 1 ? rest[0]! : rest);
    }
  }

  /** Badges of rows the panel's JSON just described anew: their rows are applied again. Rows waiting for it are read. */
  jsonChanged(touched: ReadonlySet<string>): void {
    const hit: Badge[] = [];
    const ready: Element[] = [];
    for (const p of touched) {
      const w = this.waiting.get(p);
      if (w !== undefined) {
        this.waiting.delete(p);
        ready.push(w);
      }
      const cur = this.byPosting.get(p);
      if (cur === undefined) continue;
      if (Array.isArray(cur)) hit.push(...cur);
      else hit.push(cur);
    }
    for (const b of hit) {
      if (!b.row || !this.badges.has(b)) continue;
      const read = this.rowRead.get(b.row);
      if (read) this.apply(read);
    }
    // Their orders are here: read against them, the first slice now (scan.ts readSliced).
    if (ready.length) this.deps.later(ready, true);
  }

  /** The page dropped a host without a mutation we could see (e.g. moved the row): re-read, or let it go. */
  reclaim(b: Badge): void {
    if (b.row?.isConnected) this.reread(b.row);
    else this.drop(b);
  }

  /** One badge drawn again from its row's last read (settings, rulebook or language changed); dropped when its row is gone. */
  redraw(b: Badge): void {
    if (!this.badges.has(b)) return;
    const row = b.row;
    const read = row && this.rowRead.get(row);
    if (!row || !read || !row.isConnected) {
      this.drop(b);
      return;
    }
    this.apply(read);
  }

  /** The live badges, the ones the seller sees first (drawn and near the viewport), then the rest in their order. */
  inViewFirst(): Badge[] {
    const seen: Badge[] = [];
    const rest: Badge[] = [];
    for (const b of this.badges) (b.visible && !b.bare ? seen : rest).push(b);
    for (const b of rest) seen.push(b);
    return seen;
  }

  /** The rows of the live badges still in the page. */
  connectedRows(): Element[] {
    const rows: Element[] = [];
    for (const b of this.badges) if (b.row?.isConnected) rows.push(b.row);
    return rows;
  }

  /** Badges whose row left the page. */
  dropDetached(): void {
    for (const b of [...this.badges]) if (!b.row?.isConnected) this.drop(b);
  }

  forget(b: Badge): void {
    this.badges.delete(b);
    this.unindex(b, b.posting);
    if (b.row && this.rowBadge.get(b.row) === b) {
      this.rowBadge.delete(b.row);
      this.rowDrawn.delete(b.row);
    }
    this.deps.forgotten(b);
  }

  drop(b: Badge): void {
    this.forget(b);
    removeBadge(b);
  }

  dropAll(): void {
    for (const b of [...this.badges]) this.drop(b);
  }

  destroy(): void {
    if (this.waitTimer !== null) this.state.env.clearTimeout(this.waitTimer);
    this.waitTimer = null;
    this.waiting.clear();
    for (const b of this.badges) removeBadge(b);
    this.badges.clear();
    this.byPosting.clear();
  }
}
