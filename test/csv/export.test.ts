// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import type { Order } from '../../rules/types';
import { defaultRulebook, withValues } from '../../rules/rulebook';
import { csvCell, exportAtRiskCsv, exportCancellationsCsv } from '../../csv';
import { useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';
import { shipOrder } from '../helpers/orders';

const H = 3_600_000;
const M = 60_000;
const D = 24 * H;
const NOW = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The shared open order, with one item line whose name needs CSV quoting. */
const ship = (n: string, due: number, extra: Partial<Order> = {}): Order =>
  shipOrder(n, due, { items: [{ sku: '42', name: 'Кружка; "белая"', quantity: 2, price: 100 }], ...extra });

const cancelled = (n: string, paidAgoDays: number, extra: Partial<Order> = {}): Order => ({
  postingNumber: n,
  scheme: 'FBS',
  status: 'cancelled',
  paidAt: iso(NOW - paidAgoDays * D),
  cancelledAt: iso(NOW - paidAgoDays * D + 2 * H),
  cancellation: { initiator: 'seller', reasonCode: 'C03', affectsRating: true },
  items: [{ sku: '7', name: '=HYPERLINK("x")', quantity: 1, price: 1234.5 }],
  currency: 'RUB',
  ...extra,
});

function rows(csv: string): string[][] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  const r = Papa.parse<string[]>(csv.slice(1), { delimiter: ';', skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

afterEach(() => useMessages('en', loadLocale('en')));

describe('CSV export: at-risk list', () => {
  it('lists at-risk, critical and overdue orders soonest first, with a BOM and ; and translated headers', () => {
    const orders = [
      ship('3-1-1', NOW + 90 * M),
      ship('1-1-1', NOW - 5 * M),
      ship('2-1-1', NOW + 20 * M),
      ship('4-1-1', NOW + 10 * H), // ok: not listed
      ship('5-1-1', NOW - 5 * M, { status: 'delivered' }), // closed: not listed
    ];
    const data = rows(exportAtRiskCsv(orders, NOW));
    expect(data[0]).toEqual([
      'Posting number',
      'Status',
      'Scheme',
      'Deadline',
      'Due (MSK)',
      'Due (local time (UTC))',
      'Auto-cancel (MSK)',
      'Auto-cancel (local time (UTC))',
      'Time left',
      'Level',
      'Rule',
      'SKU',
      'Product',
      'Quantity',
    ]);
    expect(data.slice(1).map((r) => [r[0], r[9], r[8]])).toEqual([
      ['1-1-1', 'Overdue', 'overdue 5 min'],
      ['2-1-1', 'Critical', '20 min'],
      ['3-1-1', 'At risk', '1 h 30 min'],
    ]);
    expect(data[2]).toEqual([
      '2-1-1',
      'Awaiting shipment',
      'FBS',
      'Ship',
      '2026-04-14 13:20',
      '14 Apr, 10:20',
      '2026-04-14 14:20',
      '14 Apr, 11:20',
      '20 min',
      'Critical',
      'D2',
      '42',
      'Кружка; "белая"',
      '2',
    ]);
  });

  it('D5: follows the rulebook given (a 4 h at-risk line lists more)', () => {
    const rb = withValues(defaultRulebook, { 'deadlines.atRiskHours': 4 });
    const orders = [ship('1-1-1', NOW + 3 * H)];
    expect(rows(exportAtRiskCsv(orders, NOW))).toHaveLength(1);
    expect(rows(exportAtRiskCsv(orders, NOW, rb))).toHaveLength(2);
  });

  it('writes Russian and Chinese headers that survive as UTF-8 with a BOM', () => {
    useMessages('ru', loadLocale('ru'));
    expect(rows(exportAtRiskCsv([], NOW))[0]![0]).toBe('Номер отправления');
    useMessages('zh_CN', loadLocale('zh_CN'));
    // zh: one term for the posting, the panel's 订单 (docs/real-panel.md).
    expect(rows(exportAtRiskCsv([], NOW))[0]![0]).toBe('订单号');
  });
});

describe('CSV export: cancellations of the window', () => {
  it('M1/M5: lists the window\'s cancellations, newest first, with reasons and no buyer data', () => {
    const orders = [
      cancelled('1-1-1', 3),
      cancelled('2-1-1', 10, { cancellation: { initiator: 'buyer', reasonText: 'Передумал' } }),
      cancelled('3-1-1', 45), // outside the 30-day window
      ship('4-1-1', NOW + H), // not cancelled
      cancelled('5-1-1', 1, { cancellation: undefined }),
    ];
    const data = rows(exportCancellationsCsv(orders, NOW));
    expect(data[0]).toEqual([
      'Posting number',
      'Scheme',
      'Paid (MSK)',
      'Paid (local time (UTC))',
      'Cancelled (MSK)',
      'Cancelled (local time (UTC))',
      'Initiator',
      'Reason code',
      'Reason',
      'Affects rating',
      'SKU',
      'Product',
      'Quantity',
      'Amount',
      'Currency',
    ]);
    expect(data.slice(1).map((r) => r[0])).toEqual(['5-1-1', '1-1-1', '2-1-1']);
    expect(data[2]).toEqual([
      '1-1-1',
      'FBS',
      '2026-04-11 13:00',
      '11 Apr, 10:00',
      '2026-04-11 15:00',
      '11 Apr, 12:00',
      'Seller',
      'C03',
      'Out of stock',
      'yes',
      '7',
      `'=HYPERLINK("x")`,
      '1',
      '1234.5',
      'RUB',
    ]);
    expect(data[3]!.slice(6, 10)).toEqual(['Buyer', '', 'Передумал', '']);
    expect(data[1]!.slice(6, 9)).toEqual(['Unknown', '', 'Reason unknown']);
  });

  it('M1: the window is the rulebook\'s (7 days lists fewer)', () => {
    const rb = withValues(defaultRulebook, { 'metrics.windowDays': 7 });
    const orders = [cancelled('1-1-1', 3), cancelled('2-1-1', 10)];
    expect(rows(exportCancellationsCsv(orders, NOW, rb)).slice(1).map((r) => r[0])).toEqual(['1-1-1']);
  });

  it('writes decimal commas for Russian Excel', () => {
    useMessages('ru', loadLocale('ru'));
    const data = rows(exportCancellationsCsv([cancelled('1-1-1', 3)], NOW));
    expect(data[1]![13]).toBe('1234,5');
  });
});

describe('CSV cells', () => {
  it('quotes what Excel would split and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell(undefined)).toBe('');
  });

  it('T2: own-time columns beside the Moscow ones, named with the zone as people say it (en, ru, zh), night marked', () => {
    // Due 21:20 MSK = 02:20 in Beijing: in the seller's night.
    const orders = [ship('1-1-1', Date.parse('2026-04-14T18:20:00Z'))];
    const at = Date.parse('2026-04-14T17:00:00Z');
    const cases: ['en' | 'ru' | 'zh_CN', string, string][] = [
      ['en', 'Due (Beijing time)', '15 Apr, 02:20 (at night)'],
      ['ru', 'Срок (по пекинскому времени)', '15 апр., 02:20 (ночью)'],
      ['zh_CN', '截止（北京时间）', '4月15日 02:20 (夜间)'],
    ];
    for (const [l, header, cell] of cases) {
      useMessages(l, loadLocale(l));
      const data = rows(exportAtRiskCsv(orders, at, defaultRulebook, undefined, 'Asia/Shanghai'));
      expect(data[0]![5]).toBe(header);
      expect(data[1]![4]).toContain('21:20');
      expect(data[1]![5]).toBe(cell);
    }
    useMessages('en', loadLocale('en'));
    const other = rows(exportCancellationsCsv([cancelled('1-1-1', 3)], NOW, defaultRulebook, 'Asia/Kathmandu'));
    expect(other[0]![3]).toBe('Paid (local time (UTC+5:45))');
  });
});
