/**
 * The popup over the REAL layers: history in the fake browser's storage,
 * the CSV importer, and the background's merge (the same mergeOrders the
 * background calls for `orders:import`, registered here as the listener).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cleanup, fireEvent, waitFor, act } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { summarizeStore } from '../../../rules/index';
import { mergeOrders, loadOrders, _resetHistoryForTests } from '../../../storage/history';
import { parseOrdersCsv } from '../../../csv';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';
import { NOW, delivered, cancelled } from './helpers';
import { ozonCsv } from './csvFixture';
import { answerImportsLikeTheBackground, mountOverHistory } from '../../helpers/popup-history';
import type { Order } from '../../../rules/types';

function seenOrders(): Order[] {
  const out: Order[] = [];
  for (let i = 0; i < 30; i++) out.push(delivered(1 + (i % 20), 'SKU-P'));
  out.push(cancelled(2, 'buyer', undefined, 'SKU-P'));
  return out;
}

const mount = () => mountOverHistory(NOW);

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  useMessages('en', loadLocale('en'));
  answerImportsLikeTheBackground();
});
afterEach(() => cleanup());

describe('popup over the stored history', () => {
  it('M1: figures match summarizeStore over what the history holds', async () => {
    await mergeOrders('111', seenOrders(), 'page', NOW);
    const { root } = await mount();
    const expected = summarizeStore(await loadOrders('111'), NOW);
    expect(root.getAttribute('data-store')).toBe('111');
    expect(root.getAttribute('data-orders')).toBe(String(expected.orders));
    expect(root.getAttribute('data-rate')).toBe(expected.cancellationRate.toFixed(2));
    expect(root.getAttribute('data-tier')).toBe(expected.tier);
  });

  it('CSV import through the file input merges into the selected store and the figures change (M1, M5)', async () => {
    await mergeOrders('111', seenOrders(), 'page', NOW);
    const m = await mount();
    expect(m.root.getAttribute('data-rate')).toBe((100 / 31).toFixed(2));

    const csv = ozonCsv(NOW);
    const file = new File([csv.text], 'orders.csv', { type: 'text/csv', lastModified: NOW });
    const input = m.root.querySelector('[data-ozon-guard-import]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      fireEvent.change(input);
    });
    await waitFor(() => expect(m.root.querySelector('[data-import-report]')).not.toBeNull());

    const stored = await loadOrders('111');
    const parsed = parseOrdersCsv(csv.bytes, { storeId: '111' }).orders;
    expect(stored.length).toBe(31 + parsed.length);
    const expected = summarizeStore(stored, NOW);
    await waitFor(() => expect(m.root.getAttribute('data-orders')).toBe(String(expected.orders)));
    expect(m.root.getAttribute('data-rate')).toBe(expected.cancellationRate.toFixed(2));
    expect(m.root.getAttribute('data-tier')).toBe(expected.tier);
    // 5 of 41 orders cancelled: critical, and the out-of-stock step of the plan appears (reason 352 → C03).
    expect(expected.cancelled.total).toBe(5);
    expect(m.root.querySelector('[data-step="C03"]')).not.toBeNull();

    const summary = m.root.querySelector('[data-import-summary]')!.textContent!;
    expect(summary).toContain('10 postings');
    expect(summary).toContain('10 new');
    expect(summary).toContain('line 13');
    expect(m.root.querySelector('.skipped')!.textContent).toContain('no posting number');
  });

  it('CSV import into another store the seller picks leaves the current one alone', async () => {
    await mergeOrders('111', seenOrders(), 'page', NOW);
    await mergeOrders('222', [delivered(3, 'SKU-Q')], 'page', NOW - 1000);
    const m = await mount();
    const before = m.root.getAttribute('data-rate');
    const target = m.root.querySelector('.target select') as HTMLSelectElement;
    target.value = '222';
    fireEvent.change(target);
    const csv = ozonCsv(NOW, { prefix: '6600' });
    const input = m.root.querySelector('[data-ozon-guard-import]') as HTMLInputElement;
    Object.defineProperty(input, 'files', {
      value: [new File([csv.text], 'b.csv', { type: 'text/csv' })],
      configurable: true,
    });
    await act(async () => {
      fireEvent.change(input);
    });
    await waitFor(() => expect(m.root.querySelector('[data-import-report]')).not.toBeNull());
    expect((await loadOrders('111')).length).toBe(31);
    expect((await loadOrders('222')).length).toBe(11);
    // The popup shows the store the import went to.
    await waitFor(() => expect(m.root.getAttribute('data-store')).toBe('222'));
    expect(m.root.getAttribute('data-rate')).toBe(summarizeStore(await loadOrders('222'), NOW).cancellationRate.toFixed(2));
    expect(before).toBe((100 / 31).toFixed(2));
  });

  it('the default store is the one of the active panel tab (most recently seen there)', async () => {
    await mergeOrders('111', seenOrders(), 'page', NOW - 3_600_000);
    await mergeOrders('222', [delivered(3, 'SKU-Q')], 'page', NOW);
    const win = await browser.windows.create({ focused: true });
    await browser.tabs.create({ windowId: win!.id, url: 'https://seller.ozon.ru/app/postings/fbs?tab=all', active: true });
    const m = await mount();
    expect(m.root.getAttribute('data-store')).toBe('222');
    expect(m.root.textContent).toContain('current tab');
  });
});
