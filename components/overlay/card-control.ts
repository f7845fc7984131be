/**
 * The hover / focus card's behaviour (the card itself is drawn by
 * components/badge/card.ts): which badge it explains, when it opens (hover
 * after 120 ms, keyboard focus at once), when it closes (pointer gone 250 ms,
 * focus gone, Escape, its badge gone) and following its badge on scroll.
 *
 * Owns the card, its two listeners (pointer into / out of the card) and its
 * two timers. The page-wide delegated listeners (mouseover, focusin, keydown,
 * scroll …) are the entrypoint's, one each, on the run's guard
 * (components/overlay/lifetime.ts); the controller hands their events here.
 */
import { HOST_TAG, badgeOf, isBadgeHost, type Badge } from '../../components/badge/badge';
import type { CardData, HoverCard } from '../../components/badge/card';
import { createLazyHoverCard } from '../../components/badge/card-loader';
import type { OverlayState } from './state';

const HOVER_MS = 120;
const HIDE_MS = 250;

export class CardControl {
  private card: HoverCard | null = null;
  private hoverTimer: unknown = null;
  private hideTimer: unknown = null;
  private readonly ac = new AbortController();

  constructor(
    private readonly state: OverlayState,
    /** Whether a badge is one of this run's live badges (rows.ts). */
    private readonly isLive: (b: Badge) => boolean,
  ) {}

  /** The badge host the open card explains, if any. */
  get anchor(): Element | null {
    return this.card?.anchor ?? null;
  }

  /** The card's host element once made (tests). */
  get host(): HTMLElement | null {
    return this.card?.host ?? null;
  }

  data(b: Badge, now = this.state.env.now()): CardData | null {
    if (!b.order || !b.verdict) return null;
    // The card shows the level as of now, like the badge.
    const verdict = b.verdict.level === b.level ? b.verdict : { ...b.verdict, level: b.level };
    const s = this.state;
    return { order: b.order, verdict, now, rulebook: s.rulebook, ownZone: s.ownZone(), hour12: s.settings.hour12, pageZone: s.zone.zone };
  }

  /**
   * Opens the card for `b`: THE one place the card is made and shown
   * (components/badge/card.ts is only reached from here).
   */
  show(b: Badge): void {
    const d = this.data(b);
    if (!d) return;
    if (!this.card) {
      this.card = createLazyHoverCard(this.state.env.doc);
      // Moving the pointer into the card keeps it open (to read or select text).
      const opts = { signal: this.ac.signal };
      this.card.host.addEventListener('mouseenter', () => this.cancelHide(), opts);
      this.card.host.addEventListener('mouseleave', () => this.scheduleHide(), opts);
    }
    this.cancelHide();
    this.card.show(b.host, d);
  }

  /** Re-renders the open card from its badge (tick, settings, new data); `b` only when it is the anchor. */
  refresh(b?: Badge, now?: number): void {
    const a = this.card?.anchor;
    if (!a) return;
    if (b && b.host !== a) return;
    const badge = b ?? badgeOf(a);
    const d = badge && this.data(badge, now);
    if (d) this.card!.update(d);
  }

  /** The badge is gone: so is its card. */
  forget(b: Badge): void {
    if (this.card?.anchor === b.host) this.card.hide();
  }

  hide(): void {
    this.card?.hide();
  }

  private cancelHide(): void {
    if (this.hideTimer !== null) this.state.env.clearTimeout(this.hideTimer);
    this.hideTimer = null;
  }

  private scheduleHide(): void {
    this.cancelHide();
    this.hideTimer = this.state.env.setTimeout(() => {
      this.hideTimer = null;
      // Keep it while its badge has keyboard focus.
      const a = this.card?.anchor;
      if (a && this.state.env.doc.activeElement === a) return;
      this.card?.hide();
    }, HIDE_MS);
  }

  private badgeFromEvent(e: Event): Badge | undefined {
    const t = e.target as Element | null;
    if (!t || t.nodeType !== 1) return undefined;
    const host = isBadgeHost(t) ? t : t.closest?.(HOST_TAG);
    if (!host) return undefined;
    const b = badgeOf(host);
    return b && this.isLive(b) ? b : undefined;
  }

  onPointerOver(e: Event): void {
    const b = this.badgeFromEvent(e);
    if (!b) return;
    if (this.card?.anchor === b.host) {
      this.cancelHide();
      return;
    }
    if (this.hoverTimer !== null) this.state.env.clearTimeout(this.hoverTimer);
    this.hoverTimer = this.state.env.setTimeout(() => {
      this.hoverTimer = null;
      this.state.guard('hover', () => this.show(b));
    }, HOVER_MS);
  }

  onPointerOut(e: Event): void {
    const b = this.badgeFromEvent(e);
    if (!b) return;
    const to = (e as MouseEvent).relatedTarget as Node | null;
    if (to && (to === b.host || to === this.card?.host)) return;
    if (this.hoverTimer !== null) this.state.env.clearTimeout(this.hoverTimer);
    this.hoverTimer = null;
    if (this.card?.anchor === b.host) this.scheduleHide();
  }

  onFocusIn(e: Event): void {
    const b = this.badgeFromEvent(e);
    if (b) this.show(b);
  }

  onFocusOut(e: Event): void {
    const b = this.badgeFromEvent(e);
    if (b && this.card?.anchor === b.host) this.scheduleHide();
  }

  onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.card?.anchor) this.card.hide();
  }

  /** Scrolling moves the badge under a fixed card: follow it, or hide once it is gone. */
  onScroll(): void {
    const a = this.card?.anchor;
    if (!a) return;
    const b = badgeOf(a);
    const d = b && this.data(b);
    if (d && a.isConnected) this.card!.update(d);
    else this.card!.hide();
  }

  /** Timers pending (the destroy tests). */
  get armed(): number {
    return (this.hoverTimer !== null ? 1 : 0) + (this.hideTimer !== null ? 1 : 0);
  }

  destroy(): void {
    this.ac.abort();
    for (const t of [this.hoverTimer, this.hideTimer]) if (t !== null) this.state.env.clearTimeout(t);
    this.hoverTimer = this.hideTimer = null;
    this.card?.destroy();
    this.card = null;
  }
}
