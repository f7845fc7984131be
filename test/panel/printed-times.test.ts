/**
 * T3 evidence: the wall clocks a row prints for facts the panel's JSON also
 * gives (ship-by, paid-at), read as bare wall clocks whatever zone is in force.
 */
import { describe, expect, it } from 'vitest';
import { printedTimes } from '../../panel/parse-row';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

function rowOf(html: string): Element {
  document.body.innerHTML = html;
  return document.querySelector('tbody tr, [data-row]')!;
}

const table = (cells: string[]) =>
  `<table><thead><tr><th>Номер отправления</th><th>Принят в обработку</th><th>Отгрузить до</th></tr></thead><tbody><tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr></tbody></table>`;

describe('printedTimes', () => {
  it('reads the ship-by and paid-at columns as bare wall clocks (no zone applied)', () => {
    const row = rowOf(table(['12345678-0001-1', '03.12.2026 22:15', '05.12.2026 14:00']));
    expect(printedTimes(row, NOW)).toEqual({ shipBy: Date.UTC(2026, 11, 5, 14, 0), paidAt: Date.UTC(2026, 11, 3, 22, 15) });
  });

  it('Chinese and English full dates too', () => {
    expect(printedTimes(rowOf(table(['12345678-0001-1', '', '2026年12月5日 14:00'])), NOW)).toEqual({ shipBy: Date.UTC(2026, 11, 5, 14, 0) });
    expect(printedTimes(rowOf(table(['12345678-0001-1', '', 'Dec 5, 2026, 2:00 PM'])), NOW)).toEqual({ shipBy: Date.UTC(2026, 11, 5, 14, 0) });
  });

  it('a time that names its zone (МСК, an ISO offset) or a relative one is no evidence about the page\'s zone', () => {
    expect(printedTimes(rowOf(table(['12345678-0001-1', '', '05.12.2026 14:00 МСК'])), NOW)).toEqual({});
    expect(printedTimes(rowOf(table(['12345678-0001-1', '', '2026-12-05T14:00:00+08:00'])), NOW)).toEqual({});
    expect(printedTimes(rowOf(table(['12345678-0001-1', '', 'завтра до 14:00'])), NOW)).toEqual({});
    expect(printedTimes(rowOf(table(['12345678-0001-1', '—', '31.02.2026 25:61'])), NOW)).toEqual({});
  });

  it('a header-less row: the "Отгрузить до …" cell is found by its words', () => {
    const row = rowOf(`<div><div data-row><span>12345678-0001-1</span><span>Ожидает сборки</span><span>Отгрузить до 05.12.2026 14:00</span></div><div data-row><span>12345678-0002-1</span></div></div>`);
    expect(printedTimes(row, NOW).shipBy).toBe(Date.UTC(2026, 11, 5, 14, 0));
  });
});
