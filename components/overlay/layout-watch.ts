/**
 * Loud failure (docs/architecture.md; refined-github's model): an orders
 * list that shows posting numbers (in text or the panel's JSON) but where no
 * row is recognised means the panel's layout changed. Said once in the
 * console and to the background ('layout:status'), and taken back when rows
 * are recognised again. Owns one timer.
 */
import { showsPostingShape } from '../../rules';
import type { OverlayState } from './state';

/** How long the page must be quiet before "no rows" counts as a broken layout. */
export const SETTLE_MS = 3000;
export const SETTLE_MAX_MS = 10_000;
/** The page text searched for posting numbers is capped (a huge page must not cost a huge regex run). */
const TEXT_CAP = 2_000_000;

export interface LayoutWatchDeps {
  /** How many rows carry a badge now. */
  rows(): number;
  /** Orders the panel's JSON bridged since the navigation. */
  jsonSinceNav(): number;
}

export class LayoutWatch {
  private timer: unknown = null;
  private navAt = 0;
  private broken = false;
  private warned = false;

  constructor(
    private readonly state: OverlayState,
    private readonly deps: LayoutWatchDeps,
  ) {}

  /** A navigation: SETTLE_MAX_MS counts from now. */
  navigated(): void {
    this.navAt = this.state.env.now();
  }

  /**
   * (Re)starts the quiet-period timer after which "no rows" is reported. A page
   * that never stops changing (a live clock in its header) is checked anyway
   * SETTLE_MAX_MS after the navigation.
   */
  arm(): void {
    if (!this.state.active) return;
    const env = this.state.env;
    if (this.timer !== null) env.clearTimeout(this.timer);
    const left = this.navAt + SETTLE_MAX_MS - env.now();
    this.timer = env.setTimeout(() => {
      this.timer = null;
      this.state.guard('settle', () => this.check());
    }, Math.max(0, Math.min(SETTLE_MS, left)));
  }

  /** Leaving the postings pages: no check pending. */
  disarm(): void {
    if (this.timer !== null) this.state.env.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Rows are recognised (again): a "broken" said before is taken back. */
  rowsSeen(): void {
    if (this.broken && this.deps.rows()) this.set(false);
  }

  check(): void {
    if (!this.state.active || this.deps.rows()) return;
    const body = this.state.env.doc.body;
    const text = body?.textContent ?? '';
    const hasContent = text.trim().length > 0;
    // Cells join without a separator in textContent: the shape anywhere counts as "numbers shown".
    const numbersShown = showsPostingShape(text.length > TEXT_CAP ? text.slice(0, TEXT_CAP) : text);
    if (!hasContent || !(numbersShown || this.deps.jsonSinceNav() > 0)) return;
    this.set(true);
  }

  /** Whether the page is in the "layout changed" state (the popup's page report says so). */
  get layoutChanged(): boolean {
    return this.broken;
  }

  get armed(): boolean {
    return this.timer !== null;
  }

  private set(broken: boolean): void {
    if (this.broken === broken) return;
    this.broken = broken;
    const url = this.state.url();
    if (broken && !this.warned) {
      this.warned = true;
      this.state.env.warn(
        `[Ozon Order Guard] no order rows recognised on ${url} — the panel's layout may have changed. Badges are off on this page until rows are recognised again.`,
      );
    }
    this.state.send({
      type: 'layout:status',
      storeId: this.state.storeId,
      url,
      broken,
      ...(broken ? { detail: 'posting numbers shown, no order row recognised' } : {}),
    });
  }

  destroy(): void {
    this.disarm();
  }
}
