import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchObserver, type Batch } from '../../../components/overlay/observer';

const isOwn = (n: Node) => n.nodeType === 1 && (n as Element).tagName === 'OZON-GUARD-BADGE';

describe('createBatchObserver', () => {
  let batches: Batch[];
  beforeEach(() => {
    document.body.innerHTML = '<div id="list"><div class="r">a</div><div class="r">b</div></div><div id="side"></div>';
    batches = [];
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('hands many mutations over as ONE batch after the delay', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 30 });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    for (let i = 0; i < 50; i++) {
      const d = document.createElement('div');
      d.textContent = `row ${i}`;
      list.append(d);
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.added).toHaveLength(50);
    o.disconnect();
  });

  it('records to several targets in one callback, interleaved in and out of the scope, each go where their target is', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 30 });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    const side = document.getElementById('side')!;
    o.setScope(list);
    const inA = document.createElement('div');
    const outB = document.createElement('div');
    const inC = document.createElement('div');
    const ownInList = document.createElement('ozon-guard-badge');
    const inD = document.createElement('div');
    list.append(inA);
    side.append(outB);
    list.append(inC);
    list.append(ownInList);
    list.firstElementChild!.append(inD); // a row of the list: another target inside the scope
    ownInList.append(document.createElement('span')); // inside our own host: never the page's
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(new Set(b.added)).toEqual(new Set([inA, inC, inD]));
    expect(b.outside).toEqual([outB]);
    expect(new Set(b.changed)).toEqual(new Set([list, list.firstElementChild!]));
    o.disconnect();
  });

  it('urgent additions (new rows of a known list) are handed over from the observer callback, with what was pending; others wait', async () => {
    const list = document.getElementById('list')!;
    const side = document.getElementById('side')!;
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10_000, urgent: (el) => el.parentElement === list });
    o.observe(document.body);
    side.append(document.createElement('span'));
    // A microtask lets the MutationObserver callback run; no timer has fired (the delay is 10 s).
    await Promise.resolve();
    await Promise.resolve();
    expect(batches).toHaveLength(0);
    const row = document.createElement('div');
    list.append(row);
    await Promise.resolve();
    await Promise.resolve();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.added).toEqual(expect.arrayContaining([row]));
    expect(batches[0]!.added).toHaveLength(2);
    o.disconnect();
  });

  it('quiet(): our own writes are never recorded; the page\'s changes before it are kept, and after it seen again', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    const side = document.getElementById('side')!;
    const before = document.createElement('div');
    list.append(before); // the page's, still pending when quiet() starts
    const inner = o.quiet(() => {
      // A text a page row would never get from us, so a record of it would be a batch of its own.
      side.append(document.createElement('p'));
      side.textContent = 'ours';
      // Nested: one quiet span, still deaf inside.
      return o.quiet(() => {
        list.firstElementChild!.setAttribute('title', 'ours too');
        return 42;
      });
    });
    expect(inner).toBe(42);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.added).toEqual([before]);
    expect(batches[0]!.changed).toEqual([list]);
    // Listening again once it returns (and when it throws).
    expect(() => o.quiet(() => {
      throw new Error('boom');
    })).toThrow('boom');
    const after = document.createElement('div');
    list.append(after);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(2);
    expect(batches[1]!.added).toEqual([after]);
    o.disconnect();
  });

  it('quiet(): a disconnect from inside stays a disconnect', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    o.quiet(() => o.disconnect());
    document.getElementById('list')!.append(document.createElement('div'));
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(0);
    // Before observe() it is a plain call.
    expect(o.quiet(() => 'ran')).toBe('ran');
  });

  it('never reacts to its own badge hosts being inserted (no feedback loop)', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    const host = document.createElement('ozon-guard-badge');
    document.querySelector('.r')!.append(host);
    host.setAttribute('title', 'x');
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(0);
    o.disconnect();
  });

  it('reports a badge host the page removed, without calling its row changed', async () => {
    const host = document.createElement('ozon-guard-badge');
    const row = document.querySelector('.r')!;
    row.append(host);
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    host.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.ownRemoved).toEqual([host]);
    expect(batches[0]!.changed).toEqual([]);
    o.disconnect();
  });

  it('tells of a page element removed anywhere, in the scope or outside it, once per callback and with nothing collected; never for our own hosts, text or script tags', async () => {
    let told = 0;
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10, removed: () => told++ });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    const side = document.getElementById('side')!;
    o.setScope(list);
    side.append(document.createElement('section'));
    await new Promise((r) => setTimeout(r, 40));
    batches.length = 0;
    // Outside the scope (a filter panel above the list closed): told, and no batch for it.
    side.firstElementChild!.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(told).toBe(1);
    expect(batches).toEqual([]);
    // Two removals in one callback: told once.
    side.append(document.createElement('p'), document.createElement('p'));
    await new Promise((r) => setTimeout(r, 40));
    told = 0;
    side.replaceChildren();
    await new Promise((r) => setTimeout(r, 40));
    expect(told).toBe(1);
    // Our own host, a text node and a script: not told.
    told = 0;
    const host = document.createElement('ozon-guard-badge');
    list.firstElementChild!.append(host, document.createTextNode('t'));
    const script = document.createElement('script');
    side.append(script);
    await new Promise((r) => setTimeout(r, 40));
    host.remove();
    list.firstElementChild!.lastChild!.remove();
    script.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(told).toBe(0);
    // A row of the list removed: told too, and its batch as before.
    batches.length = 0;
    list.firstElementChild!.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(told).toBe(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.removed).toHaveLength(1);
    o.disconnect();
  });

  it('a throwing `removed` is reported to onError, and the batch still comes', async () => {
    const errors: unknown[] = [];
    const o = createBatchObserver({
      isOwn,
      onBatch: (b) => batches.push(b),
      delay: 10,
      onError: (e) => errors.push(e),
      removed: () => {
        throw new Error('boom');
      },
    });
    o.observe(document.body);
    document.querySelector('.r')!.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
    expect(batches).toHaveLength(1);
    o.disconnect();
  });

  it('with a scope, reports text changes inside it and only additions outside it', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    o.setScope(list);
    (list.firstElementChild!.firstChild as Text).data = 'changed';
    document.getElementById('side')!.setAttribute('title', 'ignored');
    const drawer = document.createElement('section');
    document.getElementById('side')!.append(drawer);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.changed).toContain(list.firstElementChild);
    expect(batches[0]!.outside).toEqual([drawer]);
    expect(batches[0]!.changed).not.toContain(document.getElementById('side'));
    o.disconnect();
  });

  it('drops a scope that left the document and says so', async () => {
    const o = createBatchObserver({ isOwn, onBatch: (b) => batches.push(b), delay: 10 });
    o.observe(document.body);
    const list = document.getElementById('list')!;
    o.setScope(list);
    list.remove();
    await new Promise((r) => setTimeout(r, 40));
    expect(batches[0]!.scopeLost).toBe(true);
    expect(o.scope).toBeNull();
    o.disconnect();
  });

  it('flush() delivers pending records synchronously; errors in onBatch are reported, not thrown', () => {
    const onError = vi.fn();
    const o = createBatchObserver({
      isOwn,
      onBatch: () => {
        throw new Error('x');
      },
      onError,
      delay: 1000,
    });
    o.observe(document.body);
    document.body.append(document.createElement('p'));
    expect(() => o.flush()).not.toThrow();
    expect(onError).toHaveBeenCalled();
    expect(o.batches).toBe(1);
    o.disconnect();
  });
});
