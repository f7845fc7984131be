/**
 * The reader on every panel fixture, field by field: the Orders each row
 * yields must equal the fixture's expectation exactly (no missing field, no
 * stray one). JSON-fed fixtures: the rows their script renders, read from
 * the DOM, merged with ordersFromJson of the API body (T3, P1, P2).
 */
import { describe, expect, it } from 'vitest';
import { panelFixtures, type PanelFixture } from '../fixtures/panel';
import { ordersFromJson } from '../../panel/json';
import { mergeOrder } from '../../panel/merge';
import { readRow } from '../../panel/rows';
import { printedTimes } from '../../panel/parse-row';
import { pageInfo } from '../../panel/page';
import { PANEL_ORIGINS } from '../../panel/origins';
import type { Order } from '../../rules/types';
import { NOW, ctxFor, readFixture } from './helpers';

/** Another "now" (a different day, minute and second) so nothing passes by coincidence. */
const NOW2 = Date.UTC(2026, 11, 31, 22, 59, 59, 999);

function byPosting(list: { postingNumber: string }[]): string[] {
  return [...new Set(list.map((o) => o.postingNumber))];
}

/** A JSON order and its variants with one field gone each (and an unknown status): what the lean read must fill in. */
function jsonVariants(o: Order | undefined): Order[] {
  if (!o) return [];
  const out: Order[] = [o, { ...o, status: 'unknown' }];
  for (const k of Object.keys(o) as (keyof Order)[]) {
    if (k === 'postingNumber' || k === 'scheme' || k === 'status') continue;
    const v = { ...o };
    delete v[k];
    out.push(v);
  }
  if (o.cancellation) {
    for (const k of Object.keys(o.cancellation) as (keyof NonNullable<Order['cancellation']>)[]) {
      const c = { ...o.cancellation };
      if (k === 'initiator') c.initiator = 'unknown';
      else delete c[k];
      out.push({ ...o, cancellation: c });
    }
  }
  return out;
}

function check(f: PanelFixture, now: number, html: string, url: string, expected: Order[], domRows?: number) {
  const rows = readFixture(f, html, url);
  const want = new Map(expected.map((e) => [e.postingNumber, e]));
  expect(byPosting(rows.map((r) => r.order))).toEqual(byPosting(expected));
  expect(rows.length).toBe(domRows ?? expected.length);
  let json: Map<string, Order> | undefined;
  if (f.jsonFed && f.api) {
    const ctx = ctxFor(url, f.cookies);
    json = new Map();
    for (const body of Object.values(f.api)) {
      const opts = ctx.storeId ? { scheme: ctx.page.scheme, storeId: ctx.storeId } : { scheme: ctx.page.scheme };
      for (const o of ordersFromJson(JSON.parse(body(now)), opts)) json.set(o.postingNumber, o);
    }
  }
  const ctx = ctxFor(url, f.cookies);
  for (const r of rows) {
    const got = json ? mergeOrder(r.order, json.get(r.order.postingNumber)) : r.order;
    // JSON-first reading (the content script's path when it holds the posting's JSON): the row read only
    // for what the JSON lacks, merged, equals the full read merged — with the fixture's own JSON and with
    // JSON orders missing any one field, or unsure of the status (T3, P1, P2 merge semantics unchanged).
    for (const j of jsonVariants(json?.get(r.order.postingNumber) ?? want.get(r.order.postingNumber))) {
      const lean = readRow(r.row, ctx, (n) => (n === r.order.postingNumber ? j : undefined));
      expect(lean?.json, `${f.name} ${r.order.postingNumber}`).toBe(j);
      expect(mergeOrder(lean!.order, j), `${f.name} ${r.order.postingNumber} JSON-first`).toEqual(mergeOrder(r.order, j));
      // T3 evidence from the same read's cells equals reading the row's printed times afresh.
      expect(lean!.printed!(now), `${f.name} ${r.order.postingNumber} printed`).toEqual(printedTimes(r.row, now));
    }
    expect(got, `${f.name} ${r.order.postingNumber}`).toEqual(want.get(r.order.postingNumber));
    // The badge anchor is inside the row and never inside a link or button (a badge must not navigate).
    expect(r.row.contains(r.anchor)).toBe(true);
    expect(r.anchor.closest('a,button')).toBeNull();
  }
}

describe('panel fixtures', () => {
  it('are at least 10, each with a real panel URL and a distinct name', () => {
    expect(panelFixtures.length).toBeGreaterThanOrEqual(10);
    expect(new Set(panelFixtures.map((f) => f.name)).size).toBe(panelFixtures.length);
    for (const f of panelFixtures) {
      expect(PANEL_ORIGINS.some((o) => f.url.startsWith(`${o}/app/postings/`)), f.url).toBe(true);
      expect(pageInfo(f.url).isPostings).toBe(true);
    }
  });

  it('are standalone documents: no external resources, scripts inline', () => {
    for (const f of panelFixtures) {
      const html = f.html(NOW);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<(?:script|img|link|iframe)[^>]+(?:src|href)=["']?(?:https?:)?\/\//i);
      // Function#toString-inlined renderers must not drag in bundler helpers.
      expect(html).not.toMatch(/__vite|__name\(|import\s*\(/);
    }
  });

  it('inline scripts are valid JavaScript (renderers inlined with Function#toString)', () => {
    for (const f of panelFixtures) {
      for (const m of f.html(NOW).matchAll(/<script>([\s\S]*?)<\/script>/g)) {
        expect(() => new Function(m[1]!), f.name).not.toThrow();
      }
    }
  });

  for (const f of panelFixtures) {
    describe(f.name, () => {
      for (const now of [NOW, NOW2]) {
        it(`reads every row field by field (T3, L3) at ${new Date(now).toISOString()}`, () => {
          const html = (f.settledHtml ?? f.html)(now);
          check(f, now, html, f.url, f.expected(now), f.domRows);
        });
      }
      for (const step of f.steps ?? []) {
        it(`after "${step.name}"`, () => {
          expect(step.html).toBeTypeOf('function');
          check(f, NOW, step.html!(NOW), step.url ?? f.url, step.expected(NOW));
        });
      }
    });
  }
});
