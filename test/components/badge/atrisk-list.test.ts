/** The chip's list: at-risk orders soonest first, Go to, Copy, Copy all — in our own shadow root, the page untouched. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAtRiskPanel } from '../../../components/badge/atrisk-list';
import { createBadge, renderBadge, type Badge } from '../../../components/badge/badge';
import { createChip } from '../../../components/badge/chip';
import { evaluateOrder } from '../../../rules/evaluate';
import { defaultRulebook } from '../../../rules/rulebook';
import type { Order } from '../../../rules/types';

const now = Date.UTC(2026, 11, 4, 12, 0, 0);
const H = 3_600_000;
const lines = { atRiskMs: 2 * H, criticalMs: 0.5 * H };

function badge(pn: string, hoursLeft: number): Badge {
  const o: Order = { postingNumber: pn, scheme: 'FBS', status: 'awaiting_packaging', paidAt: new Date(now - 3 * H).toISOString(), shipBy: new Date(now + hoursLeft * H).toISOString() };
  const b = createBadge();
  renderBadge(b, o, evaluateOrder(o, now), { density: 'compact', parts: { cancel: true, archive: false, countdown: true } }, now, lines);
  return b;
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('chip list', () => {
  it('lists soonest first with the action, Moscow and own time; Go to and Copy / Copy all', async () => {
    const items = [badge('11111111-0001-1', -0.2), badge('22222222-0001-1', 0.3), badge('33333333-0001-1', 1.5)];
    const jumped: string[] = [];
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const page = document.body.innerHTML;
    const p = createAtRiskPanel({
      items: () => items,
      now: () => now,
      rulebook: () => defaultRulebook,
      ownZone: () => 'Asia/Shanghai',
      hour12: () => false,
      jump: (b) => jumped.push(b.posting),
    });
    p.toggle();
    expect(p.open).toBe(true);
    const root = p.host.shadowRoot!;
    const rows = [...root.querySelectorAll('li')];
    expect(rows.map((r) => r.getAttribute('data-posting'))).toEqual(['11111111-0001-1', '22222222-0001-1', '33333333-0001-1']);
    expect(rows[1]!.textContent).toContain('Ship by');
    expect(rows[1]!.textContent).toContain('MSK');
    expect(rows[1]!.textContent).toContain('Beijing time');
    expect(root.textContent).toContain('3 orders at risk on this page');
    (rows[2]!.querySelector('[data-jump]') as HTMLElement).click();
    expect(jumped).toEqual(['33333333-0001-1']);
    (rows[0]!.querySelector('[data-copy]') as HTMLElement).click();
    (root.querySelector('[data-copy-all]') as HTMLElement).click();
    await Promise.resolve();
    await Promise.resolve();
    expect(writeText).toHaveBeenNthCalledWith(1, '11111111-0001-1');
    expect(writeText).toHaveBeenNthCalledWith(2, '11111111-0001-1\n22222222-0001-1\n33333333-0001-1');
    // Our host sits at body level; nothing of the page changed.
    expect(p.host.parentElement).toBe(document.body);
    expect(page).toBe('');
    p.destroy();
    expect(document.querySelector('ozon-guard-list')).toBeNull();
  });

  it("the chip's list button opens it, and its text stays the chip's counts", () => {
    let opened = 0;
    const chip = createChip(() => undefined, document, () => opened++);
    chip.set({ atRisk: 2, overdue: 1, total: 5 });
    expect(chip.host.shadowRoot!.textContent).toBe('2 at risk · 1 overdue');
    (chip.host.shadowRoot!.querySelector('[data-chip-list]') as HTMLElement).click();
    expect(opened).toBe(1);
    chip.destroy();
  });
});
