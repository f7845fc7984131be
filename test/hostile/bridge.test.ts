// @vitest-environment node
/**
 * The MAIN-world → isolated JSON bridge under attack, end to end in one
 * process: the panel's fetch (a fake window whose fetch answers hostile
 * bodies) → installInterceptor → bodyPoster (its postMessage is a
 * structuredClone, as the browser's) → on the isolated side the order feed
 * (components/overlay/json-feed.ts: the message check, one JSON.parse, the
 * sliced walk, the order schema per order). The real-browser half is
 * test/e2e/security.e2e.ts.
 *
 * What the isolated side accepts (the decision, see panel/bridge.ts): a
 * message in our namespace and version carrying a string of bounded length
 * for a same-origin /api/ path; the text is parsed as JSON and walked, and
 * every order must pass a strict schema — posting numbers of the panel's
 * exact shape, canonical schemes / statuses, ISO instants, bounded strings
 * and lists, no flags (those are the seller's own settings), no unknown
 * keys. A forged message can therefore at most claim data facts about a
 * posting; it can never create a badge (rows come from the DOM only), never
 * carry markup that is rendered as HTML, never reach a prototype.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installInterceptor } from '../../panel/interceptor';
import { bodyPoster, validateBridgeMessage, BRIDGE_LIMITS, BRIDGE_NS, BRIDGE_VERSION } from '../../panel/bridge';
import { ordersFromJson } from '../../panel/json';
import { JsonFeed } from '../../components/overlay/json-feed';
import type { Order } from '../../rules';
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
  installInterceptor(win, bodyPoster(win));
  return { win, messages };
}

function response(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const r = new Response(body, { status: 200, headers });
  Object.defineProperty(r, 'url', { value: API });
  return r;
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

/**
 * The isolated side of every message (the order feed, as the controller runs it, on timers run to
 * the end here): the orders it delivers. Each message is a fresh event from this window.
 */
function isolatedOrders(messages: unknown[]): Order[] {
  const due: (() => void)[] = [];
  const out: Order[] = [];
  const held = new Map<string, Order>();
  const feed = new JsonFeed(
    { setTimeout: (fn) => due.push(fn), clearTimeout: () => {} },
    {
      context: () => ({ scheme: 'FBS', storeId: '42' }),
      deliver: (orders) => {
        out.push(...orders);
        for (const o of orders) held.set(o.postingNumber, o);
      },
      held: (p) => held.get(p),
    },
  );
  const win = { location: { origin: ORIGIN } } as unknown as Window;
  for (const data of messages) feed.accept({ data, source: win, origin: ORIGIN } as unknown as MessageEvent, win);
  while (due.length) due.shift()!();
  return out;
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
      // The isolated side parses what crossed, or ignores it: never a throw, only schema-valid orders.
      let orders: Order[] = [];
      expect(() => (orders = isolatedOrders(messages))).not.toThrow();
      for (const o of orders) expect(o.postingNumber).toBe(PN);
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
    expect(isolatedOrders(messages).map((o) => o.postingNumber)).toEqual([PN]);
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
    const orders = isolatedOrders(messages);
    expect(orders.map((o) => o.postingNumber)).toEqual([PN]);
    expect(orders[0]!.status).toBe('awaiting_packaging');
    for (const o of orders) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.keys(o)).not.toContain('__proto__');
      expect((o as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
    }
    // A forged message built with own __proto__ keys directly: the envelope yields its path and text only.
    const forged = JSON.parse(
      `{"ns":"${BRIDGE_NS}","v":${BRIDGE_VERSION},"kind":"body","path":"/api/x","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"text":${JSON.stringify(body)}}`,
    );
    const b = validateBridgeMessage(forged)!;
    expect(b).toEqual({ path: '/api/x', text: body });
    expect(Object.keys(b)).toEqual(['path', 'text']);
    const again = isolatedOrders([forged]);
    expect(again.map((o) => o.postingNumber)).toEqual([PN]);
    expect(JSON.stringify(again)).not.toMatch(/polluted|__proto__|constructor/);
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
    const [o] = isolatedOrders(messages);
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
        for (const o of isolatedOrders(messages)) {
          expect(o.postingNumber).toBe(PN);
          for (const t of ['paidAt', 'shipBy', 'firstScanAt', 'deliveredAt', 'cancelledAt'] as const)
            if (o[t] !== undefined) expect(Number.isFinite(Date.parse(o[t]!))).toBe(true);
          if (o.availableActions) expect(o.availableActions.every((a) => typeof a === 'string')).toBe(true);
          if (o.inCustoms !== undefined) expect(typeof o.inCustoms).toBe('boolean');
        }
      }
    }
    await settle(50);
  });

  it('60,000 postings in one body (under the 5 MB cap): one message, its text as the page got it; all valid on the isolated side', async () => {
    count('bridge.body');
    const postings = Array.from({ length: 60_000 }, (_, i) => ({ posting_number: `${10000000 + i}-0001-1`, status: 'delivered' }));
    const body = JSON.stringify({ result: { postings } });
    expect(body.length).toBeLessThan(5 * 1024 * 1024);
    const { win, messages } = mainWorld(() => response(body));
    await pageFetch(win, body);
    for (const end = Date.now() + 30_000; messages.length < 1 && Date.now() < end; ) await settle(50);
    await settle(60);
    expect(messages).toEqual([{ ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path: '/api/posting-service/seller-ui/fbs/posting/list', text: body }]);
    const orders = isolatedOrders(messages);
    expect(orders.length).toBe(60_000);
    expect(new Set(orders.map((o) => o.postingNumber)).size).toBe(60_000);
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
  const good = { posting_number: PN, status: 'awaiting_packaging', shipment_date: '2026-05-13T10:00:00Z' };
  const envelope = (text: unknown, extra: Record<string, unknown> = {}) => ({ ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path: '/api/x', text, ...extra });
  const bodyOf = (postings: unknown) => JSON.stringify({ result: { postings } });
  const refused: [string, unknown][] = [
    ['a string', JSON.stringify(envelope(bodyOf([good])))],
    ['another namespace', envelope(bodyOf([good]), { ns: 'ozon-order-guard ' })],
    ['the old version', envelope(bodyOf([good]), { v: 1 })],
    ['a future version', envelope(bodyOf([good]), { v: 3 })],
    ['version as text', envelope(bodyOf([good]), { v: '2' })],
    ['another kind', envelope(bodyOf([good]), { kind: 'settings' })],
    ['the old orders message', { ns: BRIDGE_NS, v: 1, kind: 'orders', source: '/api/x', orders: [{ postingNumber: PN, scheme: 'FBS', status: 'delivered' }] }],
    ['text as an object', envelope({ result: { postings: [good] } })],
    ['text as an array', envelope([bodyOf([good])])],
    ['text as a number', envelope(42)],
    ['text as a String object', envelope(new String(bodyOf([good])))],
    ['text over the cap', envelope(bodyOf([good]) + ' '.repeat(BRIDGE_LIMITS.textLength))],
    ['empty text', envelope('')],
    ['a path that is not a path', envelope(bodyOf([good]), { path: 'javascript:alert(1)' })],
    ['markup in the path', envelope(bodyOf([good]), { path: `/api/${MARKUP}` })],
    ['a path outside /api/', envelope(bodyOf([good]), { path: '/app/postings/fbs' })],
    ['a text getter that throws', Object.defineProperty(envelope(''), 'text', { get() { throw new Error('x'); }, enumerable: true })],
    ['a proxy', new Proxy(envelope(bodyOf([good])), { get() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } })],
    ['a revoked proxy', (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()],
  ];
  for (const [name, data] of refused) {
    it(`${name}: refused before the text is read, never a throw`, () => {
      count('bridge.forged');
      let b: ReturnType<typeof validateBridgeMessage> = null;
      expect(() => (b = validateBridgeMessage(data))).not.toThrow();
      expect(b).toBeNull();
      expect(isolatedOrders([data])).toEqual([]);
    });
  }

  const reduced: [string, unknown][] = [
    ['posting number with markup', [{ ...good, posting_number: `${PN}<img src=x>` }]],
    ['posting number too long', [{ ...good, posting_number: `${PN}1111` }]],
    ['a scheme we do not know', [{ ...good, delivery_schema: 'FBX' }]],
    ['a status we do not know', [{ ...good, status: 'shipped' }]],
    ['flags from the page', [{ ...good, flags: { digital: true }, flagSources: { digital: 'page' } }]],
    ['an array-like posting', [[PN, 'FBS', 'delivered']]],
    ['order fields instead of API fields', [{ postingNumber: PN, scheme: 'FBS', status: 'delivered' }]],
  ];
  for (const [name, postings] of reduced) {
    it(`a forged body, ${name}: reduced to the schema-valid part, never a throw`, () => {
      count('bridge.forged');
      for (const o of isolatedOrders([envelope(bodyOf(postings))])) {
        expect(o.postingNumber).toMatch(/^\d{8,10}-\d{4}-\d{1,3}$/);
        expect(o.flags).toBeUndefined();
        expect(['FBS', 'FBO', 'rFBS']).toContain(o.scheme);
        expect(Object.keys(o).every((k) => /^[a-zA-Z]+$/.test(k))).toBe(true);
      }
    });
  }

  it('a forged body of 20,000 postings: walked in slices, each one checked (the walk\'s node cap bounds the work)', () => {
    count('bridge.forged');
    const many = Array.from({ length: 20_000 }, (_, i) => ({ posting_number: `${20000000 + i}-0001-1`, status: 'cancelled' }));
    const orders = isolatedOrders([envelope(bodyOf(many))]);
    expect(orders.length).toBe(20_000);
    expect(orders.every((o) => o.status === 'cancelled' && o.scheme === 'FBS')).toBe(true);
  });

  it('the path is only diagnostics and a key for the identical-body check, never a URL we open: only same-origin /api/ paths pass', () => {
    count('bridge.forged', 2);
    expect(validateBridgeMessage(envelope('{}', { path: '/api/posting-service/seller-ui/fbs/posting/list' }))).toEqual({
      path: '/api/posting-service/seller-ui/fbs/posting/list',
      text: '{}',
    });
    expect(validateBridgeMessage(envelope('{}', { path: '//evil.example/api/x' }))).toBeNull();
  });
});
