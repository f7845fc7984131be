/**
 * The popup's CSV import in a real browser (production build) with a file in
 * the 2020 export layout (the shared real sample's columns, dates made
 * relative to today so they land in the window): nothing in it tells the
 * scheme, so the popup asks before importing; after the answer the figures
 * count the postings placed by «Дата создания заказа», and the postings with
 * no date are counted in the report and under the coverage note.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { launch, type Harness } from './harness';

const DAY = 86_400_000;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HEADER = ['Номер заказа', 'Номер отправления', 'Дата создания заказа', 'Дата отгрузки', 'Статус', 'Сумма отправления', 'Наименование товара', 'OZON id', 'Артикул', 'Итоговая стоимость товара', 'Количество'];

/** `YYYY-MM-DD HH:MM:SS` in Moscow time, as the 2020 export writes it. */
function msk(ms: number): string {
  return new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function export2020(now: number): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [HEADER.map(q).join(';')];
  for (let i = 0; i < 10; i++) {
    const created = now - (1 + i * 2) * DAY;
    const order = `3928441${i}-0010`;
    const status = i < 2 ? 'Отменен' : 'Доставлен';
    const row = (sku: string, name: string) =>
      [order, `${order}-7`, msk(created), msk(created + 2 * DAY), status, '370.00', name, sku, '319', '370.00', '1'].map(q).join(';');
    lines.push(row('169256379', 'Носки "Капитан Америка"'));
    if (i === 3) lines.push(row('169917488', 'Арт носки "Мопс присел"'));
  }
  // Two postings whose creation date is missing: nowhere to place them.
  for (let i = 0; i < 2; i++) lines.push([`4100000${i}-0001`, `4100000${i}-0001-1`, '', '', 'Доставлен', '1.00', 'X', '1', '1', '1.00', '1'].map(q).join(';'));
  return '\ufeff' + lines.join('\n') + '\n';
}

describe('CSV import of an export that does not say its scheme (real browser)', () => {
  it('asks FBS / FBO / rFBS before importing, then shows the figures and the undated count', async () => {
    h = await launch({ viewport: { width: 400, height: 1100 } });
    const page = await h.openExtensionPage('popup.html');
    await page.locator('[data-ozon-guard-import]').waitFor();
    await page
      .locator('[data-ozon-guard-import]')
      .setInputFiles({ name: 'postings.csv', mimeType: 'text/csv', buffer: Buffer.from(export2020(Date.now()), 'utf8') });
    const q = page.locator('[data-import-question]');
    await q.waitFor();
    expect(await q.textContent()).toContain('12 postings: FBS, FBO or rFBS?');
    expect(await page.locator('[data-import-report]').count()).toBe(0);
    await q.scrollIntoViewIfNeeded();
    await h.screenshot(page, 'csv-import-question');

    await q.locator('[data-import-answer="FBS"]').click();
    await page.locator('[data-import-report]').waitFor();
    const summary = (await page.locator('[data-import-summary]').textContent()) ?? '';
    expect(summary).toContain('12 postings: 12 new, 0 updated');
    expect(summary).toContain('Scheme FBS (your choice)');
    expect(summary).toContain('10 postings placed in the 30-day window by «Дата создания заказа»');
    expect(summary).toContain('2 postings have no date: not in the 30-day figures');
    // Contract §4: 10 orders in the window, 2 cancelled.
    const root = page.locator('[data-ozon-guard-risk]');
    await expect.poll(() => root.getAttribute('data-orders')).toBe('10');
    expect(await root.getAttribute('data-rate')).toBe('20.00');
    expect(await root.getAttribute('data-tier')).toBe('critical');
    expect(await page.locator('[data-undated]').getAttribute('data-undated')).toBe('2');
    expect(await page.locator('[data-undated]').textContent()).toBe('2 orders have no date: not in the 30-day figures.');
    await page.locator('[data-import-report]').scrollIntoViewIfNeeded();
    await h.screenshot(page, 'csv-import-done');
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
  }, 60_000);
});
