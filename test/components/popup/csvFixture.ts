/**
 * A small Ozon orders export (Russian headers, `;`, BOM, panel date form in
 * Moscow time, one line per product, one malformed line), built relative to
 * `now` so its orders fall inside the 30-day window whenever the test runs.
 * Used by the popup's unit test and its real-browser test.
 */
const MSK_MS = 3 * 3_600_000;
const DAY = 86_400_000;
const p2 = (n: number) => String(n).padStart(2, '0');

function ru(ms: number): string {
  const d = new Date(ms + MSK_MS);
  return `${p2(d.getUTCDate())}.${p2(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

export interface CsvFixture {
  text: string;
  bytes: Uint8Array;
  /** Postings the file holds (the malformed line is not one). */
  postings: string[];
  cancelledPostings: string[];
}

/**
 * `delivered` delivered postings and `cancelledN` cancelled ones (C03-style
 * stock reason, seller), paid 2–20 days before `now`; the first delivered
 * posting has two product lines; line `badLine` has no posting number.
 */
export function ozonCsv(now: number, opts: { prefix?: string; delivered?: number; cancelled?: number } = {}): CsvFixture {
  const prefix = opts.prefix ?? '7700';
  const nDelivered = opts.delivered ?? 6;
  const nCancelled = opts.cancelled ?? 4;
  const header = [
    'Номер заказа',
    'Номер отправления',
    'Принят в обработку',
    'Дата отгрузки',
    'Дата отгрузки без просрочки',
    'Статус',
    'Дата отмены',
    'Причина отмены',
    'Инициатор отмены',
    'Название товара',
    'SKU',
    'Артикул',
    'Ваша цена',
    'Количество',
  ];
  const lines: string[] = [header.join(';')];
  const postings: string[] = [];
  const cancelledPostings: string[] = [];
  for (let i = 0; i < nDelivered + nCancelled; i++) {
    const order = `${prefix}${p2(i)}01-00${p2(i)}`;
    const posting = `${order}-1`;
    const paid = now - (2 + (i % 18)) * DAY - 5 * 3_600_000;
    const isCancelled = i >= nDelivered;
    postings.push(posting);
    if (isCancelled) cancelledPostings.push(posting);
    const base = [
      order,
      posting,
      ru(paid),
      ru(paid + 2 * DAY),
      ru(paid + 2 * DAY),
      isCancelled ? 'Отменён' : 'Доставлен',
      isCancelled ? ru(paid + 3_600_000) : '',
      isCancelled ? 'Товар закончился на складе продавца' : '',
      isCancelled ? 'Продавец' : '',
    ];
    lines.push([...base, '"Футболка ""Лето"", хлопок"', isCancelled ? '900100' : '900200', 'TSHIRT-1', '1 290,00', '1'].join(';'));
    if (i === 0) lines.push([...base, 'Кепка', '900300', 'CAP-1', '590,50', '2'].join(';'));
  }
  // A line the importer must skip and report (no posting number), without losing the others.
  lines.push(['', '', ru(now - 3 * DAY), '', '', 'Доставлен', '', '', '', 'Без номера', '900400', 'X-1', '100', '1'].join(';'));
  const text = '\ufeff' + lines.join('\r\n') + '\r\n';
  return { text, bytes: new TextEncoder().encode(text), postings, cancelledPostings };
}
