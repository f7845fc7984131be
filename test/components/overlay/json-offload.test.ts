/**
 * components/overlay/json-offload.ts and the order feed with it (json-feed.ts): big bodies are
 * walked by a worker, and a worker that cannot start, errs or goes silent never costs a body: it
 * is walked on the page's thread from its start, with the same orders delivered. The worker here
 * is a fake that runs the real worker program (panel/json-offload.ts walkRequest) on a timer, as
 * a worker answers in tasks of its own; the real one runs in the browser tests (test/e2e).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonOffload, OFFLOAD_IDLE_MS, OFFLOAD_MIN_CHARS, OFFLOAD_SILENCE_MS, PENDING_MAX_MS, type OffloadHandlers } from '../../../components/overlay/json-offload';
import { JsonFeed, type FeedSink } from '../../../components/overlay/json-feed';
import { walkRequest } from '../../../panel/json-offload';
import { ordersFromJson } from '../../../panel/json';
import { bodyClaimed } from '../../../panel/bridge';
import { jsonKeys } from '../../../panel/report-json';
import type { Order } from '../../../rules';
import { LIST_PATH, bodyMessage, messageEvent, postingsBody } from '../../helpers/bridge';

const pn = (i: number) => `${50_000_000 + i}-0001-1`;
/** A list body of `n` postings (≈ 110 characters each: 600 make a body the worker takes). */
const list = (n: number, status = 'awaiting_packaging') =>
  postingsBody(Array.from({ length: n }, (_, i) => ({ postingNumber: pn(i), status, shipBy: '2026-05-13T10:00:00Z' })));

type Mode = 'ok' | 'error-at-once' | 'silent' | 'error-after-first';

/** A Worker that runs the real program on a timer (a task of its own per answer). */
class FakeWorker {
  static made: FakeWorker[] = [];
  static mode: Mode = 'ok';
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: { preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  requests: unknown[] = [];
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(req: unknown): void {
    this.requests.push(req);
    const mode = FakeWorker.mode;
    if (mode === 'silent') return;
    if (mode === 'error-at-once') {
      setTimeout(() => this.onerror?.({ preventDefault() {} }), 0);
      return;
    }
    const answers: unknown[] = [];
    let t = 0;
    walkRequest(structuredClone(req), (r) => answers.push(structuredClone(r)), () => (t += 0.5));
    answers.forEach((a, i) =>
      setTimeout(() => {
        if (this.terminated) return;
        if (mode === 'error-after-first' && i === 1) return this.onerror?.({ preventDefault() {} });
        if (mode === 'error-after-first' && i > 1) return;
        this.onmessage?.(new MessageEvent('message', { data: a }));
      }, 1 + i),
    );
  }
  terminate(): void {
    this.terminated = true;
  }
}

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (id: unknown) => clearTimeout(id as number) };

function offload(blocked = vi.fn()) {
  return { blocked, off: new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker, blocked }) };
}

function handlers() {
  const got = { orders: [] as Order[], keys: [] as unknown[], done: 0, failed: 0 };
  const h: OffloadHandlers = {
    orders: (l) => got.orders.push(...l),
    keys: (k) => got.keys.push(k),
    done: () => got.done++,
    failed: () => got.failed++,
  };
  return { got, h };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWorker.made = [];
  FakeWorker.mode = 'ok';
});
afterEach(() => {
  vi.useRealTimers();
});

describe('JsonOffload', () => {
  it('takes bodies of OFFLOAD_MIN_CHARS and more; walks one, answers with the page\'s own orders, then is idle and ends its worker', async () => {
    const { off } = offload();
    expect(off.takes(OFFLOAD_MIN_CHARS - 1)).toBe(false);
    expect(off.takes(OFFLOAD_MIN_CHARS)).toBe(true);
    const body = list(700);
    const { got, h } = handlers();
    expect(off.walk(JSON.stringify(body), { scheme: 'FBS', storeId: '42' }, true, h)).toBe(true);
    // One body at a time.
    expect(off.walk('{}', { scheme: 'FBS' }, false, handlers().h)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(got.done).toBe(1);
    expect(got.failed).toBe(0);
    expect(got.orders).toEqual(ordersFromJson(body, { scheme: 'FBS', storeId: '42' }));
    expect(got.keys).toEqual([jsonKeys(body)]);
    expect(off.running).toBe(true);
    await vi.advanceTimersByTimeAsync(OFFLOAD_IDLE_MS);
    expect(off.running).toBe(false);
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    // The next body makes a worker again.
    const again = handlers();
    expect(off.walk(JSON.stringify(body), { scheme: 'FBS' }, false, again.h)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWorker.made).toHaveLength(2);
    expect(again.got.orders).toHaveLength(700);
    off.destroy();
  });

  it('warm() starts the worker ahead of the first body, and it ends like any idle one', async () => {
    const { off } = offload();
    off.warm();
    expect(off.running).toBe(true);
    await vi.advanceTimersByTimeAsync(OFFLOAD_IDLE_MS + 1);
    expect(off.running).toBe(false);
    off.destroy();
  });

  it('the first body the worker takes on a page is told as used, once (storage/offload.ts: started ahead next time); a body walked on the page, or none, tells nothing', async () => {
    const used = vi.fn();
    const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker, used });
    off.warm();
    expect(used).not.toHaveBeenCalled();
    const a = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, a.h)).toBe(true);
    expect(used).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    const b = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, b.h)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(b.got.orders).toHaveLength(700);
    expect(used).toHaveBeenCalledTimes(1);
    off.destroy();
    const refused = vi.fn();
    const never = new JsonOffload({ ...timers, make: () => { throw new DOMException('refused', 'SecurityError'); }, used: refused });
    expect(never.walk('{}', { scheme: 'FBS' }, false, handlers().h)).toBe(false);
    expect(refused).not.toHaveBeenCalled();
  });

  it('a worker the page refuses (make throws): not started, told as blocked, never tried again on this page', () => {
    const blocked = vi.fn();
    const off = new JsonOffload({ ...timers, make: () => { throw new DOMException('refused', 'SecurityError'); }, blocked });
    expect(off.walk('{}', { scheme: 'FBS' }, false, handlers().h)).toBe(false);
    expect(blocked).toHaveBeenCalledTimes(1);
    expect(off.takes(OFFLOAD_MIN_CHARS)).toBe(false);
    off.warm();
    expect(off.running).toBe(false);
  });

  it('an error before any answer: the body goes back (failed), the origin is told as blocked; after an answer, failed but not blocked', async () => {
    FakeWorker.mode = 'error-at-once';
    const a = offload();
    const one = handlers();
    expect(a.off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, one.h)).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(one.got.failed).toBe(1);
    expect(a.blocked).toHaveBeenCalledTimes(1);
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(a.off.takes(OFFLOAD_MIN_CHARS)).toBe(false);

    FakeWorker.mode = 'error-after-first';
    const b = offload();
    const two = handlers();
    b.off.walk(JSON.stringify(list(3_000)), { scheme: 'FBS' }, false, two.h);
    await vi.advanceTimersByTimeAsync(100);
    expect(two.got.failed).toBe(1);
    expect(two.got.orders.length).toBeGreaterThan(0);
    expect(b.blocked).not.toHaveBeenCalled();
  });

  it('a silent worker is given up on after OFFLOAD_SILENCE_MS: the body goes back', async () => {
    FakeWorker.mode = 'silent';
    const { off } = offload();
    const { got, h } = handlers();
    off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h);
    await vi.advanceTimersByTimeAsync(OFFLOAD_SILENCE_MS - 1);
    expect(got.failed).toBe(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(got.failed).toBe(1);
    expect(FakeWorker.made[0]!.terminated).toBe(true);
  });

  it('destroy() ends the worker and its timers; a late answer is ignored', async () => {
    const { off } = offload();
    const { got, h } = handlers();
    off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h);
    off.destroy();
    await vi.advanceTimersByTimeAsync(OFFLOAD_SILENCE_MS * 2);
    expect(got).toEqual({ orders: [], keys: [], done: 0, failed: 0 });
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('constructed before the origin\'s answer: a body handed over is held, no worker made, until allow() posts it to a new worker', async () => {
    const used = vi.fn();
    const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker, used }, false);
    off.warm();
    expect(off.running).toBe(false);
    expect(off.takes(OFFLOAD_MIN_CHARS)).toBe(true);
    const { got, h } = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h)).toBe(true);
    // One body at a time, held or not.
    expect(off.walk('{}', { scheme: 'FBS' }, false, handlers().h)).toBe(false);
    await vi.advanceTimersByTimeAsync(PENDING_MAX_MS - 10);
    expect(FakeWorker.made).toHaveLength(0);
    expect(got.orders).toHaveLength(0);
    off.allow();
    expect(FakeWorker.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(got.orders).toHaveLength(700);
    expect({ done: got.done, failed: got.failed }).toEqual({ done: 1, failed: 0 });
    expect(used).toHaveBeenCalledTimes(1);
    off.destroy();
  });

  it('deny() (the origin forbade the worker before): the held body goes back to be walked on the page, and no worker is ever made', async () => {
    const blocked = vi.fn();
    const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker, blocked }, false);
    const { got, h } = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h)).toBe(true);
    off.deny();
    expect(got.failed).toBe(1);
    expect(off.takes(OFFLOAD_MIN_CHARS)).toBe(false);
    off.allow();
    off.warm();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, handlers().h)).toBe(false);
    await vi.advanceTimersByTimeAsync(PENDING_MAX_MS * 2);
    expect(FakeWorker.made).toHaveLength(0);
    expect(blocked).not.toHaveBeenCalled();
    expect(got.failed).toBe(1);
    off.destroy();
  });

  it('no answer within PENDING_MAX_MS: the held body goes back (walked on the page); a later allow() sends later bodies to the worker', async () => {
    const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker }, false);
    const first = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, first.h)).toBe(true);
    await vi.advanceTimersByTimeAsync(PENDING_MAX_MS);
    expect(first.got.failed).toBe(1);
    expect(FakeWorker.made).toHaveLength(0);
    off.allow();
    const next = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, next.h)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(next.got.orders).toHaveLength(700);
    expect(first.got.failed).toBe(1);
    off.destroy();
  });

  it('destroy() while a body is held: nothing is told, no timer is left, and a late answer does nothing', () => {
    const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker }, false);
    const { got, h } = handlers();
    off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h);
    expect(vi.getTimerCount()).toBe(1);
    off.destroy();
    expect(vi.getTimerCount()).toBe(0);
    off.allow();
    expect(FakeWorker.made).toHaveLength(0);
    expect({ failed: got.failed, done: got.done }).toEqual({ failed: 0, done: 0 });
  });

  it('a held body whose worker then cannot start: given back (failed) and the origin told as blocked', () => {
    const blocked = vi.fn();
    const off = new JsonOffload({ ...timers, make: () => { throw new DOMException('refused', 'SecurityError'); }, blocked }, false);
    const { got, h } = handlers();
    expect(off.walk(JSON.stringify(list(700)), { scheme: 'FBS' }, false, h)).toBe(true);
    off.allow();
    expect(got.failed).toBe(1);
    expect(blocked).toHaveBeenCalledTimes(1);
    expect(off.takes(OFFLOAD_MIN_CHARS)).toBe(false);
    off.destroy();
  });
});

function feedWith(off: JsonOffload | null) {
  const held = new Map<string, Order>();
  const delivered: Order[] = [];
  const keys: [string, unknown][] = [];
  const ev = { began: 0, ended: 0 };
  const sink: FeedSink = {
    context: () => ({ scheme: 'FBS', storeId: '42' }),
    deliver: (orders) => {
      delivered.push(...orders);
      for (const o of orders) held.set(o.postingNumber, o);
    },
    held: (p) => held.get(p),
    began: () => ev.began++,
    ended: () => ev.ended++,
    wantsKeys: () => true,
    keys: (path, shape) => keys.push([path, shape]),
  };
  const feed = new JsonFeed(timers, sink, { offload: off });
  return { feed, delivered, keys, ev };
}

describe('JsonFeed with the worker', () => {
  it('a big body goes to the worker: the same orders as walked here, its key structure from there, began/ended once; the key log leaves it', async () => {
    const { off } = offload();
    const body = list(700);
    const f = feedWith(off);
    const e = messageEvent(bodyMessage(body));
    f.feed.accept(e, window);
    expect(bodyClaimed(e)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWorker.made).toHaveLength(1);
    expect(f.delivered).toEqual(ordersFromJson(body, { scheme: 'FBS', storeId: '42' }));
    expect(f.keys).toEqual([[LIST_PATH, jsonKeys(body)]]);
    expect(f.ev).toEqual({ began: 1, ended: 1 });
    // The same body again holds nothing new: skipped, as for a body walked here.
    f.feed.accept(messageEvent(bodyMessage(body)), window);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.feed.skipped).toBe(1);
    expect(FakeWorker.made[0]!.requests).toHaveLength(1);
    f.feed.destroy();
  });

  it('a small body (a «Показать ещё» page) is walked here, and the key log parses it itself', async () => {
    const { off } = offload();
    const f = feedWith(off);
    const e = messageEvent(bodyMessage(list(20)));
    f.feed.accept(e, window);
    expect(bodyClaimed(e)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeWorker.made).toHaveLength(0);
    expect(f.delivered).toHaveLength(20);
    f.feed.destroy();
  });

  it('the worker failing, at once or half-way, costs no order: the body is walked here from its start', async () => {
    for (const mode of ['error-at-once', 'error-after-first', 'silent'] as const) {
      FakeWorker.mode = mode;
      const { off } = offload();
      const body = list(3_000);
      const f = feedWith(off);
      f.feed.accept(messageEvent(bodyMessage(body)), window);
      await vi.advanceTimersByTimeAsync(OFFLOAD_SILENCE_MS + 1_000);
      const postings = new Set(f.delivered.map((o) => o.postingNumber));
      expect(postings.size).toBe(3_000);
      expect(f.keys).toHaveLength(1);
      expect(f.ev).toEqual({ began: 1, ended: 1 });
      // The next big body is not offered to a failed worker.
      f.feed.accept(messageEvent(bodyMessage(list(800, 'awaiting_deliver'))), window);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(FakeWorker.made.every((w) => w.requests.length <= 1)).toBe(true);
      f.feed.destroy();
      FakeWorker.made = [];
    }
  });

  it('a big body before the origin\'s answer: held, then walked by the worker (allowed) or here (forbidden), every order delivered once the same', async () => {
    for (const answer of ['allow', 'deny'] as const) {
      const off = new JsonOffload({ ...timers, make: () => new FakeWorker() as unknown as Worker }, false);
      const body = list(700);
      const f = feedWith(off);
      f.feed.accept(messageEvent(bodyMessage(body)), window);
      await vi.advanceTimersByTimeAsync(50);
      expect(f.delivered).toHaveLength(0);
      off[answer]();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(f.delivered, answer).toEqual(ordersFromJson(body, { scheme: 'FBS', storeId: '42' }));
      expect(f.keys).toEqual([[LIST_PATH, jsonKeys(body)]]);
      expect(f.ev).toEqual({ began: 1, ended: 1 });
      expect(FakeWorker.made, answer).toHaveLength(answer === 'allow' ? 1 : 0);
      f.feed.destroy();
      FakeWorker.made = [];
    }
  });

  it('bodies keep their order: a small body behind a big one waits for it', async () => {
    const { off } = offload();
    const f = feedWith(off);
    f.feed.accept(messageEvent(bodyMessage(list(700))), window);
    f.feed.accept(messageEvent(bodyMessage(postingsBody([{ postingNumber: pn(0), status: 'cancelled' }]), '/api/other')), window);
    await vi.advanceTimersByTimeAsync(1_000);
    const last = f.delivered.filter((o) => o.postingNumber === pn(0)).at(-1)!;
    expect(last.status).toBe('cancelled');
    expect(f.ev).toEqual({ began: 2, ended: 2 });
    f.feed.destroy();
  });

  it('destroy() while the worker walks: nothing more is delivered, the worker ends', async () => {
    const { off } = offload();
    const f = feedWith(off);
    f.feed.accept(messageEvent(bodyMessage(list(3_000))), window);
    await vi.advanceTimersByTimeAsync(2);
    const n = f.delivered.length;
    f.feed.destroy();
    await vi.advanceTimersByTimeAsync(OFFLOAD_SILENCE_MS * 2);
    expect(f.delivered).toHaveLength(n);
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
