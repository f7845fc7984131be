// @vitest-environment node
/**
 * The export layouts of the shared real-samples SOURCES.md §9, each built
 * column for column: the 2020 layout (creation date, no processing date),
 * the ~2025 FBS layout (29 columns) and FBO layout (25 columns); and how each
 * decides the scheme and the window date.
 */
import { describe, expect, it } from 'vitest';
import { parseOrdersCsv } from '../../csv';

const FBS_29 = [
  'Номер заказа', 'Номер отправления', 'Принят в обработку', 'Дата отгрузки', 'Дата отгрузки без просрочки', 'Статус', 'Дата доставки',
  'Фактическая дата передачи в доставку', 'Дата отмены', 'Сумма отправления', 'Код валюты отправления', 'Название товара', 'Цвет товара',
  'Размер товара', 'SKU', 'Артикул', 'Ваша цена', 'Код валюты товара', 'Оплачено покупателем', 'Код валюты покупателя', 'Количество',
  'Стоимость доставки', 'Связанные отправления', 'Выкуп товара', 'Цена товара до скидок', 'Скидка %', 'Скидка руб', 'Акции', 'Подъем на этаж',
];
const FBO_25 = [
  'Номер заказа', 'Номер отправления', 'Принят в обработку', 'Дата отгрузки', 'Статус', 'Дата доставки', 'Фактическая дата передачи в доставку',
  'Сумма отправления', 'Код валюты отправления', 'Название товара', 'SKU', 'Артикул', 'Ваша цена', 'Код валюты товара', 'Оплачено покупателем',
  'Код валюты покупателя', 'Количество', 'Стоимость доставки', 'Связанные отправления', 'Выкуп товара', 'Цена товара до скидок', 'Скидка %',
  'Скидка руб', 'Акции', 'Объемный вес товаров, кг',
];
const OLD_2020 = ['Номер заказа', 'Номер отправления', 'Дата создания заказа', 'Дата отгрузки', 'Статус', 'Сумма отправления', 'Наименование товара', 'OZON id', 'Артикул', 'Итоговая стоимость товара', 'Количество'];

/** One line per row object, every field quoted as Ozon writes it. */
function file(header: string[], rows: Record<string, string>[]): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return '\ufeff' + [header.map(q).join(';'), ...rows.map((r) => header.map((h) => q(r[h] ?? '')).join(';'))].join('\n') + '\n';
}

describe('~2025 FBS layout (29 columns)', () => {
  const rows: Record<string, string>[] = [
    { 'Номер отправления': '0132112277-0101-1', 'Принят в обработку': '2026-05-10 10:00:00', 'Дата отгрузки': '2026-05-11 10:00:00', Статус: 'Отменён', SKU: '827098843', Артикул: 'SK-58', 'Ваша цена': '1530.00', Количество: '1' },
    { 'Номер отправления': '0132112277-0102-1', 'Принят в обработку': '2026-05-10 11:00:00', Статус: 'Отменен', SKU: '827098843', Количество: '2' },
    { 'Номер отправления': '0132112277-0102-1', 'Принят в обработку': '2026-05-10 11:00:00', Статус: 'Отменен', SKU: '827098843', Количество: '1' },
  ];
  const { orders, report } = parseOrdersCsv(file(FBS_29, rows));

  it('is FBS by a column only FBS exports have; «Отменён» and «Отменен» are both cancelled', () => {
    expect(report).toMatchObject({ scheme: 'FBS', schemeFrom: 'columns', needsScheme: false, postings: 2, skipped: [] });
    expect(orders.map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
    expect(orders.every((o) => o.scheme === 'FBS')).toBe(true);
  });

  it('places postings by «Принят в обработку»; quantities of one SKU over two lines add up', () => {
    expect(report.placedBy).toEqual({ processed: 2, created: 0 });
    expect(orders[0]!.paidAt).toBe('2026-05-10T07:00:00.000Z');
    expect(orders[1]!.items).toEqual([{ sku: '827098843', quantity: 3 }]);
  });
});

describe('~2025 FBO layout (25 columns)', () => {
  it('is FBO by «Объемный вес товаров, кг»', () => {
    const { orders, report } = parseOrdersCsv(
      file(FBO_25, [{ 'Номер отправления': '9121072335-0187-1', 'Принят в обработку': '2026-05-11 03:00:07', Статус: 'Доставлен', SKU: '9880276314', Количество: '1' }]),
    );
    expect(report).toMatchObject({ scheme: 'FBO', schemeFrom: 'columns', needsScheme: false });
    expect(orders[0]).toMatchObject({ scheme: 'FBO', status: 'delivered', paidAt: '2026-05-11T00:00:07.000Z' });
  });
});

describe('the scheme is never read from a column being absent', () => {
  it('an FBS export without «Дата отгрузки без просрочки» is not taken for FBO: the seller is asked', () => {
    const trimmed = FBS_29.filter((h) => h !== 'Дата отгрузки без просрочки' && h !== 'Подъем на этаж');
    const { orders, report } = parseOrdersCsv(
      file(trimmed, [{ 'Номер отправления': '16965409-0014-1', 'Принят в обработку': '2026-05-10 10:00:00', Статус: 'Ожидает сборки', SKU: '1', Количество: '1' }]),
    );
    expect(report).toMatchObject({ schemeFrom: 'unsure', needsScheme: true });
    expect(orders[0]!.scheme).not.toBe('FBO');
  });

  it('the seller\'s choice, then a scheme column, then the open panel list decide', () => {
    const rows = [
      { 'Номер отправления': '16965409-0014-1', Статус: 'Доставлен', Схема: 'FBO' },
      { 'Номер отправления': '16965409-0015-1', Статус: 'Доставлен', Схема: 'realFBS' },
      { 'Номер отправления': '16965409-0016-1', Статус: 'Доставлен', Схема: '' },
    ];
    const text = file(['Номер отправления', 'Статус', 'Схема'], rows);
    const col = parseOrdersCsv(text);
    expect(col.orders.map((o) => o.scheme)).toEqual(['FBO', 'rFBS', 'FBS']);
    // The third line's scheme is not said anywhere: ask.
    expect(col.report).toMatchObject({ schemeFrom: 'column', needsScheme: true });
    const withPage = parseOrdersCsv(text, { pageScheme: 'FBO' });
    expect(withPage.orders.map((o) => o.scheme)).toEqual(['FBO', 'rFBS', 'FBO']);
    expect(withPage.report.needsScheme).toBe(false);
    const chosen = parseOrdersCsv(text, { scheme: 'FBS', pageScheme: 'FBO' });
    expect(chosen.orders.map((o) => o.scheme)).toEqual(['FBS', 'FBS', 'FBS']);
    expect(chosen.report).toMatchObject({ schemeFrom: 'option', needsScheme: false });
  });
});

describe('2020 layout (creation date, no processing date)', () => {
  it('places postings by «Дата создания заказа», reads «OZON id» / «Итоговая стоимость товара», counts undated postings', () => {
    const rows: Record<string, string>[] = [
      { 'Номер заказа': '39284417-0010', 'Номер отправления': '39284417-0010-7', 'Дата создания заказа': '2020-06-12 19:20:22', 'Дата отгрузки': '2020-06-14 10:00:00', Статус: 'Ожидает сборки', 'Наименование товара': 'Носки "Капитан Америка"', 'OZON id': '169256379', Артикул: '319', 'Итоговая стоимость товара': '370.00', Количество: '1' },
      { 'Номер заказа': '39284417-0011', 'Номер отправления': '39284417-0011-1', 'Дата создания заказа': '', Статус: 'Отменен', 'OZON id': '169256379', Количество: '1' },
    ];
    const { orders, report } = parseOrdersCsv(file(OLD_2020, rows), { scheme: 'FBS' });
    expect(report.placedBy).toEqual({ processed: 0, created: 1 });
    expect(report.undated).toBe(1);
    expect(orders[0]).toEqual({
      postingNumber: '39284417-0010-7',
      scheme: 'FBS',
      status: 'awaiting_packaging',
      paidAt: '2020-06-12T16:20:22.000Z',
      shipBy: '2020-06-14T07:00:00.000Z',
      items: [{ sku: '169256379', offerId: '319', name: 'Носки "Капитан Америка"', quantity: 1, price: 370 }],
    });
    expect(orders[1]!.paidAt).toBeUndefined();
    expect(orders[1]!.status).toBe('cancelled');
  });

  it('a processing date wins; an empty one falls back to the creation date', () => {
    const h = ['Номер отправления', 'Дата создания заказа', 'Принят в обработку', 'Статус'];
    const { orders, report } = parseOrdersCsv(
      file(h, [
        { 'Номер отправления': '16965409-0014-1', 'Дата создания заказа': '2026-05-10 09:00:00', 'Принят в обработку': '2026-05-10 10:00:00', Статус: 'Доставлен' },
        { 'Номер отправления': '16965409-0015-1', 'Дата создания заказа': '2026-05-10 09:00:00', 'Принят в обработку': '', Статус: 'Доставлен' },
      ]),
      { scheme: 'FBO' },
    );
    expect(orders.map((o) => o.paidAt)).toEqual(['2026-05-10T07:00:00.000Z', '2026-05-10T06:00:00.000Z']);
    expect(report.placedBy).toEqual({ processed: 1, created: 1 });
  });
});
