import { describe, expect, it, vi } from 'vitest';
import { installInterceptor, apiPath } from '../../panel/interceptor';
import { BRIDGE_TEXT_MAX } from '../../panel/bridge';

type Post = (path: string, text: string) => void;
import { readRealApi } from '../real/samples';

const ORIGIN = 'https://seller.ozon.ru';
const BODY = JSON.stringify({ result: { postings: [{ posting_number: '16965409-0014-1', status: 'awaiting_packaging', shipment_date: '2026-05-13T10:00:00Z' }] } });

const settle = () => new Promise((r) => setTimeout(r, 30));

class FakeXHR {
  static instances: FakeXHR[] = [];
  status = 0;
  readyState = 0;
  responseType: XMLHttpRequestResponseType = '';
  responseText = '';
  response: unknown = null;
  responseURL = '';
  headers: Record<string, string> = {};
  private listeners: Record<string, ((this: FakeXHR) => void)[]> = {};
  opened: unknown[] = [];
  constructor() {
    FakeXHR.instances.push(this);
  }
  open(...args: unknown[]): string {
    if (args[0] === 'BAD') throw new SyntaxError('bad method');
    this.opened = args;
    return 'open-result';
  }
  send(): void {}
  addEventListener(type: string, fn: (this: FakeXHR) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  getResponseHeader(name: string): string | null {
    return this.headers[name.toLowerCase()] ?? null;
  }
  /** Test helper: the answer's headers are in (readyState 2). */
  headersIn(status: number, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    this.status = status;
    this.headers = headers;
    this.readyState = 2;
    for (const fn of this.listeners.readystatechange ?? []) fn.call(this);
  }
  /** Test helper: the server answers. */
  respond(status: number, body: string, opts: { type?: XMLHttpRequestResponseType; headers?: Record<string, string> } = {}) {
    this.readyState = 4;
    this.status = status;
    this.responseType = opts.type ?? '';
    this.headers = opts.headers ?? { 'content-type': 'application/json' };
    if (this.responseType === 'json') this.response = JSON.parse(body);
    else this.responseText = body;
    for (const fn of this.listeners.readystatechange ?? []) fn.call(this);
    for (const fn of this.listeners.loadend ?? []) fn.call(this);
  }
}

function fakeWindow(fetchImpl: (...a: unknown[]) => Promise<Response>) {
  FakeXHR.instances = [];
  class X extends FakeXHR {}
  return {
    fetch: fetchImpl,
    XMLHttpRequest: X,
    location: { href: `${ORIGIN}/app/postings/fbs?tab=all`, origin: ORIGIN },
    document: { cookie: 'sc_company_id=42' },
  } as unknown as Window & { fetch: typeof fetch; XMLHttpRequest: typeof FakeXHR };
}

function json(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, url = `${ORIGIN}/api/posting-service/seller-ui/fbs/posting/list`) {
  const r = new Response(body, { status: 200, headers });
  Object.defineProperty(r, 'url', { value: url });
  return r;
}

describe('installInterceptor: fetch', () => {
  it('returns the very same promise and response; the page can still read the body', async () => {
    const res = json(BODY);
    const p = Promise.resolve(res);
    const orig = vi.fn(() => p);
    const w = fakeWindow(orig);
    const post = vi.fn<Post>();
    installInterceptor(w, post);
    expect(w.fetch).not.toBe(orig);
    const got = w.fetch('/api/posting-service/seller-ui/fbs/posting/list', { method: 'POST' });
    expect(got).toBe(p);
    const r = await got;
    expect(r).toBe(res);
    expect(await r.json()).toEqual(JSON.parse(BODY));
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    // The body's text, as the panel got it: no parse, no walk in the page's world.
    expect(post.mock.calls[0]).toEqual(['/api/posting-service/seller-ui/fbs/posting/list', BODY]);
  });

  it('a known Content-Length within the cap reads the clone with text(); an unknown one streams it, capped', async () => {
    const post = vi.fn<Post>();
    const withLen = json(BODY, { 'content-type': 'application/json', 'content-length': String(BODY.length) });
    const noLen = json(BODY);
    const reads: string[] = [];
    for (const [name, res] of [['len', withLen], ['none', noLen]] as const) {
      const clone = res.clone.bind(res);
      res.clone = () => {
        const c = clone();
        const text = c.text.bind(c);
        c.text = () => (reads.push(`${name}:text`), text());
        const body = c.body!;
        const getReader = body.getReader.bind(body);
        Object.defineProperty(body, 'getReader', { value: (...a: []) => (reads.push(`${name}:stream`), getReader(...a)) });
        return c;
      };
      const w = fakeWindow(() => Promise.resolve(res));
      installInterceptor(w, post);
      expect(await (await w.fetch('/api/x')).text()).toBe(BODY);
    }
    await settle();
    expect(reads).toEqual(['len:text', 'none:stream']);
    expect(post.mock.calls.map((c) => c[1])).toEqual([BODY, BODY]);
  });

  it('the default cap is the bridge\'s text cap', async () => {
    const post = vi.fn<Post>();
    const over = JSON.stringify({ pad: 'x'.repeat(BRIDGE_TEXT_MAX) });
    const w = fakeWindow(() => Promise.resolve(json(over)));
    installInterceptor(w, post);
    await (await w.fetch('/api/x')).text();
    await settle();
    expect(post).not.toHaveBeenCalled();
  });

  it('passes this, arguments and synchronous throws through unchanged', () => {
    const err = new TypeError('Failed to fetch');
    const seen: unknown[] = [];
    const orig = function (this: unknown, ...args: unknown[]) {
      seen.push(this, ...args);
      throw err;
    };
    const w = fakeWindow(orig as never);
    installInterceptor(w, () => {});
    const self = { me: 1 };
    const init = { method: 'POST' };
    expect(() => (w.fetch as unknown as (...a: unknown[]) => unknown).call(self, '/api/x', init)).toThrow(err);
    expect(seen).toEqual([self, '/api/x', init]);
  });

  it('a rejected fetch rejects with the same error', async () => {
    const err = new TypeError('network down');
    const w = fakeWindow(() => Promise.reject(err));
    const post = vi.fn();
    installInterceptor(w, post);
    await expect(w.fetch('/api/x')).rejects.toBe(err);
    await settle();
    expect(post).not.toHaveBeenCalled();
  });

  it('looks only at same-origin /api/ URLs', async () => {
    const post = vi.fn();
    for (const url of ['/app/postings/fbs', 'https://evil.example/api/list', `${ORIGIN}/static/app.js`]) {
      const w = fakeWindow(() => Promise.resolve(json(BODY, undefined, new URL(url, ORIGIN).href)));
      installInterceptor(w, post);
      await (await w.fetch(url)).text();
    }
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    installInterceptor(w, post);
    await w.fetch(new URL(`${ORIGIN}/api/posting-service/seller-ui/fbs/posting/list`));
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    expect(apiPath('https://seller.ozon.ru.evil.com/api/x', w)).toBeUndefined();
  });

  it('skips bodies over the cap (Content-Length, or bytes read) and non-JSON', async () => {
    const post = vi.fn();
    const big = JSON.stringify({ postings: [{ posting_number: '16965409-0014-1', status: 'delivered', pad: 'x'.repeat(2000) }] });
    const cases = [
      json(big, { 'content-type': 'application/json', 'content-length': String(big.length) }),
      json(big, { 'content-type': 'application/json' }),
      json('<html>error</html>', { 'content-type': 'text/html' }),
      json('', { 'content-type': 'application/json' }),
      json('while(1);{"result":[]}', { 'content-type': 'application/json' }),
      // Content-Length within the cap, the decoded text over it (a compressed body): read, then dropped.
      json(big, { 'content-type': 'application/json', 'content-length': '10' }),
    ];
    for (const res of cases) {
      const w = fakeWindow(() => Promise.resolve(res));
      installInterceptor(w, post, { maxBytes: 1000 });
      const r = await w.fetch('/api/x');
      // The page still gets its whole body.
      expect((await r.text()).length).toBeGreaterThanOrEqual(0);
    }
    await settle();
    expect(post).not.toHaveBeenCalled();
  });

  it('a throwing poster never reaches the page', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    installInterceptor(w, () => {
      throw new Error('poster broke');
    });
    const r = await w.fetch('/api/x');
    expect(r.status).toBe(200);
    await settle();
  });

  it('is idempotent and keeps the original name / toString', async () => {
    const orig = function fetch() {
      return Promise.resolve(json(BODY));
    };
    const w = fakeWindow(orig as never);
    const post = vi.fn();
    expect(installInterceptor(w, post)).toBe(true);
    const once = w.fetch;
    expect(installInterceptor(w, post)).toBe(false);
    expect(w.fetch).toBe(once);
    expect(w.fetch.name).toBe('fetch');
    expect(w.fetch.toString()).toBe(Function.prototype.toString.call(orig));
    await w.fetch('/api/x');
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
  });
});

describe('installInterceptor: "a body is coming" (InterceptorOptions.expect)', () => {
  it('fetch: said once per answer that will be posted, as its headers arrive and before its body is posted; not for answers skipped by their headers', async () => {
    const log: string[] = [];
    const post = vi.fn<Post>((path) => void log.push(`post ${path}`));
    const expectBody = () => void log.push('expect');
    const big = 'x'.repeat(2000);
    const cases = [
      json(BODY),
      json(big, { 'content-type': 'application/json', 'content-length': String(big.length) }), // over the cap by its header
      json('<html>error</html>', { 'content-type': 'text/html' }),
      new Response(BODY, { status: 500, headers: { 'content-type': 'application/json' } }),
    ];
    for (const res of cases) {
      const w = fakeWindow(() => Promise.resolve(res));
      installInterceptor(w, post, { maxBytes: 1000, expect: expectBody });
      await w.fetch('/api/posting-service/seller-ui/fbs/posting/list');
    }
    await settle();
    expect(log).toEqual(['expect', 'post /api/posting-service/seller-ui/fbs/posting/list']);
    // A throwing expecter never reaches the page, and the body is still posted.
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    installInterceptor(w, post, {
      expect: () => {
        throw new Error('x');
      },
    });
    await expect(w.fetch('/api/x')).resolves.toBeInstanceOf(Response);
    await settle();
    expect(post).toHaveBeenCalledTimes(2);
  });

  it('XMLHttpRequest: said when the headers are in (readyState 2), only for a 2xx JSON-like /api/ answer within the cap', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const log: string[] = [];
    installInterceptor(w, (path) => void log.push(`post ${path}`), { maxBytes: 1000, expect: () => void log.push('expect') });
    const a = new w.XMLHttpRequest();
    a.open('POST', '/api/list');
    a.headersIn(200);
    expect(log).toEqual(['expect']);
    a.respond(200, BODY);
    await settle();
    expect(log).toEqual(['expect', 'post /api/list']);
    for (const [url, status, headers] of [
      ['/app/page', 200, { 'content-type': 'application/json' }],
      ['/api/list', 500, { 'content-type': 'application/json' }],
      ['/api/list', 200, { 'content-type': 'text/html' }],
      ['/api/list', 200, { 'content-type': 'application/json', 'content-length': '5000' }],
    ] as const) {
      const x = new w.XMLHttpRequest();
      x.open('GET', url);
      x.headersIn(status, { ...headers });
    }
    expect(log).toEqual(['expect', 'post /api/list']);
  });
});

describe('installInterceptor: XMLHttpRequest', () => {
  it('open keeps this, arguments, return value and errors; load is observed read-only', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const post = vi.fn<Post>();
    installInterceptor(w, post);
    const x = new w.XMLHttpRequest();
    expect(x.open('POST', '/api/posting-service/seller-ui/v4/fbs/posting/list', true)).toBe('open-result');
    expect(x.opened).toEqual(['POST', '/api/posting-service/seller-ui/v4/fbs/posting/list', true]);
    expect(() => x.open('BAD', '/api/x')).toThrow(SyntaxError);
    x.open('POST', '/api/posting-service/seller-ui/v4/fbs/posting/list');
    x.respond(200, BODY);
    expect(x.responseText).toBe(BODY);
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]).toEqual(['/api/posting-service/seller-ui/v4/fbs/posting/list', BODY]);
  });

  it('reads responseType json without touching the page object: written back as text, capped; an unwritable one is skipped', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const post = vi.fn<Post>();
    installInterceptor(w, post, { maxBytes: 1000 });
    const x = new w.XMLHttpRequest();
    x.open('GET', '/api/list');
    x.respond(200, BODY, { type: 'json' });
    const page = x.response;
    const before = JSON.stringify(x.response);
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]).toEqual(['/api/list', BODY]);
    expect(x.response).toBe(page);
    expect(JSON.stringify(x.response)).toBe(before);
    // Over the cap once written, a cycle, a throwing toJSON: nothing posted, nothing thrown.
    const big = new w.XMLHttpRequest();
    big.open('GET', '/api/list');
    big.respond(200, JSON.stringify({ pad: 'x'.repeat(2000) }), { type: 'json' });
    const cyc = new w.XMLHttpRequest();
    cyc.open('GET', '/api/list');
    cyc.respond(200, '{}', { type: 'json' });
    (cyc.response as Record<string, unknown>).self = cyc.response;
    const thrower = new w.XMLHttpRequest();
    thrower.open('GET', '/api/list');
    thrower.respond(200, '{}', { type: 'json' });
    (thrower.response as Record<string, unknown>).toJSON = () => {
      throw new Error('page toJSON');
    };
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('a responseType json body is written in a task the page cannot cancel: a page that clears every timer loses no body; a burst arrives whole and in order', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const post = vi.fn<Post>();
    installInterceptor(w, post);
    const bodies = [0, 1, 2].map((i) => JSON.stringify({ result: { postings: [{ posting_number: `1234567${i}-0001-1` }] } }));
    const xs = bodies.map(() => new w.XMLHttpRequest());
    xs.forEach((x) => x.open('GET', '/api/list'));
    // While the answers land, every timer is one the page clears at once (its ids are the page's own in the MAIN world).
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = (() => 0) as unknown as typeof setTimeout;
    try {
      xs.forEach((x, i) => x.respond(200, bodies[i]!, { type: 'json' }));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(post).not.toHaveBeenCalled(); // not in the page's own load handlers' task
    await settle();
    expect(post.mock.calls).toEqual(bodies.map((b) => ['/api/list', b]));
    // And again after the channel was closed (its queue emptied): a new one is made.
    const y = new w.XMLHttpRequest();
    y.open('GET', '/api/list');
    y.respond(200, BODY, { type: 'json' });
    await settle();
    expect(post).toHaveBeenCalledTimes(4);
  });

  it("reads responseType '' and 'text' alike, a real v4 body included, and an XHR object reused for a second request", async () => {
    const v4 = JSON.stringify(readRealApi('v4_posting_fbs_list__ozon_swagger_2026.json'));
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const post = vi.fn<Post>();
    installInterceptor(w, post);
    const x = new w.XMLHttpRequest();
    x.open('POST', '/api/posting-service/seller-ui/fbs/posting/list');
    x.respond(200, v4, { type: 'text' });
    await settle();
    x.open('POST', '/api/posting-service/seller-ui/fbs/posting/unfulfilled/list');
    x.respond(200, BODY, { type: '' });
    await settle();
    expect(post.mock.calls).toEqual([
      ['/api/posting-service/seller-ui/fbs/posting/list', v4],
      ['/api/posting-service/seller-ui/fbs/posting/unfulfilled/list', BODY],
    ]);
  });

  it('ignores errors, non-/api/ URLs, bodies over the cap and non-JSON', async () => {
    const w = fakeWindow(() => Promise.resolve(json(BODY)));
    const post = vi.fn();
    installInterceptor(w, post, { maxBytes: 100 });
    const a = new w.XMLHttpRequest();
    a.open('GET', '/api/list');
    a.respond(500, BODY);
    const b = new w.XMLHttpRequest();
    b.open('GET', '/app/page');
    b.respond(200, BODY);
    const c = new w.XMLHttpRequest();
    c.open('GET', '/api/list');
    c.respond(200, BODY); // over 100 bytes
    const d = new w.XMLHttpRequest();
    d.open('GET', '/api/list');
    d.respond(200, '<html></html>', { headers: { 'content-type': 'text/html' } });
    await settle();
    expect(post).not.toHaveBeenCalled();
  });
});
