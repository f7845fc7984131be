/**
 * The popup's state: one zustand (vanilla) store, a tiny Preact hook over it,
 * and the memoised risk figures.
 *
 * Why vanilla + our own hook: zustand's React bindings need the preact/compat
 * alias at build time; the vanilla store needs nothing and is trivially
 * testable without rendering.
 *
 * Why one shared 1 s ticker: every countdown in the at-risk list reads the
 * same `now`, so they tick together and the popup costs one timer, not one
 * per row. The heavy figures (summarizeStore over the whole window) are
 * memoised per orders array × rulebook × minute, so the ticker never
 * recomputes them more than once a minute.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useEffect, useReducer, useRef } from 'preact/hooks';
import type { Order, StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';
import { defaultRulebook } from '../../rules';
import { summarizeStore, summarizeOfficial } from '../../rules/index';
import { defaultSettings, type Settings } from '../../storage/settings';
import type { PopupSource, StoreInfo, SeenCoverage, HistoryFlags, ImportOutcome, ImportScheme } from './source';
import type { Scheme } from '../../rules';

export type View = 'store' | 'overview';

export interface ImportState {
  busy: boolean;
  /** The store the last import went to. */
  storeId?: string;
  outcome?: ImportOutcome;
  error?: string;
  /** A file whose scheme nobody told: held, not imported, until the seller answers (answerScheme). */
  question?: { file: Blob & { name?: string; lastModified?: number }; postings: number; summary: string };
}

export interface PopupState {
  status: 'loading' | 'ready' | 'error';
  error?: string;
  now: number;
  stores: StoreInfo[];
  orders: Record<string, Order[]>;
  coverage: Record<string, SeenCoverage | null>;
  /** The store on screen. */
  selected: string | null;
  /** The store of the active panel tab, when one is known. */
  activeStore: string | null;
  rulebook: Rulebook;
  settings: Settings;
  flags: HistoryFlags;
  view: View;
  importing: ImportState;
  /** Where a CSV import goes; null = the store on screen. */
  importTarget: string | null;
  /** The seller's choice of the imported file's scheme; 'ask' = ask when the file does not say. */
  importScheme: ImportScheme;
}

export interface PopupActions {
  init(): Promise<void>;
  dispose(): void;
  reload(): Promise<void>;
  select(storeId: string): void;
  setView(view: View): void;
  setImportTarget(storeId: string | null): void;
  importFile(file: Blob & { name?: string; lastModified?: number }, scheme?: Scheme): Promise<void>;
  setImportScheme(scheme: ImportScheme): void;
  /** The seller's answer to the scheme question: imports the held file with it (null: drop the file). */
  answerScheme(scheme: Scheme | null): Promise<void>;
}

export type PopupStore = StoreApi<PopupState & PopupActions>;

export interface PopupStoreOptions {
  source: PopupSource;
  /** Injected so tests can pin the instant the figures are computed for. */
  clock?: () => number;
  /** 0 turns the ticker off (tests drive `now` themselves). */
  tickMs?: number;
  /** Rulebook + settings live source; defaults to the storage items. */
  config?: ConfigSource;
}

export interface ConfigSource {
  load(): Promise<{ rulebook: Rulebook; settings: Settings }>;
  watch(cb: (c: { rulebook: Rulebook; settings: Settings }) => void): () => void;
}

const emptyFlags: HistoryFlags = { layoutChanged: null, pruned: null };

export function createPopupStore(opts: PopupStoreOptions): PopupStore {
  const clock = opts.clock ?? (() => Date.now());
  const tickMs = opts.tickMs ?? 1000;
  const { source } = opts;
  const cleanups: (() => void)[] = [];
  // Reloads can overlap (a storage watcher firing while the first load runs); only the latest may land.
  let loadSeq = 0;

  const store = createStore<PopupState & PopupActions>()((set, get) => {
    const loadAll = async () => {
      const seq = ++loadSeq;
      const stores = await source.listStores();
      const entries = await Promise.all(
        stores.map(async (s) => {
          const [orders, cov] = await Promise.all([source.loadOrders(s.id), source.coverage(s.id)]);
          return [s.id, orders, cov] as const;
        }),
      );
      const flags = await source.flags();
      const activeStore = get().activeStore ?? (await source.activeStore().catch(() => null));
      if (seq !== loadSeq) return;
      const orders: Record<string, Order[]> = {};
      const coverage: Record<string, SeenCoverage | null> = {};
      for (const [id, o, c] of entries) {
        orders[id] = o;
        coverage[id] = c;
      }
      const ids = stores.map((s) => s.id);
      let selected = get().selected;
      if (!selected || !ids.includes(selected)) {
        selected =
          activeStore && ids.includes(activeStore)
            ? activeStore
            : ids.length === 1
              ? ids[0]!
              : (mostRecentStore(stores, orders) ?? null);
      }
      set({ stores, orders, coverage, flags, activeStore, selected, status: 'ready', now: clock() });
    };

    return {
      status: 'loading',
      now: clock(),
      stores: [],
      orders: {},
      coverage: {},
      selected: null,
      activeStore: null,
      rulebook: defaultRulebook,
      settings: defaultSettings,
      flags: emptyFlags,
      view: 'store',
      importing: { busy: false },
      importScheme: 'ask',
      importTarget: null,

      async init() {
        try {
          if (opts.config) {
            const c = await opts.config.load();
            set({ rulebook: c.rulebook, settings: c.settings });
            cleanups.push(opts.config.watch((c2) => set({ rulebook: c2.rulebook, settings: c2.settings })));
          }
          await loadAll();
          cleanups.push(source.watch(() => void loadAll().catch(() => undefined)));
          if (tickMs > 0) {
            const id = setInterval(() => set({ now: clock() }), tickMs);
            cleanups.push(() => clearInterval(id));
          }
        } catch (e) {
          set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },

      dispose() {
        while (cleanups.length) {
          try {
            cleanups.pop()!();
          } catch {
            /* a watcher already gone */
          }
        }
      },

      reload: loadAll,

      select(storeId) {
        set({ selected: storeId, view: 'store' });
      },

      setView(view) {
        set({ view });
      },

      setImportTarget(storeId) {
        set({ importTarget: storeId });
      },

      setImportScheme(scheme) {
        set({ importScheme: scheme });
      },

      async answerScheme(scheme) {
        const q = get().importing.question;
        if (!q) return;
        if (!scheme) {
          set({ importing: { busy: false } });
          return;
        }
        await get().importFile(q.file, scheme);
      },

      async importFile(file, scheme) {
        const target = get().importTarget ?? get().selected ?? get().activeStore ?? null;
        const chosen = scheme ?? (get().importScheme === 'ask' ? undefined : (get().importScheme as Scheme));
        set({ importing: { busy: true, storeId: target ?? undefined } });
        try {
          const bytes = await readBytes(file);
          const outcome = await source.importCsv({ bytes, name: file.name, lastModified: file.lastModified }, target, chosen);
          if (outcome.needsScheme) {
            // Nothing was kept: ask before committing (C2 turns on the scheme).
            set({ importing: { busy: false, storeId: target ?? undefined, question: { file, postings: outcome.postings, summary: outcome.summary } } });
            return;
          }
          set({ importing: { busy: false, storeId: outcome.storeId, outcome } });
          await loadAll();
          // The seller imported into a store: show that store, so the change is visible.
          if (outcome.storeId && get().stores.some((s) => s.id === outcome.storeId)) {
            set({ selected: outcome.storeId, view: 'store' });
          }
        } catch (e) {
          set({
            importing: { busy: false, storeId: target ?? undefined, error: e instanceof Error ? e.message : String(e) },
          });
        }
      },
    };
  });
  return store;
}

function readBytes(file: Blob): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as ArrayBuffer);
    r.onerror = () => reject(r.error);
    r.readAsArrayBuffer(file);
  });
}

/** The store whose newest order was paid (or seen) last: the best guess when no tab tells. */
function mostRecentStore(stores: StoreInfo[], orders: Record<string, Order[]>): string | undefined {
  let best: string | undefined;
  let bestAt = '';
  for (const s of stores) {
    const at = s.lastSeenAt ?? latestPaid(orders[s.id] ?? []);
    if (at > bestAt || best === undefined) {
      best = s.id;
      bestAt = at;
    }
  }
  return best;
}

function latestPaid(orders: Order[]): string {
  let m = '';
  for (const o of orders) if (o.paidAt && o.paidAt > m) m = o.paidAt;
  return m;
}

/**
 * Subscribes a component to a slice of the store; re-renders only when the
 * slice changes (`equal`, default Object.is).
 */
export function useStore<T>(
  store: PopupStore,
  selector: (s: PopupState & PopupActions) => T,
  equal: (a: T, b: T) => boolean = Object.is,
): T {
  const [, force] = useReducer((x: number) => x + 1, 0);
  const sel = useRef(selector);
  const eq = useRef(equal);
  const rendered = useRef<T>(undefined as T);
  sel.current = selector;
  eq.current = equal;
  useEffect(() => {
    const unsub = store.subscribe((s, prev) => {
      if (!eq.current(sel.current(s), sel.current(prev))) force(0);
    });
    // A change between render and this effect (init finishing first) would otherwise be missed.
    if (!eq.current(sel.current(store.getState()), rendered.current)) force(0);
    return unsub;
  }, [store]);
  rendered.current = selector(store.getState());
  return rendered.current;
}

/**
 * Everything but the second-by-second clock: the screen's figures change at
 * most once a minute, so only the countdowns re-render every tick.
 */
export function sameButSeconds(a: PopupState & PopupActions, b: PopupState & PopupActions): boolean {
  for (const k of Object.keys(a) as (keyof PopupState)[]) {
    if (k === 'now') continue;
    if (!Object.is(a[k], b[k])) return false;
  }
  return Math.floor(a.now / 60_000) === Math.floor(b.now / 60_000);
}

// ---- memoised figures ----------------------------------------------------

interface Memo<T> {
  minute: number;
  rulebook: Rulebook;
  value: T;
}
const riskMemo = new WeakMap<Order[], Memo<StoreRisk>>();
const officialMemo = new WeakMap<Order[], Memo<OfficialFigures>>();

export type OfficialFigures = ReturnType<typeof summarizeOfficial>;

/** summarizeStore, recomputed at most once a minute per orders array and rulebook. */
export function riskFor(orders: Order[], now: number, rulebook: Rulebook): StoreRisk {
  const minute = Math.floor(now / 60_000);
  const m = riskMemo.get(orders);
  if (m && m.minute === minute && m.rulebook === rulebook) return m.value;
  const value = summarizeStore(orders, now, rulebook);
  riskMemo.set(orders, { minute, rulebook, value });
  return value;
}

export function officialFor(orders: Order[], now: number, rulebook: Rulebook): OfficialFigures {
  const minute = Math.floor(now / 60_000);
  const m = officialMemo.get(orders);
  if (m && m.minute === minute && m.rulebook === rulebook) return m.value;
  const value = summarizeOfficial(orders, now, rulebook);
  officialMemo.set(orders, { minute, rulebook, value });
  return value;
}

const EMPTY: Order[] = [];
export function ordersOf(s: PopupState, storeId: string | null): Order[] {
  return (storeId && s.orders[storeId]) || EMPTY;
}
