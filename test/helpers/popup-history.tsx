/**
 * The popup over the real layers, as its import tests run it: history in the fake
 * browser's storage read through historySource, and the background's merge answering
 * `orders:import`, so an import goes the whole way from the file input to the stored
 * history and back to the figures.
 */
import { render } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { mergeOrders } from '../../storage/history';
import { historySource } from '../../components/popup/historySource';
import { createPopupStore } from '../../components/popup/store';
import { App } from '../../components/popup/App';

/** The popup in a tab over the stored history, its clock fixed at `now`, initialised; `root` is its contract root. */
export async function mountOverHistory(now: number) {
  const source = historySource();
  const store = createPopupStore({ source, clock: () => now, tickMs: 0 });
  await store.getState().init();
  const r = render(<App store={store} source={source} inTab />);
  return { ...r, store, root: r.container.querySelector('[data-ozon-guard-risk]') as HTMLElement };
}

/** What the background does with `orders:import`: the single writer merges, and the popup gets its answer. */
export function answerImportsLikeTheBackground(): void {
  fakeBrowser.runtime.onMessage.addListener((msg: any, _sender: unknown, sendResponse: (x: unknown) => void) => {
    if (msg?.type !== 'orders:import') return undefined;
    void mergeOrders(msg.storeId, msg.orders, 'csv', msg.observedAt).then(sendResponse);
    return true;
  });
}
