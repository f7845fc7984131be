import { describe, expect, it } from 'vitest';
import { findRows, readRow, readRows } from '../../panel/rows';
import { postingNumbersIn, primaryPosting, stillFound } from '../../panel/anchors';
import { fieldOfHeader } from '../../panel/columns';
import { fixtureByName, HOSTILE_NUMBERS } from '../fixtures/panel';
import { NOW, ctxFor, loadHtml } from './helpers';
import type { Order } from '../../rules';

const ctx = ctxFor('https://seller.ozon.ru/app/postings/fbs?tab=all');

function grid(n: number): string {
  let rows = '';
  for (let i = 0; i < n; i++) {
    const num = `${String(10000000 + i)}-${String(i % 10000).padStart(4, '0')}-1`;
    rows += `<div class="Row_row__a${i % 7}"><div><a href="?postingDetails=${num}">${num}</a></div><div>Ожидает сборки</div><div>12.05.2026 14:${String(i % 60).padStart(2, '0')}</div></div>`;
  }
  return `<div class="T"><div class="H"><div>Номер отправления</div><div>Статус</div><div>Отгрузить до</div></div><div class="B">${rows}</div></div>`;
}

describe('findRows / readRows', () => {
  it('finds every row of a 5,000-row div grid, once, in document order', () => {
    document.body.innerHTML = grid(5000);
    const rows = findRows(document);
    expect(rows).toHaveLength(5000);
    expect(new Set(rows).size).toBe(5000);
    expect(rows.every((r) => r.parentElement!.className === 'B')).toBe(true);
    expect(rows[0]!.textContent).toContain('10000000-0000-1');
    expect(readRow(rows[4999]!, ctx)!.order).toEqual({ postingNumber: '10004999-4999-1', scheme: 'FBS', status: 'awaiting_packaging', shipBy: '2026-05-12T11:19:00.000Z' });
    // Speed is the benchmark's business (no timed assertion here); happy-dom is far slower than a browser.
  }, 60_000);

  it('readRows reads a 500-row grid completely', () => {
    document.body.innerHTML = grid(500);
    const read = readRows(document, ctx);
    expect(read).toHaveLength(500);
    expect(read.every((r) => r.order.status === 'awaiting_packaging' && r.order.shipBy !== undefined)).toBe(true);
  }, 60_000);

  it('finds the same row whatever root it is given (the list, the row, one cell)', () => {
    document.body.innerHTML = grid(3);
    const list = document.querySelector('.B')!;
    const row = list.children[1]!;
    expect(findRows(list)).toEqual(Array.from(list.children));
    expect(findRows(row)).toEqual([row]);
    expect(findRows(row.firstElementChild!)).toEqual([row]);
  });

  it('a one-row list still has a row (no container to compare against)', () => {
    document.body.innerHTML = grid(1);
    const rows = findRows(document);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.className).toBe('Row_row__a0');
  });

  it('readRow re-reads one changed row; null for a row without a posting number', () => {
    document.body.innerHTML = grid(2);
    const row = document.querySelector('.B')!.children[0]!;
    row.children[1]!.textContent = 'Доставляется';
    expect(readRow(row, ctx)!.order.status).toBe('in_transit');
    row.children[0]!.innerHTML = 'нет номера';
    expect(readRow(row, ctx)).toBeNull();
  });

  it('a row the JSON describes is read only for what the JSON lacks, not for what its status rules out', () => {
    // A cancellation reason and a tracking number printed in the row: the reader would take them with no JSON.
    const head = '<div class="H"><div>Номер отправления</div><div>Статус</div><div>Причина отмены</div><div>Трек-номер</div></div>';
    const row = (num: string) => `<div class="R"><div><a href="?postingDetails=${num}">${num}</a></div><div>Отменён</div><div>Покупатель передумал</div><div>RR123456785RU</div></div>`;
    document.body.innerHTML = `<div class="T">${head}<div class="B">${row('10000000-0000-1')}${row('10000001-0001-1')}</div></div>`;
    const [r1, r2] = findRows(document);
    const full = readRow(r1!, ctx)!.order;
    expect(full.cancellation?.reasonText).toBe('Покупатель передумал');
    expect(full.trackingNumber).toBe('RR123456785RU');
    const base = { scheme: 'FBS', paidAt: '2026-05-10T08:00:00.000Z', shipBy: '2026-05-12T11:00:00.000Z', carrier: 'Ozon', items: [{ sku: '1', quantity: 1 }], currency: 'RUB' } satisfies Omit<Order, 'postingNumber' | 'status'>;
    // Open and not yet packed (L1, D3): no cancellation and no tracking number to find, so the row is not read for them.
    const open: Order = { ...base, postingNumber: '10000000-0000-1', status: 'awaiting_packaging' };
    const lean = readRow(r1!, ctx, (n) => (n === open.postingNumber ? open : undefined))!;
    expect(lean.json).toBe(open);
    expect(lean.order.cancellation).toBeUndefined();
    expect(lean.order.trackingNumber).toBeUndefined();
    expect(lean.order.cancelledAt).toBeUndefined();
    // Cancelled, and handed over: both are gaps the row fills.
    const cancelled: Order = { ...base, postingNumber: '10000001-0001-1', status: 'cancelled' };
    const filled = readRow(r2!, ctx, (n) => (n === cancelled.postingNumber ? cancelled : undefined))!;
    expect(filled.order.cancellation?.reasonText).toBe('Покупатель передумал');
    expect(filled.order.trackingNumber).toBe('RR123456785RU');
    const shipped: Order = { ...base, postingNumber: '10000001-0001-1', status: 'in_transit' };
    const transit = readRow(r2!, ctx, (n) => (n === shipped.postingNumber ? shipped : undefined))!;
    expect(transit.order.trackingNumber).toBe('RR123456785RU');
    expect(transit.order.cancellation).toBeUndefined();
  });

  it('ignores our own badge hosts and script text', () => {
    document.body.innerHTML = `${grid(2)}<script>var x = "16965409-0014-1"</script>`;
    const row = document.querySelector('.B')!.children[0]!;
    const host = document.createElement('span');
    host.setAttribute('data-ozon-guard', '');
    host.textContent = '99999999-9999-9';
    row.firstElementChild!.appendChild(host);
    expect(findRows(document)).toHaveLength(2);
    expect(readRow(row, ctx)!.order.postingNumber).toBe('10000000-0000-1');
  });

  it('hostile rows: markup stays text, buried numbers and look-alikes are not rows', () => {
    const f = fixtureByName('hostile');
    loadHtml(f.html(NOW));
    const read = readRows(document, ctxFor(f.url));
    const nums = read.map((r) => r.order.postingNumber);
    expect(nums).not.toContain(HOSTILE_NUMBERS.buried);
    expect(nums).not.toContain(HOSTILE_NUMBERS.second);
    expect(nums).not.toContain(HOSTILE_NUMBERS.banner);
    expect(document.querySelector('img')).toBeNull();
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
    const malformed = read.find((r) => r.order.postingNumber === HOSTILE_NUMBERS.malformed)!.order;
    expect(malformed.shipBy).toBeUndefined();
    expect(read.find((r) => r.order.postingNumber === HOSTILE_NUMBERS.unknown)!.order.status).toBe('unknown');
  });

  it('postingNumbersIn finds 8–10 digit numbers only', () => {
    expect(postingNumbersIn('a 16965409-0014-1 b 0100169990-0103-12 c 123456789012-1234-1 d 1234567-1234-1')).toEqual(['16965409-0014-1', '0100169990-0103-12']);
  });
});

describe('columns and values', () => {
  it.each([
    ['Номер отправления', 'posting'],
    ['Posting number', 'posting'],
    ['货件编号', 'posting'],
    ['Статус', 'status'],
    ['状态', 'status'],
    ['Принят в обработку', 'paidAt'],
    ['Accepted for processing', 'paidAt'],
    ['接单时间', 'paidAt'],
    ['Отгрузить до', 'shipBy'],
    ['Дата отгрузки', 'shipBy'],
    ['Shipment date', 'shipBy'],
    ['发货截止', 'shipBy'],
    ['Трек-номер', 'tracking'],
    ['运单号', 'tracking'],
    ['Причина отмены', 'reason'],
    ['Cancellation reason', 'reason'],
    ['取消原因', 'reason'],
    ['Инициатор отмены', 'initiator'],
    ['Cancellation initiator', 'initiator'],
    ['Способ доставки', 'carrier'],
    ['物流方式', 'carrier'],
    ['Артикул', 'offerId'],
    ['SKU', 'sku'],
    ['Товар', 'product'],
    ['商品', 'product'],
    ['Стоимость', 'price'],
    ['价格', 'price'],
    ['Дата отгрузки без просрочки', 'ignore'],
    ['Стоимость доставки', 'ignore'],
    ['Номер заказа', 'order'],
    ['Кол-во', 'quantity'],
    ['Кол. во', 'quantity'],
    ['Количество', 'quantity'],
  ] as const)('header %s → %s', (h, f) => {
    expect(fieldOfHeader(h)).toBe(f);
  });
});

describe('collectAnchors: a posting link whose own text is its number counts once', () => {
  it('one anchor for <a href=…N>N</a>; a link naming another number, or with other text, still counts; the rows found are the same', async () => {
    const { collectAnchors } = await import('../../panel/anchors');
    loadHtml(grid(3));
    const a = collectAnchors(document.body);
    expect(a.list.map((x) => x.el.tagName)).toEqual(['A', 'A', 'A']);
    expect(a.textCount).toBe(3);
    // A link whose text is not its number (an icon link, a "details" link): found through its href.
    document.body.innerHTML =
      '<div class="L"><div class="R"><div><a href="?postingDetails=10000000-0000-1">Открыть</a></div><div>Ожидает сборки</div></div>' +
      '<div class="R"><div><a href="?postingDetails=10000001-0001-1">10000002-0002-1</a></div><div>Ожидает сборки</div></div></div>';
    const b = collectAnchors(document.body);
    expect(b.list.map((x) => x.num).sort()).toEqual(['10000000-0000-1', '10000001-0001-1', '10000002-0002-1']);
    expect(findRows(document.body, ctx)).toHaveLength(2);
    // A list of 50 such rows: one row each.
    loadHtml(grid(50));
    expect(findRows(document.body, ctx)).toHaveLength(50);
  });
});

describe('stillFound: what primaryPosting found, checked again cheaply', () => {
  const rowWith = (inner: string): Element => {
    document.body.innerHTML = `<div class="row">${inner}</div><div class="other"><span>87654321-0001-1</span></div>`;
    return document.querySelector('.row')!;
  };

  it('holds while the element is in the row and shows the number (link or text)', () => {
    const row = rowWith('<a href="/app/postings/fbs?postingDetails=12345678-0001-1">Детали</a>');
    const found = primaryPosting(row)!;
    expect(found.num).toBe('12345678-0001-1');
    expect(stillFound(row, found)).toBe(true);
    const byText = rowWith('<span>Отправление 12345678-0002-1</span>');
    const f2 = primaryPosting(byText)!;
    expect(stillFound(byText, f2)).toBe(true);
  });

  it('fails when the row was recycled, the element left, or it is not in that row', () => {
    const row = rowWith('<a href="/app/postings/fbs?postingDetails=12345678-0001-1">12345678-0001-1</a>');
    const found = primaryPosting(row)!;
    const a = row.querySelector('a')!;
    a.setAttribute('href', '/app/postings/fbs?postingDetails=12345678-0003-1');
    a.textContent = '12345678-0003-1';
    expect(stillFound(row, found)).toBe(false);
    const row2 = rowWith('<span>12345678-0002-1</span>');
    const f2 = primaryPosting(row2)!;
    row2.querySelector('span')!.remove();
    expect(stillFound(row2, f2)).toBe(false);
    const other = document.querySelector('.other')!;
    expect(stillFound(row2, { num: '87654321-0001-1', el: other.querySelector('span')! })).toBe(false);
  });
});
