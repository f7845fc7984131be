// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import { evaluateOrder, levelOf, nextText } from '../../rules/evaluate';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import type { Order, Status } from '../../rules/types';

const NOW = '2026-04-14T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const H = 3_600_000;
const MIN = 60_000;
/** An instant `h` hours from NOW (negative: before). */
const at = (h: number) => new Date(NOW_MS + h * H).toISOString();

function order(over: Partial<Order> = {}): Order {
  return { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging', ...over };
}

describe('cancel (P1, C1–C4, L1, L3)', () => {
  it('C1 paid, no tracking number → allowed', () => {
    const v = evaluateOrder(order({ paidAt: at(-1) }), NOW);
    expect(v.cancel).toEqual({ allowed: true, rule: 'C1' });
    const c = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-1) }), NOW);
    expect(c.cancel.allowed).toBe(true);
    expect(c.cancel.rule).toBe('C1');
  });

  it('C1 a tracking number blocks cancel, even for FBO and flagged orders', () => {
    for (const o of [
      order({ trackingNumber: 'TRK1' }),
      order({ trackingNumber: 'TRK1', scheme: 'FBO' }),
      order({ trackingNumber: 'TRK1', flags: { digital: true } }),
      order({ status: 'awaiting_confirmation', trackingNumber: 'TRK1' }),
    ]) {
      const v = evaluateOrder(o, NOW);
      expect(v.cancel.allowed).toBe(false);
      expect(v.cancel.rule).toBe('C1');
      expect(v.cancel.nextKey).toBe('ship_now');
    }
  });

  it('C1 a blank tracking number is no tracking number', () => {
    expect(evaluateOrder(order({ trackingNumber: '  ' }), NOW).cancel.allowed).toBe(true);
  });

  it.each([
    ['FBO scheme', { scheme: 'FBO' as const }],
    ['digital', { flags: { digital: true } }],
    ['electronics', { flags: { electronics: true } }],
    ['preorder', { flags: { preorder: true } }],
    ['autoConfirmShipment', { flags: { autoConfirmShipment: true } }],
  ])('C2 %s locks cancel while paid', (_n, over) => {
    for (const status of ['awaiting_confirmation', 'awaiting_packaging'] as const) {
      const v = evaluateOrder(order({ status, paidAt: at(-1), ...over }), NOW);
      expect(v.cancel.allowed).toBe(false);
      expect(v.cancel.rule).toBe('C2');
      expect(v.cancel.next).toBeTruthy();
      expect(v.cancel.nextKey).toBe('confirm_now');
    }
    // Confirmed and waiting to ship: the advice is to ship on time.
    const s = evaluateOrder(order({ confirmedAt: at(-1), ...over }), NOW);
    expect(s.cancel.rule).toBe('C2');
    expect(s.cancel.nextKey).toBe('ship_now');
  });

  it('C2 a flag set to false (or absent) is not set', () => {
    const v = evaluateOrder(
      order({ flags: { digital: false, electronics: false, preorder: false, autoConfirmShipment: false, delayApproved: false } }),
      NOW,
    );
    expect(v.cancel).toEqual({ allowed: true, rule: 'C1' });
    expect(evaluateOrder(order({ flags: { digital: 'yes' as unknown as boolean } }), NOW).cancel.allowed).toBe(true);
  });

  it.each(['awaiting_shipment', 'picked_up', 'in_transit', 'delivered', 'disputed'] as const)(
    'C3 %s → blocked, next names the return or refusal path',
    (status) => {
      const v = evaluateOrder(order({ status }), NOW);
      expect(v.cancel.allowed).toBe(false);
      expect(v.cancel.rule).toBe('C3');
      expect(v.cancel.next).toMatch(/return/i);
    },
  );

  it('C3 next keys: in transit return_or_refuse, delivered return_request (48 h from the rulebook), disputed resolve_dispute', () => {
    expect(evaluateOrder(order({ status: 'in_transit' }), NOW).cancel.nextKey).toBe('return_or_refuse');
    expect(evaluateOrder(order({ status: 'awaiting_shipment' }), NOW).cancel.next).toBe('Request a return (C3) or let the buyer refuse delivery');
    const d = evaluateOrder(order({ status: 'delivered' }), NOW).cancel;
    expect(d.nextKey).toBe('return_request');
    expect(d.next).toContain('48 h');
    const rb = withValues(defaultRulebook, { 'eligibility.returnRefundHours': 72 });
    expect(evaluateOrder(order({ status: 'delivered' }), NOW, rb).cancel.next).toContain('72 h');
    expect(evaluateOrder(order({ status: 'disputed' }), NOW).cancel.nextKey).toBe('resolve_dispute');
  });

  it('C4 created → blocked for the seller (the buyer can cancel)', () => {
    const v = evaluateOrder(order({ status: 'created' }), NOW);
    expect(v.cancel).toMatchObject({ allowed: false, rule: 'C4', nextKey: 'wait_buyer' });
  });

  it.each(['cancelled', 'returned', 'failed_to_deliver'] as const)('L1 %s is closed: cancel blocked by L1', (status) => {
    const v = evaluateOrder(order({ status }), NOW);
    expect(v.cancel).toMatchObject({ allowed: false, rule: 'L1', nextKey: 'archive' });
  });

  it('L3 unknown status → blocked, L3', () => {
    const v = evaluateOrder(order({ status: 'unknown' }), NOW);
    expect(v.cancel).toMatchObject({ allowed: false, rule: 'L3', nextKey: 'check_status' });
    expect(v.rules).toContain('L3');
    expect(v.level).toBe('none');
  });

  it('L3 a raw status word on the order is mapped, a garbage one is unknown', () => {
    expect(evaluateOrder(order({ status: 'Отменён' as Status }), NOW).cancel.rule).toBe('L1');
    expect(evaluateOrder(order({ status: 'awaiting_approve' as Status, paidAt: at(-1) }), NOW).deadline?.kind).toBe('confirm');
    expect(evaluateOrder(order({ status: 'weird' as Status }), NOW).cancel.rule).toBe('L3');
  });

  it('P1 the panel list wins for any status, on cancel only', () => {
    const yes = evaluateOrder(order({ status: 'delivered', availableActions: ['cancel'] }), NOW);
    expect(yes.cancel).toEqual({ allowed: true, rule: 'P1' });
    expect(yes.archive).toEqual({ allowed: true, rule: 'A1' });
    const no = evaluateOrder(order({ paidAt: at(-1), availableActions: ['ship', 'product_cancel'] }), NOW);
    expect(no.cancel).toMatchObject({ allowed: false, rule: 'P1', nextKey: 'panel_blocks' });
    const empty = evaluateOrder(order({ availableActions: [] }), NOW);
    expect(empty.cancel.rule).toBe('P1');
    expect(empty.cancel.allowed).toBe(false);
    // Even with a tracking number and FBO, the panel's "cancel" wins.
    const fbo = evaluateOrder(order({ scheme: 'FBO', trackingNumber: 'T', availableActions: ['cancel'] }), NOW);
    expect(fbo.cancel).toEqual({ allowed: true, rule: 'P1' });
    const transit = evaluateOrder(order({ status: 'in_transit', availableActions: [] }), NOW);
    expect(transit.cancel).toMatchObject({ allowed: false, rule: 'P1', nextKey: 'return_or_refuse' });
    expect(transit.archive).toEqual({ allowed: false, rule: 'A2' });
  });
});

describe('archive (A1, A2, A3)', () => {
  it.each(['delivered', 'cancelled', 'returned', 'failed_to_deliver'] as const)('A1 %s → archive allowed', (status) => {
    const v = evaluateOrder(order({ status }), NOW);
    expect(v.archive).toEqual({ allowed: true, rule: 'A1' });
  });
  it.each(['created', 'awaiting_confirmation', 'awaiting_packaging', 'awaiting_shipment', 'picked_up', 'in_transit', 'disputed', 'unknown'] as const)(
    'A2 %s → not archivable',
    (status) => {
      expect(evaluateOrder(order({ status }), NOW).archive).toEqual({ allowed: false, rule: 'A2' });
    },
  );
  it('A3 an archivable order carries the "still counts" note', () => {
    const v = evaluateOrder(order({ status: 'delivered' }), NOW);
    expect(v.notes).toContainEqual({ rule: 'A3', key: 'archive_still_counts' });
  });
});

describe('deadlines (D1–D4, P2, L2)', () => {
  it('D1 confirm: paidAt + 24 h, auto-cancel at + 25 h, source rulebook', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-10) }), NOW);
    expect(v.deadline).toEqual({
      kind: 'confirm',
      dueAt: at(14),
      autoCancelAt: at(15),
      msLeft: 14 * H,
      rule: 'D1',
      source: 'rulebook',
    });
    expect(v.rules).toContain('D1');
    expect(v.rules).not.toContain('P2');
    expect(v.level).toBe('ok');
  });

  it('D1 awaiting_packaging with no confirmedAt is the confirm stage', () => {
    const v = evaluateOrder(order({ paidAt: at(-10) }), NOW);
    expect(v.deadline?.kind).toBe('confirm');
    expect(v.deadline?.dueAt).toBe(at(14));
  });

  it('D1 an approved delay request (SHIP-DELAY) extends the limit to 48 h', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-10), flags: { delayApproved: true } }), NOW);
    expect(v.deadline?.dueAt).toBe(at(38));
    expect(v.deadline?.autoCancelAt).toBe(at(39));
  });

  it('D1 P2 the panel shipBy beats the computed confirm limit', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-10), shipBy: at(3) }), NOW);
    expect(v.deadline).toMatchObject({ kind: 'confirm', dueAt: at(3), autoCancelAt: at(4), source: 'page', rule: 'D1' });
    expect(v.rules).toEqual(expect.arrayContaining(['D1', 'P2']));
  });

  it('L2 awaiting_confirmation is always the confirm stage, even with confirmedAt', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-1), confirmedAt: at(-0.5) }), NOW);
    expect(v.deadline?.kind).toBe('confirm');
    expect(v.deadline?.dueAt).toBe(at(23));
  });

  it.each([
    ['FBS', 48],
    ['rFBS', 48],
    ['FBO', 24],
  ] as const)('D2 ship: %s confirmedAt + %d h, auto-cancel + 1 h', (scheme, hours) => {
    for (const status of ['awaiting_shipment', 'awaiting_packaging'] as const) {
      const v = evaluateOrder(order({ scheme, status, confirmedAt: at(-2) }), NOW);
      expect(v.deadline).toEqual({
        kind: 'ship',
        dueAt: at(hours - 2),
        autoCancelAt: at(hours - 1),
        msLeft: (hours - 2) * H,
        rule: 'D2',
        source: 'rulebook',
      });
    }
  });

  it('D2 an unknown scheme is counted like FBS (documented default)', () => {
    const v = evaluateOrder(order({ scheme: 'XYZ' as never, status: 'awaiting_shipment', confirmedAt: at(-2) }), NOW);
    expect(v.deadline?.dueAt).toBe(at(46));
    expect(v.cancel.rule).toBe('C3');
  });

  it('D2 P2 shipBy beats the computed ship limit', () => {
    const v = evaluateOrder(order({ status: 'awaiting_shipment', confirmedAt: at(-2), shipBy: at(5) }), NOW);
    expect(v.deadline).toMatchObject({ kind: 'ship', dueAt: at(5), autoCancelAt: at(6), source: 'page', rule: 'D2', msLeft: 5 * H });
    expect(v.rules).toEqual(expect.arrayContaining(['D2', 'P2']));
  });

  it('D2 no shipBy and no confirmedAt → no deadline (field absent), level none', () => {
    const v = evaluateOrder(order({ status: 'awaiting_shipment' }), NOW);
    expect('deadline' in v).toBe(false);
    expect(v.level).toBe('none');
  });

  it('D3 first scan earlier than ship: first_scan, no autoCancelAt, source rulebook, rules name both', () => {
    const v = evaluateOrder(
      order({ status: 'awaiting_shipment', confirmedAt: at(-2), trackingNumber: 'T', trackingUploadedAt: at(-1) }),
      NOW,
    );
    expect(v.deadline).toEqual({ kind: 'first_scan', dueAt: at(23), msLeft: 23 * H, rule: 'D3', source: 'rulebook' });
    expect(v.rules).toEqual(expect.arrayContaining(['D2', 'D3']));
  });

  it('D3 ship earlier than the first scan: ship wins, rules name both', () => {
    const v = evaluateOrder(
      order({ status: 'awaiting_shipment', shipBy: at(2), trackingNumber: 'T', trackingUploadedAt: at(-1) }),
      NOW,
    );
    expect(v.deadline).toMatchObject({ kind: 'ship', dueAt: at(2), autoCancelAt: at(3), source: 'page' });
    expect(v.rules).toEqual(expect.arrayContaining(['D2', 'D3', 'P2']));
  });

  it('D3 a tie goes to ship', () => {
    const v = evaluateOrder(order({ status: 'awaiting_shipment', shipBy: at(23), trackingUploadedAt: at(-1) }), NOW);
    expect(v.deadline).toMatchObject({ kind: 'ship', dueAt: at(23), autoCancelAt: at(24), rule: 'D2' });
    expect(v.rules).toEqual(expect.arrayContaining(['D2', 'D3']));
  });

  it('D3 with no time for D2, the first scan alone is the deadline', () => {
    const v = evaluateOrder(order({ status: 'awaiting_shipment', trackingUploadedAt: at(-23.5) }), NOW);
    expect(v.deadline).toEqual({ kind: 'first_scan', dueAt: at(0.5), msLeft: 0.5 * H, rule: 'D3', source: 'rulebook' });
    expect(v.level).toBe('critical');
  });

  it('D3 applies in awaiting_packaging once confirmed, not in the confirm stage', () => {
    const shipStage = evaluateOrder(order({ confirmedAt: at(-40), trackingUploadedAt: at(-1) }), NOW);
    expect(shipStage.deadline?.kind).toBe('ship');
    expect(shipStage.deadline?.dueAt).toBe(at(8));
    const confirmStage = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-1), trackingUploadedAt: at(-23) }), NOW);
    expect(confirmStage.deadline?.kind).toBe('confirm');
  });

  it('D3 a first scan closes the first-scan clock', () => {
    const v = evaluateOrder(order({ status: 'awaiting_shipment', confirmedAt: at(-2), trackingUploadedAt: at(-1), firstScanAt: at(-0.5) }), NOW);
    expect(v.deadline?.kind).toBe('ship');
    expect(v.rules).not.toContain('D3');
  });

  it('D3 and shipBy never apply after pick-up', () => {
    const v = evaluateOrder(order({ status: 'in_transit', shipBy: at(1), trackingUploadedAt: at(-1) }), NOW);
    expect(v.deadline).toBeUndefined();
    const p = evaluateOrder(order({ status: 'picked_up', shipBy: at(1), trackingUploadedAt: at(-1), firstScanAt: at(-20) }), NOW);
    expect(p.deadline).toMatchObject({ kind: 'transit_stall', dueAt: at(-20 + 168), source: 'rulebook' });
    expect(p.rules).not.toContain('P2');
    expect(p.rules).not.toContain('D3');
  });

  it('D3 a carrier off the whitelist is flagged (case-insensitive), a listed one is not', () => {
    const off = evaluateOrder(order({ status: 'awaiting_shipment', carrier: 'Some Local Post' }), NOW);
    expect(off.notes).toContainEqual({ rule: 'D3', key: 'carrier_not_whitelisted' });
    expect(off.rules).toContain('D3');
    for (const carrier of ['Cainiao Ozon Line', 'cainiao ozon line', ' OZON LOGISTICS ', 'DPD Russia', 'dpd-russia']) {
      const v = evaluateOrder(order({ status: 'awaiting_shipment', carrier }), NOW);
      expect(v.notes ?? []).not.toContainEqual(expect.objectContaining({ key: 'carrier_not_whitelisted' }));
    }
    const rb = withValues(defaultRulebook, { 'deadlines.carrierWhitelist': ['Some Local Post'] });
    expect(evaluateOrder(order({ status: 'awaiting_shipment', carrier: 'Some Local Post' }), NOW, rb).notes ?? []).toEqual([]);
  });

  it('D4 transit stall: lastTrackingAt + 7 days, auto-cancel at the same instant, source rulebook', () => {
    for (const status of ['picked_up', 'in_transit'] as const) {
      const v = evaluateOrder(order({ status, firstScanAt: at(-100), lastTrackingAt: at(-24) }), NOW);
      expect(v.deadline).toEqual({
        kind: 'transit_stall',
        dueAt: at(144),
        autoCancelAt: at(144),
        msLeft: 144 * H,
        rule: 'D4',
        source: 'rulebook',
      });
    }
  });

  it('D4 falls back to firstScanAt; none without either; none in customs', () => {
    expect(evaluateOrder(order({ status: 'in_transit', firstScanAt: at(-24) }), NOW).deadline?.dueAt).toBe(at(144));
    expect(evaluateOrder(order({ status: 'in_transit' }), NOW).deadline).toBeUndefined();
    const customs = evaluateOrder(order({ status: 'in_transit', lastTrackingAt: at(-200), inCustoms: true }), NOW);
    expect(customs.deadline).toBeUndefined();
    expect(customs.level).toBe('none');
    expect(customs.notes).toContainEqual({ rule: 'D4', key: 'in_customs' });
    // inCustoms false is not set.
    expect(evaluateOrder(order({ status: 'in_transit', lastTrackingAt: at(-24), inCustoms: false }), NOW).deadline?.kind).toBe('transit_stall');
  });

  it('D4 past the stall limit: report the parcel, then archive once Failed to Deliver', () => {
    const v = evaluateOrder(order({ status: 'in_transit', lastTrackingAt: at(-7 * 24 - 1) }), NOW);
    expect(v.level).toBe('overdue');
    expect(v.cancel.nextKey).toBe('report_stalled_then_archive');
    expect(v.cancel.next).toMatch(/report/i);
  });

  it.each(['created', 'delivered', 'cancelled', 'returned', 'failed_to_deliver', 'disputed', 'unknown'] as const)(
    'D1–D4 %s has no open deadline',
    (status) => {
      const v = evaluateOrder(order({ status, paidAt: at(-1), confirmedAt: at(-1), shipBy: at(1), lastTrackingAt: at(-1) }), NOW);
      expect(v.deadline).toBeUndefined();
      expect(v.level).toBe('none');
    },
  );

  it('T1 invalid dates are treated as absent', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: '2026-02-31T00:00:00Z', shipBy: 'soon' }), NOW);
    expect(v.deadline).toBeUndefined();
    const w = evaluateOrder(order({ status: 'awaiting_shipment', shipBy: 'nope', confirmedAt: at(-1) }), NOW);
    expect(w.deadline).toMatchObject({ source: 'rulebook', dueAt: at(47) });
  });
});

describe('level (D5)', () => {
  const withLeft = (msLeft: number) => evaluateOrder(order({ status: 'awaiting_shipment', shipBy: new Date(NOW_MS + msLeft).toISOString() }), NOW);
  it.each([
    [2 * H + 1, 'ok'],
    [2 * H, 'at_risk'],
    [30 * MIN + 1, 'at_risk'],
    [30 * MIN, 'critical'],
    [1, 'critical'],
    [0, 'critical'],
    [-1, 'overdue'],
    [-5 * H, 'overdue'],
  ] as const)('D5 msLeft %d → %s', (left, level) => {
    const v = withLeft(left);
    expect(v.deadline?.msLeft).toBe(left);
    expect(v.level).toBe(level);
    if (level === 'at_risk' || level === 'critical') expect(v.rules).toContain('D5');
  });

  it('D5 levelOf reads the thresholds from the rulebook', () => {
    expect(levelOf(2 * H)).toBe('at_risk');
    const rb = withValues(defaultRulebook, { 'deadlines.atRiskHours': 4, 'deadlines.criticalMinutes': 60 });
    expect(levelOf(3 * H, rb)).toBe('at_risk');
    expect(levelOf(60 * MIN, rb)).toBe('critical');
    expect(levelOf(NaN)).toBe('none');
  });
});

describe('notes (D6, D7, D8) never change cancel', () => {
  it('D6 the seller has about 10 minutes from payment before the automatic waybill', () => {
    const open = evaluateOrder(order({ paidAt: at(-5 / 60) }), NOW);
    expect(open.cancel.allowed).toBe(true);
    expect(open.notes).toContainEqual({ rule: 'D6', key: 'seller_cancel_window', until: new Date(NOW_MS + 5 * MIN).toISOString(), open: true });
    const closed = evaluateOrder(order({ paidAt: at(-1) }), NOW);
    expect(closed.notes).toContainEqual(expect.objectContaining({ rule: 'D6', open: false }));
    expect(closed.cancel.allowed).toBe(true);
  });

  it('D7 the buyer can ask to cancel within 30 minutes of payment', () => {
    const open = evaluateOrder(order({ paidAt: at(-20 / 60) }), NOW);
    expect(open.notes).toContainEqual({ rule: 'D7', key: 'buyer_cancel_request_window', until: new Date(NOW_MS + 10 * MIN).toISOString(), open: true });
    const edge = evaluateOrder(order({ paidAt: at(-0.5) }), NOW);
    expect(edge.notes).toContainEqual(expect.objectContaining({ rule: 'D7', open: false }));
    // An FBO order is locked (C2) whatever the buyer window says.
    const fbo = evaluateOrder(order({ scheme: 'FBO', paidAt: at(-20 / 60) }), NOW);
    expect(fbo.cancel.allowed).toBe(false);
    expect(fbo.notes).toContainEqual(expect.objectContaining({ rule: 'D7', open: true }));
    expect(fbo.notes ?? []).not.toContainEqual(expect.objectContaining({ rule: 'D6' }));
  });

  it('D8 after the seller asks to cancel, the buyer has 24 h to confirm', () => {
    const v = evaluateOrder(order({ paidAt: at(-3), cancelRequestedAt: at(-2) }), NOW);
    expect(v.notes).toContainEqual({ rule: 'D8', key: 'buyer_confirm_window', until: at(22), open: true });
    expect(v.cancel.allowed).toBe(true);
    const late = evaluateOrder(order({ paidAt: at(-30), cancelRequestedAt: at(-25) }), NOW);
    expect(late.notes).toContainEqual(expect.objectContaining({ rule: 'D8', open: false }));
  });
});

describe('returns (M8) and refunds (C5)', () => {
  it('M8 items up to 2 kg return free; a heavier one is picked up at the seller\'s cost', () => {
    const light = evaluateOrder(order({ status: 'delivered', items: [{ sku: 'a', quantity: 1, weightKg: 2 }] }), NOW);
    expect(light.notes).toContainEqual({ rule: 'M8', key: 'return_free' });
    const heavy = evaluateOrder(
      order({ status: 'in_transit', items: [{ sku: 'a', quantity: 1, weightKg: 0.5 }, { sku: 'b', quantity: 1, weightKg: 2.01 }] }),
      NOW,
    );
    expect(heavy.notes).toContainEqual({ rule: 'M8', key: 'return_seller_pays' });
    // Weight unknown for one item: no claim about who pays.
    const partial = evaluateOrder(order({ status: 'delivered', items: [{ sku: 'a', quantity: 1, weightKg: 1 }, { sku: 'b', quantity: 1 }] }), NOW);
    expect(partial.notes ?? []).not.toContainEqual(expect.objectContaining({ rule: 'M8' }));
    // Before hand-over there is no return to pay for.
    expect(evaluateOrder(order({ items: [{ sku: 'a', quantity: 1, weightKg: 9 }] }), NOW).notes ?? []).not.toContainEqual(
      expect.objectContaining({ rule: 'M8' }),
    );
    const rb = withValues(defaultRulebook, { 'metrics.freeReturnMaxKg': 5 });
    expect(evaluateOrder(order({ status: 'delivered', items: [{ sku: 'a', quantity: 1, weightKg: 3 }] }), NOW, rb).notes).toContainEqual({
      rule: 'M8',
      key: 'return_free',
    });
  });
});

describe('now and outputs (T1)', () => {
  const o = order({ status: 'awaiting_confirmation', paidAt: '2026-04-14T02:00:00+03:00' });
  it('T1 now as ISO (any offset), epoch ms or Date gives the same verdict', () => {
    const a = evaluateOrder(o, NOW);
    expect(evaluateOrder(o, NOW_MS)).toEqual(a);
    expect(evaluateOrder(o, new Date(NOW_MS))).toEqual(a);
    expect(evaluateOrder(o, '2026-04-14T15:00:00+03:00')).toEqual(a);
    expect(a.deadline?.dueAt).toBe('2026-04-14T23:00:00.000Z');
  });
  it('T1 output instants are UTC ISO ending in Z', () => {
    const v = evaluateOrder(o, NOW);
    expect(v.deadline?.dueAt).toMatch(/Z$/);
    expect(v.deadline?.autoCancelAt).toMatch(/Z$/);
  });
  it('T1 an invalid now gives no deadline rather than NaN', () => {
    const v = evaluateOrder(o, 'not a time');
    expect(v.deadline).toBeUndefined();
    expect(v.level).toBe('none');
    expect(v.cancel.allowed).toBe(true);
  });
});

describe('a non-default rulebook drives every number', () => {
  const rb = withValues(defaultRulebook, {
    'deadlines.confirmHours': 12,
    'deadlines.autoCancelAfterHours': 2,
    'deadlines.shipHoursFBS': 36,
    'deadlines.firstScanHours': 6,
    'deadlines.transitStallDays': 3,
    'deadlines.atRiskHours': 13,
  });
  it('D1 confirmHours 12 → paid + 12 h, auto-cancel + 2 h', () => {
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-1) }), NOW, rb);
    expect(v.deadline).toMatchObject({ dueAt: at(11), autoCancelAt: at(13) });
    expect(v.level).toBe('at_risk');
  });
  it('D2 / D3 / D4 read shipHoursFBS, firstScanHours, transitStallDays', () => {
    expect(evaluateOrder(order({ status: 'awaiting_shipment', confirmedAt: at(-1) }), NOW, rb).deadline?.dueAt).toBe(at(35));
    expect(evaluateOrder(order({ status: 'awaiting_shipment', confirmedAt: at(-1), trackingUploadedAt: at(-1) }), NOW, rb).deadline?.dueAt).toBe(at(5));
    expect(evaluateOrder(order({ status: 'in_transit', lastTrackingAt: at(-1) }), NOW, rb).deadline?.dueAt).toBe(at(71));
  });
  it('garbage values in an edited rulebook fall back to the defaults', () => {
    const bad = withValues(defaultRulebook, { 'deadlines.confirmHours': Number.NaN, 'deadlines.atRiskHours': -3 });
    const v = evaluateOrder(order({ status: 'awaiting_confirmation', paidAt: at(-1) }), NOW, bad);
    expect(v.deadline?.dueAt).toBe(at(23));
    expect(v.level).toBe('ok');
  });
  it('nextText is the default English wording of a key', () => {
    expect(nextText('return_or_refuse')).toBe('Request a return (C3) or let the buyer refuse delivery');
  });
});

describe('robustness', () => {
  it('garbage orders give a verdict, never a throw nor NaN', () => {
    const inputs: unknown[] = [
      null,
      undefined,
      42,
      'x',
      [],
      {},
      { postingNumber: 5, status: 7, scheme: null, paidAt: {}, flags: 'x', availableActions: 'cancel', items: 3 },
      { status: 'awaiting_packaging', paidAt: 1e300, confirmedAt: -Infinity, shipBy: NaN },
      Object.defineProperty({}, 'status', {
        get() {
          throw new Error('boom');
        },
      }),
    ];
    for (const x of inputs) {
      const v = evaluateOrder(x as Order, NOW);
      expect(typeof v.cancel.allowed).toBe('boolean');
      expect(JSON.stringify(v)).not.toMatch(/NaN|null/);
    }
  });
});
