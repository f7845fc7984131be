/**
 * T3 on a live page: the evidence for the page's zone and the decision from
 * it (the rules are in rules/page-zone.ts; this keeps the page-life state).
 *
 * Each row the panel's JSON also describes is a witness: the ship-by (or
 * paid-at) time it PRINTS next to the JSON's instant for the same fact. The
 * last ZONE_WINDOW witnesses, one per posting, are kept (a Map used as an
 * LRU: bounded, whatever the page does all day); a row read again replaces
 * its own old witness, so a panel whose zone the seller changed, or a list
 * reached by SPA navigation, is re-learned as its rows render.
 *
 * Witnesses are read lazily: observe() only notes the row (bounded like the
 * witnesses, one per posting); its printed times are read when the zone is
 * first asked for. The zone matters only to rows read without the JSON's
 * instants (markUsed) and to the card and page report that state it: a list
 * the JSON describes whole never pays for reading its time cells twice (the
 * largest single cost after the badge itself at 1,000 rows,
 * docs/performance.md). A noted row that shows another posting by then
 * (a virtualised list re-used it) is skipped: `shows` tells.
 */
import { printedTimes } from '../../panel/parse-row';
import type { PrintedTimes } from '../../panel/types';
import {
  learnPageOffset,
  parsePageZoneSetting,
  resolvePageZone,
  tzOffsetOf,
  type PageZone,
  type PageZoneChoice,
  type ZonePair,
} from '../../rules';
import { defaultRulebook, type Rulebook } from '../../rules';
import { toEpochMs } from '../../rules';
import type { Order } from '../../rules';

/** Witnesses kept (one per posting): enough for a clear majority, small enough to follow a change within one list. */
export const ZONE_WINDOW = 24;
/**
 * Once the window has been filled since the last navigation, only every
 * SAMPLE_EVERY-th JSON-backed row read is looked at again: reading a row's
 * time cells costs several times what the JSON-backed read of the row costs
 * (≈ 70 µs against ≈ 10 µs), and a zone change re-renders every row, so one
 * row in sixteen (60 of a 1,000-row list, a clear majority of the window
 * within ≈ 200 re-rendered rows) is enough new evidence (T3; docs/performance.md).
 */
export const SAMPLE_EVERY = 16;

/** A row noted as a witness, read when the zone is next asked for. */
interface Pending {
  row: Element;
  shipMs: number;
  paidMs: number;
  at: number;
  printedOf: ((nowMs: number) => PrintedTimes) | undefined;
}

/** Puts `key` last (newest) and drops the oldest beyond ZONE_WINDOW: the witnesses' and the noted rows' one bound. */
function putNewest<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > ZONE_WINDOW) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

export class PageZoneTracker {
  private pairs = new Map<string, ZonePair>();
  private pending = new Map<string, Pending>();
  /** Whether a row was read in the page's zone since the last navigation (markUsed). */
  private used = false;
  /** Whether `row` still shows `posting` (set by the overlay from its rows; unset, every noted row counts). */
  shows: ((row: Element, posting: string) => boolean) | undefined;
  private choice: PageZoneChoice = { kind: 'auto' };
  private rulebook: Rulebook = defaultRulebook;
  private cookieTz: number | undefined;
  private sinceNav = 0;
  private reads = 0;
  private decided: PageZone;
  /**
   * Witnesses changed since the last decision: the decision is made again when next asked for
   * (the reader asks once per batch of rows, controller.ts syncZone), not per witness — deciding
   * per witness was ≈ 40 % of this tracker's cost on a 5,000-row list (docs/performance.md).
   */
  private stale = false;

  /** `localEast`: this computer's offset (minutes east) at an instant, for the "this computer's zone" setting. */
  constructor(private readonly localEast: (nowMs: number) => number | undefined, private readonly now: () => number) {
    this.decided = this.decide();
  }

  /** The decision in force. */
  get zone(): PageZone {
    this.drain();
    if (this.stale) {
      this.stale = false;
      this.decided = this.decide();
    }
    return this.decided;
  }

  /**
   * The reader's `tzOffsetMinutes` (getTimezoneOffset sign) for the decision in force;
   * `readNoted` false: without reading the noted witnesses first (the decision as it stands).
   */
  tzOffset(readNoted = true): number {
    return tzOffsetOf(readNoted ? this.zone : this.decided);
  }

  /** The seller's setting (storage/settings `pageZone`; a bad stored value reads as auto) and the rulebook (T1's Moscow). */
  configure(setting: unknown, rulebook: Rulebook): void {
    const r = parsePageZoneSetting(setting);
    this.choice = r.ok ? r.choice : { kind: 'auto' };
    this.rulebook = rulebook;
    this.stale = false;
    this.decided = this.decide();
  }

  /**
   * Whether the decision is wanted now: a row was read in the page's zone since the last
   * navigation, or nothing is waiting to be read. The overlay asks after each batch (controller.ts
   * syncZone) and leaves the witnesses unread while no row needs them.
   */
  get wanted(): boolean {
    return this.used || this.pending.size === 0;
  }

  /** A row was read in the page's zone (its times were not all in the JSON): the next question reads the witnesses. */
  markUsed(): void {
    this.used = true;
  }

  /** A navigation: the page's cookie (T3) as read now; the next rows are sampled eagerly. */
  navigate(cookieTzOffset: number | undefined): void {
    // The last list's noted rows are still its evidence (kept as when they were read eagerly).
    this.drain();
    this.used = false;
    this.cookieTz = cookieTzOffset;
    this.sinceNav = 0;
    this.stale = false;
    this.decided = this.decide();
  }

  /**
   * A row the panel's JSON describes was read: its printed time against the
   * JSON's instant, noted now and read when the zone is next asked for.
   * Cheap when it is not needed (a setting in force, or the sampling rate
   * says skip). Never throws.
   */
  observe(row: Element, json: Order, printedOf?: (nowMs: number) => PrintedTimes): void {
    if (this.choice.kind !== 'auto') return;
    if (this.sinceNav >= ZONE_WINDOW && this.reads++ % SAMPLE_EVERY !== 0) return;
    const shipMs = json.shipBy ? toEpochMs(json.shipBy) : NaN;
    const paidMs = json.paidAt ? toEpochMs(json.paidAt) : NaN;
    if (!Number.isFinite(shipMs) && !Number.isFinite(paidMs)) return;
    // Counted per look, not per pair found: a list that prints no times must not be read twice forever.
    this.sinceNav++;
    putNewest(this.pending, json.postingNumber, { row, shipMs, paidMs, at: this.now(), printedOf });
  }

  /** Reads the noted rows' printed times into witnesses (oldest first, so the window keeps the newest). Never throws. */
  private drain(): void {
    if (!this.pending.size) return;
    const noted = [...this.pending];
    this.pending.clear();
    for (const [key, p] of noted) this.read(key, p);
  }

  private read(key: string, { row, shipMs, paidMs, at, printedOf }: Pending): void {
    let printed;
    try {
      if (this.shows && !this.shows(row, key)) return;
      printed = printedOf ? printedOf(at) : printedTimes(row, at);
    } catch {
      return;
    }
    let pair: ZonePair | undefined;
    if (printed.shipBy !== undefined && Number.isFinite(shipMs)) pair = { wallMs: printed.shipBy, instantMs: shipMs };
    else if (printed.paidAt !== undefined && Number.isFinite(paidMs)) pair = { wallMs: printed.paidAt, instantMs: paidMs };
    if (!pair) return;
    const old = this.pairs.get(key);
    putNewest(this.pairs, key, pair);
    if (old && old.wallMs === pair.wallMs && old.instantMs === pair.instantMs) return;
    this.stale = true;
  }

  /** How many witnesses are held, the noted rows read first (tests; never more than ZONE_WINDOW). */
  get size(): number {
    this.drain();
    return this.pairs.size;
  }

  /** Rows noted and not yet read (tests; never more than ZONE_WINDOW). */
  get noted(): number {
    return this.pending.size;
  }

  private decide(): PageZone {
    let localEast: number | undefined;
    if (this.choice.kind === 'local') {
      try {
        localEast = this.localEast(this.now());
      } catch {
        localEast = undefined;
      }
    }
    return resolvePageZone({
      choice: this.choice,
      learned: learnPageOffset([...this.pairs.values()]),
      ...(this.cookieTz !== undefined ? { cookieTzOffset: this.cookieTz } : {}),
      ...(localEast !== undefined ? { localEast } : {}),
      rulebook: this.rulebook,
    });
  }
}
