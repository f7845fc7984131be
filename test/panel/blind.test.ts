/**
 * The reader on the BLIND fixtures (test/fixtures/panel/blind), field by
 * field, at two different "now"s, plus the decoys each one carries: banners
 * and toasts naming a posting, numbers only in data-* / title, product
 * sub-rows, day-group rows, shadow roots, iframes, in-place swaps.
 */
import { describe, expect, it } from 'vitest';
import { blindFixtures, BLIND_HIDDEN_ONLY, BLIND_SHADOW_NUMS } from '../fixtures/panel/blind';
import type { PanelFixture } from '../fixtures/panel/types';
import { findRows, readRow, readRows } from '../../panel/rows';
import { pageInfo } from '../../panel/page';
import type { ReadContext, RowRead } from '../../panel/types';
import { NOW, ctxFor, loadHtml } from './helpers';

/** A different day, minute and second (and near the end of a Moscow day). */
const NOW2 = Date.UTC(2026, 10, 22, 20, 41, 7, 123);
/** Just after Moscow midnight: «вчера» / «сегодня» flip here. */
const NOW3 = Date.UTC(2026, 0, 31, 21, 3, 0, 0);

function ctxAt(f: PanelFixture, now: number, url = f.url): ReadContext {
  return { ...ctxFor(url, f.cookies), nowMs: now };
}

function read(f: PanelFixture, html: string, now: number, url = f.url): RowRead[] {
  loadHtml(html);
  return readRows(document, ctxAt(f, now, url));
}

function check(f: PanelFixture, rows: RowRead[], expected: ReturnType<PanelFixture['expected']>) {
  expect(rows.map((r) => r.order.postingNumber), f.name).toEqual(expected.map((e) => e.postingNumber));
  expected.forEach((want, i) => {
    const r = rows[i]!;
    expect(r.order, `${f.name} ${want.postingNumber}`).toEqual(want);
    expect(r.row.contains(r.anchor)).toBe(true);
    expect(r.anchor.closest('a,button')).toBeNull();
  });
  // One row per order: no two reads share a row, no row holds another.
  const els = rows.map((r) => r.row);
  expect(new Set(els).size).toBe(els.length);
  for (const a of els) for (const b of els) if (a !== b) expect(a.contains(b)).toBe(false);
}

const byName = (name: string) => blindFixtures.find((f) => f.name === name)!;

describe('blind panel fixtures', () => {
  it('are at least 10, distinct, on real panel URLs, standalone', () => {
    expect(blindFixtures.length).toBeGreaterThanOrEqual(10);
    expect(new Set(blindFixtures.map((f) => f.name)).size).toBe(blindFixtures.length);
    for (const f of blindFixtures) {
      expect(pageInfo(f.url).isPostings).toBe(true);
      const html = f.html(NOW);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<(?:script|img|link|iframe)[^>]+(?:src|href)=["']?(?:https?:)?\/\//i);
      for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) expect(() => new Function(m[1]!), f.name).not.toThrow();
    }
  });

  for (const f of blindFixtures) {
    describe(f.name, () => {
      for (const now of [NOW, NOW2, NOW3]) {
        it(`reads every row field by field (T3, L3) at ${new Date(now).toISOString()}`, () => {
          check(f, read(f, f.html(now), now), f.expected(now));
        });
      }
      for (const step of f.steps ?? []) {
        it(`after "${step.name}"`, () => {
          check(f, read(f, step.html!(NOW), NOW, step.url ?? f.url), step.expected(NOW));
        });
      }
    });
  }
});

describe('blind decoys', () => {
  it('one-row table: the row is the <tr>, the alert banner naming another posting is not a row', () => {
    const f = byName('blind-one-row-table-ru');
    const rows = read(f, f.html(NOW), NOW);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row.tagName).toBe('TR');
    expect(findRows(document).some((r) => r.getAttribute('role') === 'alert' || r.contains(document.querySelector('[role=alert]')))).toBe(false);
  });

  it('one ARIA row without a grid: the row is the role=row, not its header', () => {
    const f = byName('blind-one-row-aria-nogrid');
    const rows = read(f, f.html(NOW), NOW);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row.getAttribute('role')).toBe('row');
    expect(rows[0]!.row.querySelector('[role=columnheader]')).toBeNull();
  });

  it('one FBO card: the <li> is the row; the toast repeating its number is not a second row', () => {
    const f = byName('blind-one-card-fbo');
    const rows = read(f, f.html(NOW), NOW);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row.tagName).toBe('LI');
    expect(document.querySelector('[role=status]')!.contains(rows[0]!.anchor)).toBe(false);
  });

  it('a number only in data-* / title is not an anchor (documented choice); href-only is', () => {
    const f = byName('blind-href-only-crossborder');
    const nums = read(f, f.html(NOW), NOW).map((r) => r.order.postingNumber);
    expect(nums).toHaveLength(3);
    expect(nums).not.toContain(BLIND_HIDDEN_ONLY);
  });

  it('product sub-rows get nothing; each main row is one row', () => {
    const f = byName('blind-main-plus-subrows');
    const rows = read(f, f.html(NOW), NOW);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.row.className).toBe('Row_main__Q1w');
  });

  it('day-group rows get nothing', () => {
    const f = byName('blind-day-groups-relative');
    const rows = read(f, f.html(NOW), NOW);
    for (const r of rows) expect(r.row.className).not.toBe('grp');
    expect(rows).toHaveLength(4);
  });

  it('nested product tables are not order rows', () => {
    const f = byName('blind-nested-products-en');
    const rows = read(f, f.html(NOW), NOW);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.row.className).toBe('order');
  });

  it('an open shadow root is not walked (documented): no rows, no throw', () => {
    const f = byName('blind-shadow-root-list');
    loadHtml(f.html(NOW));
    const host = document.getElementById('ol')!;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<table><tr><th>Номер отправления</th></tr>${BLIND_SHADOW_NUMS.map((n) => `<tr><td>${n}</td><td>Ожидает сборки</td></tr>`).join('')}</table>`;
    expect(readRows(document, ctxAt(f, NOW))).toEqual([]);
  });

  it('rows inside an iframe are not read from the top document', () => {
    const f = byName('blind-iframe-list');
    expect(read(f, f.html(NOW), NOW)).toEqual([]);
  });

  it('an in-place swap (same nodes, new text) re-reads as the new posting', () => {
    const f = byName('blind-inplace-swap');
    const before = read(f, f.html(NOW), NOW);
    const row = before[1]!.row;
    const after = f.steps![0]!.expected(NOW)[1]!;
    row.querySelector('.num')!.firstChild!.nodeValue = after.postingNumber;
    row.querySelector('.st')!.firstChild!.nodeValue = 'Отменён';
    const again = readRow(row, ctxAt(f, NOW))!;
    expect(again.order.postingNumber).toBe(after.postingNumber);
    expect(again.order.status).toBe('cancelled');
    expect(findRows(document)).toContain(row);
  });
});

describe('blind fixes, one by one', () => {
  const ctx = ctxFor('https://seller.ozon.ru/app/postings/fbs?tab=all');

  it('T3: relative days count from now in the panel zone (Moscow by default, the cookie zone when set)', async () => {
    const { timeFromText } = await import('../../panel/dates');
    // 2026-01-31 21:03 UTC is 2026-02-01 00:03 in Moscow: «сегодня» is 1 February there.
    expect(timeFromText('сегодня 14:30', undefined, NOW3)).toBe('2026-02-01T11:30:00.000Z');
    expect(timeFromText('завтра до 10:00', undefined, NOW3)).toBe('2026-02-02T07:00:00.000Z');
    expect(timeFromText('вчера 09:15', undefined, NOW3)).toBe('2026-01-31T06:15:00.000Z');
    // Same instant in UTC+8 (cookie -480): already 1 February 05:03 there.
    expect(timeFromText('today 2:30 PM', -480, NOW3)).toBe('2026-02-01T06:30:00.000Z');
    expect(timeFromText('明天 08:00', -480, NOW3)).toBe('2026-02-02T00:00:00.000Z');
    expect(timeFromText('завтра 25:61', undefined, NOW3)).toBeUndefined();
  });

  it('T3: a missing year is the one nearest to now', async () => {
    const { timeFromText } = await import('../../panel/dates');
    const dec30 = Date.UTC(2026, 11, 30, 9, 0);
    expect(timeFromText('2 января, 10:00', undefined, dec30)).toBe('2027-01-02T07:00:00.000Z');
    expect(timeFromText('28 декабря в 10:00', undefined, dec30)).toBe('2026-12-28T07:00:00.000Z');
    expect(timeFromText('Jan 2, 10:00 AM', undefined, dec30)).toBe('2027-01-02T07:00:00.000Z');
    // A full date never goes through the year guess.
    expect(timeFromText('2 января 2026 10:00', undefined, dec30)).toBe('2026-01-02T07:00:00.000Z');
  });

  it('L3: a status word followed by a counter is still the status; an unknown word stays unknown', () => {
    document.body.innerHTML = `<div><div class="r"><div>12345678-0001-1</div><div>Ожидает отгрузки • 2 дн.</div><div>x</div></div><div class="r"><div>12345678-0002-1</div><div>Телепортирован • 2 дн.</div><div>y</div></div></div>`;
    const rows = readRows(document, ctx);
    expect(rows.map((r) => r.order.status)).toEqual(['awaiting_shipment', 'unknown']);
  });

  it('a time colon is not a label colon ("Ship by May 12, 2026, 2:17 PM")', () => {
    document.body.innerHTML = `<div><div><div>12345678-0001-1</div><div>Awaiting packaging</div><div>Ship by May 12, 2026, 2:17 PM</div></div><div><div>12345678-0002-1</div><div>Awaiting packaging</div><div>—</div></div></div>`;
    expect(readRows(document, ctx)[0]!.order.shipBy).toBe('2026-05-12T11:17:00.000Z');
  });

  it('a number inside a sentence is a mention, not an anchor; a labelled number is an anchor', () => {
    document.body.innerHTML = `<div class="n"><span>!</span><span>Отправление 12345678-0001-1 отменено покупателем, соберите остальные заказы.</span></div>`;
    expect(findRows(document)).toEqual([]);
    document.body.innerHTML = `<ul><li><div>Отправление № 12345678-0001-1</div><div>Статус</div><div>Доставляется</div></li></ul>`;
    expect(findRows(document).map((r) => r.tagName)).toEqual(['LI']);
  });

  it('a lone number in a filter bar block is not a row (labels with their own controls)', () => {
    document.body.innerHTML = `<div class="filters"><label><span>Статус</span><select><option>Все</option></select></label><label><span>Дата отгрузки</span><input type="date"></label><div><span>Номер</span><span>12345678-0001-1</span></div></div>`;
    expect(findRows(document)).toEqual([]);
  });

  it('a toast with structure repeating a row number is never a row', () => {
    document.body.innerHTML = `<div role="status"><div>Скопировано</div><div>12345678-0001-1</div><div>Статус: Доставляется</div><div>Дата оплаты: 12.05.2026 10:00</div></div>`;
    expect(findRows(document)).toEqual([]);
  });

  it('a one-row div grid keeps finding its row when re-read from the list, the row or a cell', () => {
    const f = byName('blind-one-row-divgrid-notice');
    loadHtml(f.html(NOW));
    const [row] = findRows(document);
    expect(row).toBeDefined();
    expect(findRows(row!.parentElement!)).toEqual([row]);
    expect(findRows(row!)).toEqual([row]);
  });
});
