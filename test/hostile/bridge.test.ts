// @vitest-environment node
/**
 * The MAIN-world → isolated JSON bridge under attack, end to end in one
 * process: the panel's fetch (a fake window whose fetch answers hostile
 * bodies) → installInterceptor → bridgePoster (its postMessage is a
 * structuredClone, as the browser's) → validateBridgeMessage on the isolated
 * side. The real-browser half is test/e2e/security.e2e.ts.
 *
 * What the isolated side accepts (the decision, see panel/bridge.ts): a
 * message in our namespace and version whose orders pass a strict schema —
 * posting numbers of the panel's exact shape, canonical schemes / statuses,
 * ISO instants, bounded strings and lists, no flags (those are the seller's
 * own settings), no unknown keys. A forged message can therefore at most
 * claim data facts about a posting; it can never create a badge (rows come
 * from the DOM only), never carry markup that is rendered as HTML, never
 * reach a prototype.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installInterceptor } from '../../panel/interceptor';
import { bridgePoster, validateBridgeMessage, BRIDGE_LIMITS, BRIDGE_NS, BRIDGE_VERSION } from '../../panel/bridge';
import { ordersFromJson } from '../../panel/json';
import type { BridgeBatch } from '../../panel/types';
import { count, report } from './fuzz-config';

const ORIGIN = 'https://seller.ozon.ru';
const API = `${ORIGIN}/api/posting-service/seller-ui/fbs/posting/list`;
const MARKUP = '<img src=x onerror=window.__pwned=1>';
const PN = '16965409-0014-1';

afterAll(() => report('bridge'));
afterEach(() => {
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
});

/** A MAIN-world window whose fetch serves `body`; every posted message lands in `messages` (structured-cloned). */
function mainWorld(serve: () => Response | Promise<Response>) {
  const messages: unknown[] = [];
  const win = {
    fetch: (..._a: unknown[]) => Promise.resolve(serve()),
    location: { href: `${ORIGIN}/app/postings/fbs?tab=all`, origin: ORIGIN },
    document: { cookie: 'sc_company_id=42' },
    postMessage(m: unknown, target: string) {
      expect(target).toBe(ORIGIN);
      messages.push(structuredClone(m));
    },
  } as unknown as Window & { fetch: typeof fetch };
  installInterceptor(win, bridgePoster(win));
  return { win, messages };
}

function response(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const r = new Response(body, { status: 200, headers });
  Object.defineProperty(r, 'url', { value: API });
  return r;
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

/** The isolated side of every message the MAIN side posted. */
function isolatedBatches(messages: unknown[]): BridgeBatch[] {
  return messages.map((m) => validateBridgeMessage(m)).filter((b): b is BridgeBatch => !!b);
}

/** The page calls fetch; its own result must be untouched and prompt whatever the body. */
async function pageFetch(win: Window & { fetch: typeof fetch }, expectText?: string) {
  const t0 = Date.now();
  const res = await win.fetch(API, { method: 'POST' });
  const text = await res.text();
  if (expectText !== undefined) {
    expect(text.length).toBe(expectText.length);
    expect(text === expectText).toBe(true);
  }
  return { text, ms: Date.now() - t0 };
}

const posting = (extra: Record<string, unknown> = {}) => ({ posting_number: PN, status: 'awaiting_packaging', shipment_date: '2026-05-13T10:00:00Z', ...extra });

describe('hostile bodies through the real interceptor → bridge → isolated validation', () => {
  const bodies: [string, string][] = [
    ['HTML error page', '<!doctype html><html><body>502 Bad Gateway</body></html>'],
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['truncated JSON', JSON.stringify({ result: { postings: [posting(), posting()] } }).slice(0, 70)],
    ['JSON then garbage', JSON.stringify({ result: [posting()] }) + '}}}garbage'],
    ['BOM + JSON', '\ufeff' + JSON.stringify({ result: [posting()] })],
    ['a lone string', JSON.stringify('16965409-0014-1')],
    ['a number', '1e400'],
    ['null', 'null'],
    ['NaN literal', '{"result":[{"posting_number":"16965409-0014-1","status":NaN}]}'],
    ['invalid UTF-8 escapes', '{"result":[{"posting_number":"\\ud800\\udfff\\uZZZZ"}]}'],
    ['script', 'while(1);{"result":[]}'],
  ];
  for (const [name, body] of bodies) {
    it(`non-JSON / broken body (${name}): the page gets it unchanged, nothing throws, nothing is posted that fails validation`, async () => {
      count('bridge.body');
      const { win, messages } = mainWorld(() => response(body));
      // Response.text() drops a UTF-8 BOM by the Fetch standard, with or without us.
      await pageFetch(win, body.replace(/^\ufeff/, ''));
      await settle();
      for (const m of messages) expect(validateBridgeMessage(m)).not.toBeNull();
    });
  }

  it('a 6 MB body: skipped (no parse, nothing posted), the page\'s own fetch resolves with the full body promptly', async () => {
    count('bridge.body');
    const filler = 'x'.repeat(6 * 1024 * 1024);
    const big = JSON.stringify({ result: [posting()], filler });
    // Streamed, no Content-Length: the cap must trip while reading, not after.
    const { win, messages } = mainWorld(() => response(new Blob([big]).stream()));
    const { ms } = await pageFetch(win, big);
    expect(ms).toBeLessThan(5000);
    await settle(200);
    expect(messages).toEqual([]);
  });

  it('a 6 MB body with Content-Length: skipped before reading', async () => {
    count('bridge.body');
    const big = JSON.stringify({ result: [posting()], filler: 'y'.repeat(6 * 1024 * 1024) });
    const { win, messages } = mainWorld(() => response(big, { 'content-type': 'application/json', 'content-length': String(big.length) }));
    await pageFetch(win, big);
    await settle(200);
    expect(messages).toEqual([]);
  });

  it('100,000 levels of nesting: no stack overflow, the page unaffected, shallow postings still found', async () => {
    count('bridge.body');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const body = `{"result":{"postings":[${JSON.stringify(posting())}]},"deep":${deep}}`;
    const { win, messages } = mainWorld(() => response(body));
    await pageFetch(win, body);
    await settle(300);
    const batches = isolatedBatches(messages);
    expect(batches.flatMap((b) => b.orders.map((o) => o.postingNumber))).toEqual([PN]);
    // The walk itself, directly, on a 100k-deep object graph (not from JSON.parse).
    let o: Record<string, unknown> = posting();
    for (let i = 0; i < 100_000; i++) o = { child: o };
    expect(() => ordersFromJson(o, { scheme: 'FBS' })).not.toThrow();
  });

  it('__proto__ / constructor / prototype keys: no prototype pollution in either world, no smuggled keys', async () => {
    count('bridge.body', 3);
    const body =
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"result":{"postings":[' +
      `{"posting_number":"${PN}","status":"awaiting_packaging","__proto__":{"isAdmin":true,"status":"delivered"},` +
      '"constructor":{"prototype":{"polluted":1}},"products":[{"sku":1,"quantity":1,"__proto__":{"polluted":2}}],' +
      '"cancellation":{"__proto__":{"polluted":3},"cancellation_initiator":"Продавец"}}]}}';
    const { win, messages } = mainWorld(() => response(body));
    await pageFetch(win, body);
    await settle();
    const batches = isolatedBatches(messages);
    const orders = batches.flatMap((b) => b.orders);
    expect(orders.map((o) => o.postingNumber)).toEqual([PN]);
    expect(orders[0]!.status).toBe('awaiting_packaging');
    for (const o of orders) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.keys(o)).not.toContain('__proto__');
      expect((o as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
    }
    // A forged message built with own __proto__ keys directly.
    const forged = JSON.parse(
      `{"ns":"${BRIDGE_NS}","v":${BRIDGE_VERSION},"kind":"orders","source":"/api/x","__proto__":{"polluted":1},` +
        `"orders":[{"postingNumber":"${PN}","scheme":"FBS","status":"delivered","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},` +
        `"cancellation":{"initiator":"buyer","__proto__":{"polluted":1}},"items":[{"sku":"a","quantity":1,"__proto__":{"polluted":1}}]}]}`,
    );
    const b = validateBridgeMessage(forged)!;
    expect(b.orders).toHaveLength(1);
    expect(JSON.stringify(b)).not.toMatch(/polluted|__proto__|constructor/);
  });

  it('markup in every string field stays inert data (never a selector, never HTML): posted as the same text or dropped', async () => {
    count('bridge.body');
    const p = {
      posting_number: PN,
      status: MARKUP,
      substatus: MARKUP,
      in_process_at: MARKUP,
      shipment_date: '2026-05-13T10:00:00Z',
      tracking_number: MARKUP,
      delivery_method: { tpl_provider: MARKUP, name: MARKUP },
      available_actions: [MARKUP, 'cancel'],
      cancellation: { cancel_reason: MARKUP, cancellation_initiator: MARKUP, cancel_reason_id: MARKUP },
      products: [{ sku: MARKUP, offer_id: MARKUP, name: MARKUP, quantity: 1, price: MARKUP, currency_code: MARKUP }],
    };
    const body = JSON.stringify({ result: { postings: [p] } });
    const { win, messages } = mainWorld(() => response(body));
    await pageFetch(win, body);
    await settle();
    const [o] = isolatedBatches(messages).flatMap((b) => b.orders);
    expect(o!.postingNumber).toBe(PN);
    // Fields with a fixed vocabulary refuse it; free text (names, reasons, carrier) keeps it verbatim, as text.
    expect(o!.status).not.toBe(MARKUP);
    expect(o!.paidAt).toBeUndefined();
    expect(o!.trackingNumber).toBeUndefined();
    expect(o!.availableActions ?? []).not.toContain(MARKUP);
    const free = [o!.carrier, o!.cancellation?.reasonText, ...(o!.items ?? []).flatMap((i) => [i.name, i.sku, i.offerId])].filter(Boolean);
    for (const s of free) expect([MARKUP]).toContain(s);
  });

  it('wrong types in every field: nothing throws, whatever passes is well-typed', async () => {
    const wrong: unknown[] = [null, true, 0, -1, 1e308, 'x', [], {}, [[]], { a: { b: 1 } }, '0001-01-01T00:00:00Z', '2026-13-45T99:99:99Z'];
    const keys = ['status', 'in_process_at', 'shipment_date', 'tracking_number', 'delivering_date', 'available_actions', 'cancellation', 'products', 'delivery_method', 'is_in_customs', 'fact_delivery_date', 'cancelled_at', 'substatus'];
    for (const k of keys) {
      for (const w of wrong) {
        count('bridge.body');
        const body = JSON.stringify({ result: { postings: [posting({ [k]: w }), { posting_number: w, status: w }] } });
        const { win, messages } = mainWorld(() => response(body));
        await pageFetch(win, body);
        await settle(5);
        for (const b of isolatedBatches(messages)) {
          for (const o of b.orders) {
            expect(o.postingNumber).toBe(PN);
            for (const t of ['paidAt', 'shipBy', 'firstScanAt', 'deliveredAt', 'cancelledAt'] as const)
              if (o[t] !== undefined) expect(Number.isFinite(Date.parse(o[t]!))).toBe(true);
            if (o.availableActions) expect(o.availableActions.every((a) => typeof a === 'string')).toBe(true);
            if (o.inCustoms !== undefined) expect(typeof o.inCustoms).toBe('boolean');
          }
        }
      }
    }
    await settle(50);
  });

  it('60,000 postings in one body (under the 5 MB cap): chunked to the per-message cap, all valid', async () => {
    count('bridge.body');
    const postings = Array.from({ length: 60_000 }, (_, i) => ({ posting_number: `${10000000 + i}-0001-1`, status: 'delivered' }));
    const body = JSON.stringify({ result: { postings } });
    expect(body.length).toBeLessThan(5 * 1024 * 1024);
    const { win, messages } = mainWorld(() => response(body));
    await pageFetch(win, body);
    // The interceptor walks the body in time slices, so how long it takes depends on the
    // machine: wait until every posting was posted (or 30 s passed), not a fixed time.
    const posted = () => messages.reduce<number>((n, m) => n + ((m as { orders?: unknown[] }).orders?.length ?? 0), 0);
    for (const end = Date.now() + 30_000; posted() < 60_000 && Date.now() < end; ) await settle(50);
    await settle(60);
    const batches = isolatedBatches(messages);
    expect(messages.every((m) => (m as { orders: unknown[] }).orders.length <= BRIDGE_LIMITS.ordersPerMessage)).toBe(true);
    expect(batches.reduce((n, b) => n + b.orders.length, 0)).toBe(60_000);
  }, 60_000);

  it('the page\'s own errors stay the page\'s: a rejected fetch rejects the same way, a synchronous throw throws', async () => {
    count('bridge.body', 2);
    const err = new TypeError('Failed to fetch');
    const w1 = { fetch: () => Promise.reject(err), location: { href: `${ORIGIN}/app/postings/fbs`, origin: ORIGIN }, document: { cookie: '' } } as unknown as Window & { fetch: typeof fetch };
    installInterceptor(w1, () => {
      throw new Error('poster broke');
    });
    await expect(w1.fetch(API)).rejects.toBe(err);
    const w2 = { fetch: () => { throw err; }, location: { href: `${ORIGIN}/app/postings/fbs`, origin: ORIGIN }, document: { cookie: '' } } as unknown as Window & { fetch: typeof fetch };
    installInterceptor(w2, () => {});
    expect(() => w2.fetch(API)).toThrow(err);
  });
});

describe('forged messages straight at the isolated side', () => {
  const good = { postingNumber: PN, scheme: 'FBS', status: 'awaiting_packaging', shipBy: '2026-05-13T10:00:00Z' };
  const envelope = (o: unknown) => ({ ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'orders', source: '/api/x', orders: o });
  const cases: [string, unknown][] = [
    ['a string', JSON.stringify(envelope([good]))],
    ['another namespace', { ...envelope([good]), ns: 'ozon-order-guard ' }],
    ['a future version', { ...envelope([good]), v: 2 }],
    ['version as text', { ...envelope([good]), v: '1' }],
    ['another kind', { ...envelope([good]), kind: 'settings' }],
    ['orders not an array', envelope({ 0: good, length: 1 })],
    ['posting number with markup', envelope([{ ...good, postingNumber: `${PN}<img src=x>` }])],
    ['posting number too long', envelope([{ ...good, postingNumber: `${PN}1111` }])],
    ['a scheme we do not know', envelope([{ ...good, scheme: 'FBX' }])],
    ['a status we do not know', envelope([{ ...good, status: 'shipped' }])],
    ['flags from the page', envelope([{ ...good, flags: { digital: true } }])],
    ['an array-like order', envelope([[PN, 'FBS', 'delivered']])],
    ['a getter that throws', envelope([Object.defineProperty({ ...good }, 'status', { get() { throw new Error('x'); }, enumerable: true })])],
    ['a proxy', envelope(new Proxy([], { get() { throw new Error('trap'); } }))],
    ['a revoked proxy', (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()],
  ];
  for (const [name, data] of cases) {
    it(`${name}: rejected or reduced to the safe part, never a throw`, () => {
      count('bridge.forged');
      let b: ReturnType<typeof validateBridgeMessage> = null;
      expect(() => (b = validateBridgeMessage(data))).not.toThrow();
      const out = b as BridgeBatch | null;
      if (out) {
        for (const o of out.orders) {
          expect(o.postingNumber).toMatch(/^\d{8,10}-\d{4}-\d{1,3}$/);
          expect(o.flags).toBeUndefined();
          expect(['FBS', 'FBO', 'rFBS']).toContain(o.scheme);
        }
      }
    });
  }

  it('more than the per-message cap: only the first 5,000 are read (bounded work per message)', () => {
    count('bridge.forged');
    const many = Array.from({ length: 20_000 }, (_, i) => ({ ...good, postingNumber: `${20000000 + i}-0001-1` }));
    const b = validateBridgeMessage(envelope(many))!;
    expect(b.orders.length).toBe(BRIDGE_LIMITS.ordersPerMessage);
  });

  it('a source path that is not a path is blanked (it is only diagnostics, never a URL we open)', () => {
    count('bridge.forged', 2);
    expect(validateBridgeMessage({ ...envelope([good]), source: 'javascript:alert(1)' })!.source).toBe('');
    expect(validateBridgeMessage({ ...envelope([good]), source: `/api/${MARKUP}` })!.source).toBe('');
  });
});
