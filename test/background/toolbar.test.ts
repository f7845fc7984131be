// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import { _resetHistoryForTests, mergeOrders } from '../../storage/history';
import { BADGE_AMBER, BADGE_RED, badgeState, levelsOf, updateIcon } from '../../background/toolbar';
import { rulebookOverridesItem } from '../../storage/settings';
import { shipOrder as ship } from '../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-04-14T10:00:00Z');

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
});

describe('toolbar icon count (D5 levels)', () => {
  it('is empty at zero, amber for at-risk only, red once anything is critical or overdue', () => {
    expect(badgeState([])).toMatchObject({ count: 0, text: '', worst: 'none', title: 'Ozon Order Guard: no order needs attention' });
    expect(badgeState(['ok', 'none', 'at_risk'])).toMatchObject({ count: 1, text: '1', color: BADGE_AMBER, worst: 'at_risk' });
    expect(badgeState(['at_risk', 'critical'])).toMatchObject({ count: 2, text: '2', color: BADGE_RED, worst: 'critical', critical: 1 });
    expect(badgeState(['overdue', 'at_risk', 'ok'])).toMatchObject({ count: 2, color: BADGE_RED, worst: 'overdue', title: 'Ozon Order Guard: 2 orders need attention' });
    expect(badgeState(Array(1200).fill('at_risk')).text).toBe('999+');
  });

  it('D5: counts only open orders, by the rulebook in force', () => {
    const orders = [ship('1-1-1', T0 + 3 * H), ship('2-1-1', T0 + 20 * M), ship('3-1-1', T0 - M, { status: 'delivered' })];
    expect(levelsOf(orders, T0)).toEqual(['ok', 'critical']);
    const rb = withValues(defaultRulebook, { 'deadlines.atRiskHours': 4 });
    expect(levelsOf(orders, T0, rb)).toEqual(['at_risk', 'critical']);
  });

  it('paints the badge across every store, and clears it when nothing is left', async () => {
    await mergeOrders('111', [ship('1-1-1', T0 + H), ship('2-1-1', T0 + 5 * H)], 'page', T0, { now: T0 });
    await mergeOrders('222', [ship('3-1-1', T0 - 5 * M)], 'page', T0, { now: T0 });
    const s = await updateIcon(T0);
    expect(s).toMatchObject({ count: 2, worst: 'overdue' });
    expect(await browser.action.getBadgeText({})).toBe('2');
    expect(await browser.action.getBadgeBackgroundColor({})).toEqual([0xd9, 0x30, 0x25, 255]);
    expect(await browser.action.getTitle({})).toBe('Ozon Order Guard: 2 orders need attention');
    // A countdown crossing a line changes the count without any new data (the tick).
    expect((await updateIcon(T0 + 3 * H + M)).count).toBe(3);
    await mergeOrders('111', [ship('1-1-1', T0 + H, { status: 'delivered' }), ship('2-1-1', T0 + 5 * H, { status: 'picked_up' })], 'page', T0 + M, { now: T0 });
    await mergeOrders('222', [ship('3-1-1', T0 - 5 * M, { status: 'cancelled' })], 'page', T0 + M, { now: T0 });
    expect((await updateIcon(T0 + 2 * M)).count).toBe(0);
    expect(await browser.action.getBadgeText({})).toBe('');
  });

  it("follows the seller's rulebook overrides from storage", async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 6 } });
    await mergeOrders('111', [ship('1-1-1', T0 + 5 * H)], 'page', T0, { now: T0 });
    expect(await updateIcon(T0)).toMatchObject({ count: 1, color: BADGE_AMBER });
  });
});
