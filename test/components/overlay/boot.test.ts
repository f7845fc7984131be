/**
 * The content script's bootstrap (components/overlay/boot.ts): every panel page runs it, the overlay
 * itself (the `core` chunk) is loaded on the tab's first postings page. Checked with a stand-in core
 * loaded through the real lazy loader (components/overlay/lazy.ts, a test importer):
 * - not on other pages; at once on a postings page; on an SPA navigation to one;
 * - the MAIN world's messages before the core runs are kept (bounded per kind) and handed to it first;
 * - a failed load never throws, is said once and is tried again on the next postings page only;
 * - the popup's report requests: answered before the core runs, handed to it once it does;
 * - a disposed run starts nothing; a restart after the core ran starts it at once on any page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../../components/overlay/lifetime';
import { EARLY_LIMITS, startBoot, type BootEnv } from '../../../components/overlay/boot';
import { BRIDGE_EVENT, BRIDGE_EXPECT_EVENT } from '../../../panel/bridge-message';
import { configureLazy, LAZY_FILES, LAZY_KEYS, type CoreApi } from '../../../components/overlay/lazy';
import type { CoreEnv, CoreRun } from '../../../components/overlay/start';
import type { ReportRequest } from '../../../components/overlay/report-messages';

const ORIGIN = 'https://seller.ozon.ru';
const POSTINGS = `${ORIGIN}/app/postings/fbs?tab=awaiting_packaging`;
const PRODUCTS = `${ORIGIN}/app/products`;
const flush = () => new Promise((r) => setTimeout(r, 0));

type Listener = (msg: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => true | undefined;

/** A window as the bootstrap uses it: `message` events, location, the Navigation API. */
function fakeWindow(href: string) {
  const win = new EventTarget() as EventTarget & { location: { href: string; origin: string }; navigation: EventTarget };
  win.location = { href, origin: ORIGIN };
  win.navigation = new EventTarget();
  const go = (url: string) => {
    win.location.href = url;
    win.navigation.dispatchEvent(Object.assign(new Event('navigate'), { destination: { url } }));
  };
  const post = (data: unknown, origin = ORIGIN) => win.dispatchEvent(new MessageEvent('message', { data, origin }));
  return { win: win as unknown as Window, go, post };
}

/** A stand-in core: records what it is handed. */
function fakeCore() {
  const runs: { guard: Guard; env: CoreEnv; messages: unknown[]; navigations: string[]; reports: ReportRequest[]; expected: number; configChanged: number }[] = [];
  const api: CoreApi = {
    startCore: ((guard: Guard, env: CoreEnv): CoreRun => {
      const run = { guard, env, messages: [] as unknown[], navigations: [] as string[], reports: [] as ReportRequest[], expected: 0, configChanged: 0 };
      runs.push(run);
      return {
        onWindowMessage: (e) => run.messages.push(e.data),
        expectBody: () => void run.expected++,
        navigate: (url) => run.navigations.push(url),
        onReport: (msg, sendResponse) => {
          run.reports.push(msg);
          sendResponse({ from: 'core', type: msg.type });
          return false;
        },
        configChanged: () => void run.configChanged++,
      };
    }) as CoreApi['startCore'],
  };
  return { api, runs };
}

function setup(href: string, opts: { fail?: () => boolean } = {}) {
  const core = fakeCore();
  const imports: string[] = [];
  const g = globalThis as Record<symbol, unknown>;
  delete g[LAZY_KEYS.core];
  configureLazy({
    url: (f) => `chrome-extension://test${f}`,
    importer: async (u) => {
      imports.push(u);
      if (opts.fail?.()) throw new Error('blocked');
      g[LAZY_KEYS.core] = core.api;
    },
  });
  const { win, go, post } = fakeWindow(href);
  const listeners = new Set<Listener>();
  const errors: string[] = [];
  const env: BootEnv = {
    win,
    url: (f) => `chrome-extension://test${f}`,
    runtime: { id: 'ext', onMessage: { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) } },
    onError: (e, where) => errors.push(`${where}: ${String((e as Error)?.message ?? e)}`),
  };
  const guard = createGuard();
  const boot = startBoot(guard, env);
  const ask = (msg: unknown, sender = { id: 'ext' }) => {
    const answers: unknown[] = [];
    let kept: true | undefined;
    for (const l of listeners) kept = l(msg, sender, (r) => answers.push(r)) ?? kept;
    return { answers, kept };
  };
  return { core, imports, win, go, post, guard, boot, env, errors, listeners, ask };
}

/** A body message as the MAIN world posts it (panel/bridge-message.ts); `i` marks which one. */
const orders = (i: number, text = `{"result":{"postings":[],"i":${i}}}`) => ({ ns: 'ozon-order-guard', v: 2, kind: 'body', path: '/api/x', text });
const keys = (i: number) => ({ ns: 'ozon-order-guard', v: 2, kind: 'body', path: `/api/k${i}`, text: `{"k":${i}}` });

describe('the content script bootstrap (components/overlay/boot.ts)', () => {
  beforeEach(() => configureLazy(null));
  afterEach(() => {
    configureLazy(null);
    delete (globalThis as Record<symbol, unknown>)[LAZY_KEYS.core];
  });

  it('another panel page: no core; the first SPA navigation to a postings page loads and starts it, once', async () => {
    const s = setup(PRODUCTS);
    await flush();
    expect(s.imports).toEqual([]);
    s.go(`${ORIGIN}/app/finance`);
    s.go(`${ORIGIN}/app/postings/fbs/settings`); // a sub-page is not an orders list (panel/page.ts)
    await flush();
    expect(s.imports).toEqual([]);
    expect(s.boot.core).toBeNull();

    s.go(POSTINGS);
    s.go(`${POSTINGS}&x=1`); // while loading: the same load
    await flush();
    expect(s.imports).toEqual([`chrome-extension://test${LAZY_FILES.core}`]);
    expect(s.core.runs).toHaveLength(1);
    expect(s.core.runs[0]!.guard).toBe(s.guard);
    expect(s.core.runs[0]!.env.url('/overlay-ui.js')).toBe('chrome-extension://test/overlay-ui.js');
    // From now on the core follows every navigation itself (it reads location.href when it starts).
    s.go(`${ORIGIN}/app/products`);
    expect(s.core.runs[0]!.navigations).toEqual([`${ORIGIN}/app/products`]);
    expect(s.imports).toHaveLength(1);
    expect(s.errors).toEqual([]);
  });

  it('a postings page: the core is loaded at once', async () => {
    const s = setup(POSTINGS);
    await flush();
    expect(s.imports).toHaveLength(1);
    expect(s.core.runs).toHaveLength(1);
  });

  it('messages from the MAIN world before the core runs are handed to it first, in order; later ones go straight to it', async () => {
    const s = setup(PRODUCTS);
    s.post(orders(1));
    s.post(keys(1));
    s.post({ ns: 'someone-else', kind: 'orders' }); // not ours: not kept
    s.post('text');
    s.post(orders(2), 'https://evil.example'); // another origin: not kept
    s.post(orders(3));
    expect(s.boot.early.size).toBe(3);
    s.go(POSTINGS);
    await flush();
    const run = s.core.runs[0]!;
    expect(run.messages).toEqual([orders(1), keys(1), orders(3)]);
    expect(s.boot.early.size).toBe(0);
    s.post(orders(4));
    expect(run.messages.at(-1)).toEqual(orders(4));
    expect(run.messages).toHaveLength(4);
  });

  it('a body handed over as a DOM string (panel/bridge-message.ts) is taken, kept or handed to the core like a posted one', async () => {
    const s = setup(PRODUCTS);
    const hand = (path: string, text: string) => {
      const f = document.createDocumentFragment();
      f.append(document.createTextNode(path), document.createTextNode(text));
      return s.win.dispatchEvent(new MouseEvent(BRIDGE_EVENT, { relatedTarget: f, cancelable: true }));
    };
    const body = { ns: 'ozon-order-guard', v: 2, kind: 'body', path: '/api/list', text: '{"result":{"postings":[]}}' };
    // Taken: the event is cancelled, which tells the MAIN side not to post it as well.
    expect(hand(body.path, body.text)).toBe(false);
    expect(s.boot.early.size).toBe(1);
    // Not ours (no text node, no path): left alone, not cancelled.
    expect(s.win.dispatchEvent(new MouseEvent(BRIDGE_EVENT, { relatedTarget: document.createElement('div'), cancelable: true }))).toBe(true);
    expect(s.win.dispatchEvent(new MouseEvent(BRIDGE_EVENT, { relatedTarget: document.createTextNode('/api/list'), cancelable: true }))).toBe(true);
    await flush();
    expect(s.boot.early.size).toBe(1);
    s.go(POSTINGS);
    await flush();
    const run = s.core.runs[0]!;
    expect(run.messages).toEqual([body]);
    expect(hand('/api/next', '{}')).toBe(false);
    expect(run.messages.at(-1)).toEqual({ ...body, path: '/api/next', text: '{}' });
  });

  it('"a body is coming" reaches the core at once (no task in between); before the core runs there is nothing to tell', async () => {
    const s = setup(PRODUCTS);
    s.win.dispatchEvent(new Event(BRIDGE_EXPECT_EVENT));
    s.go(POSTINGS);
    await flush();
    const run = s.core.runs[0]!;
    expect(run.expected).toBe(0);
    s.win.dispatchEvent(new Event(BRIDGE_EXPECT_EVENT));
    expect(run.expected).toBe(1);
  });

  it('what is kept is bounded: the last EARLY_LIMITS.bodies bodies, and never more text in all than one body may hold', async () => {
    const s = setup(PRODUCTS);
    for (let i = 0; i < 50; i++) {
      s.post(orders(i));
      s.post(keys(i));
    }
    expect(s.boot.early.size).toBe(EARLY_LIMITS.bodies);
    s.post({ ns: 'ozon-order-guard', v: 2, kind: 'body', path: '/api/x', text: 42 }); // not text: not kept
    expect(s.boot.early.size).toBe(EARLY_LIMITS.bodies);
    // A body near the cap pushes out everything older; the next one pushes it out in turn.
    s.post(orders(99, 'x'.repeat(EARLY_LIMITS.chars - 1)));
    expect(s.boot.early.size).toBe(1);
    s.post(orders(100, 'y'.repeat(20)));
    expect(s.boot.early.size).toBe(1);
    s.go(POSTINGS);
    await flush();
    expect(s.core.runs[0]!.messages).toEqual([orders(100, 'y'.repeat(20))]);
  });

  it('the last bodies are kept, oldest first', async () => {
    const s = setup(PRODUCTS);
    for (let i = 0; i < 20; i++) s.post(orders(i));
    s.go(POSTINGS);
    await flush();
    expect(s.core.runs[0]!.messages).toEqual(Array.from({ length: EARLY_LIMITS.bodies }, (_, k) => orders(20 - EARLY_LIMITS.bodies + k)));
  });

  it('a failed load never throws, is said once, and is tried again on the next navigation to a postings page only', async () => {
    let fail = true;
    const s = setup(POSTINGS, { fail: () => fail });
    await flush();
    expect(s.imports).toHaveLength(1);
    expect(s.core.runs).toHaveLength(0);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/^core: .*overlay-core\.js/);
    s.post(orders(1)); // still kept for a later core
    s.go(`${ORIGIN}/app/products`);
    await flush();
    expect(s.imports).toHaveLength(1);
    s.go(POSTINGS); // fails again: no throw
    await flush();
    expect(s.imports).toHaveLength(2);
    fail = false;
    s.go(`${POSTINGS}&tab=all`);
    await flush();
    expect(s.imports).toHaveLength(3);
    expect(s.core.runs).toHaveLength(1);
    expect(s.core.runs[0]!.messages).toEqual([orders(1)]);
  });

  it('report requests: status answered before the core runs; a build loads the core and is its; then the core answers everything', async () => {
    const s = setup(PRODUCTS);
    const status = s.ask({ type: 'report:status' });
    expect(status.answers).toEqual([{ panel: true, postings: false, layoutChanged: false, rows: 0 }]);
    expect(status.kept).toBeUndefined();
    // Not ours, or not from this extension: no answer.
    expect(s.ask({ type: 'something' }).answers).toEqual([]);
    expect(s.ask({ type: 'report:status' }, { id: 'other' }).answers).toEqual([]);

    const build = s.ask({ type: 'report:build' });
    expect(build.kept).toBe(true); // answered later: the channel stays open
    await flush();
    expect(build.answers).toEqual([{ from: 'core', type: 'report:build' }]);
    expect(s.core.runs).toHaveLength(1);
    expect(s.ask({ type: 'report:status' }).answers).toEqual([{ from: 'core', type: 'report:status' }]);

    s.guard.dispose();
    expect(s.listeners.size).toBe(0);
  });

  it('"settings changed" from the background reaches a running core; before the core runs, or from another sender, nothing happens', async () => {
    const s = setup(PRODUCTS);
    // No core yet: answered, nothing loaded (the core reads the settings when it starts).
    expect(s.ask({ type: 'config:changed' }).answers).toEqual([true]);
    await flush();
    expect(s.imports).toEqual([]);
    s.go(POSTINGS);
    await flush();
    expect(s.core.runs).toHaveLength(1);
    expect(s.ask({ type: 'config:changed' }).answers).toEqual([true]);
    expect(s.core.runs[0]!.configChanged).toBe(1);
    expect(s.ask({ type: 'config:changed' }, { id: 'other' }).answers).toEqual([]);
    expect(s.core.runs[0]!.configChanged).toBe(1);
    s.guard.dispose();
    expect(s.listeners.size).toBe(0);
  });

  it('a report build when the core cannot be loaded answers with an error', async () => {
    const s = setup(PRODUCTS, { fail: () => true });
    const build = s.ask({ type: 'report:build' });
    await flush();
    expect(build.answers).toEqual([{ error: 'the page report could not be loaded' }]);
  });

  it('a run disposed while the core loads starts nothing; a restart after the core ran starts it at once, on any page', async () => {
    const s = setup(POSTINGS);
    s.guard.dispose();
    await flush();
    expect(s.core.runs).toHaveLength(0);
    s.post(orders(1));
    expect(s.boot.early.size).toBe(0); // the listener went with the guard

    // The chunk is in (loaded above): a new run (an invalidation restart) on a products page starts the core at once.
    const guard = createGuard();
    const again = startBoot(guard, { ...s.env, win: fakeWindow(PRODUCTS).win });
    await flush();
    expect(again.core).not.toBeNull();
    expect(s.core.runs).toHaveLength(1);
    expect(s.core.runs[0]!.guard).toBe(guard);
    expect(s.imports).toHaveLength(1);
  });

  it('a core that throws while starting: said once, never retried under the same run', async () => {
    const s = setup(PRODUCTS);
    const g = globalThis as Record<symbol, unknown>;
    let calls = 0;
    configureLazy({
      url: (f) => f,
      importer: async () => {
        g[LAZY_KEYS.core] = {
          startCore: () => {
            calls++;
            throw new Error('broken');
          },
        };
      },
    });
    s.go(POSTINGS);
    await flush();
    s.go(`${POSTINGS}&x=2`);
    await flush();
    expect(calls).toBe(1);
    expect(s.errors).toEqual(['start: broken']);
    expect(s.boot.core).toBeNull();
  });
});
