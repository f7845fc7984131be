/**
 * The page report in a real browser, production build: a panel page in the
 * "layout changed" state (posting numbers shown, no row recognised) makes the
 * popup's "Save page report" prominent; saving downloads a JSON file (an
 * <a download> blob, no downloads permission) that holds none of the page's
 * buyer strings, has the panel API's key structure, and that
 * `npm run fixture` turns into a page which, served at the report's URL, is
 * again in the layout-changed state. A page with recognised rows gives a
 * quiet action, and its rebuilt page gets the same number of badges.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launch, PANEL, ROOT, type Harness } from './harness';
import { fixtureByName, fixtureRoutes } from '../fixtures/panel/index';
import { layoutChanged, LAYOUT_CHANGED_SECRETS } from '../fixtures/panel/pages/layout-changed';

let h: Harness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const SECRETS = LAYOUT_CHANGED_SECRETS;

async function popupWithReport(which: 'prominent' | 'quiet'): Promise<Page> {
  const popup = await h!.openExtensionPage('popup.html');
  await popup.setViewportSize({ width: 400, height: 700 });
  await popup.locator(`[data-page-report="${which}"]`).waitFor({ timeout: 15_000 });
  return popup;
}

async function saveReport(popup: Page): Promise<{ file: string; name: string; json: string }> {
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.locator('[data-report-save]').click()]);
  dir ??= mkdtempSync(path.join(tmpdir(), 'oog-report-'));
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  await popup.locator('[data-report-saved]').waitFor();
  return { file, name: download.suggestedFilename(), json: readFileSync(file, 'utf8') };
}

function fixtureFrom(file: string): { html: string; url: string } {
  const out = path.join(path.dirname(file), 'page.html');
  const log = execFileSync(process.execPath, [path.join(ROOT, 'scripts/fixture.mjs'), file, out], { encoding: 'utf8' });
  const url = /serve it at (\S+)/.exec(log)![1]!;
  return { html: readFileSync(out, 'utf8'), url };
}

describe('page report (real browser)', () => {
  it('layout-changed page: a prominent action saves a report without buyer data, and npm run fixture rebuilds the page', async () => {
    h = await launch({ locale: 'en-US' });
    // The seller searched for a buyer: the query's value must not reach the report either.
    const url = `${layoutChanged.url}&search=${encodeURIComponent('Кузнецова')}`;
    h.serve(fixtureRoutes(layoutChanged, Date.now()));
    const panel = await h.open(url);
    await panel.waitForFunction(() => document.title === 'loaded');
    // The overlay calls it "layout changed" after the page has been quiet for a while (controller.ts SETTLE_MS).
    await panel.waitForTimeout(4_000);
    expect(await panel.locator('ozon-guard-badge').count()).toBe(0);

    const popup = await popupWithReport('prominent');
    await popup.evaluate(() => document.fonts.ready);
    await h.screenshot(popup, 'page-report-popup-layout-changed');
    const { file, name, json } = await saveReport(popup);
    expect(name).toMatch(/^ozon-order-guard-report-\d{4}-\d{2}-\d{2}\.json$/);
    await h.screenshot(popup, 'page-report-popup-saved');
    for (const s of SECRETS) expect(json.includes(s), s).toBe(false);
    for (const s of SECRETS) for (const d of s.match(/\d{3,}/g) ?? []) expect(json.includes(d), `${d} of ${s}`).toBe(false);
    expect(json).not.toMatch(/Кузнецова|Орлов|Невский|李娜|c-91/);
    const report = JSON.parse(json);
    expect(report.format).toBe('ozon-order-guard/page-report');
    expect(report.state).toMatchObject({ layoutChanged: true, rowsRecognised: 0, postingsShown: 3 });
    expect(report.url).toMatchObject({ origin: PANEL, path: '/app/postings/fbs', query: [{ key: 'tab', value: 'awaiting_packaging' }, { key: 'search' }] });
    expect(report.extension.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.browser.timeZone).toBe('Asia/Shanghai');
    expect(report.candidates.map((c: { reason: string }) => c.reason)).toEqual(['inside-a-sentence', 'inside-a-sentence', 'inside-a-sentence']);
    // The panel API seen by the page-world script: its path and key structure, no values.
    expect(report.apis).toEqual([
      {
        path: '/api/postings/fbs/list',
        keys: { cursor: 'string', has_next: 'boolean', items: { '[]': 3, of: { number: 'string', client: { fio: 'string', phone: 'string' }, total: { amount: 'string', currency: 'string' } } } },
      },
    ]);
    expect(h.strayRequests).toEqual([]);

    // npm run fixture: the report becomes a page; served at the report's URL it is in the same state.
    const fx = fixtureFrom(file);
    for (const s of SECRETS) expect(fx.html.includes(s), s).toBe(false);
    h.serve({ [new URL(fx.url).pathname]: fx.html });
    const rebuilt = await h.open(fx.url);
    await rebuilt.waitForTimeout(4_000);
    expect(await rebuilt.locator('ozon-guard-badge').count()).toBe(0);
    const again = await h.openExtensionPage('popup.html');
    await panel.close();
    await again.locator('[data-page-report="prominent"]').waitFor({ timeout: 15_000 });
    expect(h.errors).toEqual([]);
  });

  it('a page with recognised rows: a quiet action, and the rebuilt page gets the same badges', async () => {
    h = await launch({ locale: 'ru' });
    const f = fixtureByName('ru-divgrid-awaiting-packaging');
    h.serve(fixtureRoutes(f, Date.now()));
    const panel = await h.open(f.url);
    const rows = f.expected(Date.now()).length;
    await panel.waitForFunction((n) => document.querySelectorAll('ozon-guard-badge').length === n, rows, { timeout: 20_000 });
    const popup = await popupWithReport('quiet');
    await popup.evaluate(() => document.fonts.ready);
    await h.screenshot(popup, 'page-report-popup-quiet-ru');
    const { file, json } = await saveReport(popup);
    const report = JSON.parse(json);
    expect(report.state).toMatchObject({ layoutChanged: false, rowsRecognised: rows });
    expect(json).not.toMatch(/Кабель|Термокружка|1 299|16965409/);
    const fx = fixtureFrom(file);
    h.serve({ [new URL(fx.url).pathname]: fx.html });
    await panel.close();
    const rebuilt = await h.open(fx.url);
    await rebuilt.waitForFunction((n) => document.querySelectorAll('ozon-guard-badge').length === n, rows, { timeout: 20_000 });
    const statuses = await rebuilt.$$eval('ozon-guard-badge', (els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(Array(rows).fill('awaiting_packaging'));
    await h.screenshot(rebuilt, 'page-report-rebuilt-ru-divgrid');
    expect(h.errors).toEqual([]);
  });

  it('in Chinese: the prominent action reads in the seller’s language', async () => {
    h = await launch({ locale: 'zh-CN' });
    h.serve(fixtureRoutes(layoutChanged, Date.now()));
    const panel = await h.open(layoutChanged.url);
    await panel.waitForFunction(() => document.title === 'loaded');
    await panel.waitForTimeout(4_000);
    const popup = await popupWithReport('prominent');
    await popup.evaluate(() => document.fonts.ready);
    const text = (await popup.locator('[data-page-report]').textContent()) ?? '';
    expect(text).toContain('保存页面报告');
    expect(text).toContain('此页面上未识别到任何订单行');
    expect(text).not.toMatch(/report_[a-z_]+/);
    await h.screenshot(popup, 'page-report-popup-layout-changed-zh');
    expect(h.errors).toEqual([]);
  });
});
