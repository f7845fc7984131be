import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { rulebookOverridesItem, settingsItem, defaultSettings } from '../../../storage/settings';
import { mergeLosingNothing } from '../../../components/options/history';
import { renderOptions, typeAndCommit } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

const history = {
  async listStores() {
    return [{ id: '123456', name: 'Shop A' }, { id: '987' }];
  },
  async loadOrders(storeId: string) {
    if (storeId !== '123456') return [];
    return [
      { postingNumber: '1-1', items: [{ sku: '111', offerId: 'OFF-1', name: 'Phone case', quantity: 1 }] },
      { postingNumber: '1-2', items: [{ sku: '111', quantity: 1 }, { sku: '222', name: 'Gift card', quantity: 1 }] },
    ];
  },
};

describe('what the page cannot tell (C2), per store', () => {
  it('lists every-store lists, the history’s stores, and orders with no known store', async () => {
    const { c } = await renderOptions(history);
    const options = [...c.querySelectorAll<HTMLOptionElement>('#store-select option')].map((o) => [o.value, o.textContent]);
    expect(options).toEqual([
      ['*', 'All stores'],
      ['123456', 'Shop A (123456)'],
      ['987', 'Store 987'],
      ['unknown', 'Orders with no known store'],
    ]);
  });

  it('C2: Auto-Confirm Shipment switch and pasted SKU lists are saved per store (split, trimmed, deduped)', async () => {
    const { c } = await renderOptions(history);
    fireEvent.click(c.querySelector('[data-auto-confirm="123456"]')!);
    await waitFor(async () => expect((await settingsItem.getValue()).autoConfirmShipment).toEqual({ '123456': true }));
    typeAndCommit(c.querySelector('#sku-123456-digital')!, ' 222, 333\n333\t444 ');
    await waitFor(async () =>
      expect((await settingsItem.getValue()).skuFlags['123456']).toEqual({ digital: ['222', '333', '444'], electronics: [], preorder: [] }),
    );
    expect(c.querySelector('[data-sku-tag="digital"] label')!.textContent).toContain('3 SKUs');
    // Another store keeps its own facts.
    fireEvent.change(c.querySelector('#store-select')!, { target: { value: '987' } });
    await waitFor(() => expect(c.querySelector<HTMLInputElement>('[data-auto-confirm="987"]')!.checked).toBe(false));
    expect(c.querySelector<HTMLTextAreaElement>('#sku-987-digital')!.value).toBe('');
  });

  it('C2: SKUs already seen in the store can be picked', async () => {
    const { c } = await renderOptions(history);
    await waitFor(() => expect(c.querySelector('.seen summary')?.textContent).toBe('Pick from 3 SKUs seen in this store'));
    const box = c.querySelector<HTMLInputElement>('input[aria-label="222: Electronics"]')!;
    fireEvent.click(box);
    await waitFor(async () => expect((await settingsItem.getValue()).skuFlags['123456']?.electronics).toEqual(['222']));
    expect(c.querySelector<HTMLTextAreaElement>('#sku-123456-electronics')!.value).toBe('222');
  });

  it('a store id can be added by hand; a bad one is refused', async () => {
    const { c } = await renderOptions(null);
    const input = c.querySelector<HTMLInputElement>('#store-new')!;
    fireEvent.input(input, { target: { value: 'not valid!' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(c.querySelector('#store-new-err')?.textContent).toContain('company id'));
    fireEvent.input(input, { target: { value: '424242' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(c.querySelector<HTMLSelectElement>('#store-select')!.value).toBe('424242'));
    fireEvent.click(c.querySelector('[data-auto-confirm="424242"]')!);
    await waitFor(async () => expect((await settingsItem.getValue()).autoConfirmShipment).toEqual({ '424242': true }));
  });
});

describe('data: export, import, clear', () => {
  it('export → clear → import restores everything (round trip)', async () => {
    await settingsItem.setValue({ ...defaultSettings, language: 'en', secondZone: 'Asia/Almaty', autoConfirmShipment: { '1': true } });
    await rulebookOverridesItem.setValue({ profile: 'official', values: { 'deadlines.atRiskHours': 4 } });
    await browser.storage.local.set({ 'history:1': { '1-1': { status: 'delivered' } } });
    const { actions, store } = await renderOptions();
    const { name, json } = await actions.exportData();
    expect(name).toMatch(/^ozon-order-guard-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(json);
    expect(file.app).toBe('ozon-order-guard');
    expect(file.storage['history:1']).toEqual({ '1-1': { status: 'delivered' } });

    await actions.clearAll();
    expect(await browser.storage.local.get(null)).toEqual({});
    expect(store.getState().rulebook.deadlines.atRiskHours.value).toBe(2);

    const n = await actions.importData(json);
    expect(n.kind).toBe('ok');
    expect(await rulebookOverridesItem.getValue()).toEqual({ profile: 'official', values: { 'deadlines.atRiskHours': 4 } });
    expect((await settingsItem.getValue()).secondZone).toBe('Asia/Almaty');
    expect((await settingsItem.getValue()).autoConfirmShipment).toEqual({ '1': true });
    expect((await browser.storage.local.get('history:1'))['history:1']).toEqual({ '1-1': { status: 'delivered' } });
    expect(store.getState().rulebook.deadlines.atRiskHours.value).toBe(4);
  });

  it('import merges, losing nothing; bad values in the file are skipped and reported', async () => {
    await settingsItem.setValue({ ...defaultSettings, skuFlags: { '1': { digital: ['A'], electronics: [], preorder: [] } } });
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'metrics.safeMaxPct': 2 } });
    await browser.storage.local.set({ 'history:1': { '1-1': { a: 1 } }, local: [1, 2] });
    const { actions } = await renderOptions();
    const file = {
      app: 'ozon-order-guard',
      format: 1,
      exportedAt: '2026-01-01T00:00:00Z',
      storage: {
        settings: { ...defaultSettings, hour12: true, secondZone: 'Bad/Zone', skuFlags: { '1': { digital: ['B'] }, '2': { preorder: ['P'] } } },
        rulebookOverrides: { profile: 'seed', values: { 'deadlines.atRiskHours': 3, 'deadlines.confirmHours': -1 } },
        'history:1': { '1-2': { b: 2 } },
        'history:2': { '2-1': { c: 3 } },
        local: [2, 3],
      },
    };
    const n = await actions.importData(JSON.stringify(file));
    expect(n.kind).toBe('error');
    expect(n.key).toBe('options_import_done_with_rejects');
    expect(String(n.subs[2])).toContain('deadlines.confirmHours');
    expect(String(n.subs[2])).toContain('secondZone');
    const s = await settingsItem.getValue();
    expect(s.hour12).toBe(true);
    expect(s.skuFlags).toEqual({
      '1': { digital: ['A', 'B'], electronics: [], preorder: [] },
      '2': { digital: [], electronics: [], preorder: ['P'] },
    });
    expect((await rulebookOverridesItem.getValue()).values).toEqual({ 'metrics.safeMaxPct': 2, 'deadlines.atRiskHours': 3 });
    const all = await browser.storage.local.get(null);
    expect(all['history:1']).toEqual({ '1-1': { a: 1 }, '1-2': { b: 2 } });
    expect(all['history:2']).toEqual({ '2-1': { c: 3 } });
    expect(all.local).toEqual([1, 2, 3]);
  });

  it('refuses a file that is not JSON or not ours, changing nothing', async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 4 } });
    const { actions } = await renderOptions();
    expect((await actions.importData('{not json')).key).toBe('options_import_not_json');
    expect((await actions.importData('{"hello":1}')).key).toBe('options_import_not_ours');
    expect(await rulebookOverridesItem.getValue()).toEqual({ profile: 'seed', values: { 'deadlines.atRiskHours': 4 } });
  });

  it('uses the history module’s own export / import when it has them', async () => {
    const calls: unknown[] = [];
    const { actions } = await renderOptions({
      ...history,
      exportAll: async () => ({ stores: { '123456': ['orders…'] } }),
      importAll: async (d: unknown) => void calls.push(d),
    });
    const { json } = await actions.exportData();
    expect(JSON.parse(json).history).toEqual({ stores: { '123456': ['orders…'] } });
    await actions.importData(json);
    expect(calls).toEqual([{ stores: { '123456': ['orders…'] } }]);
  });

  it('clear all needs the typed confirmation word', async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 4 } });
    const { c } = await renderOptions();
    const btn = c.querySelector<HTMLButtonElement>('[data-clear-all]')!;
    const input = c.querySelector<HTMLInputElement>('#clear-confirm')!;
    expect(btn.disabled).toBe(true);
    fireEvent.input(input, { target: { value: 'delet' } });
    expect(btn.disabled).toBe(true);
    fireEvent.submit(input.closest('form')!);
    expect((await rulebookOverridesItem.getValue()).values).toEqual({ 'deadlines.atRiskHours': 4 });
    fireEvent.input(input, { target: { value: ' DELETE ' } });
    await waitFor(() => expect(btn.disabled).toBe(false));
    fireEvent.submit(input.closest('form')!);
    await waitFor(async () => expect(await browser.storage.local.get(null)).toEqual({}));
    await waitFor(() => expect(c.querySelector('[data-notice="ok"]')?.textContent).toContain('Everything was cleared'));
    expect(c.querySelector('[data-param="deadlines.atRiskHours"]')!.textContent).toContain('In force: 2 h');
  });
});

describe('mergeLosingNothing', () => {
  it('unites objects and arrays; keeps the current plain value on conflict', () => {
    expect(mergeLosingNothing({ a: 1, b: { x: 1 }, l: [1] }, { a: 2, b: { y: 2 }, c: 3, l: [1, 2] })).toEqual({
      a: 1,
      b: { x: 1, y: 2 },
      c: 3,
      l: [1, 2],
    });
    expect(mergeLosingNothing(undefined, 5)).toBe(5);
  });
});
