// @vitest-environment node
/**
 * panel/json-offload.ts: the JSON worker's program. What it answers for a body is what the page
 * would have made of it itself (panel/json.ts ordersFromJson: the same orders, in the same order),
 * in answers of bounded work, with the key structure first when asked for, and exactly one `done`
 * per request, whatever the request or the body holds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WALK_ANSWER_MS, walkRequest, type WalkReply } from '../../panel/json-offload';
import { ordersFromJson } from '../../panel/json';
import { jsonKeys } from '../../panel/report-json';
import { realApiFiles, readRealApi } from '../real/samples';
import { postingsBody } from '../helpers/bridge';

const opts = { scheme: 'FBS' as const, storeId: '42' };

function run(req: unknown, clock: () => number = () => 0): WalkReply[] {
  const out: WalkReply[] = [];
  // The browser's copy between the worker and the page.
  walkRequest(req, (r) => out.push(structuredClone(r)), clock);
  return out;
}

const ordersOf = (answers: WalkReply[]) => answers.flatMap((a) => a.orders ?? []);

describe('walkRequest: the worker answers what the page would have made', () => {
  it('every real Seller API body: the same orders as ordersFromJson, in order, then one done', () => {
    let withOrders = 0;
    for (const file of realApiFiles()) {
      const body = readRealApi(file);
      const answers = run({ id: 7, text: JSON.stringify(body), opts, keys: false });
      expect(answers.every((a) => a.id === 7)).toBe(true);
      expect(answers.filter((a) => a.done)).toHaveLength(1);
      expect(answers.at(-1)!.done).toBe(true);
      expect(ordersOf(answers)).toEqual(ordersFromJson(body, opts));
      if (ordersOf(answers).length) withOrders++;
    }
    // The samples hold list and get bodies: most of them have postings.
    expect(withOrders).toBeGreaterThan(5);
  });

  it('answers while it walks (about every WALK_ANSWER_MS of its time), the orders in document order, each once', () => {
    const n = 3_000;
    const body = postingsBody(Array.from({ length: n }, (_, i) => ({ postingNumber: `${40_000_000 + i}-0001-1`, shipBy: '2026-05-13T10:00:00Z' })));
    let t = 0;
    // Each clock read moves it on: a slow worker, so the walk is cut into many answers.
    const answers = run({ id: 1, text: JSON.stringify(body), opts, keys: false }, () => (t += WALK_ANSWER_MS / 4));
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.slice(0, -1).every((a) => !a.done && a.orders!.length > 0)).toBe(true);
    expect(ordersOf(answers).map((o) => o.postingNumber)).toEqual(body.result.postings.map((p) => p.posting_number));
  });

  it('gives the key structure first when asked (the page report), the same as jsonKeys on the page', () => {
    const body = readRealApi(realApiFiles().find((f) => f.startsWith('v3_posting_fbs_list'))!);
    const answers = run({ id: 2, text: JSON.stringify(body), opts, keys: true });
    expect(answers[0]!.keys).toEqual(jsonKeys(body));
    expect(answers.slice(1).every((a) => a.keys === undefined)).toBe(true);
    expect(run({ id: 3, text: JSON.stringify(body), opts, keys: false }).every((a) => a.keys === undefined)).toBe(true);
  });

  it('a body that is not JSON, or not an object, is done at once with nothing; a request it cannot read gets done, or nothing without an id', () => {
    expect(run({ id: 4, text: '{"result":', opts, keys: true })).toEqual([{ id: 4, done: true }]);
    expect(run({ id: 5, text: '42', opts, keys: true })).toEqual([{ id: 5, done: true }]);
    expect(run({ id: 6, text: 'null', opts, keys: false })).toEqual([{ id: 6, done: true }]);
    expect(run({ id: 8, text: '{}', opts: { scheme: 'XYZ' }, keys: false })).toEqual([{ id: 8, done: true }]);
    expect(run({ id: 9, text: 7, opts, keys: false })).toEqual([{ id: 9, done: true }]);
    expect(run({ text: '{}', opts })).toEqual([]);
    expect(run(null)).toEqual([]);
    expect(run('x')).toEqual([]);
  });

  it('keeps only the options the walk knows: a store id the schema refuses is dropped by the walk as on the page', () => {
    const body = postingsBody([{ postingNumber: '12345678-0001-1' }]);
    const [a] = run({ id: 1, text: JSON.stringify(body), opts: { scheme: 'FBO', storeId: '../x', extra: 1 }, keys: false });
    expect(a!.orders).toEqual(ordersFromJson(body, { scheme: 'FBO', storeId: '../x' }));
    expect(a!.orders![0]!.storeId).toBeUndefined();
    expect(a!.orders![0]!.scheme).toBe('FBO');
  });

  it('never throws, and ends every request it can read with exactly one done, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), fc.boolean(), (text, keys) => {
        const answers = run({ id: 1, text, opts, keys });
        expect(answers.filter((a) => a.done)).toHaveLength(1);
        expect(answers.at(-1)!.done).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
