/**
 * The popup over the real layers (history in the fake browser's storage, the
 * CSV importer, the background's merge) with the real 2020 FBS export: the
 * file does not say its scheme, so the popup asks before importing; after
 * the answer, the contract §4 root attributes show the window's figures.
 * The clock is set inside the file's range (2020-06-30).
 */
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { cleanup, fireEvent, waitFor, act } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadOrders, _resetHistoryForTests } from '../../../storage/history';
import { useMessages } from '../../../lib/i18n';
import { summarizeStore } from '../../../rules/index';
import { loadLocale } from '../../setup';
import { readRealCsv } from '../../real/samples';
import { answerImportsLikeTheBackground, mountOverHistory } from '../../helpers/popup-history';

const NOW_2020 = Date.parse('2020-06-30T12:00:00Z');

const mount = () => mountOverHistory(NOW_2020);

async function pick(root: HTMLElement, file: File) {
  const input = root.querySelector('[data-ozon-guard-import]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => {
    fireEvent.change(input);
  });
}

// 1,085 lines through the importer, the merge and a render: seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

beforeEach(() => {
  // Only Date: the history's retention counts from Date.now(), and a 2020 export is past it in 2026.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_2020);
  fakeBrowser.reset();
  _resetHistoryForTests();
  useMessages('en', loadLocale('en'));
  answerImportsLikeTheBackground();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('popup: importing the real 2020 FBS export', () => {
  it('asks for the scheme first (nothing kept), then shows 127 orders, 7.09 %, critical', async () => {
    const m = await mount();
    const bytes = readRealCsv('fbs_postings_export_2020-06__cashblxxd.csv');
    await pick(m.root, new File([bytes], 'postings.csv', { type: 'text/csv', lastModified: Date.parse('2020-06-13T00:00:00Z') }));

    const q = await waitFor(() => {
      const el = m.root.querySelector('[data-import-question]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(q.textContent).toContain('814 postings: FBS, FBO or rFBS?');
    expect(q.textContent).toContain('placed in the 30-day window by «Дата создания заказа»');
    expect(m.root.querySelector('[data-import-report]')).toBeNull();
    expect(await loadOrders('unknown')).toEqual([]);

    await act(async () => {
      fireEvent.click(q.querySelector('[data-import-answer="FBS"]')!);
    });
    await waitFor(() => expect(m.root.querySelector('[data-import-report]')).not.toBeNull());
    expect(m.root.querySelector('[data-import-question]')).toBeNull();

    // The history keeps 90 days (storage/history RETENTION_DAYS): postings whose every date is
    // older than 2020-04-01 are not kept — 441 of 814 are newer, plus one still in transit
    // (34751138-0007-3, created 2020-03-21), which is kept because it is open.
    const stored = await loadOrders('unknown');
    expect(stored.length).toBe(442);
    expect(stored.some((o) => o.postingNumber === '34751138-0007-3')).toBe(true);
    expect(stored.every((o) => o.scheme === 'FBS')).toBe(true);
    const expected = summarizeStore(stored, NOW_2020);
    await waitFor(() => expect(m.root.getAttribute('data-orders')).toBe('127'));
    expect(expected.orders).toBe(127);
    expect(m.root.getAttribute('data-rate')).toBe('7.09');
    expect(m.root.getAttribute('data-rate')).toBe(expected.cancellationRate.toFixed(2));
    expect(m.root.getAttribute('data-tier')).toBe('critical');
    const summary = m.root.querySelector('[data-import-summary]')!.textContent!;
    expect(summary).toContain('814 postings: 442 new, 0 updated, 372 older than 90 days not kept');
    expect(summary).toContain('Scheme FBS (your choice)');
    expect(summary).toContain('814 postings placed in the 30-day window by «Дата создания заказа» (the file has no processing date)');
    // Every posting had a date: no undated line.
    expect(m.root.querySelector('[data-undated]')).toBeNull();
  });

  it('with the panel\'s FBS list open in the active tab, that page tells the scheme: no question', async () => {
    const win = await fakeBrowser.windows.create({ focused: true });
    await fakeBrowser.tabs.create({ windowId: win!.id, url: 'https://seller.ozon.ru/app/postings/fbs?tab=all', active: true });
    const m = await mount();
    await pick(m.root, new File([readRealCsv('fbs_postings_export_2020-06__cashblxxd.csv')], 'postings.csv', { type: 'text/csv' }));
    await waitFor(() => expect(m.root.querySelector('[data-import-report]')).not.toBeNull());
    expect(m.root.querySelector('[data-import-question]')).toBeNull();
    expect(m.root.querySelector('[data-import-summary]')!.textContent).toContain('Scheme FBS (the Seller Panel list open in this window)');
    expect((await loadOrders('unknown')).every((o) => o.scheme === 'FBS')).toBe(true);
  });

  it('"Do not import" drops the held file', async () => {
    const m = await mount();
    await pick(m.root, new File([readRealCsv('fbs_postings_export_2020-06__cashblxxd.csv')], 'postings.csv', { type: 'text/csv' }));
    const q = await waitFor(() => {
      const el = m.root.querySelector('[data-import-question]');
      expect(el).not.toBeNull();
      return el!;
    });
    await act(async () => {
      fireEvent.click(q.querySelector('[data-import-answer=""]')!);
    });
    expect(m.root.querySelector('[data-import-question]')).toBeNull();
    expect(await loadOrders('unknown')).toEqual([]);
  });

  it('the seller\'s choice in the import skips the question; undated postings are counted in the report and the popup', async () => {
    const m = await mount();
    const select = m.root.querySelector('[data-import-scheme]') as HTMLSelectElement;
    select.value = 'FBO';
    fireEvent.change(select);
    const lines = ['Номер отправления;Принят в обработку;Статус;SKU;Количество'];
    for (let i = 0; i < 5; i++) lines.push(`1234567${i}-0001-1;2020-06-2${i} 10:00:00;Доставлен;100${i};1`);
    for (let i = 0; i < 3; i++) lines.push(`7654321${i}-0001-1;;Отменён;200${i};2`);
    await pick(m.root, new File(['\ufeff' + lines.join('\r\n')], 'fbo.csv', { type: 'text/csv' }));
    await waitFor(() => expect(m.root.querySelector('[data-import-report]')).not.toBeNull());
    expect(m.root.querySelector('[data-import-question]')).toBeNull();
    const summary = m.root.querySelector('[data-import-summary]')!.textContent!;
    expect(summary).toContain('Scheme FBO (your choice)');
    expect(summary).toContain('3 postings have no date: not in the 30-day figures');
    const stored = await loadOrders('unknown');
    expect(stored.length).toBe(8);
    expect(stored.filter((o) => o.status === 'cancelled').length).toBe(3);
    expect(stored.every((o) => o.scheme === 'FBO')).toBe(true);
    await waitFor(() => expect(m.root.querySelector('[data-undated]')?.getAttribute('data-undated')).toBe('3'));
    expect(m.root.querySelector('[data-undated]')!.textContent).toBe('3 orders have no date: not in the 30-day figures.');
    // The three undated cancellations are not in the figures.
    expect(m.root.getAttribute('data-orders')).toBe('5');
    expect(m.root.getAttribute('data-rate')).toBe('0.00');
  });
});
