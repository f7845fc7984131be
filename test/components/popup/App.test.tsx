import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cleanup, fireEvent, within } from '@testing-library/preact';
import { summarizeStore } from '../../../rules/index';
import { defaultRulebook, withValues } from '../../../rules/rulebook';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';
import { NOW, delivered, cancelled, toConfirm, memorySource, mountPopup, staticConfig } from './helpers';
import type { Order } from '../../../rules/types';

const MIN = 60_000;

/** 40 window orders, 1 cancelled (C03 by the seller): exactly 2.50 %, on the warning line. */
function storeAtLine(): Order[] {
  const out: Order[] = [];
  for (let i = 0; i < 39; i++) out.push(delivered(1 + (i % 25), i % 2 ? 'SKU-A' : 'SKU-B'));
  out.push(cancelled(3, 'seller', 'C03', 'SKU-A'));
  return out;
}

/** 20 window orders, 2 cancelled: 10 %, critical. Plus three open orders near their D1 limit. */
function criticalStore(): Order[] {
  const out: Order[] = [];
  for (let i = 0; i < 15; i++) out.push(delivered(2 + i, 'SKU-X'));
  out.push(cancelled(4, 'system', 'C07', 'SKU-X'));
  out.push(cancelled(5, 'seller', 'C11', 'SKU-Y'));
  out.push(toConfirm(90 * MIN, '20000001-0001-1')); // at_risk
  out.push(toConfirm(-10 * MIN, '20000002-0001-1')); // overdue
  out.push(toConfirm(20 * MIN, '20000003-0001-1')); // critical
  return out;
}

beforeEach(() => useMessages('en', loadLocale('en')));
afterEach(() => cleanup());

describe('popup: contract attributes (§4)', () => {
  it('M1: data-orders, data-rate (two decimals, not localised) and data-tier match summarizeStore', async () => {
    const orders = storeAtLine();
    const src = memorySource({ '111': orders });
    const { root } = await mountPopup(src);
    const expected = summarizeStore(orders, NOW, defaultRulebook);
    expect(expected.cancellationRate).toBe(2.5);
    expect(root.getAttribute('data-orders')).toBe(String(expected.orders));
    expect(root.getAttribute('data-orders')).toBe('40');
    expect(root.getAttribute('data-rate')).toBe('2.50');
    expect(root.getAttribute('data-tier')).toBe('safe');
  });

  it('M1: data-rate stays a plain two-decimal number in Russian (no decimal comma)', async () => {
    useMessages('ru', loadLocale('ru'));
    const src = memorySource({ '111': storeAtLine() });
    const { root } = await mountPopup(src);
    expect(root.getAttribute('data-rate')).toBe('2.50');
    // …while the text the seller reads is formatted the Russian way.
    expect(root.textContent).toContain('2,50');
  });

  it('M1: critical store: tier attribute, tier word and tier colour class agree', async () => {
    const orders = criticalStore();
    const src = memorySource({ '222': orders });
    const { root, getByText } = await mountPopup(src);
    const expected = summarizeStore(orders, NOW);
    expect(root.getAttribute('data-rate')).toBe(expected.cancellationRate.toFixed(2));
    expect(root.getAttribute('data-tier')).toBe('critical');
    const chip = root.querySelector('[data-tier-word]')!;
    expect(chip.textContent).toBe('Critical');
    expect(chip.className).toContain('tier-bg-critical');
    expect(root.querySelector('.gauge-value')!.getAttribute('class')).toContain('tier-critical');
    expect(getByText(/2 of 20 orders cancelled/)).toBeTruthy();
  });
});

describe('popup: headline and budget (M1)', () => {
  it('M1: shows the counts beside the rate and the budget to each line', async () => {
    // 80 orders, 1 cancelled: 1.25 %; ⌊80 × 2.5 %⌋ − 1 = 1 to the warning line, ⌊3.2⌋ − 1 = 2 to critical.
    const orders: Order[] = [];
    for (let i = 0; i < 79; i++) orders.push(delivered(1 + (i % 28)));
    orders.push(cancelled(2, 'buyer', undefined));
    const { root } = await mountPopup(memorySource({ s: orders }));
    const r = summarizeStore(orders, NOW);
    expect(r.budget).toEqual({ toWarning: 1, toCritical: 2 });
    const budget = root.querySelector('[data-budget]')!.textContent!;
    expect(budget).toContain('1 more cancellation before the warning line (2.5');
    expect(budget).toContain('2 more cancellations before the critical line (4.0');
    expect(root.querySelector('[data-count]')!.textContent).toBe('1 of 80 orders cancelled');
  });

  it('M1: over the line, the budget says how many clean orders bring the rate back under', async () => {
    // 2 of 20 = 10 %: 2 / (20 + x) ≤ 4 % → x ≥ 30; ≤ 2.5 % → x ≥ 60.
    const { root } = await mountPopup(memorySource({ s: criticalStore() }));
    const budget = root.querySelector('[data-budget]')!.textContent!;
    expect(budget).toContain('30 more orders without a cancellation to get back under 4.0');
    expect(budget).toContain('60 more orders without a cancellation to get back under 2.5');
  });

  it('M1: the gauge lines come from the rulebook, not literals', async () => {
    const rb = withValues(defaultRulebook, { 'metrics.safeMaxPct': 3, 'metrics.warningMaxPct': 6, 'metrics.platformAvgPct': 1.2 });
    const orders = storeAtLine();
    const { root } = await mountPopup(memorySource({ s: orders }), { config: staticConfig(rb) });
    const labels = [...root.querySelectorAll('.gauge-line text')].map((n) => n.textContent);
    expect(labels.join(' ')).toMatch(/1\.2.*3\.0.*6\.0/);
    // With the lines moved, 2.5 % is safe with one more cancellation to spare before 3 %… ⌊40 × 3 %⌋ − 1 = 0.
    expect(root.getAttribute('data-tier')).toBe(summarizeStore(orders, NOW, rb).tier);
  });

  it('M1: a live rulebook edit re-computes the figures without reopening', async () => {
    const cfg = staticConfig();
    const orders = storeAtLine();
    const { root } = await mountPopup(memorySource({ s: orders }), { config: cfg });
    expect(root.getAttribute('data-tier')).toBe('safe');
    cfg.set(withValues(defaultRulebook, { 'metrics.safeMaxPct': 2 }));
    await Promise.resolve();
    expect(root.getAttribute('data-tier')).toBe('warning');
  });
});

describe('popup: the at-risk list (D5)', () => {
  it('D5: lists overdue, critical and at-risk orders in StoreRisk.atRisk order with their attributes', async () => {
    const orders = criticalStore();
    const { root } = await mountPopup(memorySource({ s: orders }));
    const items = [...root.querySelectorAll('[data-ozon-guard-at-risk]')];
    const expected = summarizeStore(orders, NOW).atRisk;
    expect(expected).toEqual(['20000002-0001-1', '20000003-0001-1', '20000001-0001-1']);
    expect(items.map((i) => i.getAttribute('data-posting'))).toEqual(expected);
    expect(items.map((i) => i.getAttribute('data-level'))).toEqual(['overdue', 'critical', 'at_risk']);
    expect(items[0]!.textContent).toContain('Overdue');
    expect(items[1]!.textContent).toContain('Critical');
    expect(items[2]!.textContent).toContain('At risk');
  });

  it('D5: the countdown ticks on the shared clock and the level moves with it', async () => {
    const orders = criticalStore();
    const m = await mountPopup(memorySource({ s: orders }));
    const item = () => m.root.querySelector('[data-posting="20000003-0001-1"]')!;
    expect(item().querySelector('.countdown')!.textContent).toBe('20m 00s') // a duration, not a clock time;
    m.tick(1000);
    expect(item().querySelector('.countdown')!.textContent).toBe('19m 59s');
    m.tick(20 * MIN);
    expect(item().getAttribute('data-level')).toBe('overdue');
    expect(item().querySelector('.countdown')!.textContent).toBe('overdue 0m');
  });

  it('T2: the title shows Moscow time and the seller zone', async () => {
    const m = await mountPopup(memorySource({ s: criticalStore() }));
    const btn = m.root.querySelector('[data-posting="20000001-0001-1"] button')!;
    const title = btn.getAttribute('title')!;
    // Due 10:30 UTC = 13:30 MSK.
    expect(title).toContain('13:30 MSK');
    expect(title).toContain('Your time:');
    expect(title).toContain('D1');
  });

  it('D5: a click opens the posting in the panel in a new tab', async () => {
    const src = memorySource({ s: criticalStore() });
    const m = await mountPopup(src);
    fireEvent.click(m.root.querySelector('[data-posting="20000003-0001-1"] button')!);
    await Promise.resolve();
    expect(src.opened).toEqual(['https://seller.ozon.ru/app/postings/fbs?postingDetails=20000003-0001-1']);
  });
});

describe('popup: breakdown', () => {
  it('M2–M4: secondary rates against their lines, reasons named in words, top SKUs with per-reason counts', async () => {
    const orders = criticalStore();
    const m = await mountPopup(memorySource({ s: orders }));
    const r = summarizeStore(orders, NOW);
    const seller = m.root.querySelector('[data-rate-row="seller"]')!;
    expect(seller.textContent).toContain('5.00'); // 1 of 20
    expect(seller.textContent).toContain('Search rank −15'); // > 3 %, not > 5 %
    const auto = m.root.querySelector('[data-rate-row="auto"]')!;
    expect(auto.textContent).toContain('5.00');
    expect(m.root.querySelector('[data-rate-row="weighted"]')!.textContent).toContain(
      `${r.weightedRate.toFixed(2)}`,
    );
    expect(r.weightedRate).toBeCloseTo(((0.8 + 1.5) / 20) * 100, 9);
    expect(m.root.querySelector('[data-reason="C07"]')!.textContent).toContain('Logistics delay');
    expect(m.root.querySelector('[data-reason="C11"]')!.textContent).toContain('Description mismatch');
    const skus = [...m.root.querySelectorAll('[data-sku]')].map((x) => x.getAttribute('data-sku'));
    expect(skus).toEqual(r.topSkus.map((s) => s.sku));
    expect(m.root.querySelector('[data-sku="SKU-X"]')!.textContent).toContain('C07 1');
  });

  it('M5: the response plan has a step for each reason present, citing the rule, hours from the rulebook', async () => {
    const rb = withValues(defaultRulebook, { 'metrics.listingRewriteHours': 12 });
    const m = await mountPopup(memorySource({ s: criticalStore() }), { config: staticConfig(rb) });
    const plan = m.root.querySelector('[data-plan]')!;
    expect(plan.getAttribute('data-plan')).toBe('on'); // 10 % > 3 %
    expect(plan.querySelector('[data-step="C07"]')!.textContent).toContain('Ozon Logistics');
    expect(plan.querySelector('[data-step="C11"]')!.textContent).toContain('within 12 h');
    expect(plan.querySelector('[data-step="C03"]')).toBeNull();
    expect(plan.textContent).toContain('M5');
  });

  it('M5: Ozon reason 352 (out of stock at the seller) gets the C03 step', async () => {
    const orders = storeAtLine();
    orders.push(cancelled(2, 'seller', '352', 'SKU-Z'));
    const m = await mountPopup(memorySource({ s: orders }));
    expect(m.root.querySelector('[data-reason="352"]')!.textContent).toContain("Out of stock at the seller's warehouse");
    expect(m.root.querySelector('[data-step="C03"]')!.textContent).toContain('2 cancellations');
  });

  it('M6: the deposit-penalty exposure is shown as money', async () => {
    const m = await mountPopup(memorySource({ s: criticalStore() }));
    const dep = m.root.querySelector('[data-deposit]')!;
    expect(dep.textContent).toMatch(/50,000/);
  });

  it('chart: one bar title per day with cancellations, and an accessible summary', async () => {
    const m = await mountPopup(memorySource({ s: criticalStore() }));
    const svg = m.root.querySelector('.chart-svg')!;
    expect(svg.getAttribute('aria-label')).toMatch(/2 in total/);
    expect(m.root.querySelectorAll('.chart-bar').length).toBe(2);
  });
});

describe('popup: stores', () => {
  it('a switcher changes the figures and the overview lists every store', async () => {
    const a = storeAtLine();
    const b = criticalStore();
    const src = memorySource({ '111': a, '222': b });
    src.active = '111';
    const m = await mountPopup(src);
    expect(m.root.getAttribute('data-store')).toBe('111');
    expect(m.root.getAttribute('data-rate')).toBe('2.50');
    const select = m.root.querySelector('[data-store-switch]') as HTMLSelectElement;
    select.value = '222';
    fireEvent.change(select);
    expect(m.root.getAttribute('data-store')).toBe('222');
    expect(m.root.getAttribute('data-rate')).toBe(summarizeStore(b, NOW).cancellationRate.toFixed(2));
    expect(m.root.getAttribute('data-tier')).toBe('critical');

    fireEvent.click(m.root.querySelector('[data-overview-toggle]')!);
    const rows = [...m.root.querySelectorAll('[data-store-row]')];
    expect(rows.map((r) => r.getAttribute('data-store-row')).sort()).toEqual(['111', '222']);
    const row222 = m.root.querySelector('[data-store-row="222"]')!;
    expect(row222.getAttribute('data-store-tier')).toBe('critical');
    // Store rows use store-scoped names: no element below the root carries data-rate / data-tier (contract §4).
    expect(m.root.querySelectorAll('[data-rate]')).toHaveLength(0);
    expect(m.root.querySelectorAll('[data-tier]')).toHaveLength(0);
    expect(within(row222 as HTMLElement).getByText('Critical')).toBeTruthy();
    expect(row222.textContent).toContain('3'); // at-risk count
  });

  it('defaults to the store of the active panel tab, else the only store', async () => {
    const src = memorySource({ '111': storeAtLine(), '222': criticalStore() });
    src.active = '222';
    const m = await mountPopup(src);
    expect(m.root.getAttribute('data-store')).toBe('222');
    cleanup();
    const only = await mountPopup(memorySource({ '333': storeAtLine() }));
    expect(only.root.getAttribute('data-store')).toBe('333');
  });
});

describe('popup: states and notes', () => {
  it('empty state explains how to start, and attributes still hold', async () => {
    const m = await mountPopup(memorySource({}));
    expect(m.root.querySelector('[data-empty]')!.textContent).toContain('Open your order list in the Seller Panel');
    expect(m.root.getAttribute('data-orders')).toBe('0');
    expect(m.root.getAttribute('data-rate')).toBe('0.00');
    expect(m.root.getAttribute('data-tier')).toBe('safe');
    expect(m.root.querySelector('[data-ozon-guard-import]')).not.toBeNull();
  });

  it('coverage: "N orders seen between …" and an invitation to import when short of the window', async () => {
    const orders = [delivered(3), delivered(1), cancelled(2, 'buyer', undefined)];
    const m = await mountPopup(memorySource({ s: orders }));
    const cov = m.root.querySelector('[data-coverage]')!.textContent!;
    expect(cov).toBe('3 orders seen between 18 Nov and 20 Nov');
    expect(m.root.querySelector('[data-coverage-gap]')).not.toBeNull();
  });

  it('layout-changed and pruned notes show when raised', async () => {
    const src = memorySource({ s: storeAtLine() });
    src.flagsValue = { layoutChanged: { url: 'https://seller.ozon.ru/app/postings/fbs' }, pruned: { count: 12 } };
    const m = await mountPopup(src);
    expect(m.root.querySelector('[data-layout-changed]')).not.toBeNull();
    expect(m.root.querySelector('[data-pruned]')!.textContent).toContain('12 old orders were removed');
  });

  it('the history changing under the popup updates the figures', async () => {
    const orders = storeAtLine();
    const src = memorySource({ s: orders });
    const m = await mountPopup(src);
    expect(m.root.getAttribute('data-rate')).toBe('2.50');
    src.data.s = [...orders, cancelled(1, 'seller', 'C03')];
    src.changed();
    await new Promise((r) => setTimeout(r, 0));
    expect(m.root.getAttribute('data-rate')).toBe(summarizeStore(src.data.s, NOW).cancellationRate.toFixed(2));
    expect(m.root.getAttribute('data-orders')).toBe('41');
  });
});

describe('popup: Russian plurals', () => {
  it('ru: one / few / many forms in counts and budgets', async () => {
    useMessages('ru', loadLocale('ru'));
    // 21 orders, 0 cancelled → "из 21 заказа"; budget ⌊0.525⌋ = 0 → no room message
    const a: Order[] = [];
    for (let i = 0; i < 21; i++) a.push(delivered(1 + i));
    let m = await mountPopup(memorySource({ s: a }));
    expect(m.root.querySelector('[data-count]')!.textContent).toBe('Отменено 0 из 21 заказа');
    cleanup();
    // 200 orders, 1 cancelled → 4 more to the warning line ("отмены"), 7 to critical ("отмен").
    const b: Order[] = [];
    for (let i = 0; i < 199; i++) b.push(delivered(1 + (i % 28)));
    b.push(cancelled(2, 'seller', 'C03'));
    m = await mountPopup(memorySource({ s: b }));
    expect(m.root.querySelector('[data-count]')!.textContent).toBe('Отменено 1 из 200 заказов');
    const budget = m.root.querySelector('[data-budget]')!.textContent!;
    expect(budget).toContain('ещё 4 отмены до порога предупреждения');
    expect(budget).toContain('Ещё 7 отмен до критического порога');
    cleanup();
    // 41 orders, 1 cancelled → ⌊1.025⌋ − 1 = 0 to warning, ⌊1.64⌋ − 1 = 0 to critical… use 101: ⌊2.525⌋−1 = 1 ("отмена")
    const c: Order[] = [];
    for (let i = 0; i < 100; i++) c.push(delivered(1 + (i % 28)));
    c.push(cancelled(2, 'seller', 'C03'));
    m = await mountPopup(memorySource({ s: c }));
    expect(m.root.querySelector('[data-budget]')!.textContent).toContain('ещё 1 отмена до порога');
  });
});

describe('popup: the official profile (O1–O3)', () => {
  it('O2: switching the profile to official changes the headline to the error index, zone and forecast; the attributes keep StoreRisk', async () => {
    // 40 FBS postings paid 2–10 days ago (inside both windows' ranges), 1 seller-fault cancellation.
    const orders: Order[] = [];
    for (let i = 0; i < 39; i++) orders.push(delivered(2 + (i % 9)));
    orders.push(cancelled(3, 'seller', 'C03'));
    const cfg = staticConfig();
    const m = await mountPopup(memorySource({ s: orders }), { config: cfg });
    expect(m.root.querySelector('[data-official]')).toBeNull();
    expect(m.root.querySelector('.headline .gauge')).not.toBeNull();
    const seedAttrs = [m.root.getAttribute('data-orders'), m.root.getAttribute('data-rate'), m.root.getAttribute('data-tier')];

    cfg.set(withValues(defaultRulebook, {}, 'official'));
    await Promise.resolve();
    const off = m.root.querySelector('[data-official]')!;
    expect(off).not.toBeNull();
    expect(m.root.getAttribute('data-profile')).toBe('official');
    const { summarizeOfficial } = await import('../../../rules/index');
    const o = summarizeOfficial(orders, NOW, withValues(defaultRulebook, {}, 'official'));
    expect(o.errorIndex.zone).toBe('green');
    expect(off.querySelector('[data-zone]')!.textContent).toBe('Green zone');
    expect(off.querySelector('[data-official-metric="error-index"]')!.textContent).toContain(o.errorIndex.rate.toFixed(2));
    // "N more seller-fault cancellations … puts you in the blue zone"
    expect(off.querySelector('[data-forecast]')!.textContent).toBe(
      `${o.errorIndex.moreToNextZone} more seller-fault cancellation${o.errorIndex.moreToNextZone === 1 ? '' : 's'} in this window ${o.errorIndex.moreToNextZone === 1 ? 'puts' : 'put'} you in the Blue zone.`,
    );
    // The contract attributes still reflect StoreRisk.
    expect([m.root.getAttribute('data-orders'), m.root.getAttribute('data-rate'), m.root.getAttribute('data-tier')]).toEqual(seedAttrs);
  });

  it('O3: fees in a fee zone are shown as money', async () => {
    const orders: Order[] = [];
    for (let i = 0; i < 16; i++) orders.push(delivered(2 + (i % 9)));
    for (let i = 0; i < 2; i++) orders.push(cancelled(3 + i, 'seller', 'C03')); // 2 / 18 = 11 %: yellow, 6 %
    const m = await mountPopup(memorySource({ s: orders }), { config: staticConfig(withValues(defaultRulebook, {}, 'official')) });
    expect(m.root.querySelector('[data-zone]')!.getAttribute('data-zone')).toBe('yellow');
    const fees = m.root.querySelector('[data-fees]')!.textContent!;
    expect(fees).toContain('6%'.replace('%', '')); // the fee rate
    expect(fees).toMatch(/RUB|₽/);
    expect(fees).toContain('120'); // 2 × 6 % × 1,000
  });
});

describe('popup: CSV exports', () => {
  it('M5: the export buttons download the at-risk list and the cancellations as CSV files of our own page', async () => {
    const { vi } = await import('vitest');
    const blobs: Blob[] = [];
    const names: string[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => {
      blobs.push(b as Blob);
      return 'blob:test/1';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    try {
      const m = await mountPopup(memorySource({ s: criticalStore() }));
      fireEvent.click(m.root.querySelector('[data-export="at-risk"]')!);
      fireEvent.click(m.root.querySelector('[data-export="cancellations"]')!);
      expect(names[0]).toMatch(/^ozon-guard-at-risk-s-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(names[1]).toMatch(/^ozon-guard-cancellations-s-/);
      expect(await blobs[0]!.text()).toContain('20000002-0001-1');
      expect(blobs[1]!.type).toContain('text/csv');
    } finally {
      create.mockRestore();
      click.mockRestore();
    }
  });

  it('exports are disabled when there is nothing to export', async () => {
    const m = await mountPopup(memorySource({ s: storeAtLine().filter((o) => o.status !== 'cancelled') }));
    expect((m.root.querySelector('[data-export="at-risk"]') as HTMLButtonElement).disabled).toBe(true);
    expect((m.root.querySelector('[data-export="cancellations"]') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('popup: Chinese', () => {
  it('zh: tier words and counts read in Chinese, attributes unchanged', async () => {
    useMessages('zh_CN', loadLocale('zh_CN'));
    const m = await mountPopup(memorySource({ s: criticalStore() }));
    expect(m.root.querySelector('[data-tier-word]')!.textContent).toBe('严重');
    expect(m.root.querySelector('[data-count]')!.textContent).toBe('20 单中取消 2 单');
    expect(m.root.getAttribute('data-rate')).toBe('10.00');
  });
});

describe('popup: a long at-risk list', () => {
  it('D5: every at-risk order is in the list (contract §4), soonest first, the list scrolling inside its card', async () => {
    const orders = storeAtLine();
    for (let i = 0; i < 14; i++) orders.push(toConfirm((i - 4) * 7 * MIN, `3000${String(i).padStart(4, '0')}-0001-1`));
    const m = await mountPopup(memorySource({ s: orders }));
    const listed = [...m.root.querySelectorAll('[data-ozon-guard-at-risk]')].map((e) => e.getAttribute('data-posting'));
    const want = summarizeStore(orders, NOW).atRisk;
    expect(want.length).toBe(14);
    expect(listed).toEqual(want);
    expect(m.root.querySelector('.scroll-hint')!.textContent).toContain('14 orders');
  });
});
