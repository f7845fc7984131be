/**
 * The small orders table the overlay's unit tests render (happy-dom): a posting link, the status
 * word, the ship-by time as the panel prints it (Moscow wall clock, T1) and a product cell, under
 * a header the reader maps (panel/columns.ts). One home for the controller, parts and
 * long-session tests.
 */
export const MIN = 60_000;
export const H = 60 * MIN;
export const NOW = Date.UTC(2026, 10, 22, 9, 0, 30);
export const URL_LIST = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';

/** Moscow wall clock as the panel prints it (T1). */
export function msk(ms: number): string {
  const d = new Date(ms + 3 * H);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export const rowHtml = (n: string, shipMs: number): string =>
  `<tr><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>Ожидает сборки</td><td>${msk(shipMs)}</td><td>Товар</td></tr>`;

export const tableHtml = (rows: string[]): string =>
  `<table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead><tbody id="tb">${rows.join('')}</tbody></table>`;
