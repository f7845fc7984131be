import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_EVENT, takeHandedBody } from '../../panel/bridge-message';
import { BRIDGE_LIMITS, BRIDGE_NS, BRIDGE_TEXT_MAX, BRIDGE_VERSION, bodyPoster, bridgeBodyOf, parseBridgeBody, validateBridgeMessage, validateOrder } from '../../panel/bridge';
import type { Order } from '../../rules/types';
import { isoUtc, parseIsoMs } from '../../rules/time';

const good: Order = {
  postingNumber: '16965409-0014-1',
  scheme: 'FBS',
  status: 'awaiting_packaging',
  storeId: '2150370',
  paidAt: '2026-05-12T06:01:02.000Z',
  shipBy: '2026-05-13T10:00:00.000Z',
  availableActions: ['cancel', 'ship'],
  carrier: 'Ozon Логистика',
  cancellation: { initiator: 'seller', reasonCode: '352', reasonText: 'Товар закончился', affectsRating: true },
  items: [{ sku: '1', offerId: 'A', name: 'N', quantity: 2, price: 10 }],
  currency: 'RUB',
};

const PATH = '/api/posting-service/seller-ui/fbs/posting/list';
const TEXT = JSON.stringify({ result: { postings: [{ posting_number: '16965409-0014-1', status: 'awaiting_packaging' }] } });
const msg = (extra: Record<string, unknown> = {}) => ({ ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path: PATH, text: TEXT, ...extra });

describe('validateBridgeMessage', () => {
  it('round-trips what the MAIN side sends (a structured clone of the message)', () => {
    const posted: unknown[] = [];
    const w = { location: { origin: 'https://seller.ozon.ru' }, postMessage: (m: unknown, o: string) => posted.push([structuredClone(m), o]) } as unknown as Window;
    bodyPoster(w)(PATH, TEXT);
    expect(posted).toEqual([[{ ns: BRIDGE_NS, v: 2, kind: 'body', path: PATH, text: TEXT }, 'https://seller.ozon.ru']]);
    expect(validateBridgeMessage((posted[0] as unknown[])[0])).toEqual({ path: PATH, text: TEXT });
  });

  it('hands the body over as a DOM string when the isolated side takes it, and posts it when nobody does', () => {
    const got: MessageEvent[] = [];
    const take = (e: Event) => {
      const m = takeHandedBody(e, window);
      if (m) got.push(m);
    };
    const post = vi.spyOn(window, 'postMessage').mockImplementation(() => {});
    const poster = bodyPoster(window);
    window.addEventListener(BRIDGE_EVENT, take);
    // A page that patches the DOM after the poster was made (document_start) is not called.
    const patched = vi.spyOn(document, 'createTextNode');
    poster(PATH, TEXT);
    expect(patched).not.toHaveBeenCalled();
    patched.mockRestore();
    expect(post).not.toHaveBeenCalled();
    expect(got).toHaveLength(1);
    expect(got[0]!.data).toEqual(msg());
    // What follows reads it as it reads a posted message: from this window, checked as untrusted.
    expect(bridgeBodyOf(got[0]!, window)).toEqual({ path: PATH, text: TEXT });
    // A body is handed over as it is, newlines and all.
    poster(PATH, '{\n"a":\n1}');
    expect(got[1]!.data.text).toBe('{\n"a":\n1}');
    window.removeEventListener(BRIDGE_EVENT, take);
    poster(PATH, TEXT);
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]![0]).toEqual(msg());
    post.mockRestore();
  });

  it('the hand-over takes only a fragment of two text nodes, a path and a body, within the caps; never throws', () => {
    const ev = (relatedTarget: unknown) => new MouseEvent(BRIDGE_EVENT, { relatedTarget: relatedTarget as EventTarget, cancelable: true });
    const frag = (...nodes: Node[]) => {
      const f = document.createDocumentFragment();
      for (const n of nodes) f.append(n);
      return f;
    };
    const tx = (s: string) => document.createTextNode(s);
    const refused = [
      new Event(BRIDGE_EVENT, { cancelable: true }),
      ev(null),
      ev(document.createElement('div')),
      ev(tx(`${PATH}\n${TEXT}`)),
      ev(frag()),
      ev(frag(tx(TEXT))),
      ev(frag(tx(PATH), document.createComment(TEXT))),
      ev(frag(document.createElement('b'), tx(TEXT))),
      ev(frag(tx(PATH), tx(TEXT), tx('more'))),
      ev(frag(tx(''), tx(TEXT))),
      ev(frag(tx('/api/' + 'x'.repeat(400)), tx(TEXT))),
      ev(frag(tx(PATH), tx('x'.repeat(BRIDGE_TEXT_MAX + 1)))),
      ev(window),
    ];
    for (const e of refused) {
      expect(takeHandedBody(e, window)).toBeNull();
      expect(e.defaultPrevented).toBe(false);
    }
    const ok = ev(frag(tx(PATH), tx(TEXT)));
    expect(takeHandedBody(ok, window)!.data).toEqual(msg());
    expect(ok.defaultPrevented).toBe(true);
    // A path the bridge's own check refuses is handed on and refused there (validateBridgeMessage).
    const odd = takeHandedBody(ev(frag(tx('/not-api'), tx(TEXT))), window)!;
    expect(validateBridgeMessage(odd.data)).toBeNull();
  });

  it('rejects what is not ours, never throws', () => {
    for (const d of [
      null,
      undefined,
      1,
      'x',
      TEXT,
      [],
      {},
      { ns: 'other', v: 2, kind: 'body', path: PATH, text: TEXT },
      msg({ v: 1 }),
      msg({ v: '2' }),
      msg({ kind: 'orders' }),
      msg({ kind: 'eval' }),
      msg({ text: { result: [] } }),
      msg({ text: ['{}'] }),
      msg({ text: new String(TEXT) }),
      msg({ text: '' }),
      msg({ text: undefined }),
      msg({ path: 'javascript:alert(1)' }),
      msg({ path: '/app/postings/fbs' }),
      msg({ path: `/api/<img src=x>` }),
      msg({ path: `/api/${'a'.repeat(BRIDGE_LIMITS.pathLength)}` }),
      msg({ path: 42 }),
    ]) {
      expect(validateBridgeMessage(d)).toBeNull();
    }
    const evil = new Proxy({}, { get() { throw new Error('boom'); }, getOwnPropertyDescriptor() { throw new Error('boom'); }, has() { throw new Error('boom'); } });
    expect(() => validateBridgeMessage(evil)).not.toThrow();
    expect(validateBridgeMessage(evil)).toBeNull();
  });

  it('checks the length before anything reads the text: over the cap is refused, at the cap passes', () => {
    expect(BRIDGE_LIMITS.textLength).toBe(BRIDGE_TEXT_MAX);
    const atCap = 'x'.repeat(BRIDGE_TEXT_MAX);
    expect(validateBridgeMessage(msg({ text: atCap }))).toEqual({ path: PATH, text: atCap });
    expect(validateBridgeMessage(msg({ text: atCap + 'x' }))).toBeNull();
    // A text whose reading throws is never reached when its type is wrong.
    const tricky = { toString() { throw new Error('read'); }, length: 3 };
    expect(validateBridgeMessage(msg({ text: tricky }))).toBeNull();
  });

  it('drops forged orders that fail the schema, keeps the rest (the feed checks every walked order so)', () => {
    const forged = [
      { ...good, postingNumber: '<img src=x onerror=alert(1)>' },
      { ...good, status: 'hacked' },
      { ...good, scheme: 'XYZ' },
      { ...good, postingNumber: 123 },
      'string',
      null,
      good,
    ];
    expect(forged.map((o) => validateOrder(o)).filter(Boolean)).toEqual([good]);
  });

  it('drops a bad optional field alone: instants, lengths, actions, items, flags', () => {
    const o = validateOrder({
      ...good,
      paidAt: 'not a date',
      shipBy: '2026-02-31T10:00:00Z',
      confirmedAt: '2026-05-12T06:01:02', // zone-less: not an instant
      carrier: 'x'.repeat(BRIDGE_LIMITS.stringLength + 1),
      trackingNumber: '<b>1</b>',
      availableActions: ['cancel', { evil: true }],
      items: [{ sku: 'ok', quantity: 1 }, { sku: 'bad', quantity: -1 }, { quantity: 1 }],
      flags: { digital: true },
      flagSources: { digital: 'page' },
      storeId: '12; DROP',
      currency: 'rubles',
      extra: 'never passes',
      cancellation: { initiator: 'hacker' },
    });
    expect(o).toEqual({ postingNumber: good.postingNumber, scheme: 'FBS', status: 'awaiting_packaging', items: [{ sku: 'ok', quantity: 1 }] });
  });

  it('caps items per order', () => {
    const fat = { ...good, items: Array.from({ length: BRIDGE_LIMITS.itemsPerOrder + 1 }, () => ({ sku: '1', quantity: 1 })) };
    expect(validateOrder(fat)!.items).toBeUndefined();
  });

  it('never takes the prototype chain for data', () => {
    const o = Object.create({ trackingNumber: 'INHERITED1' });
    Object.assign(o, good);
    expect(validateOrder(o)!.trackingNumber).toBeUndefined();
    expect(validateBridgeMessage(JSON.parse(`{"ns":"${BRIDGE_NS}","v":2,"kind":"body","path":"${PATH}","text":"{}","__proto__":{"polluted":1}}`))).toEqual({ path: PATH, text: '{}' });
    // The envelope's fields must be its own: inherited ones are not read.
    expect(validateBridgeMessage(Object.assign(Object.create({ text: TEXT }), { ns: BRIDGE_NS, v: 2, kind: 'body', path: PATH }))).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('bodyPoster / bridgeBodyOf / parseBridgeBody', () => {
  /** The isolated side as the content script wires it: one window listener, each event through bridgeBodyOf. */
  function listen(w: Window, onBody: (b: unknown) => void): () => void {
    const handler = (e: Event) => {
      const b = bridgeBodyOf(e as MessageEvent, w);
      if (b) onBody(b);
    };
    w.addEventListener('message', handler);
    return () => w.removeEventListener('message', handler);
  }
  function fakeWin() {
    const t = new EventTarget() as EventTarget & { location: { origin: string }; postMessage: (m: unknown, o: string) => void };
    t.location = { origin: 'https://seller.ozon.ru' };
    t.postMessage = (data: unknown, targetOrigin: string) => {
      expect(targetOrigin).toBe('https://seller.ozon.ru');
      emit(t, structuredClone(data), t, 'https://seller.ozon.ru');
    };
    return t;
  }
  function emit(target: EventTarget, data: unknown, source: unknown, origin: string) {
    const e = new Event('message');
    Object.defineProperties(e, { data: { value: data }, source: { value: source }, origin: { value: origin } });
    target.dispatchEvent(e);
  }

  it('delivers checked bodies posted by this window, to its own origin only', () => {
    const w = fakeWin();
    const got = vi.fn();
    const stop = listen(w as unknown as Window, got);
    bodyPoster(w as unknown as Window)(PATH, TEXT);
    expect(got).toHaveBeenCalledTimes(1);
    expect(got.mock.calls[0]![0]).toEqual({ path: PATH, text: TEXT });
    // The page can forge messages from the same window: they are checked like any other (and the text is only data).
    emit(w, msg({ text: '{"forged":1}' }), w, 'https://seller.ozon.ru');
    expect(got).toHaveBeenCalledTimes(2);
    // Other frames, other origins, wrong shapes: ignored.
    emit(w, msg(), {}, 'https://seller.ozon.ru');
    emit(w, msg(), w, 'https://evil.example');
    emit(w, msg({ text: 1 }), w, 'https://seller.ozon.ru');
    expect(got).toHaveBeenCalledTimes(2);
    stop();
    bodyPoster(w as unknown as Window)(PATH, TEXT);
    expect(got).toHaveBeenCalledTimes(2);
  });

  it('a throwing consumer never reaches the page; a detached window never throws at the poster', () => {
    const w = fakeWin();
    listen(w as unknown as Window, () => {
      throw new Error('consumer broke');
    });
    expect(() => bodyPoster(w as unknown as Window)(PATH, TEXT)).not.toThrow();
    const detached = { get location(): never { throw new Error('detached'); }, postMessage() {} } as unknown as Window;
    expect(() => bodyPoster(detached)(PATH, TEXT)).not.toThrow();
    // A message whose data throws on access is no body, never an exception.
    const hostile = { get data() { throw new Error('getter'); }, source: w, origin: 'https://seller.ozon.ru' } as unknown as MessageEvent;
    expect(bridgeBodyOf(hostile, w as unknown as Window)).toBeNull();
  });

  it('parses a body once per event, whoever asks; malformed JSON is undefined, never a throw', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const e = new MessageEvent('message', { data: msg() });
      const body = { path: PATH, text: TEXT };
      const a = parseBridgeBody(e, body);
      const b = parseBridgeBody(e, body);
      expect(a).toBe(b);
      expect(parse).toHaveBeenCalledTimes(1);
      const other = new MessageEvent('message', { data: msg() });
      expect(parseBridgeBody(other, body)).toEqual(a);
      expect(parse).toHaveBeenCalledTimes(2);
      for (const bad of ['{"broken": ', 'while(1);{}', '{"a":NaN}', '\ud800']) {
        const e2 = new MessageEvent('message');
        expect(() => parseBridgeBody(e2, { path: PATH, text: bad })).not.toThrow();
        expect(parseBridgeBody(e2, { path: PATH, text: bad })).toBeUndefined();
      }
    } finally {
      parse.mockRestore();
    }
  });
});

describe('validateOrder: canonical instants pass as sent', () => {
  it('a canonical UTC ISO string is kept only when it is a real instant, exactly as isoUtc would write it', () => {
    const base = { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging' };
    const cases = ['2026-05-13T10:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-02-29T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-04-31T10:00:00.000Z', '2026-05-13T24:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'];
    for (let i = 0, x = 12345; i < 200; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      cases.push(new Date(Date.UTC(1990, 0, 1) + Math.floor((x / 2147483648) * 3e12)).toISOString());
    }
    for (const s of cases) {
      const ms = parseIsoMs(s);
      const want = Number.isFinite(ms) ? isoUtc(ms) || undefined : undefined;
      expect(validateOrder({ ...base, shipBy: s })?.shipBy, s).toBe(want);
    }
  });
});
