/**
 * A long list: every row's contract attributes at once, the pills only near the viewport
 * (production build, real URL; components/overlay/clock.ts DRAW_AT_ONCE, badge.ts `bare`).
 *
 * Why: the pills (attr() content, text to shape) of a thousand badges off screen were most of what
 * the badges cost the page to render (docs/performance.md "Sixteenth pass"). What a seller must
 * never see is a blank badge where they look: these tests scroll, tab, resize and take rows out
 * of the list, and hold that every badge on screen is drawn, soon, and exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';
import { H as HOUR, MIN, URL_LIST as LIST_URL, msk } from '../helpers/overlay-page';

const ROWS = 400;
const num = (i: number) => `6100${String(1000 + i).padStart(4, '0')}-0001-1`;
const rowHtml = (i: number, shipAt: number) =>
  `<tr id="r${i}"><td><input type="checkbox"></td><td><a href="/app/postings/fbs?postingDetails=${num(i)}">${num(i)}</a><div>Заказ ${num(i).slice(0, 13)}</div></td><td>Ожидает сборки</td><td>${msk(shipAt)}</td><td>Кабель USB-C 1 м</td><td>1 299 ₽</td></tr>`;

function page(now: number): string {
  const rows = Array.from({ length: ROWS }, (_, i) => rowHtml(i, Math.floor((now + 3 * HOUR + i * 7 * MIN) / MIN) * MIN)).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title>
<style>body{margin:0;font:14px Arial}td{padding:10px 8px;border-bottom:1px solid #eee}</style></head>
<body><h2>Заказы с моих складов</h2><table><thead><tr><th></th><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th><th>Стоимость</th></tr></thead>
<tbody id="tb">${rows}</tbody></table></body></html>`;
}

/**
 * The same list with three expanded rows, each followed by a tall detail block (the seller opened them):
 * closing one moves the rows below it up into view without a scroll. #d58 closes by its own button
 * (display: none, no mutation we observe: the click is the sign), #d120 is taken out by the page's own
 * script (a removal), #d200 shrinks by a CSS transition the page starts (its end is the sign).
 */
function pageWithDetails(now: number): string {
  const detail = (id: string, extra = '') =>
    `<tr id="${id}" class="detail"><td colspan="6"><div class="tall" style="height:1500px;background:#f6f7f9${extra}">Детали отправления <button type="button" onclick="this.closest('tr').style.display='none'">Свернуть</button></div></td></tr>`;
  return page(now)
    .replace('<tr id="r59">', `${detail('d58')}<tr id="r59">`)
    .replace('<tr id="r121">', `${detail('d120')}<tr id="r121">`)
    .replace('<tr id="r201">', `${detail('d200', ';transition:height .2s;overflow:hidden')}<tr id="r201">`);
}

/**
 * A div grid like the bench's (bench/lib/page.mjs: hashed CSS-module classes, a sticky header row),
 * each row in a wrapper of its own (as a virtualised list's), and one expanded row with a 1,500 px
 * detail.
 */
function gridPage(now: number): string {
  const row = (i: number, shipAt: number) =>
    `<div class="VirtualList_item__q1Zx9"><div class="PostingsRow_row__x7Kq2" id="g${i}"><div class="PostingsRow_cell__b9LmE"><input type="checkbox"></div><div class="PostingsRow_cell__b9LmE"><a class="Link_link__c0Vh8" href="/app/postings/fbs?postingDetails=${num(i)}">${num(i)}</a><div class="PostingsRow_sub__Zt3Qa">Заказ ${num(i).slice(0, 13)}</div></div><div class="PostingsRow_cell__b9LmE"><span class="Status_status__nA2wQ">Ожидает сборки</span></div><div class="PostingsRow_cell__b9LmE">${msk(shipAt)}</div><div class="PostingsRow_cell__b9LmE">Кабель USB-C 1 м</div><div class="PostingsRow_cell__b9LmE">1 299 ₽</div></div></div>`;
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const r = row(i, Math.floor((now + 3 * HOUR + i * 7 * MIN) / MIN) * MIN);
    return i === 58 ? r + `<div class="PostingsRow_detail__Ee4r1" id="gd58" style="height:1500px;background:#f6f7f9">Детали отправления <button type="button" onclick="this.parentElement.style.display='none'">Свернуть</button></div>` : r;
  }).join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title>
<style>body{margin:0;font:14px/1.4 Arial,sans-serif}.PostingsTable_table__fR2s7{background:#fff;border-radius:12px;overflow:hidden}
.PostingsTable_head__aM41q,.PostingsRow_row__x7Kq2{display:grid;grid-template-columns:32px 220px 150px 150px 200px 110px;align-items:center;column-gap:12px;padding:10px 16px;border-bottom:1px solid #eef0f3}
.PostingsTable_head__aM41q{position:sticky;top:0;background:#fff;color:#707f8d;font-size:12px}</style></head>
<body><h2>Заказы с моих складов</h2><div class="PostingsTable_table__fR2s7"><div class="PostingsTable_head__aM41q"><div></div><div>Номер отправления</div><div>Статус</div><div>Отгрузить до</div><div>Товары</div><div>Стоимость</div></div>
<div class="PostingsTable_body__Lk5p0">${rows}</div><div class="PostingsTable_more__Hq3s8"><button class="Button_button__s8Lk0" type="button" id="more">Показать ещё</button></div></div></body></html>`;
}

/** Every badge: contract attributes present, drawn or bare, and whether its box is in the viewport. */
const state = (p: Page) =>
  p.$$eval('[data-ozon-guard]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      const row = (e.closest('tr') ?? e.closest('.PostingsRow_row__x7Kq2'))!.getBoundingClientRect();
      return {
        posting: e.getAttribute('data-posting'),
        contract: ['data-status', 'data-cancel', 'data-archive', 'data-deadline', 'data-due', 'data-level', 'aria-label'].every((a) => e.hasAttribute(a)),
        drawn: !!e.getAttribute('data-t-cd') && !e.hasAttribute('data-b'),
        onScreen: row.bottom > 0 && row.top < innerHeight,
        width: r.width,
      };
    }),
  );

/** Element `id` at the top of the viewport; its scroll's measuring pass is over. */
async function topAt(p: Page, id: string): Promise<void> {
  await p.evaluate((el) => document.getElementById(el)!.scrollIntoView({ block: 'start' }), id);
  await p.waitForTimeout(700);
}

/** Whether row `i`'s badge has its pills. */
const drawnOf = async (p: Page, i: number) => (await state(p)).find((b) => b.posting === num(i))!.drawn;

/** On screen: row `first` among the rows, and every badge drawn. */
async function onScreenDrawn(p: Page, first: number): Promise<void> {
  const on = (await state(p)).filter((b) => b.onScreen);
  expect(on.length).toBeGreaterThan(5);
  expect(on.some((b) => b.posting === num(first))).toBe(true);
  expect(on.every((b) => b.drawn)).toBe(true);
}

describe('a long list: the pills drawn near the viewport', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Europe/Moscow' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The list `html` makes, served at the list's URL in a 1200 × 700 window, once every row has its badge (the page's errors counted from here). */
  async function openList(html: (now: number) => string): Promise<Page> {
    h.errors.length = 0;
    h.serve({ '/app/postings/fbs': html(Date.now()) });
    const p = await h.open(LIST_URL);
    await p.setViewportSize({ width: 1200, height: 700 });
    await until(async () => expect((await state(p)).length).toBe(ROWS));
    return p;
  }

  it('every row has its contract attributes at once; on screen every badge is drawn, after a scroll, a re-render in place (never blank), a Tab, a resize and rows taken out above', async () => {
    const p = await openList(page);
    let s = await state(p);
    expect(s.every((b) => b.contract)).toBe(true);
    // The first rows on screen are drawn; rows far below are not (yet).
    await until(async () => expect((await state(p)).filter((b) => b.onScreen).every((b) => b.drawn)).toBe(true), 3_000);
    s = await state(p);
    expect(s.filter((b) => b.onScreen).length).toBeGreaterThan(5);
    expect(s[ROWS - 1]!.drawn).toBe(false);
    const bareWidth = s[ROWS - 1]!.width;
    expect(bareWidth).toBeLessThan(4);

    // A scroll into the middle of the list: what comes into view is drawn (the scroll pass, ≤ 120 ms + a frame).
    await p.evaluate(() => document.getElementById('r250')!.scrollIntoView({ block: 'center' }));
    await until(async () => {
      const on = (await state(p)).filter((b) => b.onScreen);
      expect(on.length).toBeGreaterThan(5);
      expect(on.every((b) => b.drawn)).toBe(true);
    }, 3_000);
    await h.screenshot(p, 'near-draw-scrolled');

    // The list re-rendered in place while the seller looks at its middle (every row element replaced by a
    // new one showing the same posting): the badges on screen come back drawn, never blank (clock.ts bareOk).
    await p.evaluate(() => {
      const w = window as unknown as { __bareOnScreen: string[] };
      w.__bareOnScreen = [];
      new MutationObserver((recs) => {
        for (const r of recs)
          for (const n of [r.target, ...r.addedNodes]) {
            if (!(n instanceof Element) || n.tagName !== 'OZON-GUARD-BADGE' || !n.hasAttribute('data-b')) continue;
            const box = n.closest('tr')!.getBoundingClientRect();
            if (box.bottom > 0 && box.top < innerHeight) w.__bareOnScreen.push(n.getAttribute('data-posting')!);
          }
      }).observe(document.getElementById('tb')!, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-b'] });
      for (const tr of [...document.querySelectorAll('#tb tr')]) {
        const copy = tr.cloneNode(true) as Element;
        copy.querySelector('ozon-guard-badge')?.remove();
        tr.replaceWith(copy);
      }
    });
    await until(async () => {
      const all = await state(p);
      expect(all.length).toBe(ROWS);
      expect(all.filter((b) => b.onScreen).every((b) => b.drawn)).toBe(true);
    }, 3_000);
    expect(await p.evaluate('window.__bareOnScreen')).toEqual([]);

    // A Tab onto a badge not yet drawn (focus scrolls it into view): drawn at once.
    const far = num(390);
    expect((await state(p)).find((b) => b.posting === far)!.drawn).toBe(false);
    await p.focus(`[data-ozon-guard][data-posting="${far}"]`);
    expect(await p.getAttribute(`[data-ozon-guard][data-posting="${far}"]`, 'data-t-cd')).toBeTruthy();

    // Row 200 at the top (its scroll's pass draws what is near); then the window grows taller: the rows it now shows are drawn.
    await p.evaluate(() => document.getElementById('r200')!.scrollIntoView({ block: 'start' }));
    await p.waitForTimeout(600);
    expect((await state(p)).find((b) => b.posting === num(222))!.drawn).toBe(false);
    await p.setViewportSize({ width: 1200, height: 1800 });
    await until(async () => expect((await state(p)).filter((b) => b.onScreen).every((b) => b.drawn)).toBe(true), 3_000);

    // Rows above are taken out (a filter the page applies in place): the rows below move up into view without a scroll.
    await p.setViewportSize({ width: 1200, height: 700 });
    await p.evaluate(() => window.scrollTo(0, 0));
    // The resize's and the scroll's own measuring passes are over before the rows go.
    await p.waitForTimeout(600);
    expect((await state(p)).find((b) => b.posting === num(150))!.drawn).toBe(false);
    await p.evaluate(() => {
      for (let i = 0; i < 140; i++) document.getElementById('r' + i)!.remove();
    });
    await until(async () => {
      const on = (await state(p)).filter((b) => b.onScreen);
      expect(on[0]!.posting).toBe(num(140));
      expect(on.every((b) => b.drawn)).toBe(true);
    }, 4_000);
    // Exactly one badge per row throughout.
    s = await state(p);
    expect(s.length).toBe(ROWS - 140);
    expect(new Set(s.map((b) => b.posting)).size).toBe(ROWS - 140);
    expect(h.errors).toEqual([]);
    await p.close();
  });

  it('rows moved into view without a scroll (an expanded row above them closed: by a click, by the page\'s script, by a transition) are drawn soon', async () => {
    const p = await openList(pageWithDetails);

    // 1. A click on the detail's own button (display: none: nothing we observe changes).
    await topAt(p, 'r56');
    expect(await drawnOf(p, 63)).toBe(false);
    await p.click('#d58 button');
    await until(() => onScreenDrawn(p, 63), 3_000);
    await h.screenshot(p, 'near-draw-collapsed');

    // 2. The page's own script takes a detail out (no input at all).
    await topAt(p, 'r118');
    expect(await drawnOf(p, 125)).toBe(false);
    await p.evaluate(() => document.getElementById('d120')!.remove());
    await until(() => onScreenDrawn(p, 125), 3_000);

    // 3. The page shrinks a detail by a transition it starts (a class or a style set by its own timer).
    await topAt(p, 'r198');
    expect(await drawnOf(p, 205)).toBe(false);
    await p.evaluate(() => setTimeout(() => ((document.querySelector('#d200 .tall') as HTMLElement).style.height = '0px'), 50));
    await until(() => onScreenDrawn(p, 205), 3_000);

    // Exactly one badge per row throughout, and nothing thrown into the page.
    const s = await state(p);
    expect(s.length).toBe(ROWS);
    expect(new Set(s.map((b) => b.posting)).size).toBe(ROWS);
    expect(h.errors).toEqual([]);
    await p.close();
  });

  it('a bare badge takes the height its pills will take: a row drawn as it comes near keeps its height', async () => {
    const p = await openList(page);
    const rows = [300, 301, 302, 303, 304];
    const heights = () => p.evaluate((ids) => ids.map((i) => document.getElementById(`r${i}`)!.getBoundingClientRect().height), rows);
    for (const i of rows) expect(await drawnOf(p, i)).toBe(false);
    const bare = await heights();
    await topAt(p, 'r299');
    for (const i of rows) expect(await drawnOf(p, i)).toBe(true);
    expect(await heights()).toEqual(bare);
    expect(h.errors).toEqual([]);
    await p.close();
  });

  it('a jump to the end of the list (the page scrolling its «Показать ещё» button into view) has the rows it shows drawn in the frame that shows them: nothing below them moves afterwards', async () => {
    const p = await openList(gridPage);
    // A quiet page (no scroll for a while), the rows at the end of the list bare.
    await p.waitForTimeout(400);
    expect(await drawnOf(p, ROWS - 1)).toBe(false);
    const moreTop = () =>
      p.evaluate(() => new Promise<number>((res) => requestAnimationFrame(() => requestAnimationFrame(() => res(document.getElementById('more')!.getBoundingClientRect().top)))));
    // The jump, in one step, and where the button is two frames later.
    await p.evaluate(() => document.getElementById('more')!.scrollIntoView({ block: 'end' }));
    const y0 = await moreTop();
    const on = (await state(p)).filter((b) => b.onScreen);
    expect(on.length).toBeGreaterThan(5);
    expect(on.every((b) => b.drawn)).toBe(true);
    // Drawn pills in this 220 px column take two lines where a bare badge takes one: drawn 120 ms after the
    // scroll, as they were, the rows grew under the seller's eyes and the button moved down as it was reached for.
    await p.waitForTimeout(600);
    expect(await moreTop()).toBe(y0);
    expect(h.errors).toEqual([]);
    await p.close();
  });

  it('the same in a div grid under a sticky header, each row in a wrapper of its own: an expanded row taken out by the page', async () => {
    const p = await openList(gridPage);
    await topAt(p, 'g56');
    expect(await drawnOf(p, 63)).toBe(false);
    // By the page's script, with no pointer or key involved (a pointer over the list is a sign of its own).
    await p.evaluate(() => document.getElementById('gd58')!.remove());
    await until(() => onScreenDrawn(p, 63), 3_000);
    const s = await state(p);
    expect(new Set(s.map((b) => b.posting)).size).toBe(ROWS);
    expect(h.errors).toEqual([]);
    await p.close();
  });
});
