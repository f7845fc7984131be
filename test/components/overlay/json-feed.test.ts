/**
 * The isolated side of the JSON bridge (components/overlay/json-feed.ts): a
 * body's text from this window → checked → skipped when nothing is new →
 * parsed once → walked in short slices on the overlay's timers → each order
 * re-checked with the order schema → delivered. Bounded; destroy() stops it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FEED_QUEUE_MAX, FEED_REMEMBER_PATHS, FEED_SLICE_MS, JsonFeed, KICK_MAX_CHARS, type FeedSink } from '../../../components/overlay/json-feed';
import { BRIDGE_TEXT_MAX, validateOrder } from '../../../panel/bridge';
import type { Order } from '../../../rules';
import { readRealApi } from '../../real/samples';
import { LIST_PATH, bodyMessage, messageEvent, postingsBody } from '../../helpers/bridge';

const pn = (i: number) => `${30_000_000 + i}-0001-1`;
const list = (n: number, from = 0, status = 'awaiting_packaging') =>
  postingsBody(Array.from({ length: n }, (_, i) => ({ postingNumber: pn(from + i), status, shipBy: '2026-05-13T10:00:00Z' })));

/** Manual timers: `run()` fires what is due, one at a time, like the event loop. */
function manualTimers() {
  const due: { id: number; fn: () => void }[] = [];
  let next = 1;
  const env = {
    setTimeout: vi.fn((fn: () => void, _ms: number) => {
      const id = next++;
      due.push({ id, fn });
      return id;
    }),
    clearTimeout: vi.fn((id: unknown) => {
      const i = due.findIndex((t) => t.id === id);
      if (i >= 0) due.splice(i, 1);
    }),
  };
  return {
    env,
    get size() {
      return due.length;
    },
    run(max = 10_000) {
      let n = 0;
      while (due.length && n++ < max) due.shift()!.fn();
      return n;
    },
  };
}

/** A sink that is a tiny JSON cache: deliver merges nothing, just keeps the last order per posting. */
function cacheSink(ctx: { scheme: 'FBS' | 'FBO' | 'rFBS'; storeId?: string } = { scheme: 'FBS', storeId: '42' }) {
  const held = new Map<string, Order>();
  const delivered: Order[][] = [];
  const sink: FeedSink & { held: (p: string) => Order | undefined } = {
    context: () => ctx,
    deliver: (orders) => {
      delivered.push(orders);
      for (const o of orders) held.set(o.postingNumber, o);
    },
    held: (p) => held.get(p),
  };
  return { sink, held, delivered, ctx, count: () => delivered.reduce((n, d) => n + d.length, 0) };
}

afterEach(() => vi.restoreAllMocks());

describe('JsonFeed: what it accepts', () => {
  it('a body from this window is parsed and walked; its orders carry the scheme and store of the context', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    feed.accept(messageEvent(bodyMessage(list(2))), window);
    t.run();
    expect(s.delivered.flat()).toEqual([
      { postingNumber: pn(0), scheme: 'FBS', status: 'awaiting_packaging', storeId: '42', shipBy: '2026-05-13T10:00:00.000Z' },
      { postingNumber: pn(1), scheme: 'FBS', status: 'awaiting_packaging', storeId: '42', shipBy: '2026-05-13T10:00:00.000Z' },
    ]);
  });

  it('a real v4 list body (the interceptor posts it as text, XHR or fetch alike)', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    feed.accept(messageEvent(bodyMessage(readRealApi('v4_posting_fbs_list__ozon_swagger_2026.json'))), window);
    t.run();
    expect(s.delivered.flat()[0]).toMatchObject({ postingNumber: '0208245774-0029-1', shipBy: '2026-05-18T12:00:00.000Z' });
  });

  it('refuses forged messages from frames and other origins, non-string or oversize text, before reading it', () => {
    const t = manualTimers();
    const s = cacheSink();
    const parse = vi.spyOn(JSON, 'parse');
    const feed = new JsonFeed(t.env, s.sink);
    const m = bodyMessage(list(1));
    feed.accept(messageEvent(m, {}), window); // another frame
    feed.accept(messageEvent(m, window, 'https://evil.example'), window);
    feed.accept(messageEvent({ ...m, text: list(1) }), window); // an object, not text
    feed.accept(messageEvent({ ...m, text: [m.text] }), window);
    feed.accept(messageEvent({ ...m, text: `${m.text}${' '.repeat(BRIDGE_TEXT_MAX)}` }), window);
    feed.accept(messageEvent({ ...m, v: 1 }), window);
    feed.accept(messageEvent({ ...m, path: '/app/postings/fbs' }), window);
    feed.accept(messageEvent({ ns: m.ns, v: 1, kind: 'orders', source: LIST_PATH, orders: [{ postingNumber: pn(0), scheme: 'FBS', status: 'delivered' }] }), window);
    t.run();
    expect(parse).not.toHaveBeenCalled();
    expect(s.delivered).toEqual([]);
  });

  it('malformed JSON and bare values are ignored without a throw; the same malformed body again is not parsed again', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const parse = vi.spyOn(JSON, 'parse');
    for (const text of ['{"result":{"postings":[{"posting_number":"30000000-0001-1"', '{"a":NaN}', '"30000000-0001-1"', 'null', '1e400', '[[[[]]]'])
      expect(() => feed.accept(messageEvent(bodyMessage(text)), window)).not.toThrow();
    t.run();
    const calls = parse.mock.calls.length;
    // The last body of the path is remembered: its repeat costs no parse.
    feed.accept(messageEvent(bodyMessage('[[[[]]]')), window);
    t.run();
    expect(parse.mock.calls.length).toBe(calls);
    expect(feed.skipped).toBe(1);
    expect(s.delivered).toEqual([]);
  });

  it('every walked order is re-checked with the order schema: only its fixed points are delivered', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const body = {
      result: {
        postings: [
          { posting_number: `${pn(0)}<img src=x>`, status: 'awaiting_packaging' },
          { posting_number: pn(1), status: '<b>x</b>', tracking_number: '<img src=x>', products: Array.from({ length: 300 }, () => ({ sku: 1, quantity: 1 })) },
          { posting_number: pn(2), status: 'delivered', __proto__: { isAdmin: true } },
        ],
      },
    };
    feed.accept(messageEvent(bodyMessage(JSON.stringify(body).replace('"__proto__"', '"__proto__"'))), window);
    t.run();
    const got = s.delivered.flat();
    expect(got.map((o) => o.postingNumber)).toEqual([pn(1), pn(2)]);
    for (const o of got) {
      expect(validateOrder(o)).toEqual(o);
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect((o as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
      expect((o.items ?? []).length).toBeLessThanOrEqual(200);
    }
  });
});

describe('JsonFeed: a body that holds nothing new is skipped', () => {
  it('an identical body for the same path is skipped unparsed while its orders are held; used again once one was trimmed or replaced', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const parse = vi.spyOn(JSON, 'parse');
    const m = bodyMessage(list(3));
    feed.accept(messageEvent(m), window);
    t.run();
    expect(s.count()).toBe(3);
    expect(parse).toHaveBeenCalledTimes(1);
    // The panel polls: the same text, a fresh event.
    for (let i = 0; i < 5; i++) feed.accept(messageEvent({ ...m }), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(1);
    expect(s.count()).toBe(3);
    expect(feed.skipped).toBe(5);
    // The cache trimmed one of its orders: the repeat is used again.
    s.held.delete(pn(1));
    feed.accept(messageEvent({ ...m }), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(2);
    expect(s.count()).toBe(6);
    expect(s.held.has(pn(1))).toBe(true);
    // Skipped again now all are held; then another body replaced one: used again.
    feed.accept(messageEvent({ ...m }), window);
    expect(parse).toHaveBeenCalledTimes(2);
    s.held.set(pn(2), { ...s.held.get(pn(2))!, status: 'delivered' });
    feed.accept(messageEvent({ ...m }), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(3);
    expect(s.held.get(pn(2))!.status).toBe('awaiting_packaging');
  });

  it('not skipped: another text, another path, another store or scheme; an identical body is skipped while the first is still being walked', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const parse = vi.spyOn(JSON, 'parse');
    const m = bodyMessage(list(2));
    feed.accept(messageEvent(m), window);
    feed.accept(messageEvent({ ...m }), window); // queued or done already: either way not parsed again
    t.run();
    expect(parse).toHaveBeenCalledTimes(1);
    feed.accept(messageEvent(bodyMessage(list(2, 0, 'delivered'))), window);
    feed.accept(messageEvent(bodyMessage(list(2), '/api/other')), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(3);
    s.ctx.storeId = '43';
    feed.accept(messageEvent({ ...m }), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(4);
    expect(s.delivered.at(-1)![0]!.storeId).toBe('43');
  });

  it('an empty answer (no postings) polled again is skipped too', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const parse = vi.spyOn(JSON, 'parse');
    const m = bodyMessage({ counters: { awaiting_packaging: 0 } }, '/api/counters');
    for (let i = 0; i < 10; i++) feed.accept(messageEvent({ ...m }), window);
    t.run();
    expect(parse).toHaveBeenCalledTimes(1);
    expect(feed.skipped).toBe(9);
  });

  it('remembers a few paths and a bounded amount of text: nothing grows with time', () => {
    const t = manualTimers();
    const s = cacheSink();
    const feed = new JsonFeed(t.env, s.sink);
    const parse = vi.spyOn(JSON, 'parse');
    for (let i = 0; i < 50; i++) {
      feed.accept(messageEvent(bodyMessage({ i }, `/api/p${i}`)), window);
      t.run();
    }
    const seen = (feed as unknown as { seen: Map<string, unknown> }).seen;
    expect(seen.size).toBe(FEED_REMEMBER_PATHS);
    // The latest paths are remembered (skipped), the oldest are not (parsed again).
    const n = parse.mock.calls.length;
    feed.accept(messageEvent(bodyMessage({ i: 49 }, '/api/p49')), window);
    feed.accept(messageEvent(bodyMessage({ i: 0 }, '/api/p0')), window);
    t.run();
    expect(parse.mock.calls.length).toBe(n + 1);
    // Two bodies near the cap do not both stay.
    const big = (c: string) => JSON.stringify({ pad: c.repeat(BRIDGE_TEXT_MAX - 20) });
    feed.accept(messageEvent(bodyMessage(big('a'), '/api/big1')), window);
    feed.accept(messageEvent(bodyMessage(big('b'), '/api/big2')), window);
    t.run();
    const chars = [...seen.values()].reduce<number>((a, v) => a + (v as { text: string }).text.length, 0);
    expect(chars).toBeLessThanOrEqual(BRIDGE_TEXT_MAX);
    expect((feed as unknown as { seenChars: number }).seenChars).toBe(chars);
  });

  it('at most FEED_QUEUE_MAX bodies wait; more are refused, not queued; a body identical to one waiting is skipped', () => {
    const t = manualTimers();
    const s = cacheSink();
    const parse = vi.spyOn(JSON, 'parse');
    const feed = new JsonFeed(t.env, s.sink, {
      clock: (() => {
        let x = 0;
        return () => (x += 100); // every slice is over at its first question: bodies queue up
      })(),
    });
    const bodies = Array.from({ length: FEED_QUEUE_MAX + 10 }, (_, i) => bodyMessage(list(300, i * 1000), `/api/q${i}`));
    for (const m of bodies) feed.accept(messageEvent(m), window);
    expect(feed.refused).toBe(10);
    // The first is being walked, the second waits: their repeats are skipped, not queued or refused.
    feed.accept(messageEvent({ ...bodies[0]! }), window);
    feed.accept(messageEvent({ ...bodies[1]! }), window);
    expect(feed.skipped).toBe(2);
    expect(feed.refused).toBe(10);
    t.run();
    expect(s.count()).toBe(FEED_QUEUE_MAX * 300);
    expect(parse).toHaveBeenCalledTimes(FEED_QUEUE_MAX);
  });
});

describe('JsonFeed: slices and destroy', () => {
  it('walks a 10,000-posting body in slices of at most FEED_SLICE_MS, on the env timers, each order once', () => {
    const t = manualTimers();
    const s = cacheSink();
    let now = 0;
    let sliceStart = 0;
    let longest = 0;
    const clock = () => {
      now += 1; // each question costs 1 ms of fake time: the walk must ask and stop
      return now;
    };
    const feed = new JsonFeed(t.env, { ...s.sink, deliver: (o) => (s.sink.deliver(o), (longest = Math.max(longest, now - sliceStart))) }, {
      clock: () => {
        const v = clock();
        return v;
      },
    });
    const origSlice = (feed as unknown as { slice: () => void }).slice.bind(feed);
    (feed as unknown as { slice: () => void }).slice = () => {
      sliceStart = now;
      origSlice();
    };
    feed.accept(messageEvent(bodyMessage(list(10_000))), window);
    const slices = 1 + t.run();
    expect(slices).toBeGreaterThan(3);
    // The walk asks every 256 nodes and stops past the budget; the slice's own checks add a question or two.
    expect(longest).toBeLessThanOrEqual(FEED_SLICE_MS + 3);
    expect(s.count()).toBe(10_000);
    expect(new Set(s.delivered.flat().map((o) => o.postingNumber)).size).toBe(10_000);
    expect(t.env.setTimeout.mock.calls.every((c) => c[1] === 0)).toBe(true);
  });

  it('a parse that spends the slice ends its task: the walk and its deliveries start in the next one', () => {
    const t = manualTimers();
    const s = cacheSink();
    let now = 0;
    // The clock jumps by 30 ms across the parse (the second question of the first slice), then stands still.
    let asked = 0;
    const feed = new JsonFeed(t.env, s.sink, { clock: () => (++asked === 2 ? (now += 30) : now) });
    feed.accept(messageEvent(bodyMessage(list(500))), window);
    t.run(1); // the first slice: the parse, nothing walked or delivered
    expect(s.count()).toBe(0);
    expect(feed.pending).toBe(true);
    t.run();
    expect(s.count()).toBe(500);
    expect(feed.pending).toBe(false);
  });

  it('destroy() stops the slice timer: nothing more is delivered, nothing more accepted', () => {
    const t = manualTimers();
    const s = cacheSink();
    let x = 0;
    const feed = new JsonFeed(t.env, s.sink, { clock: () => (x += 1) });
    feed.accept(messageEvent(bodyMessage(list(3000))), window);
    expect(feed.pending).toBe(true);
    const before = s.count();
    expect(before).toBeLessThan(3000);
    feed.destroy();
    expect(feed.pending).toBe(false);
    expect(t.env.clearTimeout).toHaveBeenCalled();
    expect(t.size).toBe(0);
    feed.accept(messageEvent(bodyMessage(list(5, 9000))), window);
    t.run();
    expect(s.count()).toBe(before);
  });

  it('a throwing sink drops that body only; the next body is still walked', () => {
    const t = manualTimers();
    const s = cacheSink();
    let fail = true;
    const feed = new JsonFeed(t.env, {
      ...s.sink,
      deliver: (o) => {
        if (fail) {
          fail = false;
          throw new Error('sink broke');
        }
        s.sink.deliver(o);
      },
    });
    expect(() => feed.accept(messageEvent(bodyMessage(list(2))), window)).not.toThrow();
    feed.accept(messageEvent(bodyMessage(list(2, 100), '/api/next')), window);
    t.run();
    expect(s.delivered.flat().map((o) => o.postingNumber)).toEqual([pn(100), pn(101)]);
    // The failed body was not remembered as done: its repeat is walked.
    feed.accept(messageEvent(bodyMessage(list(2))), window);
    t.run();
    expect(s.count()).toBe(4);
  });
});

describe('JsonFeed: a body in progress (rows wait for it: json-cache.ts JSON_WAIT_MS)', () => {
  it('every queued body is began once and ended once, after its last orders; skipped and refused bodies neither', () => {
    const t = manualTimers();
    const s = cacheSink();
    const log: string[] = [];
    s.sink.began = () => log.push('began');
    s.sink.ended = () => log.push(`ended after ${s.count()}`);
    const feed = new JsonFeed(t.env, s.sink);
    feed.accept(messageEvent(bodyMessage(list(3))), window);
    t.run();
    expect(log).toEqual(['began', 'ended after 3']);
    // The same body again: skipped, no wait.
    feed.accept(messageEvent(bodyMessage(list(3))), window);
    t.run();
    expect(log).toHaveLength(2);
    // Malformed JSON: began, and ended though nothing came of it.
    feed.accept(messageEvent(bodyMessage('{"result": [')), window);
    t.run();
    expect(log.slice(2)).toEqual(['began', 'ended after 3']);
    feed.destroy();
  });
});

describe('kick: a small body waiting for its first slice is taken in now (rows are about to be read)', () => {
  it('runs the first slice at once for a page of a few dozen postings; leaves a big body, a body already begun and an empty queue to their own tasks', () => {
    const timers = manualTimers();
    const { sink, held, count } = cacheSink();
    // A clock that stands still: one slice walks a page whole however loaded the machine (the slices end by the clock).
    const feed = new JsonFeed(timers.env, sink, { clock: () => 0 });
    feed.kick(); // nothing queued: nothing happens
    expect(count()).toBe(0);
    feed.accept(messageEvent(bodyMessage(list(50))), window);
    expect(timers.size).toBe(1);
    feed.kick();
    expect(held.size).toBe(50);
    expect(timers.size).toBe(0); // its timer went with it
    expect(feed.pending).toBe(false);

    // A body over KICK_MAX_CHARS: its parse keeps a task of its own.
    const big = list(6_000, 100);
    expect(JSON.stringify(big).length).toBeGreaterThan(KICK_MAX_CHARS);
    feed.accept(messageEvent(bodyMessage(big)), window);
    feed.kick();
    expect(held.size).toBe(50);
    timers.run();
    expect(held.size).toBe(6_050);

    // A body whose walk has begun is the slices' own: kick does not run another one in this task.
    const t2 = manualTimers();
    const c2 = cacheSink();
    const clock = { t: 0 };
    const f2 = new JsonFeed(t2.env, c2.sink, { clock: () => (clock.t += FEED_SLICE_MS) });
    f2.accept(messageEvent(bodyMessage(list(300))), window);
    t2.run(1);
    const after = c2.held.size;
    expect(after).toBeLessThan(300);
    f2.kick();
    expect(c2.held.size).toBe(after);
    t2.run();
    expect(c2.held.size).toBe(300);
  });
});
