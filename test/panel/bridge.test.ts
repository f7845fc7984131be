import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_LIMITS, BRIDGE_NS, bridgeBatchOf, bridgePoster, toBridgeMessages, validateBridgeMessage, validateOrder } from '../../panel/bridge';
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

const msg = (orders: unknown, extra: Record<string, unknown> = {}) => ({ ns: BRIDGE_NS, v: 1, kind: 'orders', source: '/api/x', orders, ...extra });

describe('validateBridgeMessage', () => {
  it('round-trips what the MAIN side sends', () => {
    const [m] = toBridgeMessages({ orders: [good], source: '/api/posting-service/seller-ui/fbs/posting/list' });
    expect(validateBridgeMessage(structuredClone(m))).toEqual({ orders: [good], source: '/api/posting-service/seller-ui/fbs/posting/list' });
  });

  it('rejects what is not ours, never throws', () => {
    for (const d of [null, undefined, 1, 'x', [], {}, { ns: 'other', v: 1, kind: 'orders', orders: [] }, msg([], { v: 2 }), msg([], { kind: 'eval' }), msg('not an array')]) {
      expect(validateBridgeMessage(d)).toBeNull();
    }
    const evil = new Proxy({}, { get() { throw new Error('boom'); }, getOwnPropertyDescriptor() { throw new Error('boom'); }, has() { throw new Error('boom'); } });
    expect(() => validateBridgeMessage(evil)).not.toThrow();
    expect(validateBridgeMessage(evil)).toBeNull();
  });

  it('drops forged orders that fail the schema, keeps the rest', () => {
    const forged = [
      { ...good, postingNumber: '<img src=x onerror=alert(1)>' },
      { ...good, status: 'hacked' },
      { ...good, scheme: 'XYZ' },
      { ...good, postingNumber: 123 },
      'string',
      null,
      good,
    ];
    expect(validateBridgeMessage(msg(forged))!.orders).toEqual([good]);
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

  it('caps orders per message and items per order', () => {
    const many = Array.from({ length: BRIDGE_LIMITS.ordersPerMessage + 50 }, () => good);
    expect(validateBridgeMessage(msg(many))!.orders).toHaveLength(BRIDGE_LIMITS.ordersPerMessage);
    const fat = { ...good, items: Array.from({ length: BRIDGE_LIMITS.itemsPerOrder + 1 }, () => ({ sku: '1', quantity: 1 })) };
    expect(validateOrder(fat)!.items).toBeUndefined();
    expect(toBridgeMessages({ orders: many as Order[], source: '/api/x' })).toHaveLength(2);
  });

  it('never takes the prototype chain for data', () => {
    const o = Object.create({ trackingNumber: 'INHERITED1' });
    Object.assign(o, good);
    expect(validateOrder(o)!.trackingNumber).toBeUndefined();
    expect(validateBridgeMessage(JSON.parse(`{"ns":"${BRIDGE_NS}","v":1,"kind":"orders","orders":[],"__proto__":{"polluted":1}}`))).toEqual({ orders: [], source: '' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('bridgePoster / bridgeBatchOf', () => {
  /** The isolated side as the content script wires it: one window listener, each event through bridgeBatchOf. */
  function listen(w: Window, onBatch: (b: unknown) => void): () => void {
    const handler = (e: Event) => {
      const b = bridgeBatchOf(e as MessageEvent, w);
      if (b) onBatch(b);
    };
    w.addEventListener('message', handler);
    return () => w.removeEventListener('message', handler);
  }
  function fakeWin() {
    const t = new EventTarget() as EventTarget & { location: { origin: string }; postMessage: (m: unknown, o: string) => void };
    t.location = { origin: 'https://seller.ozon.ru' };
    t.postMessage = (data: unknown, targetOrigin: string) => {
      expect(targetOrigin).toBe('https://seller.ozon.ru');
      emit(t, data, t, 'https://seller.ozon.ru');
    };
    return t;
  }
  function emit(target: EventTarget, data: unknown, source: unknown, origin: string) {
    const e = new Event('message');
    Object.defineProperties(e, { data: { value: data }, source: { value: source }, origin: { value: origin } });
    target.dispatchEvent(e);
  }

  it('delivers validated batches posted by this window, to its own origin only', () => {
    const w = fakeWin();
    const got = vi.fn();
    const stop = listen(w as unknown as Window, got);
    bridgePoster(w as unknown as Window)({ orders: [good], source: '/api/x' });
    expect(got).toHaveBeenCalledTimes(1);
    expect(got.mock.calls[0]![0]).toEqual({ orders: [good], source: '/api/x' });
    // The page can forge messages from the same window: they are validated like any other.
    emit(w, msg([{ ...good, status: 'hacked' }, { ...good, postingNumber: '16965409-0014-9' }]), w, 'https://seller.ozon.ru');
    expect(got).toHaveBeenCalledTimes(2);
    expect(got.mock.calls[1]![0].orders).toEqual([{ ...good, postingNumber: '16965409-0014-9' }]);
    // Other frames, other origins, empty batches: ignored.
    emit(w, msg([good]), {}, 'https://seller.ozon.ru');
    emit(w, msg([good]), w, 'https://evil.example');
    emit(w, msg([{ status: 'hacked' }]), w, 'https://seller.ozon.ru');
    expect(got).toHaveBeenCalledTimes(2);
    stop();
    bridgePoster(w as unknown as Window)({ orders: [good], source: '/api/x' });
    expect(got).toHaveBeenCalledTimes(2);
  });

  it('a throwing consumer never reaches the page', () => {
    const w = fakeWin();
    listen(w as unknown as Window, () => {
      throw new Error('consumer broke');
    });
    expect(() => bridgePoster(w as unknown as Window)({ orders: [good], source: '/api/x' })).not.toThrow();
    // A message whose data throws on access is no batch, never an exception.
    const hostile = { get data() { throw new Error('getter'); }, source: w, origin: 'https://seller.ozon.ru' } as unknown as MessageEvent;
    expect(bridgeBatchOf(hostile, w as unknown as Window)).toBeNull();
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
