/**
 * A local stand-in for the Ozon Seller API, serving the published response
 * shapes of the shared real samples (../shared/real-samples/api/, read in place; each posting is a copy of the real
 * sample body with its number, times, status and cancellation varied), with
 * cursor and offset paging, since/to/status filters, and injectable faults
 * (429 with Retry-After, 500, 401, a refused method). Used by the unit tests
 * (as a fake fetch) and the real-browser test (behind context.route).
 *
 * It records every request it sees, so a test can assert that nothing but
 * the allowlisted read paths was ever asked for.
 */
import { readFileSync } from 'node:fs';
import { realApiDir } from '../../real/samples';
import path from 'node:path';

// Read in place from the shared real samples (test/real/samples.ts): never copied, never edited.
export const SAMPLES = path.join(realApiDir(), '');
const sample = (f: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(SAMPLES, f), 'utf8'));

type Obj = Record<string, unknown>;
const TEMPLATES = {
  v4fbs: (sample('v4_posting_fbs_list__ozon_swagger_2026.json').postings as Obj[])[0]!,
  v3fbs: ((sample('v3_posting_fbs_list__ozon_swagger_2026.json').result as Obj).postings as Obj[])[0]!,
  v3fbo: (sample('v3_posting_fbo_list__ozon_swagger_2026.json').postings as Obj[])[0]!,
  v2fbo: (sample('v2_posting_fbo_list__ozon_swagger_2026.json').result as Obj[])[0]!,
};
export const RATING_SUMMARY = sample('v1_rating_summary__diphantxm_2024.json');
export const FBS_REASONS = sample('v2_posting_fbs_cancel-reason_list__diphantxm.json');
export const FBO_REASONS = sample('v1_posting_fbo_cancel-reason_list__ozon_swagger_2025-09.json');

/** One posting of the stand-in's store. */
export interface Model {
  n: string;
  scheme: 'FBS' | 'FBO';
  inProcessAt: string;
  status: string;
  /** A seller-fault cancellation (reason 352, "out of stock"). */
  sellerCancel?: boolean;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Fault {
  path?: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many requests it answers (default 1). */
  times?: number;
  /** Only from the n-th matching request on (1-based; default 1). */
  after?: number;
}

export interface StandInOptions {
  clientId?: string;
  apiKey?: string;
  /** Paths answered 404 {code:5,"message":"Not Found"} (a method Ozon has retired). */
  refuse?: string[];
  rating?: unknown;
}

export interface Seen {
  url: string;
  path: string;
  body: Obj;
  clientId?: string;
  apiKey?: string;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const b64 = (n: number) => Buffer.from(JSON.stringify({ o: n })).toString('base64');
const unb64 = (s: unknown) => {
  if (typeof s !== 'string' || !s) return 0;
  try {
    return Number((JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as { o: number }).o) || 0;
  } catch {
    return 0;
  }
};

/** `count` postings spread over the last `days` days before `now`, a mix of statuses and cancellations. */
export function makeStore(count: number, now: number, opts: { days?: number; fboShare?: number; seed?: number } = {}): Model[] {
  const days = opts.days ?? 29;
  let x = opts.seed ?? 7;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: Model[] = [];
  for (let i = 0; i < count; i++) {
    const scheme = rnd() < (opts.fboShare ?? 0.3) ? 'FBO' : 'FBS';
    const t = now - Math.floor(rnd() * days * 86_400_000) - 60_000;
    const r = rnd();
    const status = r < 0.06 ? 'cancelled' : r < 0.6 ? 'delivered' : r < 0.8 ? 'delivering' : r < 0.9 ? 'awaiting_deliver' : 'awaiting_packaging';
    out.push({
      n: `${String(1_000_000_000 + i).padStart(10, '0')}-${String(1000 + (i % 9000)).padStart(4, '0')}-1`,
      scheme,
      inProcessAt: new Date(t).toISOString(),
      status,
      ...(status === 'cancelled' && rnd() < 0.7 && { sellerCancel: true }),
    });
  }
  return out;
}

function render(m: Model, version: 'v4fbs' | 'v3fbs' | 'v3fbo' | 'v2fbo'): Obj {
  const p = clone(TEMPLATES[version]);
  p.posting_number = m.n;
  p.order_number = m.n.split('-').slice(0, 2).join('-');
  p.status = m.status;
  p.in_process_at = m.inProcessAt;
  if ('created_at' in p) p.created_at = m.inProcessAt;
  if ('shipment_date' in p) p.shipment_date = new Date(Date.parse(m.inProcessAt) + 2 * 86_400_000).toISOString();
  if ('delivering_date' in p) p.delivering_date = m.status === 'delivering' || m.status === 'delivered' ? new Date(Date.parse(m.inProcessAt) + 86_400_000).toISOString() : null;
  if ('substatus' in p) p.substatus = m.status === 'cancelled' ? 'posting_canceled' : `posting_${m.status}`;
  const cancelled = m.status === 'cancelled';
  if (version === 'v4fbs' || version === 'v3fbs') {
    p.cancellation = cancelled
      ? {
          affect_cancellation_rating: !!m.sellerCancel,
          cancel_reason: m.sellerCancel ? '' : 'Покупатель отменил заказ',
          cancel_reason_id: m.sellerCancel ? 352 : 508,
          cancellation_initiator: m.sellerCancel ? 'Продавец' : 'Клиент',
          cancellation_type: m.sellerCancel ? 'seller' : 'client',
          cancelled_after_ship: false,
        }
      : { affect_cancellation_rating: false, cancel_reason: '', cancel_reason_id: 0, cancellation_initiator: '', cancellation_type: '', cancelled_after_ship: false };
  } else if (version === 'v3fbo') {
    p.cancel_reason_id = cancelled ? (m.sellerCancel ? 352 : 508) : 0;
    p.cancellation = cancelled
      ? { cancel_reason: m.sellerCancel ? '' : 'Покупатель отменил заказ', cancellation_initiator: m.sellerCancel ? 'Продавец' : 'Клиент', cancellation_type: m.sellerCancel ? 'seller' : 'client' }
      : null;
  } else {
    p.cancel_reason_id = cancelled ? (m.sellerCancel ? 352 : 508) : 0;
  }
  return p;
}

const VERSION: Record<string, 'v4fbs' | 'v3fbs' | 'v3fbo' | 'v2fbo'> = {
  '/v4/posting/fbs/list': 'v4fbs',
  '/v3/posting/fbs/list': 'v3fbs',
  '/v3/posting/fbo/list': 'v3fbo',
  '/v2/posting/fbo/list': 'v2fbo',
};
const LIMITS: Record<string, number> = { v4fbs: 100, v3fbs: 1000, v3fbo: 100, v2fbo: 1000 };

export function createStandIn(store: Model[], opts: StandInOptions = {}) {
  const clientId = opts.clientId ?? '123456';
  const apiKey = opts.apiKey ?? 'test-key-0000-abcd';
  const refuse = new Set(opts.refuse ?? []);
  const faults: (Fault & { left: number; count: number })[] = [];
  const seen: Seen[] = [];
  /** The last object served per posting number (what the figures must be computed from). */
  const served = new Map<string, { scheme: 'FBS' | 'FBO'; posting: Obj }>();

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  function handle(url: string, headers: Record<string, string>, bodyText: string | null): Reply {
    const u = new URL(url);
    let body: Obj = {};
    try {
      body = JSON.parse(bodyText ?? '{}') as Obj;
    } catch {
      /* keep {} */
    }
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    seen.push({ url, path: u.pathname, body, clientId: h['client-id'], apiKey: h['api-key'] });
    for (const f of faults) {
      if (f.path && f.path !== u.pathname) continue;
      f.count++;
      if (f.count < (f.after ?? 1) || f.left <= 0) continue;
      f.left--;
      return reply(f.status, f.body ?? { code: f.status, message: f.status === 429 ? 'Too many requests' : 'Internal error', details: [] }, f.headers);
    }
    if (h['client-id'] !== clientId || h['api-key'] !== apiKey)
      return reply(401, { code: 16, message: 'Client-Id and Api-Key headers are required or invalid', details: [] });
    if (refuse.has(u.pathname)) return reply(404, { code: 5, message: 'Not Found', details: [] });
    if (u.pathname === '/v1/rating/summary') return reply(200, opts.rating ?? RATING_SUMMARY);
    if (u.pathname === '/v2/posting/fbs/cancel-reason/list') return reply(200, FBS_REASONS);
    if (u.pathname === '/v1/posting/fbo/cancel-reason/list') return reply(200, FBO_REASONS);
    const version = VERSION[u.pathname];
    if (!version) return reply(404, { code: 5, message: 'Not Found', details: [] });
    const limit = Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS[version]!) return reply(400, { code: 3, message: `limit must be 1..${LIMITS[version]}`, details: [] });
    const filter = (body.filter ?? {}) as Obj;
    const since = Date.parse(String(filter.since));
    const to = Date.parse(String(filter.to));
    if (!Number.isFinite(since) || !Number.isFinite(to)) return reply(400, { code: 3, message: 'filter.since and filter.to are required', details: [] });
    const statuses = Array.isArray(filter.statuses) ? (filter.statuses as string[]) : typeof filter.status === 'string' && filter.status ? [filter.status] : undefined;
    const scheme = version.endsWith('fbs') ? 'FBS' : 'FBO';
    const matching = store
      .filter((m) => m.scheme === scheme)
      .filter((m) => {
        const t = Date.parse(m.inProcessAt);
        return t >= since && t <= to && (!statuses || statuses.includes(m.status));
      })
      .sort((a, b) => a.inProcessAt.localeCompare(b.inProcessAt) || a.n.localeCompare(b.n));
    const cursorMode = version === 'v4fbs' || version === 'v3fbo';
    const start = cursorMode ? unb64(body.cursor) : Number(body.offset ?? 0);
    const slice = matching.slice(start, start + limit);
    const postings = slice.map((m) => render(m, version));
    for (let i = 0; i < slice.length; i++) served.set(slice[i]!.n, { scheme, posting: postings[i]! });
    const hasNext = start + limit < matching.length;
    if (version === 'v4fbs' || version === 'v3fbo') return reply(200, { cursor: hasNext ? b64(start + limit) : '', has_next: hasNext, postings });
    if (version === 'v3fbs') return reply(200, { result: { has_next: hasNext, postings } });
    return reply(200, { result: postings });
  }

  return {
    clientId,
    apiKey,
    seen,
    served,
    handle,
    fault(f: Fault) {
      faults.push({ ...f, left: f.times ?? 1, count: 0 });
    },
    clearFaults() {
      faults.length = 0;
    },
    /** A fetch for background/seller-api/client.ts. */
    fetch: async (url: string, init: { headers: Record<string, string>; body: string }) => {
      const r = handle(url, init.headers, init.body);
      return { status: r.status, headers: { get: (n: string) => r.headers[n.toLowerCase()] ?? r.headers[n] ?? null }, text: async () => r.body };
    },
  };
}
