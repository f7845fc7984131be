/**
 * A page that clears timers it does not own (production build, real URL).
 *
 * Why: in Chromium a content script's setTimeout ids come from the page's own id space, so a panel
 * script that clears "every timer" (`for (let i = 0; i < top; i++) clearTimeout(i)`, a pattern some
 * SPA code uses on a route change) would also clear the overlay's: the batch of new rows, the
 * sliced backlog and the countdown's ticker. The overlay's timers run on a source the page cannot
 * clear (components/overlay/timers.ts), and these tests hold it to that. (A measuring pass whose
 * animation frame the page cancels runs from its timer: test/components/overlay/parts.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';
import { H as HOUR, MIN, URL_LIST as LIST_URL, msk } from '../helpers/overlay-page';

const rowHtml = (n: string, shipAt: number) =>
  `<tr><td><input type="checkbox"></td><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>Ожидает сборки</td><td>${msk(shipAt)}</td><td>Кабель USB-C 1 м</td><td>1 299 ₽</td></tr>`;

/**
 * The list, and a page script that clears every timer and interval id up to its own newest one
 * (plus a margin), and every animation frame, every 40 ms; `__add(n)` appends n rows the way an SPA does.
 */
function page(now: number): string {
  const first = [rowHtml('51000001-0001-1', Math.floor((now + 30 * MIN) / MIN) * MIN), rowHtml('51000002-0001-1', Math.floor((now + 5 * HOUR) / MIN) * MIN)];
  const later = Math.floor((now + 3 * HOUR) / MIN) * MIN;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title></head>
<body><h2>Заказы с моих складов</h2><table><thead><tr><th></th><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th><th>Стоимость</th></tr></thead>
<tbody id="tb">${first.join('')}</tbody></table>
<script>
window.__cleared = 0;
const wipe = () => {
  const top = setTimeout(() => {}, 0);
  for (let i = 0; i <= top + 200; i++) { clearTimeout(i); clearInterval(i); }
  const raf = requestAnimationFrame(() => {});
  for (let i = 0; i <= raf + 50; i++) cancelAnimationFrame(i);
  window.__cleared++;
};
// The page's own loop: it re-arms after each wipe (its own earlier timers are cleared with ours).
const loop = () => { wipe(); setTimeout(loop, 40); };
loop();
let k = 0;
window.__add = (n) => {
  const tb = document.getElementById('tb');
  for (let i = 0; i < n; i++) {
    k++;
    tb.insertAdjacentHTML('beforeend', ${JSON.stringify(rowHtml('__N__', later))}.split('__N__').join('5200' + String(1000 + k).padStart(4, '0') + '-0001-1'));
  }
};
</script></body></html>`;
}

const count = (p: Page) => p.$$eval('[data-ozon-guard]', (els) => els.length);
const cd = (p: Page, n: string) => p.getAttribute(`[data-ozon-guard][data-posting="${n}"]`, 'data-t-cd');

describe('a page that clears every timer id', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still gets badges on rows added later, and the countdown still moves', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve({ '/app/postings/fbs': page(now) });
    const p = await h.open(LIST_URL);
    await until(async () => expect(await count(p)).toBe(2));
    // The page's loop is running (it clears every id it can, the overlay's included).
    await until(async () => expect(await p.evaluate('window.__cleared')).toBeGreaterThan(20));
    await p.evaluate('window.__add(120)');
    await until(async () => expect(await count(p)).toBe(122), 10_000);
    // A badge in its last hour counts seconds (the ticker's every-second step).
    const a = await cd(p, '51000001-0001-1');
    await p.waitForTimeout(2500);
    const b = await cd(p, '51000001-0001-1');
    expect(a).toBeTruthy();
    expect(b).not.toBe(a);
    expect(h.errors).toEqual([]);
    await p.close();
  });
});
