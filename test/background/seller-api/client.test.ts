// @vitest-environment node
/**
 * The allowlist: background/seller-api/client.ts is the only code that fetches the
 * Seller API, and it must refuse (before any fetch) every path and origin not
 * in background/seller-api/paths.ts. The fake fetch below asserts on every request
 * it receives, so any other path ever requested fails the test.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiPost, ApiError, retryAfterMs, type FetchLike } from '../../../background/seller-api/client';
import { ALLOWED_PATHS, API_ORIGINS, READ_PATHS } from '../../../background/seller-api/paths';
import { readListPage, readRatingSummary, readReasonTitles, orderFromApiPosting } from '../../../background/seller-api/map';
import { SAMPLES } from './standIn';

const CREDS = { clientId: '123456', apiKey: 'k-123', origin: API_ORIGINS[0] };

function guardedFetch(answer: (url: string) => { status: number; body: unknown; headers?: Record<string, string> }) {
  const calls: { url: string; init: Parameters<FetchLike>[1] }[] = [];
  const f: FetchLike = async (url, init) => {
    const u = new URL(url);
    // Asserted on EVERY request the client makes.
    expect(ALLOWED_PATHS.has(u.pathname), `requested ${u.pathname}`).toBe(true);
    expect((API_ORIGINS as readonly string[]).includes(u.origin), `origin ${u.origin}`).toBe(true);
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    calls.push({ url, init });
    const a = answer(url);
    return { status: a.status, headers: { get: (n: string) => a.headers?.[n] ?? null }, text: async () => JSON.stringify(a.body) };
  };
  return { f, calls };
}

describe('the read-path allowlist', () => {
  it('holds exactly the read methods the issue names', () => {
    expect([...ALLOWED_PATHS].sort()).toEqual(
      [
        '/v1/posting/fbo/cancel-reason/list',
        '/v1/rating/summary',
        '/v2/posting/fbo/list',
        '/v2/posting/fbs/cancel-reason/list',
        '/v3/posting/fbo/list',
        '/v3/posting/fbs/list',
        '/v4/posting/fbs/list',
      ].sort(),
    );
    for (const p of ALLOWED_PATHS) expect(p).toMatch(/\/(list|summary)$/);
  });

  it('refuses every other path and origin before any request', async () => {
    const { f, calls } = guardedFetch(() => ({ status: 200, body: {} }));
    for (const p of ['/v2/posting/fbs/cancel', '/v3/posting/fbs/ship', '/v1/product/import', '/v4/posting/fbs/list/../cancel', '/v4/posting/fbs/list?x=1', '', 'https://evil.example/v1/rating/summary']) {
      await expect(apiPost(CREDS, p, {}, { fetch: f })).rejects.toMatchObject({ kind: 'refused' });
    }
    await expect(apiPost({ ...CREDS, origin: 'https://evil.example' as never }, READ_PATHS.ratingSummary, {}, { fetch: f })).rejects.toMatchObject({ kind: 'refused' });
    await expect(apiPost({ ...CREDS, clientId: '12; x' }, READ_PATHS.ratingSummary, {}, { fetch: f })).rejects.toMatchObject({ kind: 'refused' });
    await expect(apiPost({ ...CREDS, apiKey: 'a\r\nX-Evil: 1' }, READ_PATHS.ratingSummary, {}, { fetch: f })).rejects.toMatchObject({ kind: 'refused' });
    expect(calls).toHaveLength(0);
  });

  it('sends only Client-Id, Api-Key and the JSON body', async () => {
    const { f, calls } = guardedFetch(() => ({ status: 200, body: { groups: [] } }));
    await apiPost(CREDS, READ_PATHS.ratingSummary, {}, { fetch: f });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://api-seller.ozon.ru/v1/rating/summary');
    expect(calls[0]!.init.headers).toEqual({ 'Client-Id': '123456', 'Api-Key': 'k-123', 'Content-Type': 'application/json' });
  });

  it('the only fetch of the API in the sources is the client (no other file names an API host or path)', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    for (const f of ['background/seller-api/sync.ts', 'background/seller-api/service.ts', 'background/seller-api/map.ts', 'background/seller-api/store.ts']) {
      const text = readFileSync(path.join(root, f), 'utf8');
      expect(text, f).not.toMatch(/\bfetch\s*\(/);
      expect(text, f).not.toMatch(/['"]\/v\d\/[a-z]/);
    }
  });
});

describe('errors', () => {
  it('401 → auth, 403 → forbidden, with Ozon\'s message and never the key', async () => {
    for (const [status, kind] of [
      [401, 'auth'],
      [403, 'forbidden'],
    ] as const) {
      const { f } = guardedFetch(() => ({ status, body: { code: 16, message: 'Invalid Api-Key, please contact support' } }));
      const e = (await apiPost(CREDS, READ_PATHS.ratingSummary, {}, { fetch: f }).catch((x) => x)) as ApiError;
      expect(e).toBeInstanceOf(ApiError);
      expect(e.kind).toBe(kind);
      expect(e.status).toBe(status);
      expect(e.detail).toMatch(/Invalid Api-Key/);
      expect(e.message).not.toContain(CREDS.apiKey);
    }
  });

  it('404 and a "not found" 400 mean a retired method; another 400 does not', async () => {
    let r = guardedFetch(() => ({ status: 404, body: { code: 5, message: 'Not Found' } }));
    await expect(apiPost(CREDS, READ_PATHS.fbsListV4, {}, { fetch: r.f })).rejects.toMatchObject({ kind: 'not_found' });
    r = guardedFetch(() => ({ status: 400, body: { code: 3, message: 'method not found' } }));
    await expect(apiPost(CREDS, READ_PATHS.fbsListV4, {}, { fetch: r.f })).rejects.toMatchObject({ kind: 'not_found' });
    r = guardedFetch(() => ({ status: 400, body: { code: 3, message: 'limit must be 1..100' } }));
    await expect(apiPost(CREDS, READ_PATHS.fbsListV4, {}, { fetch: r.f })).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('429 and 5xx are retried with growing waits, Retry-After first; they give up after the attempts', async () => {
    const slept: number[] = [];
    const { f, calls } = guardedFetch(() => ({ status: 503, body: {}, headers: { 'Retry-After': '3' } }));
    const e = await apiPost(CREDS, READ_PATHS.ratingSummary, {}, { fetch: f, sleep: async (ms) => void slept.push(ms), attempts: 4, backoffMs: 1_000 }).catch((x) => x);
    expect(e).toMatchObject({ kind: 'server', status: 503 });
    expect(calls).toHaveLength(4);
    expect(slept).toEqual([3_000, 3_000, 4_000]);
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('a body that is not JSON is an error, not a throw of JSON.parse', async () => {
    const f: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => '<html>' });
    await expect(apiPost(CREDS, READ_PATHS.ratingSummary, {}, { fetch: f })).rejects.toMatchObject({ kind: 'bad_body' });
  });
});

describe('the real sample bodies', () => {
  const read = (f: string) => JSON.parse(readFileSync(path.join(SAMPLES, f), 'utf8'));

  it('reads every list envelope and its paging', () => {
    const v4 = readListPage(read('v4_posting_fbs_list__ozon_swagger_2026.json'));
    expect(v4.postings).toHaveLength(1);
    expect(v4.hasNext).toBe(false);
    expect(v4.cursor).toMatch(/^eyJ/);
    const v3 = readListPage(read('v3_posting_fbs_list__ozon_swagger_2025-09.json'));
    expect(v3.postings.length).toBeGreaterThan(0);
    expect(v3.hasNext).toBe(true);
    expect(readListPage(read('v3_posting_fbo_list__ozon_swagger_2026.json')).postings).toHaveLength(1);
    const v2 = readListPage(read('v2_posting_fbo_list__ozon_swagger_2026.json'));
    expect(v2.postings).toHaveLength(1);
    expect(v2.hasNext).toBeUndefined();
    for (const bad of [null, 1, 'x', [], { result: 'x' }, { postings: [1, null] }]) expect(readListPage(bad).postings).toEqual([]);
  });

  it('maps the sample postings to orders of the right scheme and store', () => {
    const v4 = read('v4_posting_fbs_list__ozon_swagger_2026.json').postings[0];
    const o = orderFromApiPosting(v4, 'FBS', '777')!;
    expect(o).toMatchObject({ postingNumber: '0208245774-0029-1', scheme: 'FBS', status: 'awaiting_packaging', storeId: '777', paidAt: '2026-05-14T08:00:00.000Z' });
    const fbo = orderFromApiPosting(read('v3_posting_fbo_list__ozon_swagger_2026.json').postings[0], 'FBO', '777')!;
    expect(fbo).toMatchObject({ postingNumber: '9121072335-0187-1', scheme: 'FBO', status: 'delivered' });
  });

  it('reads the rating summary (both shapes) and the cancel-reason lists', () => {
    const s = readRatingSummary(read('v1_rating_summary__diphantxm_2024.json'));
    expect(s).toMatchObject({ items: 1, penaltyScoreExceeded: true, premium: true });
    expect(s.cancellation).toBeUndefined();
    expect(readRatingSummary(read('v1_rating_summary__diphantxm_2023.json')).items).toBe(1);
    const real = readRatingSummary({
      groups: [
        {
          group_name: 'Отмены',
          items: [
            { rating: 'rating_order_cancellation', name: 'Отмены по вине продавца', current_value: 1.8, past_value: 2.1, rating_direction: 'LOWER_IS_BETTER', status: 'WARNING', value_type: 'PERCENT', change: { direction: 'DIRECTION_FALL', meaning: 'MEANING_GOOD' } },
            { rating: 'rating_fbs_error_index', name: 'Индекс ошибок FBS', current_value: 3.2, rating_direction: 'LOWER_IS_BETTER', status: 'OK', value_type: 'PERCENT' },
          ],
        },
      ],
    });
    expect(real.cancellation).toMatchObject({ current: 1.8, past: 2.1, status: 'WARNING', direction: 'LOWER_IS_BETTER', meaning: 'GOOD' });
    expect(real.errorIndex).toMatchObject({ current: 3.2, status: 'OK' });
    expect(readRatingSummary('nope')).toEqual({ items: 0 });
    expect(readReasonTitles(read('v2_posting_fbs_cancel-reason_list__diphantxm.json'))['352']).toMatch(/ran out/);
    expect(readReasonTitles(read('v1_posting_fbo_cancel-reason_list__ozon_swagger_2025-09.json'))['402']).toBe('Другое (вина продавца)');
  });
});
