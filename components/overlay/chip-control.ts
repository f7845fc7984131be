/**
 * The summary chip (components/badge/chip.ts: "2 at risk · 1 overdue") and
 * its at-risk list (components/badge/atrisk-list.ts): the counts, the click
 * that jumps to the next order at risk, the list button. Owns both elements;
 * their own listeners live on them and leave with them.
 */
import type { Badge } from '../../components/badge/badge';
import { createChip, sellersRisk, type Chip } from '../../components/badge/chip';
import type { AtRiskPanel } from '../../components/badge/atrisk-list';
import { createLazyAtRiskPanel } from '../../components/badge/atrisk-loader';
import type { OverlayState } from './state';

function atRisk(b: Badge): boolean {
  return sellersRisk(b) && (b.level === 'at_risk' || b.level === 'critical' || b.level === 'overdue');
}

export class ChipControl {
  private chip: Chip | null = null;
  /** The chip's list of at-risk orders, made on first open. */
  private list: AtRiskPanel | null = null;
  private index = -1;

  constructor(
    private readonly state: OverlayState,
    /** This run's live badges (rows.ts). */
    private readonly badges: () => ReadonlySet<Badge>,
  ) {}

  private counts() {
    let risk = 0;
    let overdue = 0;
    const all = this.badges();
    for (const b of all) {
      if (!sellersRisk(b)) continue;
      if (b.level === 'at_risk' || b.level === 'critical') risk++;
      else if (b.level === 'overdue') overdue++;
    }
    return { atRisk: risk, overdue, total: all.size };
  }

  /** New counts (rows or levels changed); the chip appears with the first badge. */
  update(): void {
    if (!this.state.active) return;
    const c = this.counts();
    if (!this.chip && c.total)
      this.chip = createChip(() => this.state.guard('chip', () => this.scrollToNextAtRisk()), this.state.env.doc, () =>
        this.state.guard('list', () => this.toggleList()),
      );
    this.chip?.set(c);
    if (this.list?.open) this.list.refresh();
  }

  /** A tick that changed no level: only an open list's countdowns move. */
  refreshList(): void {
    if (this.list?.open) this.list.refresh();
  }

  /** Off the postings pages: the chip stays made but shows nothing. */
  clear(): void {
    this.chip?.set({ atRisk: 0, overdue: 0, total: 0 });
  }

  /** The chip's click: the next order at risk, soonest deadline first, cycling. */
  scrollToNextAtRisk(): Badge | undefined {
    const list = this.atRiskSorted();
    if (!list.length) return undefined;
    this.index = (this.index + 1) % list.length;
    return this.jumpTo(list[this.index]!);
  }

  /** The seller's at-risk badges on the page (FBO is Ozon's), soonest deadline first. */
  atRiskSorted(): Badge[] {
    return [...this.badges()].filter(atRisk).sort((a, b) => a.dueMs - b.dueMs || a.posting.localeCompare(b.posting));
  }

  /** The chip's list button: opens / closes the list of at-risk orders. */
  toggleList(): void {
    const s = this.state;
    this.list ??= createLazyAtRiskPanel({
      items: () => this.atRiskSorted(),
      now: () => s.env.now(),
      rulebook: () => s.rulebook,
      ownZone: () => s.ownZone(),
      hour12: () => s.settings.hour12,
      jump: (b) => void s.guard('list', () => this.jumpTo(b)),
      doc: s.env.doc,
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

  destroy(): void {
    this.list?.destroy();
    this.chip?.destroy();
    this.list = null;
    this.chip = null;
  }
}
