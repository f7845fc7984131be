/**
 * Launches Debian Chromium with the PRODUCTION build of the extension
 * (.output/chrome-mv3) and serves fixture pages under their real Seller Panel
 * URLs with context.route, on every origin the panel is served from
 * (panel/origins.ts: seller.ozon.ru, seller.ozonru.cn, seller.ozon.kz), so the
 * shipped match patterns are what make the content scripts run. No test-only
 * match patterns exist in shipped code.
 */
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { mkdtempSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireChromium } from '../../scripts/browsers.mjs';
import { PANEL_ORIGINS } from '../../panel/origins';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXT = path.resolve(ROOT, process.env.OOG_OUT_DIR ?? '.output', 'chrome-mv3');
export const OUT = path.join(ROOT, 'test/e2e/out');
/** The default panel origin; every origin in PANELS serves the same routes. */
export const PANEL = 'https://seller.ozon.ru';
export const PANELS: readonly string[] = PANEL_ORIGINS;

export type Body = string | { body: string; contentType?: string; status?: number; headers?: Record<string, string> };
/** path (no origin, no query) → body, or a function of the full URL and request body. */
export type Routes = Record<string, Body | ((url: URL, postData: string | null) => Body | undefined)>;

export interface Harness {
  ctx: BrowserContext;
  extId: string;
  /** Page errors and console errors seen on any page, with the page URL. */
  errors: string[];
  /** Every request not answered by the fixture routes and not a chrome-extension:// resource. */
  strayRequests: string[];
  /** Replace the served routes. */
  serve(routes: Routes): void;
  /** A new page at `url` (a full URL on any panel origin), errors tracked. */
  open(url: string): Promise<Page>;
  /** The popup / options page of the extension in a tab. */
  openExtensionPage(file: 'popup.html' | 'options.html', query?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Browser UI language, e.g. 'zh-CN', 'ru', 'en-US'. */
  locale?: string;
  timezoneId?: string;
  ext?: string;
  viewport?: { width: number; height: number };
  /** Extra cookies, set on every panel origin (e.g. x-o3-timezone, sc_company_id). */
  cookies?: Record<string, string>;
  /** Extra Chromium switches (e.g. --enable-unsafe-extension-debugging for CDP Extensions.loadUnpacked). */
  args?: string[];
}

/** Cookies for `ctx.addCookies`: on `origins` (default: every panel origin), since a page's cookies are its origin's. */
export function panelCookies(cookies: Record<string, string>, origins: readonly string[] = PANELS) {
  return origins.flatMap((url) => Object.entries(cookies).map(([name, value]) => ({ name, value, url })));
}

export async function launch(opts: LaunchOptions = {}): Promise<Harness> {
  const ext = opts.ext ?? EXT;
  if (!existsSync(path.join(ext, 'manifest.json'))) {
    throw new Error(`No production build at ${ext}: run "npm run build" first`);
  }
  mkdirSync(OUT, { recursive: true });
  const userDir = mkdtempSync(path.join(tmpdir(), 'oog-e2e-'));
  const locale = opts.locale ?? 'en-US';
  const ctx = await chromium.launchPersistentContext(userDir, {
    executablePath: requireChromium(),
    headless: true,
    // Why env: Chromium on Linux takes its UI locale (and so the extension's
    // browser.i18n messages) from LANGUAGE/LANG, not from --lang; Playwright's
    // `locale` only emulates navigator.language for pages.
    env: { ...process.env, LANGUAGE: locale.replace('-', '_'), LANG: `${locale.replace('-', '_')}.UTF-8` },
    locale,
    timezoneId: opts.timezoneId ?? 'Asia/Shanghai',
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    args: [
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      `--lang=${locale}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(opts.args ?? []),
    ],
  });
  let [sw] = ctx.serviceWorkers();
  sw ??= await ctx.waitForEvent('serviceworker', { timeout: 15_000 });
  const extId = new URL(sw.url()).host;

  const errors: string[] = [];
  const strayRequests: string[] = [];
  let routes: Routes = {};

  if (opts.cookies) {
    await ctx.addCookies(panelCookies(opts.cookies));
  }

  const fulfil = async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    const entry = routes[url.pathname];
    let body: Body | undefined;
    if (typeof entry === 'function') body = entry(url, req.postData());
    else body = entry;
    if (body === undefined) {
      strayRequests.push(`${req.method()} ${req.url()}`);
      return route.fulfill({ status: 404, body: 'not in fixture' });
    }
    const b = typeof body === 'string' ? { body } : body;
    return route.fulfill({
      status: b.status ?? 200,
      contentType: b.contentType ?? (url.pathname.startsWith('/api/') ? 'application/json' : 'text/html; charset=utf-8'),
      headers: b.headers,
      body: b.body,
    });
  };
  for (const origin of PANELS) await ctx.route(`${origin}/**`, fulfil);
  // Anything else leaving the browser is a stray request (the extension must send nothing anywhere).
  const panelPrefix = PANELS.map((o) => `${o.replace(/[.]/g, '\\.').replace(/\//g, '\\/')}\\/`).join('|');
  await ctx.route(new RegExp(`^(?!${panelPrefix}|chrome-extension:|data:|blob:|about:)`), (route) => {
    strayRequests.push(`${route.request().method()} ${route.request().url()}`);
    return route.abort();
  });

  const track = (page: Page) => {
    page.on('pageerror', (e) => errors.push(`pageerror ${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error ${page.url()}: ${m.text()}`);
    });
  };
  ctx.on('page', track);

  return {
    ctx,
    extId,
    errors,
    strayRequests,
    serve(r) {
      routes = r;
    },
    async open(url) {
      const page = await ctx.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async openExtensionPage(file, query = '') {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${extId}/${file}${query}`, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(OUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await ctx.close();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}
