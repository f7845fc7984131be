// @vitest-environment node
/**
 * The real FBS orders export a seller published (2020 layout: «Дата создания
 * заказа», no «Принят в обработку», no scheme column, «Отменен» without ё),
 * read in place from the shared real samples and never edited. Every
 * expected figure is counted twice: by a plain split of the file here, and as
 * a literal counted by hand (python csv module) when the test was written.
 */
import { describe, expect, it } from 'vitest';
import { parseOrdersCsv, importSummary } from '../../csv';
import { summarizeStore } from '../../rules/index';
import type { Order } from '../../rules/types';
import { readRealCsv } from '../real/samples';

const FILE = 'fbs_postings_export_2020-06__cashblxxd.csv';
const bytes = readRealCsv(FILE);

/** The file by a plain split: every field is quoted, `;` between them, no `";"` inside a field. */
function plainCount() {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
  const lines = text.split('\n').filter((l) => l.trim());
  const rows = lines.slice(1).map((l) => l.replace(/\r$/, '').slice(1, -1).split('";"'));
  const postings = new Map<string, string[][]>();
  for (const r of rows) postings.set(r[1]!, [...(postings.get(r[1]!) ?? []), r]);
  const statusCount: Record<string, number> = {};
  for (const rs of postings.values()) statusCount[rs[0]![4]!] = (statusCount[rs[0]![4]!] ?? 0) + 1;
  const qtyBySku: Record<string, number> = {};
  for (const r of rows) qtyBySku[r[7]!] = (qtyBySku[r[7]!] ?? 0) + Number(r[10]);
  return { header: lines[0]!, rows, postings, statusCount, qtyBySku };
}

const plain = plainCount();
const qtyOf = (orders: Order[], sku: string) =>
  orders.reduce((n, o) => n + (o.items ?? []).filter((i) => i.sku === sku).reduce((a, i) => a + i.quantity, 0), 0);

describe('the real 2020 FBS export', () => {
  const { orders, report } = parseOrdersCsv(bytes, { scheme: 'FBS' });

  it('is the file SOURCES.md describes (11 columns, 1,085 data lines)', () => {
    expect(plain.header.split(';').length).toBe(11);
    expect(plain.rows.length).toBe(1085);
    expect(plain.rows.every((r) => r.length === 11)).toBe(true);
  });

  it('imports every line: 814 postings, nothing skipped', () => {
    expect(report.lines).toBe(plain.rows.length);
    expect(report.lines).toBe(1085);
    expect(report.skipped).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.postings).toBe(plain.postings.size);
    expect(report.postings).toBe(814);
    expect(orders.length).toBe(814);
    expect(report.encoding).toBe('utf-8');
    expect(report.delimiter).toBe(';');
  });

  it('L3: statuses per posting, «Отменен» without ё included', () => {
    const by: Record<string, number> = {};
    for (const o of orders) by[o.status] = (by[o.status] ?? 0) + 1;
    expect(by).toEqual({
      delivered: plain.statusCount['Доставлен'],
      cancelled: plain.statusCount['Отменен'],
      in_transit: plain.statusCount['Доставляется'],
      awaiting_packaging: plain.statusCount['Ожидает сборки'],
      awaiting_shipment: plain.statusCount['Ожидает отгрузки'],
    });
    expect(by).toEqual({ delivered: 656, cancelled: 107, in_transit: 40, awaiting_packaging: 9, awaiting_shipment: 2 });
  });

  it('places every posting in the window by «Дата создания заказа» and says so; none undated', () => {
    expect(report.placedBy).toEqual({ processed: 0, created: 814 });
    expect(report.createdColumn).toBe('Дата создания заказа');
    expect(report.undated).toBe(0);
    expect(orders.every((o) => typeof o.paidAt === 'string')).toBe(true);
    // T1: zone-less text is Moscow time.
    const first = orders.find((o) => o.postingNumber === '39284417-0010-7')!;
    expect(first).toMatchObject({ paidAt: '2020-06-12T16:20:22.000Z', shipBy: '2020-06-14T07:00:00.000Z', status: 'awaiting_packaging' });
    expect(importSummary(report, { added: 814, updated: 0 })).toContain('814 postings placed in the 30-day window by «Дата создания заказа»');
  });

  it('one row per product line: a multi-row posting is one order with its items', () => {
    const multi = [...plain.postings.entries()].filter(([, rs]) => rs.length > 1);
    expect(multi.length).toBe(126);
    for (const [pn, rs] of multi) expect(orders.find((o) => o.postingNumber === pn)!.items!.length, pn).toBe(new Set(rs.map((r) => r[7])).size);
    const items = (pn: string) => orders.find((o) => o.postingNumber === pn)!.items!;
    expect(items('14838194-0030-1').length).toBe(30);
    expect(items('22983136-0035-4').map((i) => i.sku)).toEqual(['169038326', '169038354', '169271614', '169334669']);
    // A two-digit tail (…-10) is one posting of two lines.
    expect(items('14454041-0013-10')).toEqual([
      { sku: '169197597', offerId: '282', name: 'Носки с надписью', quantity: 1, price: 319 },
      { sku: '170321111', offerId: '406', name: 'Носки женские с надписью "Не Беси"', quantity: 1, price: 349 },
    ]);
  });

  it('quantities per SKU add up over lines and postings', () => {
    for (const sku of Object.keys(plain.qtyBySku)) expect(qtyOf(orders, sku), sku).toBe(plain.qtyBySku[sku]);
    expect(qtyOf(orders, '168720421')).toBe(66);
    expect(qtyOf(orders, '168797020')).toBe(27);
    expect(qtyOf(orders, '169917488')).toBe(4);
    // One line of 3 pairs (18367712-0039-3) and one of 1.
    expect(qtyOf(orders, '168706740')).toBe(4);
    expect(orders.find((o) => o.postingNumber === '18367712-0039-3')!.items).toEqual([
      { sku: '168706740', offerId: '129', name: 'Носки "Вселенная"', quantity: 3, price: 299 },
    ]);
  });

  it('nothing in the file tells its scheme: it is not taken for FBO, and without a choice the seller is asked', () => {
    expect(orders.every((o) => o.scheme === 'FBS')).toBe(true);
    expect(report.schemeFrom).toBe('option');
    const unasked = parseOrdersCsv(bytes);
    expect(unasked.report).toMatchObject({ needsScheme: true, schemeFrom: 'unsure' });
    expect(unasked.orders.some((o) => o.scheme === 'FBO')).toBe(false);
    expect(importSummary(unasked.report)).toContain('The file does not say whether its orders are FBS, FBO or rFBS');
    const fromPage = parseOrdersCsv(bytes, { pageScheme: 'rFBS' });
    expect(fromPage.report).toMatchObject({ needsScheme: false, schemeFrom: 'page', scheme: 'rFBS' });
    expect(fromPage.orders.every((o) => o.scheme === 'rFBS')).toBe(true);
  });

  it('M1 figures on 2020-06-30: counted from the rows by hand and by summarizeStore', () => {
    const now = Date.parse('2020-06-30T12:00:00Z');
    const from = now - 30 * 86_400_000;
    // Moscow wall clock → UTC: minus 3 h.
    const created = (r: string[]) => Date.parse(r[2]!.replace(' ', 'T') + '+03:00');
    const inWindow = [...plain.postings.values()].filter((rs) => created(rs[0]!) > from && created(rs[0]!) <= now);
    const cancelled = inWindow.filter((rs) => rs[0]![4] === 'Отменен').length;
    const risk = summarizeStore(orders, now);
    expect(risk.orders).toBe(inWindow.length);
    expect(risk.cancelled.total).toBe(cancelled);
    expect(risk.orders).toBe(127);
    expect(risk.cancelled.total).toBe(9);
    expect(risk.cancellationRate.toFixed(2)).toBe('7.09');
    expect(risk.tier).toBe('critical');
  });
});
