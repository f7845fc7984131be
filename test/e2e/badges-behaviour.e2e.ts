/**
 * The badge layer's page life in a real browser (production build, real
 * URLs): it stays off non-postings pages and follows SPA navigation, the
 * countdown moves, levels cross D5 lines on their own, the chip counts and
 * scrolls, the hover/focus card gives Moscow time and the seller's own zone
 * (T2), re-renders keep one badge per row, settings apply live, and every
 * language looks right (screenshots in test/e2e/out/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launch, ROOT, type Harness } from './harness';
import { until } from './badge-contract';
import { evaluateOrder } from '../../rules/index';
import type { Order } from '../../rules/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const LIST_URL = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';

interface Row {
  n: string;
  shipIn: number; // ms from now
  status: string;
}

/** Panel-style wall clock in Moscow time (T1), as the panel prints "Отгрузить до". */
function msk(ms: number): string {
  const d = new Date(ms + 3 * HOUR);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const floorMin = (ms: number) => Math.floor(ms / MIN) * MIN;

function rows(now: number): Row[] {
  return [
    { n: '31000001-0001-1', shipIn: 9 * MIN + 50_000, status: 'Ожидает сборки' },
    { n: '31000002-0001-1', shipIn: 95 * MIN, status: 'Ожидает сборки' },
    { n: '31000003-0001-1', shipIn: -40 * MIN, status: 'Ожидает сборки' },
    { n: '31000004-0001-1', shipIn: 20 * HOUR + 12 * MIN, status: 'Ожидает сборки' },
    { n: '31000005-0001-2', shipIn: NaN, status: 'Доставлен' },
  ].map((r) => ({ ...r, shipIn: Number.isNaN(r.shipIn) ? NaN : floorMin(now + r.shipIn) - now + 30_000 }));
}

function rowHtml(r: Row, now: number): string {
  const ship = Number.isNaN(r.shipIn) ? '' : msk(now + r.shipIn);
  return `<tr><td><input type="checkbox"></td><td><a href="/app/postings/fbs?postingDetails=${r.n}">${r.n}</a></td><td>${r.status}</td><td>${ship}</td><td>Кабель USB-C 1 м</td><td>1 299 ₽</td></tr>`;
}

function listPage(now: number, extraScript = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Заказы — Ozon Seller</title>
<style>body{font:14px Arial,sans-serif;margin:24px;color:#001a34}table{border-collapse:collapse;width:100%}
th,td{padding:10px 12px;border-bottom:1px solid #e1e4e8;text-align:left}th{color:#707f8d;font-weight:400;font-size:13px}</style></head>
<body><h2>Заказы с моих складов</h2><table><thead><tr><th></th><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th><th>Стоимость</th></tr></thead>
<tbody id="tb">${rows(now)
    .map((r) => rowHtml(r, now))
    .join('')}</tbody></table>
<div style="height:1600px"></div>
<script>${extraScript}</script></body></html>`;
}

/** The orders the reader must see in `listPage` (the panel's ship-by time is P2's deadline). */
function expectedOrders(now: number): Order[] {
  return rows(now).map((r) => {
    const o: Order = { postingNumber: r.n, scheme: 'FBS', status: Number.isNaN(r.shipIn) ? 'delivered' : 'awaiting_packaging' };
    if (!Number.isNaN(r.shipIn)) o.shipBy = new Date(floorMin(now + r.shipIn)).toISOString();
    return o;
  });
}

const attr = (page: Page, n: string, a: string) => page.getAttribute(`[data-ozon-guard][data-posting="${n}"]`, a);
/** What the badge shows: the pills the badge sheet draws (::before, ::after, from attributes) and its text node. */
const badgeText = (page: Page, n: string) =>
  page.$eval(`[data-ozon-guard][data-posting="${n}"]`, (e) => { const c = (p: string) => { const v = getComputedStyle(e, p).content; return v && v !== 'none' && v !== 'normal' ? (JSON.parse(v) as string) : ''; }; return c('::before') + c('::after') + (e.textContent ?? ''); });
const count = (page: Page) => page.$$eval('[data-ozon-guard]', (els) => els.length);

async function setSettings(h: Harness, patch: Record<string, unknown>): Promise<void> {
  const [sw] = h.ctx.serviceWorkers();
  await sw!.evaluate(async (p) => {
    type Local = { get(k: string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> };
    const api = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome;
    const cur = ((await api.storage.local.get('settings')) as { settings?: Record<string, unknown> }).settings ?? {};
    await api.storage.local.set({ settings: { ...cur, ...p } });
  }, patch);
}

describe('badge behaviour in a real browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('does nothing on a non-postings page, starts after an SPA pushState to /app/postings/fbs, stops when leaving', async () => {
    h.errors.length = 0;
    const now = Date.now();
    const table = JSON.stringify(listPage(now).match(/<table>[\s\S]*<\/table>/)![0]);
    const dashboard = `<!doctype html><html><head><meta charset="utf-8"><title>Главная</title></head><body>
<h2>Главная</h2><div id="app"><p>Заказ 31000001-0001-1 ждёт сборки</p></div>
<script>window.__go = () => { history.pushState({}, '', '/app/postings/fbs?tab=awaiting_packaging'); document.getElementById('app').innerHTML = ${table}; };
window.__leave = () => { history.pushState({}, '', '/app/dashboard'); };</script></body></html>`;
    h.serve({ '/app/dashboard': dashboard, '/app/postings/fbs': listPage(now) });
    const page = await h.open('https://seller.ozon.ru/app/dashboard');
    await page.waitForTimeout(1500);
    expect(await count(page)).toBe(0);
    await page.evaluate('window.__go()');
    await until(async () => expect(await count(page)).toBe(5));
    await page.evaluate('window.__leave()');
    await until(async () => expect(await count(page)).toBe(0));
    expect(await page.$$eval('ozon-guard-chip:not([hidden])', (e) => e.length)).toBe(0);
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    await page.close();
  });

  it('D1/D5: attributes follow evaluateOrder, the countdown moves, the chip counts and scrolls, the card shows MSK and the own zone (T2)', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now) });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(5));
    const t = Date.now();
    for (const o of expectedOrders(now)) {
      const v = evaluateOrder(o, t);
      expect(await attr(page, o.postingNumber, 'data-level')).toBe(v.level);
      expect(await attr(page, o.postingNumber, 'data-deadline')).toBe(v.deadline?.kind ?? 'none');
      expect(await attr(page, o.postingNumber, 'data-cancel')).toBe(v.cancel.allowed ? 'allowed' : 'blocked');
      expect(await attr(page, o.postingNumber, 'data-archive')).toBe(v.archive.allowed ? 'allowed' : 'blocked');
      const due = await attr(page, o.postingNumber, 'data-due');
      expect(due ? new Date(due).toISOString() : null).toBe(v.deadline ? new Date(v.deadline.dueAt).toISOString() : null);
    }
    // Under an hour: seconds tick.
    const first = await badgeText(page, '31000001-0001-1');
    expect(first).toMatch(/\dm \d\ds/);
    await page.waitForTimeout(2200);
    expect(await badgeText(page, '31000001-0001-1')).not.toBe(first);
    expect(await badgeText(page, '31000003-0001-1')).toMatch(/overdue \d+m/);
    expect(await badgeText(page, '31000004-0001-1')).toMatch(/^20h 1\dm/);

    // The chip: 2 at risk (critical + at_risk), 1 overdue.
    const chip = await page.$eval('ozon-guard-chip', (e) => e.shadowRoot?.textContent ?? '');
    expect(chip).toBe('2 at risk · 1 overdue');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.click('ozon-guard-chip >> button');
    // Soonest deadline first: the overdue order.
    await until(async () =>
      expect(await page.evaluate(() => (document.activeElement as Element | null)?.getAttribute('data-posting'))).toBe('31000003-0001-1'),
    );
    await page.click('ozon-guard-chip >> button');
    await until(async () =>
      expect(await page.evaluate(() => (document.activeElement as Element | null)?.getAttribute('data-posting'))).toBe('31000001-0001-1'),
    );

    // Hover: the one card, Moscow time and Asia/Shanghai (the browser's zone).
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.setViewportSize({ width: 1100, height: 600 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.hover('[data-ozon-guard][data-posting="31000002-0001-1"]');
    const card = await until(async () => {
      const txt = await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '');
      expect(txt).toContain('31000002-0001-1');
      return txt;
    });
    expect(card).toContain('MSK');
    expect(card).toContain('Beijing time'); // the own zone as people say it (lib/when.ts)
    expect(card).toMatch(/Rule D1/);
    expect(card).toContain('P2');
    expect(await page.$$eval('ozon-guard-card', (e) => e.length)).toBe(1);
    await h.screenshot(page, 'badges-card-en');

    // Keyboard: Tab focus opens the card too; Escape closes it.
    await page.mouse.move(0, 0);
    await page.focus('[data-ozon-guard][data-posting="31000004-0001-1"]');
    await until(async () =>
      expect(await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '')).toContain('31000004-0001-1'),
    );
    await page.keyboard.press('Escape');
    await until(async () => expect(await page.$$eval('ozon-guard-card:not([hidden])', (e) => e.length)).toBe(0));
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    await page.close();
  });

  it('React-style re-renders and recycled rows keep exactly one correct badge per row', async () => {
    h.errors.length = 0;
    const now = Date.now();
    const rerender = `
      const tb = document.getElementById('tb'); const html = tb.innerHTML; let i = 0;
      const iv = setInterval(() => {
        i++;
        if (i % 3 === 0) tb.innerHTML = html;                       // whole body replaced
        else for (const td of tb.querySelectorAll('td:nth-child(2)')) td.innerHTML = td.innerHTML; // cells re-rendered
        if (i === 8) { clearInterval(iv);
          // A virtual list recycles the first row element for another order.
          const a = tb.querySelector('tr a'); a.textContent = '31000009-0001-1'; a.href = '/app/postings/fbs?postingDetails=31000009-0001-1';
          window.__done = true; }
      }, 120);`;
    h.serve({ '/app/postings/fbs': listPage(now, rerender) });
    const page = await h.open(LIST_URL);
    await page.waitForFunction('window.__done === true');
    await until(async () => {
      const postings = await page.$$eval('[data-ozon-guard]', (els) => els.map((e) => e.getAttribute('data-posting')).sort());
      expect(postings).toEqual(['31000002-0001-1', '31000003-0001-1', '31000004-0001-1', '31000005-0001-2', '31000009-0001-1']);
      const perRow = await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('[data-ozon-guard]').length));
      expect(perRow).toEqual([1, 1, 1, 1, 1]);
    });
    expect(h.errors).toEqual([]);
    await page.close();
  });

  it('settings apply live: detailed density, parts switched off, and the language override (en → ru → zh_CN)', async () => {
    h.errors.length = 0;
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now) });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(5));
    await page.setViewportSize({ width: 1100, height: 560 });
    await h.screenshot(page, 'badges-compact-en');
    // The README's picture: the list at the top, one card open.
    await page.hover('[data-ozon-guard][data-posting="31000002-0001-1"]');
    await until(async () =>
      expect(await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '')).toContain('31000002-0001-1'),
    );
    await h.screenshot(page, 'badges-card-en-top');
    // The README's screenshot is refreshed on request only (OOG_UPDATE_DOCS=1), so a test run leaves the tree clean.
    if (process.env.OOG_UPDATE_DOCS) {
      mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
      copyFileSync(path.join(ROOT, 'test/e2e/out/badges-card-en-top.png'), path.join(ROOT, 'docs/screenshot-badges.png'));
    }
    await page.mouse.move(0, 0);

    await setSettings(h, { badgeDensity: 'detailed' });
    await until(async () => expect(await badgeText(page, '31000002-0001-1')).toContain('Can cancel'));
    await h.screenshot(page, 'badges-detailed-en');

    await setSettings(h, { badgeDensity: 'compact', language: 'ru' });
    await until(async () => expect(await badgeText(page, '31000004-0001-1')).toMatch(/20 ч 1\d мин/));
    await page.hover('[data-ozon-guard][data-posting="31000002-0001-1"]');
    await until(async () =>
      expect(await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '')).toContain('МСК'),
    );
    await h.screenshot(page, 'badges-card-ru');

    await setSettings(h, { language: 'zh_CN', secondZone: 'Asia/Shanghai' });
    await until(async () => expect(await badgeText(page, '31000004-0001-1')).toMatch(/20小时1\d分/));
    await page.mouse.move(0, 0);
    await page.hover('[data-ozon-guard][data-posting="31000001-0001-1"]');
    await until(async () =>
      expect(await page.$eval('ozon-guard-card:not([hidden])', (e) => e.shadowRoot?.textContent ?? '')).toContain('莫斯科时间'),
    );
    await h.screenshot(page, 'badges-card-zh');

    await setSettings(h, { badgeParts: { cancel: false, archive: false, countdown: true } });
    // The countdown pill is the badge's ::before, the cancel pill its ::after, the archive verdict its text node.
    const shown = (part: 'cd' | 'cx' | 'ax') =>
      page.$eval('[data-ozon-guard][data-posting="31000004-0001-1"]', (e, p) => {
        if (p === 'ax') return (e.textContent ?? '') !== '' && e.getBoundingClientRect().width > 0;
        const cs = getComputedStyle(e, p === 'cd' ? '::before' : '::after');
        return cs.content !== 'none' && cs.content !== 'normal' && cs.display !== 'none' && parseFloat(cs.width) > 0;
      }, part);
    await until(async () => {
      expect(await shown('cx')).toBe(false);
      expect(await shown('ax')).toBe(false);
      expect(await shown('cd')).toBe(true);
    });
    await setSettings(h, { language: 'auto', badgeParts: { cancel: true, archive: true, countdown: true }, secondZone: 'auto' });
    // The verdict in words, no ✓ Cancel.
    await until(async () => expect(await badgeText(page, '31000004-0001-1')).toMatch(/Can('t)? cancel/));
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
    await page.close();
  });
  it('a page whose CSS aims at every ::before / ::after leaves the pills as they are (the sheet resets what such rules set)', async () => {
    h.errors.length = 0;
    // What page resets, icon fonts and clearfixes put on pseudo-elements, all at once (components/badge/styles.ts PSEUDO_RESET).
    const hostile =
      '*::before,*::after,::before,::after{content:"\\2731";margin:7px;border:3px solid red;float:right;position:relative;top:5px;' +
      'transform:rotate(12deg);opacity:.4;width:200px;min-width:150px;text-decoration:underline;text-transform:uppercase;letter-spacing:4px;' +
      'font-family:serif;font-size:22px;font-style:italic;font-weight:900;line-height:40px;box-sizing:content-box;padding:11px;height:50px;' +
      'display:block;background:yellow;color:green}';
    const props = ['marginLeft', 'borderTopWidth', 'cssFloat', 'position', 'transform', 'opacity', 'width', 'minWidth', 'textDecorationLine', 'textTransform',
      'letterSpacing', 'fontFamily', 'fontSize', 'fontStyle', 'fontWeight', 'lineHeight', 'boxSizing', 'paddingLeft', 'height', 'display', 'backgroundColor', 'color'];
    const look = async (page: Page) => {
      // In view first, as a seller sees it: the page's rules push it far down.
      await page.$eval('[data-ozon-guard][data-posting="31000004-0001-1"]', (e) => e.scrollIntoView({ block: 'center' }));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      return page.$eval('[data-ozon-guard][data-posting="31000004-0001-1"]', (e, ps) => {
        const of = (p: string) => {
          const cs = getComputedStyle(e, p) as unknown as Record<string, string>;
          return Object.fromEntries(ps.map((k) => [k, cs[k]]));
        };
        // Not the badge's own box: the page's rules move its own pseudo-elements, so the cells (and a badge that wraps in one) change size.
        return { before: of('::before'), after: of('::after'), afterContent: getComputedStyle(e, '::after').content };
      }, props);
    };
    const now = Date.now();
    h.serve({ '/app/postings/fbs': listPage(now) });
    const clean = await h.open(LIST_URL);
    await until(async () => expect(await count(clean)).toBe(5));
    const want = await look(clean);
    await clean.close();
    h.serve({ '/app/postings/fbs': listPage(now, `document.head.insertAdjacentHTML('beforeend', ${JSON.stringify(`<style>${hostile}</style>`)});`) });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(5));
    // The rule is in force on the page's own pseudo-elements.
    expect(await page.$eval('h2', (e) => getComputedStyle(e, '::before').content)).toContain('\u2731');
    const got = await look(page);
    expect(got).toEqual(want);
    expect(await badgeText(page, '31000004-0001-1')).not.toContain('\u2731');
    await h.screenshot(page, 'badges-hostile-pseudo');
    // A pill switched off draws nothing, not an empty pill from the page's `content`.
    await setSettings(h, { badgeParts: { cancel: false, archive: true, countdown: true } });
    await until(async () => expect(await page.$eval('[data-ozon-guard][data-posting="31000004-0001-1"]', (e) => getComputedStyle(e, '::after').content)).toBe('none'));
    await setSettings(h, { badgeParts: { cancel: true, archive: true, countdown: true } });
    expect(h.errors).toEqual([]);
    await page.close();
  });
  it('a long list: every row has its badge, attributes and label at once, far below the fold too, and shows its pills when scrolled to', async () => {
    h.errors.length = 0;
    const now = Date.now();
    const long: Row[] = Array.from({ length: 400 }, (_, i) => ({
      n: `32${String(100000 + i)}-0001-1`,
      shipIn: floorMin(now + (2 + (i % 40)) * HOUR + (i % 60) * MIN) - now + 30_000,
      status: 'Ожидает сборки',
    }));
    const page0 = listPage(now).replace(/<tbody id="tb">[\s\S]*<\/tbody>/, `<tbody id="tb">${long.map((r) => rowHtml(r, now)).join('')}</tbody>`);
    h.serve({ '/app/postings/fbs': page0 });
    const page = await h.open(LIST_URL);
    await until(async () => expect(await count(page)).toBe(400));
    const far = long[390]!.n;
    const pill = (n: string) =>
      page.$eval(`[data-ozon-guard][data-posting="${n}"]`, (e) => ({ width: getComputedStyle(e, '::before').width, label: e.getAttribute('aria-label') ?? '', level: e.getAttribute('data-level') }));
    // Far below: the contract's attributes and the screen reader's label are there.
    const before = await pill(far);
    expect(before.level).toBe('ok');
    expect(before.label).toContain(far);
    expect(parseFloat((await pill(long[0]!.n)).width)).toBeGreaterThan(0);
    await page.$eval(`[data-ozon-guard][data-posting="${far}"]`, (e) => e.scrollIntoView({ block: 'center' }));
    await until(async () => expect(parseFloat((await pill(far)).width)).toBeGreaterThan(0));
    expect(await badgeText(page, far)).toMatch(/\d+h \d+m/);
    await h.screenshot(page, 'badges-long-list-scrolled');
    expect(h.errors).toEqual([]);
    await page.close();
  });
});
