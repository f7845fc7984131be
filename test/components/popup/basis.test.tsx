/**
 * M1's basis in the popup: the figures say what they rest on ("from 12 orders
 * over 2 days"), and below the rulebook's floor (metrics.minOrdersForTier /
 * minHistoryDaysForTier, rule M1) the seller reads "not enough data yet" and
 * how to get it instead of a tier, while the contract attributes keep
 * StoreRisk's values (docs/contract.md §4).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { cleanup } from '@testing-library/preact';
import { summarizeStore } from '../../../rules/index';
import { defaultRulebook, withValues } from '../../../rules/rulebook';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';
import { NOW, delivered, cancelled, memorySource, mountPopup, staticConfig } from './helpers';
import type { Order } from '../../../rules/types';

/** Two list tabs opened: 12 orders over 2 days, 6 of them cancelled. */
function twoTabs(): Order[] {
  const out: Order[] = [];
  for (let i = 0; i < 6; i++) out.push(delivered(i % 2 ? 1.5 : 0.5));
  for (let i = 0; i < 6; i++) out.push(cancelled(1, 'buyer', undefined));
  return out;
}

afterEach(() => {
  cleanup();
  useMessages('en', loadLocale('en'));
});

describe('popup: what the figures rest on (M1 basis)', () => {
  it('below the floor: "not enough data yet" and how to get it instead of a tier; attributes unchanged', async () => {
    const orders = twoTabs();
    const { root } = await mountPopup(memorySource({ s: orders }));
    const r = summarizeStore(orders, NOW);
    expect(root.getAttribute('data-orders')).toBe('12');
    expect(root.getAttribute('data-rate')).toBe(r.cancellationRate.toFixed(2));
    expect(root.getAttribute('data-tier')).toBe('critical');
    const chip = root.querySelector('[data-tier-word]')!;
    expect(chip.textContent).toBe('Not enough data yet');
    expect(chip.className).not.toContain('tier-bg-critical');
    expect(root.querySelector('[data-basis]')!.textContent).toBe('from 12 orders over 2 days');
    const how = root.querySelector('[data-basis-how]')!.textContent!;
    expect(how).toContain('fewer than 20 orders or under 7 days');
    expect(how).toContain('All tab');
    expect(how).toContain('CSV');
    expect(how).toContain('Seller API');
  });

  it('at the floor the tier is named, with its basis beside it; the floor comes from the rulebook', async () => {
    const orders: Order[] = [];
    for (let i = 0; i < 19; i++) orders.push(delivered(1 + (i % 10)));
    orders.push(cancelled(3, 'seller', 'C03'));
    const m = await mountPopup(memorySource({ s: orders }));
    expect(m.root.querySelector('[data-tier-word]')!.textContent).toBe('Critical');
    expect(m.root.querySelector('[data-basis]')!.textContent).toBe('from 20 orders over 10 days');
    cleanup();
    const rb = withValues(defaultRulebook, { 'metrics.minOrdersForTier': 30 });
    const m2 = await mountPopup(memorySource({ s: orders }), { config: staticConfig(rb) });
    expect(m2.root.querySelector('[data-tier-word]')!.textContent).toBe('Not enough data yet');
    expect(m2.root.querySelector('[data-basis-how]')!.textContent).toContain('fewer than 30 orders');
  });

  it('ru and zh: the basis reads in the language, with its plural forms', async () => {
    useMessages('ru', loadLocale('ru'));
    const a = await mountPopup(memorySource({ s: twoTabs() }));
    expect(a.root.querySelector('[data-basis]')!.textContent).toBe('по 12 заказам за 2 дня');
    expect(a.root.querySelector('[data-tier-word]')!.textContent).toBe('Пока мало данных');
    cleanup();
    useMessages('zh_CN', loadLocale('zh_CN'));
    const b = await mountPopup(memorySource({ s: twoTabs() }));
    expect(b.root.querySelector('[data-basis]')!.textContent).toBe('依据 2 天内的 12 个订单');
  });
});
