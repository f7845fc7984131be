/**
 * Test data and an in-memory PopupSource for the popup's component tests.
 * Orders are built relative to NOW so every figure is checkable by hand.
 */
import { render, act } from '@testing-library/preact';
import type { Order } from '../../../rules/types';
import type { Rulebook } from '../../../rules/rulebook';
import { defaultRulebook } from '../../../rules/rulebook';
import { defaultSettings, type Settings } from '../../../storage/settings';
import { createPopupStore, type ConfigSource } from '../../../components/popup/store';
import type { PopupSource, StoreInfo, ImportOutcome, HistoryFlags, CsvFile } from '../../../components/popup/source';
import { App } from '../../../components/popup/App';

export const NOW = Date.parse('2026-11-21T09:00:00Z');
const H = 3_600_000;
const D = 24 * H;
export const iso = (ms: number) => new Date(ms).toISOString();

let seq = 0;
export function pn(): string {
  seq++;
  return `1000${String(seq).padStart(4, '0')}-0001-1`;
}

/** A delivered order paid `daysAgo` days before NOW. */
export function delivered(daysAgo: number, sku = 'SKU-A', over: Partial<Order> = {}): Order {
  return {
    postingNumber: pn(),
    scheme: 'FBS',
    status: 'delivered',
    paidAt: iso(NOW - daysAgo * D),
    items: [{ sku, quantity: 1, price: 1000 }],
    currency: 'RUB',
    ...over,
  };
}

export function cancelled(
  daysAgo: number,
  initiator: NonNullable<Order['cancellation']>['initiator'],
  reasonCode: string | undefined,
  sku = 'SKU-A',
): Order {
  return {
    postingNumber: pn(),
    scheme: 'FBS',
    status: 'cancelled',
    paidAt: iso(NOW - daysAgo * D),
    cancelledAt: iso(NOW - daysAgo * D + H),
    cancellation: { initiator, ...(reasonCode && { reasonCode }) },
    items: [{ sku, quantity: 1, price: 1000 }],
    currency: 'RUB',
  };
}

/** An order awaiting confirmation whose D1 limit (paidAt + 24 h) is `msLeft` from NOW. */
export function toConfirm(msLeft: number, postingNumber = pn()): Order {
  return {
    postingNumber,
    scheme: 'FBS',
    status: 'awaiting_confirmation',
    paidAt: iso(NOW + msLeft - 24 * H),
    items: [{ sku: 'SKU-C', quantity: 1, price: 500 }],
  };
}

export interface MemorySource extends PopupSource {
  data: Record<string, Order[]>;
  info: StoreInfo[];
  flagsValue: HistoryFlags;
  active: string | null;
  opened: string[];
  changed(): void;
  /** What importCsv does with the bytes (tests plug in the real parser + merge). */
  onImport?: (file: CsvFile, storeId: string | null) => Promise<ImportOutcome>;
}

export function memorySource(data: Record<string, Order[]>, info?: StoreInfo[]): MemorySource {
  const listeners = new Set<() => void>();
  const src: MemorySource = {
    data,
    info: info ?? Object.keys(data).map((id) => ({ id })),
    flagsValue: { layoutChanged: null, pruned: null },
    active: null,
    opened: [],
    changed() {
      for (const l of listeners) l();
    },
    async listStores() {
      return src.info;
    },
    async loadOrders(id) {
      return src.data[id] ?? [];
    },
    async coverage(id) {
      const o = src.data[id] ?? [];
      const paid = o.map((x) => x.paidAt).filter((x): x is string => !!x).sort();
      return { count: o.length, from: paid[0], to: paid[paid.length - 1] };
    },
    async activeStore() {
      return src.active;
    },
    async flags() {
      return src.flagsValue;
    },
    watch(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async importCsv(file, storeId) {
      if (!src.onImport) throw new Error('no importer');
      return src.onImport(file, storeId);
    },
    exportAtRiskCsv: (orders) => `posting\n${orders.map((o) => o.postingNumber).join('\n')}`,
    exportCancellationsCsv: (orders) => `posting\n${orders.filter((o) => o.status === 'cancelled').map((o) => o.postingNumber).join('\n')}`,
    postingUrl: (o) => `https://seller.ozon.ru/app/postings/fbs?postingDetails=${o.postingNumber}`,
    async openTab(url) {
      src.opened.push(url);
    },
  };
  return src;
}

export function staticConfig(rulebook: Rulebook = defaultRulebook, settings: Settings = defaultSettings) {
  let cb: ((c: { rulebook: Rulebook; settings: Settings }) => void) | null = null;
  const cfg: ConfigSource & { set(rb: Rulebook, s?: Settings): void } = {
    async load() {
      return { rulebook, settings };
    },
    watch(fn) {
      cb = fn;
      return () => {
        cb = null;
      };
    },
    set(rb, s = settings) {
      rulebook = rb;
      settings = s;
      cb?.({ rulebook: rb, settings: s });
    },
  };
  return cfg;
}

export async function mountPopup(source: PopupSource, opts: { config?: ConfigSource; now?: () => number; inTab?: boolean } = {}) {
  let now = NOW;
  const clock = opts.now ?? (() => now);
  const store = createPopupStore({ source, clock, tickMs: 0, config: opts.config ?? staticConfig() });
  await store.getState().init();
  const r = render(<App store={store} source={source} inTab={opts.inTab ?? true} />);
  const root = r.container.querySelector('[data-ozon-guard-risk]') as HTMLElement;
  return {
    ...r,
    store,
    root,
    /** Moves the shared clock and ticks once. */
    tick(ms: number) {
      now += ms;
      act(() => store.setState({ now: clock() }));
    },
  };
}
