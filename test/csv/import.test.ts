// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../rules/types';
import { decodeCsvBytes, importSummary, parseCsvNumber, parseOrdersCsv, type CsvReport } from '../../csv';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url)));
const byPn = (orders: Order[], pn: string) => orders.find((o) => o.postingNumber === pn);

describe('CSV import: Russian FBS export (29 columns, ;, BOM, 14.04.2026 19:01)', () => {
  const { orders, report } = parseOrdersCsv(fixture('ru-fbs.csv'));

  it('reads every line, merges lines of one posting, and reports nothing skipped', () => {
    expect(report).toMatchObject({
      lines: 7,
      postings: 5,
      skipped: [],
      warnings: [],
      encoding: 'utf-8',
      delimiter: ';',
      scheme: 'FBS',
      schemeFrom: 'columns',
    });
    expect(orders.map((o) => o.postingNumber)).toEqual([
      '16965409-0014-1',
      '16965409-0015-1',
      '16965409-0016-1',
      '16965409-0017-1',
      '16965409-0018-1',
    ]);
  });

  it('T1: reads zone-less times as Moscow time; L3: maps the file\'s status words', () => {
    expect(byPn(orders, '16965409-0014-1')).toEqual({
      postingNumber: '16965409-0014-1',
      scheme: 'FBS',
      status: 'awaiting_packaging',
      paidAt: '2026-04-14T16:01:00.000Z',
      shipBy: '2026-04-16T16:01:00.000Z',
      currency: 'RUB',
      items: [{ sku: '1573489201', offerId: 'MUG-W-01', name: 'Кружка керамическая', quantity: 1, price: 1234.5 }],
    });
    expect(byPn(orders, '16965409-0015-1')!.status).toBe('awaiting_shipment');
    expect(byPn(orders, '16965409-0016-1')).toMatchObject({ status: 'delivered', deliveredAt: '2026-04-09T11:22:00.000Z' });
    expect(byPn(orders, '16965409-0017-1')).toMatchObject({ status: 'cancelled', cancelledAt: '2026-04-02T15:05:00.000Z' });
    expect(byPn(orders, '16965409-0018-1')!.status).toBe('in_transit');
  });

  it('keeps quoted fields whole (separator and quotes inside) and adds quantities per SKU', () => {
    expect(byPn(orders, '16965409-0015-1')!.items).toEqual([
      { sku: '1573489202', offerId: 'TEA-SET-3', name: 'Набор "Чайный"; 3 предмета', quantity: 2, price: 990 },
      { sku: '1573489203', offerId: 'SPOON-1', name: 'Ложка чайная', quantity: 1, price: 1000 },
    ]);
    expect(byPn(orders, '16965409-0018-1')!.items).toEqual([
      { sku: '1573489206', offerId: 'MUG-B-01', name: 'Кружка керамическая', quantity: 3, price: 550 },
    ]);
  });

  it('stamps the store id when given and the newest instant of the file', () => {
    const r = parseOrdersCsv(fixture('ru-fbs.csv'), { storeId: '123456' });
    expect(r.orders.every((o) => o.storeId === '123456')).toBe(true);
    expect(r.report.latestInstant).toBe('2026-04-16T16:01:00.000Z');
  });
});

describe('CSV import: English headers with commas', () => {
  it('matches columns by name in another order, reads API dates and 1,234.50 numbers', () => {
    const { orders, report } = parseOrdersCsv(fixture('en-comma.csv'));
    // Nothing in this file tells its scheme: a placeholder, and the seller is to be asked.
    expect(report).toMatchObject({ lines: 3, postings: 3, skipped: [], delimiter: ',', scheme: 'FBS', schemeFrom: 'unsure', needsScheme: true });
    expect(orders[0]).toEqual({
      postingNumber: '0123456789-0001-1',
      scheme: 'FBS',
      status: 'awaiting_packaging',
      paidAt: '2026-04-14T16:01:23.000Z',
      shipBy: '2026-04-16T16:01:23.000Z',
      carrier: 'Cainiao Ozon Line',
      currency: 'CNY',
      items: [{ sku: '900100200', offerId: 'CASE-BLK', name: 'Phone case, black', quantity: 1, price: 1234.5 }],
    });
    const cancelled = orders[1]!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelledAt).toBe('2026-04-10T12:30:00.000Z');
    expect(cancelled.cancellation).toMatchObject({ initiator: 'seller', reasonText: 'Out of stock' });
    expect(cancelled.cancellation!.reasonCode).toBeTruthy();
    expect(cancelled.items![0]).toMatchObject({ quantity: 2, price: 75 });
    expect(orders[2]).toMatchObject({ status: 'in_transit', trackingNumber: 'CNRU123456789YP' });
  });

  it("T3: reads times in the seller's offset when given (x-o3-timezone sign)", () => {
    const { orders } = parseOrdersCsv(fixture('en-comma.csv'), { tzOffsetMinutes: -480 });
    expect(orders[0]!.paidAt).toBe('2026-04-14T11:01:23.000Z');
  });

  it('takes the scheme from the option over the file', () => {
    const { orders, report } = parseOrdersCsv(fixture('en-comma.csv'), { scheme: 'rFBS' });
    expect(report.schemeFrom).toBe('option');
    expect(orders.every((o) => o.scheme === 'rFBS')).toBe(true);
  });

  it('takes the scheme per line from a delivery_schema column', () => {
    const csv = 'Posting number;Status;delivery_schema\n12345678-0001-1;Delivered;fbo\n12345678-0002-1;Delivered;FBS\n12345678-0003-1;Delivered;realFBS\n';
    const { orders, report } = parseOrdersCsv(csv);
    expect(report.schemeFrom).toBe('column');
    expect(orders.map((o) => o.scheme)).toEqual(['FBO', 'FBS', 'rFBS']);
  });
});

describe('CSV import: encodings', () => {
  it('decodes a cp1251 file (invalid UTF-8) and reads it fully', () => {
    const { orders, report } = parseOrdersCsv(fixture('ru-cp1251.csv'));
    expect(report).toMatchObject({ encoding: 'windows-1251', lines: 2, postings: 2, skipped: [] });
    expect(orders[0]!.items).toEqual([{ sku: '3000001', offerId: 'TOY-1', name: 'Ёлочная игрушка «Шар»', quantity: 3, price: 199.9 }]);
    expect(orders[1]).toMatchObject({ status: 'cancelled', cancelledAt: '2026-04-11T10:10:00.000Z', items: [{ price: 1499 }] });
  });

  it('repairs UTF-8 text that went through cp1251 once (mojibake)', () => {
    const original = new TextDecoder().decode(fixture('ru-fbs.csv'));
    const mojibake = new TextDecoder('windows-1251').decode(new TextEncoder().encode(original));
    expect(mojibake).toContain('РќРѕРјРµСЂ');
    const d = decodeCsvBytes(new TextEncoder().encode(mojibake));
    expect(d.repairedMojibake).toBe(true);
    expect(d.text.replace(/^\ufeff/, '').startsWith('Номер заказа')).toBe(true);
  });

  it('reads UTF-8 without a BOM, from an ArrayBuffer', () => {
    const bytes = fixture('malformed.csv');
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(parseOrdersCsv(buf).report.encoding).toBe('utf-8');
  });
});

describe('CSV import: FBO export', () => {
  const { orders, report } = parseOrdersCsv(fixture('ru-fbo.csv'));

  it('tells FBO from its column set and reads ISO-form dates', () => {
    expect(report).toMatchObject({ scheme: 'FBO', schemeFrom: 'columns', postings: 2, skipped: [] });
    expect(orders[0]).toMatchObject({
      postingNumber: '87654321-0001-1',
      scheme: 'FBO',
      status: 'in_transit',
      paidAt: '2026-04-12T07:11:12.000Z',
      carrier: 'Ozon Логистика курьеру',
    });
    expect(orders[1]!.status).toBe('cancelled');
  });

  it('never reads buyer personal data (address, city, region)', () => {
    const all = JSON.stringify(orders);
    expect(all).not.toMatch(/Ленина|Тверская|Санкт-Петербург|Ленинградская/);
  });
});

describe('CSV import: malformed lines', () => {
  const { orders, report } = parseOrdersCsv(fixture('malformed.csv'));

  it('skips each bad line with its exact file line number and a clear reason, keeping every good line', () => {
    expect(report.skipped.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 3, reason: 'no posting number' },
      { line: 4, reason: 'bad date in «Принят в обработку»: 31.02.2026 25:61' },
      { line: 5, reason: 'broken quotes' },
      { line: 6, reason: 'line cut short: 3 of 9 fields' },
      { line: 11, reason: 'not a posting number «Итого»' },
      { line: 12, reason: '10 fields where the header has 9 (an unquoted separator?)' },
    ]);
    expect(orders.map((o) => o.postingNumber)).toEqual(['11111111-0001-1', '11111111-0005-1', '11111111-0006-1', '11111111-0008-1']);
    expect(report.lines).toBe(10);
  });

  it('L3: an unknown status word is imported as unknown, with a warning, not skipped', () => {
    expect(byPn(orders, '11111111-0005-1')!.status).toBe('unknown');
    expect(report.warnings).toEqual([
      { line: 8, code: 'unknown_status', reason: 'unknown status «Телепортирован», imported as unknown' },
    ]);
  });

  it('keeps a quoted line break inside a field and counts lines after it right', () => {
    expect(byPn(orders, '11111111-0006-1')!.items).toEqual([{ sku: '101', name: 'Кружка\n(две строки)', quantity: 2, price: 50 }]);
  });

  it('answers a file that is not an export with an error, not a throw', () => {
    expect(parseOrdersCsv('').report.error).toBe('The file is empty.');
    expect(parseOrdersCsv('a;b;c\n1;2;3\n').report.error).toMatch(/Posting number/);
    expect(parseOrdersCsv(new Uint8Array([0xff, 0xfe, 0x00, 0x01])).orders).toEqual([]);
  });

  it('an unclosed quote on the last line does not swallow anything before it', () => {
    const csv = 'Номер отправления;Статус;Название товара\n12345678-0001-1;Доставлен;Кружка\n12345678-0002-1;Доставлен;"Кружка\n';
    const r = parseOrdersCsv(csv);
    expect(r.orders.map((o) => o.postingNumber)).toEqual(['12345678-0001-1']);
    expect(r.report.skipped).toEqual([{ line: 3, code: 'broken_quotes', reason: 'broken quotes' }]);
  });
});

describe('CSV import: numbers and size', () => {
  it('reads decimal commas and space / NBSP thousands', () => {
    expect(parseCsvNumber('1 234,50')).toBe(1234.5);
    expect(parseCsvNumber('1\u00a0234,50')).toBe(1234.5);
    expect(parseCsvNumber('1\u202f234 567,5')).toBe(1234567.5);
    expect(parseCsvNumber('1,234.50')).toBe(1234.5);
    expect(parseCsvNumber('1.234,50')).toBe(1234.5);
    expect(parseCsvNumber('12,5')).toBe(12.5);
    expect(parseCsvNumber('990 ₽')).toBe(990);
    expect(parseCsvNumber('abc')).toBeNaN();
    expect(parseCsvNumber('')).toBeNaN();
  });

  it('imports a generated 10,000-line export completely, with exact line numbers for bad lines', () => {
    const header =
      'Номер заказа;Номер отправления;Принят в обработку;Дата отгрузки;Дата отгрузки без просрочки;Статус;Название товара;SKU;Артикул;Ваша цена;Количество';
    const lines = [header];
    for (let i = 0; i < 10_000; i++) {
      const p = 10_000_000 + Math.floor(i / 2);
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(`${p}-0001;${p}-0001-1;${day}.03.2026 10:00;${day}.03.2026 12:00;${day}.03.2026 12:00;Доставлен;"Товар; №${i}";${500 + (i % 2)};ART-${i % 2};1 000,00;1`);
    }
    lines[5001] = lines[5001]!.replace(/^(\d+-0001);\d+-0001-1/, '$1;'); // file line 5002 loses its posting number
    const { orders, report } = parseOrdersCsv(lines.join('\n'));
    expect(report.lines).toBe(10_000);
    expect(report.postings).toBe(5_000);
    expect(report.skipped).toEqual([{ line: 5002, code: 'no_posting', reason: 'no posting number' }]);
    expect(orders.filter((o) => o.items?.length === 2)).toHaveLength(4_999);
  });
});

describe('CSV import summary', () => {
  it('says what it did: postings, new, updated, skipped and the first reasons', () => {
    const report: CsvReport = {
      lines: 420,
      postings: 412,
      skipped: [
        { line: 17, code: 'no_posting', reason: 'no posting number' },
        { line: 30, code: 'short_line', reason: 'line cut short: 3 of 29 fields' },
        { line: 31, code: 'broken_quotes', reason: 'broken quotes' },
      ],
      warnings: [],
      encoding: 'utf-8',
      delimiter: ';',
      scheme: 'FBS',
      schemeFrom: 'columns',
      needsScheme: false,
      placedBy: { processed: 412, created: 0 },
      undated: 0,
      columns: [],
    };
    const scheme = 'Scheme FBS (the file has a column only FBS exports have)';
    expect(importSummary(report, { added: 380, updated: 32 })).toBe(
      `412 postings: 380 new, 32 updated, 3 lines skipped — line 17: no posting number; line 30: line cut short: 3 of 29 fields; line 31: broken quotes. ${scheme}`,
    );
    expect(importSummary({ ...report, postings: 1, skipped: [] }, { added: 1, updated: 0 })).toBe(`1 posting: 1 new, 0 updated. ${scheme}`);
    expect(importSummary({ ...report, postings: 3, skipped: [] }, { added: 1, updated: 0, tooOld: 2 })).toBe(
      `3 postings: 1 new, 0 updated, 2 older than 90 days not kept. ${scheme}`,
    );
    expect(
      importSummary(
        { ...report, postings: 814, skipped: [], schemeFrom: 'option', placedBy: { processed: 0, created: 600 }, createdColumn: 'Дата создания заказа', undated: 214 },
        { added: 814, updated: 0 },
      ),
    ).toBe(
      '814 postings: 814 new, 0 updated. Scheme FBS (your choice). 600 postings placed in the 30-day window by «Дата создания заказа» (the file has no processing date). 214 postings have no date: not in the 30-day figures',
    );
    expect(importSummary({ ...report, error: 'The file is empty.' })).toBe('The file is empty.');
  });
});
