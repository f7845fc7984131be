// @vitest-environment node
/**
 * The manifest may not grow. Sellers install this on the page that runs their
 * business; every permission beyond what the product needs is a store-review
 * flag and a reason to distrust it. The lists below are the whole budget:
 * widening one must be a deliberate edit of this file, in review.
 *
 * Checked at two levels: the manifest function in wxt.config.ts (always,
 * for both browsers) and every production manifest found on disk (what
 * actually ships; `npm test` builds .output before the real-browser run,
 * which re-checks the loaded build in test/e2e/security.e2e.ts).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import config from '../../wxt.config';
import interceptor from '../../entrypoints/interceptor.content';
import content from '../../entrypoints/content/index';
import { PANEL_MATCHES, PANEL_ORIGINS } from '../../panel/origins';
import { OPTIONAL_HOSTS } from '../../background/channels/config';
import { API_HOST_PATTERNS } from '../../background/seller-api/paths';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** storage: history + settings; alarms + notifications: deadline reminders (D5). Nothing else. */
export const ALLOWED_PERMISSIONS = ['alarms', 'notifications', 'storage'];
/**
 * The panel's origins (panel/origins.ts; docs/real-panel.md "Origins"), written out here on purpose:
 * the one list in code feeds the manifest and both content scripts, this copy is what review pins.
 */
export const ALLOWED_HOSTS = ['https://seller.ozon.kz/*', 'https://seller.ozon.ru/*', 'https://seller.ozonru.cn/*'];
/**
 * Optional hosts, each asked for only when the seller turns its feature on, never at install:
 * the reminder channels' hosts (background/channels/config.ts) and Ozon's two Seller API hosts
 * (background/seller-api/paths.ts). Exactly these, never a wildcard.
 */
export const ALLOWED_OPTIONAL_HOSTS = [
  'https://api-seller.ozon.ru/*',
  'https://api-seller.ozonru.cn/*',
  'https://api.telegram.org/*',
  'https://oapi.dingtalk.com/*',
  'https://open.feishu.cn/*',
  'https://open.larksuite.com/*',
  'https://qyapi.weixin.qq.com/*',
];
/** The Seller API hosts: exactly the list the client's allowlist uses (background/seller-api/paths.ts). */
export const API_OPTIONAL_HOSTS = ['https://api-seller.ozon.ru/*', 'https://api-seller.ozonru.cn/*'];
const FORBIDDEN = ['<all_urls>', 'tabs', 'webRequest', 'webRequestBlocking', 'scripting', 'cookies', 'history', 'downloads', 'management', 'debugger', 'clipboardRead', 'nativeMessaging', 'declarativeNetRequest'];

type Manifest = {
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[]; exclude_matches?: string[]; world?: string }[];
  externally_connectable?: unknown;
  web_accessible_resources?: unknown;
  content_security_policy?: unknown;
  background?: { service_worker?: string; scripts?: string[]; page?: string };
  update_url?: string;
};

function manifestFromConfig(browser: 'chrome' | 'firefox'): Manifest {
  const m = (config as { manifest?: unknown }).manifest;
  expect(typeof m === 'function' || (typeof m === 'object' && m !== null), 'wxt.config.ts declares a manifest').toBe(true);
  const env = { browser, manifestVersion: browser === 'firefox' ? 2 : 3, mode: 'production', command: 'build' };
  return (typeof m === 'function' ? (m as (e: typeof env) => Manifest)(env) : m) as Manifest;
}

/** Host permissions as they land: MV2 folds them into `permissions`. */
function split(m: Manifest): { perms: string[]; hosts: string[] } {
  const all = [...(m.permissions ?? []), ...(m.host_permissions ?? [])];
  const isHost = (p: string) => p.includes('://') || p === '<all_urls>' || p.startsWith('*');
  return { perms: all.filter((p) => !isHost(p)).sort(), hosts: [...new Set(all.filter(isHost))].sort() };
}

function expectWithinBudget(m: Manifest, label: string): void {
  const { perms, hosts } = split(m);
  expect(perms, `${label}: API permissions`).toEqual(ALLOWED_PERMISSIONS);
  expect(hosts, `${label}: host permissions`).toEqual(ALLOWED_HOSTS);
  for (const f of FORBIDDEN) expect([...perms, ...hosts], `${label}: ${f}`).not.toContain(f);
  expect(m.optional_permissions ?? [], `${label}: optional permissions`).toEqual([]);
  expect([...(m.optional_host_permissions ?? [])].sort(), `${label}: optional host permissions`).toEqual(ALLOWED_OPTIONAL_HOSTS);
  // Nothing from outside may message us or load our files — except our own content script
  // loading its three lazy chunks (components/overlay/lazy.ts: the overlay core on the first postings
  // page, the card/list and the page report on first use): exactly those files, reachable from
  // the panel's origins only, and in Chrome only under the per-session dynamic URL (Firefox's
  // moz-extension:// host is random per install and it has no use_dynamic_url). Pinned exactly:
  // any other file, origin or a dropped use_dynamic_url fails here.
  expect(m.externally_connectable, `${label}: externally_connectable`).toBeUndefined();
  expect(m.web_accessible_resources ?? [], `${label}: web_accessible_resources`).toEqual([
    {
      resources: ['overlay-core.js', 'overlay-ui.js', 'overlay-report.js'],
      matches: PANEL_MATCHES, // pinned to ALLOWED_HOSTS below
      ...(label.includes('chrome') && { use_dynamic_url: true }),
    },
  ]);
  // A relaxed CSP ('unsafe-eval', remote script hosts) is how remote code gets in.
  expect(JSON.stringify(m.content_security_policy ?? ''), `${label}: CSP`).not.toMatch(/unsafe-eval|unsafe-inline|https?:|wasm-unsafe-eval|\*/);
  expect(m.update_url, `${label}: self-hosted update URL`).toBeUndefined();
}

function expectContentScriptsOnlyOnPanel(m: Manifest, label: string): void {
  // A build with none (a bare scaffold) is within budget too; the loaded build's are checked in e2e.
  const cs = m.content_scripts ?? [];
  for (const s of cs) expect([...(s.matches ?? [])].sort(), `${label}: content-script matches`).toEqual(ALLOWED_HOSTS);
}

describe('manifest permissions stay within the needed list (security)', () => {
  for (const browser of ['chrome', 'firefox'] as const) {
    it(`wxt.config.ts for ${browser}: exactly storage, alarms, notifications; hosts only the panel origins`, () => {
      expectWithinBudget(manifestFromConfig(browser), `wxt.config.ts (${browser})`);
    });
  }

  it('the one origin list is exactly the pinned hosts, each an https origin with no path or port', () => {
    expect([...PANEL_MATCHES].sort()).toEqual(ALLOWED_HOSTS);
    expect(PANEL_MATCHES).toEqual(PANEL_ORIGINS.map((o) => `${o}/*`));
    for (const o of PANEL_ORIGINS) expect(new URL(o).origin).toBe(o);
  });

  it('the optional hosts are exactly the channels\' own (background/channels/config.ts), each one https origin', () => {
    expect([...OPTIONAL_HOSTS, ...API_OPTIONAL_HOSTS].sort()).toEqual(ALLOWED_OPTIONAL_HOSTS);
    for (const h of ALLOWED_OPTIONAL_HOSTS) expect(h).toMatch(/^https:\/\/[a-z0-9.-]+\/\*$/);
  });

  it('the optional hosts are exactly the Seller API hosts the client may reach, and none is required', () => {
    expect([...API_HOST_PATTERNS].sort()).toEqual([...API_OPTIONAL_HOSTS].sort());
    for (const browser of ['chrome', 'firefox'] as const) {
      const { hosts } = split(manifestFromConfig(browser));
      for (const h of API_OPTIONAL_HOSTS) expect(hosts, `${browser}: ${h} is not required`).not.toContain(h);
    }
  });

  it('the content script announces its start to no page listener (its id stays the extension\'s; both browsers build this entrypoint)', () => {
    // WXT's context otherwise posts `<extension id>:content:wxt:content-script-started` to the page's
    // window on every panel page load (test/e2e/security.e2e.ts hears it in Chromium without this).
    expect((content as { noScriptStartedPostMessage?: boolean }).noScriptStartedPostMessage).toBe(true);
  });

  it('content scripts match only the Seller Panel (entrypoint definitions)', () => {
    // The MAIN-world script shares the page's realm: it must exist only on the panel.
    expect([...((interceptor as { matches?: string[] }).matches ?? [])].sort()).toEqual(ALLOWED_HOSTS);
    expect((interceptor as { world?: string }).world).toBe('MAIN');
    expect([...((content as { matches?: string[] }).matches ?? [])].sort()).toEqual(ALLOWED_HOSTS);
    // Both take the list from panel/origins.ts, never a copy of it.
    for (const f of ['entrypoints/content/index.ts', 'entrypoints/interceptor.content.ts', 'wxt.config.ts']) {
      const src = readFileSync(path.join(ROOT, f), 'utf8');
      expect(src, f).toMatch(/PANEL_MATCHES/);
      expect(src, f).not.toMatch(/https:\/\/seller\./);
    }
  });

  const built = [
    ...new Set(
      [process.env.OOG_OUT_DIR, '.output']
        .filter((d): d is string => !!d)
        .flatMap((d) => ['chrome-mv3', 'firefox-mv2', 'firefox-mv3'].map((b) => path.join(ROOT, d, b, 'manifest.json'))),
    ),
  ].filter((f) => existsSync(f));

  it.runIf(built.length > 0)('every production manifest on disk is within budget', () => {
    for (const file of built) {
      const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      const label = path.relative(ROOT, file);
      expectWithinBudget(m, label);
      expectContentScriptsOnlyOnPanel(m, label);
      // The background is our own file, never a URL.
      for (const s of [m.background?.service_worker, m.background?.page, ...(m.background?.scripts ?? [])]) {
        if (s) expect(s, `${label}: background`).not.toMatch(/:\/\//);
      }
    }
  });
});
