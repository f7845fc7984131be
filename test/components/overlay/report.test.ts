/**
 * The content script's side of the page report: it answers the popup with the
 * overlay's "layout changed" state and a report of the live page, and keeps
 * the key structure of the bodies the MAIN world posts — only from this
 * window, checked, parsed once with the order feed, bounded.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BadgeController } from '../../../components/overlay/controller';
import { PageReporter } from '../../../components/overlay/report';
import { bodyPoster, claimBody } from '../../../panel/bridge';
import { ApiKeysLog, KEYS_LIMITS, jsonKeys } from '../../../panel/report-json';
import { collectReportKeys } from '../../../components/overlay/report-keys';
import { installInterceptor } from '../../../panel/interceptor';
import { bodyMessage, messageEvent } from '../../helpers/bridge';
import { controllerEnv, fakeClockEach } from '../../helpers/overlay-env';
import type { PageReport } from '../../../panel/report';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 30);
const URL_LIST = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';

describe('PageReporter', () => {
  let c: BadgeController;
  let r: PageReporter;
  // performance.now faked too: the JSON feed's slices end by it (json-feed.ts FEED_SLICE_MS), and a loaded machine must not split a body a test awaits whole.
  fakeClockEach(NOW, { performance: true });
  beforeEach(() => {
    c = new BadgeController(controllerEnv());
    r = new PageReporter({ controller: c, doc: document, win: window, now: () => Date.now(), version: '1.2.3' });
  });
  afterEach(() => c.destroy());

  it('reports the layout-changed state the overlay detected, and a report that says so', async () => {
    document.body.innerHTML = '<p>Отправление 12345678-0001-1 покупателя Смирнова Анна Олеговна передано в доставку сегодня.</p>';
    c.navigate(URL_LIST);
    expect(r.handle({ type: 'report:status' })).toEqual({ panel: true, postings: true, layoutChanged: false, rows: 0 });
    await vi.advanceTimersByTimeAsync(3500);
    expect(r.handle({ type: 'report:status' })).toEqual({ panel: true, postings: true, layoutChanged: true, rows: 0 });
    const a = r.handle({ type: 'report:build' }) as { report: PageReport; fileName: string };
    expect(a.fileName).toMatch(/^ozon-order-guard-report-\d{4}-\d{2}-\d{2}\.json$/);
    expect(a.report.state.layoutChanged).toBe(true);
    expect(a.report.extension.version).toBe('1.2.3');
    expect(a.report.candidates).toEqual([
      expect.objectContaining({ posting: '99999999-9999-9', recognised: false, reason: 'inside-a-sentence' }),
    ]);
    const json = JSON.stringify(a.report);
    expect(json).not.toMatch(/Смирнова|Анна|Олеговна|12345678/);
  });

  it('a page with rows: recognised, with the status read, and no badge of ours in the report', async () => {
    document.body.innerHTML = `<table><thead><tr><th>Номер отправления</th><th>Статус</th></tr></thead><tbody>
      <tr><td>12345678-0001-1</td><td>Ожидает сборки</td></tr><tr><td>12345678-0002-1</td><td>Доставляется</td></tr></tbody></table>`;
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(100);
    expect(document.querySelectorAll('ozon-guard-badge').length).toBe(2);
    const a = r.handle({ type: 'report:build' }) as { report: PageReport };
    expect(a.report.state).toMatchObject({ layoutChanged: false, rowsFound: 2, rowsRecognised: 2 });
    expect(a.report.candidates.map((x) => [x.recognised, x.status])).toEqual([
      [true, 'awaiting_packaging'],
      [true, 'in_transit'],
    ]);
    expect(JSON.stringify(a.report)).not.toMatch(/ozon-guard/);
  });

  it('keeps the key structure of the bodies the MAIN world posts, from this window only, checked and bounded', () => {
    const post = (data: unknown, source: unknown = window) =>
      r.onWindowMessage(new MessageEvent('message', { data, source: source as Window, origin: window.location.origin }));
    post(bodyMessage({ result: { postings: [{ posting_number: 'x' }] } }, '/api/v3/posting/fbs/list'));
    // Only the first answer of a path is kept.
    post(bodyMessage({ other: 1 }, '/api/v3/posting/fbs/list'));
    post(bodyMessage({ a: 1 }, 'javascript:alert(1)'));
    post(bodyMessage({ a: 1 }, '/app/postings'));
    post(bodyMessage({ name: 'Иванов Иван' }, '/api/frame'), {});
    post({ ...bodyMessage({}, '/api/not-text'), text: { a: 1 } });
    post({ ...bodyMessage({}, '/api/too-long'), text: `{"a":"${'x'.repeat(5 * 1024 * 1024)}"}` });
    post(bodyMessage('{"broken": ', '/api/broken'));
    post(bodyMessage('"a string"', '/api/bare'));
    post(bodyMessage('{"customer":"Иванов Иван","n":5,"__proto__":{"polluted":"string"},"toString":"x"}', '/api/forged'));
    const want: unknown[] = [
      { path: '/api/v3/posting/fbs/list', keys: { result: { postings: { '[]': 1, of: { posting_number: 'string' } } } } },
      // A forged body gets in, but only as type names: its values are gone, its __proto__ key too.
      { path: '/api/forged', keys: { customer: 'string', n: 'number', toString: 'string' } },
    ];
    expect(r.apis.list()).toEqual(want);
    expect(JSON.stringify(r.apis.list())).not.toMatch(/Иванов|polluted/);
    for (let i = 0; i < KEYS_LIMITS.paths + 10; i++) post(bodyMessage({ i }, `/api/p${i}`));
    expect(r.apis.list()).toHaveLength(KEYS_LIMITS.paths);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the order feed and the key log parse one body once between them; a path already logged is not parsed for the log', () => {
    c.navigate(URL_LIST);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const first = messageEvent(bodyMessage({ result: { postings: [{ posting_number: '12345678-0001-1', status: 'awaiting_packaging' }] } }));
      c.onBridgeMessage(first);
      // Nothing is parsed in the message's own task: the feed's first slice is a task of its own (json-feed.ts).
      expect(parse).toHaveBeenCalledTimes(0);
      vi.advanceTimersByTime(0);
      r.onWindowMessage(first);
      expect(parse).toHaveBeenCalledTimes(1);
      expect(r.apis.list()).toHaveLength(1);
      expect(c.jsonOrder('12345678-0001-1')?.status).toBe('awaiting_packaging');
      // The other order of listeners: the log parses, the feed reuses it.
      const second = messageEvent(bodyMessage({ result: { postings: [{ posting_number: '12345678-0002-1', status: 'awaiting_packaging' }] } }, '/api/second'));
      r.onWindowMessage(second);
      c.onBridgeMessage(second);
      vi.advanceTimersByTime(0);
      expect(parse).toHaveBeenCalledTimes(2);
      expect(c.jsonOrder('12345678-0002-1')?.status).toBe('awaiting_packaging');
      // A new body of a logged path: the feed parses it, the log does not ask.
      const third = messageEvent(bodyMessage({ result: { postings: [{ posting_number: '12345678-0003-1', status: 'delivered' }] } }, '/api/second'));
      r.onWindowMessage(third);
      expect(parse).toHaveBeenCalledTimes(2);
      c.onBridgeMessage(third);
      vi.advanceTimersByTime(0);
      expect(parse).toHaveBeenCalledTimes(3);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('JSON key structure (isolated world, from the parsed body)', () => {
  it('keeps keys and types, summarises arrays, shapes keys that are values, caps depth', () => {
    const body = {
      cursor: 'abc',
      has_next: true,
      postings: [
        { posting_number: '12345678-0001-1', price: { amount: '1299.00', currency: 'RUB' }, items: [] },
        { posting_number: '12345678-0002-1', price: null, cancellation: { cancel_reason: 'Покупатель передумал' } },
      ],
      by_posting: { '12345678-0001-1': 1 },
    };
    const k = jsonKeys(body);
    expect(k).toEqual({
      cursor: 'string',
      has_next: 'boolean',
      postings: {
        '[]': 2,
        of: { posting_number: 'string', price: { amount: 'string', currency: 'string' }, items: { '[]': 0 }, cancellation: { cancel_reason: 'string' } },
      },
      by_posting: { '99999999-9999-9': 'number' },
    });
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(JSON.stringify(jsonKeys(deep))).toContain('"…"');
    // Page data straight from JSON.parse: own __proto__ / constructor keys are dropped, inherited names are plain fields.
    const hostile = jsonKeys(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"valueOf":[1],"hasOwnProperty":"x"}'));
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(hostile))).toEqual({ valueOf: { '[]': 1, of: 'number' }, hasOwnProperty: 'string' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the interceptor posts each answer as text; the log keeps the first one per path, and the page still gets its answer', async () => {
    const posted: unknown[] = [];
    const fakeWin = {
      location: { href: URL_LIST, origin: 'https://seller.ozon.ru' },
      document: { cookie: '' },
      postMessage: (m: unknown) => posted.push(structuredClone(m)),
      fetch: async () => new Response(JSON.stringify({ result: { postings: [] }, buyer: 'Иванов' }), { headers: { 'content-type': 'application/json' } }),
    } as unknown as Window;
    installInterceptor(fakeWin, bodyPoster(fakeWin));
    for (let i = 0; i < 3; i++) {
      const res = await fakeWin.fetch('https://seller.ozon.ru/api/v3/posting/fbs/list');
      expect(await res.json()).toEqual({ result: { postings: [] }, buyer: 'Иванов' });
    }
    await new Promise((ok) => setTimeout(ok, 20));
    expect(posted).toHaveLength(3);
    const log = new ApiKeysLog();
    for (const m of posted) collectReportKeys(messageEvent(m, window), window, log);
    expect(log.list()).toEqual([{ path: '/api/v3/posting/fbs/list', keys: { result: { postings: { '[]': 0 } }, buyer: 'string' } }]);
  });

  it('leaves a body the order feed sent to its worker: its key structure comes from there (addShape), kept as given', () => {
    const log = new ApiKeysLog();
    const e = messageEvent(bodyMessage({ result: { postings: [] } }, '/api/v3/posting/fbs/list'), window);
    claimBody(e);
    collectReportKeys(e, window, log);
    expect(log.list()).toEqual([]);
    log.addShape('/api/v3/posting/fbs/list', { result: { postings: { '[]': 0 } } });
    log.addShape('/api/v3/posting/fbs/list', 'string');
    expect(log.list()).toEqual([{ path: '/api/v3/posting/fbs/list', keys: { result: { postings: { '[]': 0 } } } }]);
  });
});
