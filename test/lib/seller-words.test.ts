/**
 * The card and badge in the seller's words: notes as sentences (never a raw
 * key), the panel's own action for the deadline («Собрать» by «Отгрузить до»
 * on an order awaiting packaging), neutral cancel verdicts, FBO as Ozon's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderCard, nextStepKey, type CardData } from '../../components/badge/card';
import { badgeText, createBadge, renderBadge } from '../../components/badge/badge';
import { sellersRisk } from '../../components/badge/chip';
import { actionOf } from '../../lib/action';
import { defaultRulebook } from '../../rules/rulebook';
import { evaluateOrder } from '../../rules/evaluate';
import { NOTE_KEYS } from '../../rules/keys';
import type { Order } from '../../rules/types';
import { defaultSettings } from '../../storage/settings';

const now = Date.UTC(2026, 10, 22, 9, 0, 0);
const iso = (h: number) => new Date(now + h * 3_600_000).toISOString();
const card = (order: Order) =>
  renderCard({ order, verdict: evaluateOrder(order, now), now, rulebook: defaultRulebook, ownZone: 'Asia/Shanghai', hour12: false } as CardData);

describe('seller words', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('notes read as sentences, never as raw keys', () => {
    const delivered: Order = { postingNumber: '1-0001-1', scheme: 'FBS', status: 'delivered', items: [{ sku: '1', quantity: 1, weightKg: 1 } as never] };
    const paid: Order = { postingNumber: '1-0002-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(-0.05), carrier: 'Nobody Post' };
    const customs: Order = { postingNumber: '1-0003-1', scheme: 'rFBS', status: 'in_transit', inCustoms: true, lastTrackingAt: iso(-30) };
    for (const o of [delivered, paid, customs]) {
      const notes = card(o).querySelector('[data-part="notes"]');
      expect(notes, o.postingNumber).not.toBeNull();
      const txt = notes!.textContent ?? '';
      for (const k of NOTE_KEYS) expect(txt).not.toContain(k);
      expect(txt).not.toMatch(/note_/);
    }
    expect(card(delivered).textContent).toContain('it still counts in every metric');
    expect(card(customs).textContent).toContain('In customs');
    expect(card(paid).textContent).toContain('The buyer can ask to cancel until');
  });

  it("FBS awaiting packaging with the panel's ship-by time: 'Ship by' and pack, not 'Confirm'", () => {
    const o: Order = { postingNumber: '1-0004-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(-3), shipBy: iso(5) };
    const v = evaluateOrder(o, now);
    expect(v.deadline?.kind).toBe('confirm'); // the rules' word stays (contract §2, data-deadline)
    expect(actionOf(o.status, 'confirm')).toBe('pack');
    const txt = card(o).textContent ?? '';
    expect(txt).toContain('Ship by');
    expect(txt).not.toContain('Deadline: Confirm');
    expect(txt).toContain('Next step: Pack it and hand it to the carrier');
    expect(nextStepKey(o, v)).toBe('card_step_ship');
    const shipped: Order = { ...o, status: 'awaiting_shipment', confirmedAt: iso(-2) };
    expect(nextStepKey(shipped, evaluateOrder(shipped, now))).toBe('card_step_handover');
    const confirm: Order = { ...o, status: 'awaiting_confirmation' };
    expect(nextStepKey(confirm, evaluateOrder(confirm, now))).toBe('card_step_confirm');
  });

  it('cancel verdicts in words, no ✓/✕; archive pill off by default but kept in data-archive', () => {
    expect(defaultSettings.badgeParts.archive).toBe(false);
    const o: Order = { postingNumber: '1-0005-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(-3), shipBy: iso(5) };
    const b = createBadge();
    renderBadge(b, o, evaluateOrder(o, now), { density: 'compact', parts: defaultSettings.badgeParts }, now, { atRiskMs: 2 * 3_600_000, criticalMs: 1_800_000 });
    expect(b.host.getAttribute('data-t-cx')).toBe('Can cancel');
    expect(badgeText(b.host)).not.toMatch(/[✓✕]/);
    expect(b.host.textContent).toBe('');
    expect(b.host.getAttribute('data-archive')).toBe('blocked');
  });

  it("FBO: named as Ozon's in badge and card, and not the seller's risk", () => {
    const o: Order = { postingNumber: '1-0006-1', scheme: 'FBO', status: 'awaiting_shipment', confirmedAt: iso(-30) };
    const v = evaluateOrder(o, now);
    expect(v.level).toBe('overdue');
    const b = createBadge();
    renderBadge(b, o, v, { density: 'compact', parts: defaultSettings.badgeParts }, now, { atRiskMs: 2 * 3_600_000, criticalMs: 1_800_000 });
    expect(b.host.getAttribute('data-level')).toBe('overdue'); // contract §3 unchanged
    expect(b.host.hasAttribute('data-fbo')).toBe(true);
    expect(b.host.getAttribute('data-t-cd')).toContain('Ozon ships');
    expect(card(o).querySelector('[data-part="fbo"]')?.textContent).toContain("Ozon's warehouse ships");
    expect(sellersRisk(b)).toBe(false);
    expect(sellersRisk({ order: { scheme: 'FBS' } })).toBe(true);
  });
});
