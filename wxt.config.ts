import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { PANEL_MATCHES } from './panel/origins';
import { fileURLToPath } from 'node:url';

/** A module of the pure rules engine (rules/), by its absolute path (the bundler's ids use forward slashes). */
const RULES_DIR = fileURLToPath(new URL('./rules/', import.meta.url)).replaceAll('\\', '/');
const isRulesModule = (id: string) => id.replaceAll('\\', '/').startsWith(RULES_DIR);

/**
 * The scripts a panel page loads to draw its badges, each opened with V8's per-file compile hint
 * (`//# allFunctionsCalledOnLoad`, WICG "Explicit JavaScript Compile Hints", on by default in
 * Chromium): nearly every function in them runs on a postings page's first list, and compiled
 * lazily each was parsed twice and compiled on the page's main thread at its first call, in the
 * middle of the list's first rows. With the hint the chunk the bootstrap imports is compiled whole
 * as it loads. Paired rounds (bench/ab.mjs, three sets): the 1,000-row list's extension callbacks
 * −12 to −19 ms, a 50-row page load's extension CPU −7 to −21 ms (docs/performance.md "Twentieth
 * pass"). A comment to any other engine. Not the MAIN-world interceptor, the card's chunk or the
 * popup: each was tried the same way and showed no gain. Nor the options page, the background or the
 * page report, whose functions are not all needed at once.
 */
const COMPILE_HINTED = ['content-scripts/content.js', 'overlay-core.js'];
const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';
const compileHints = () => ({
  name: 'oog-compile-hints',
  apply: 'build' as const,
  enforce: 'post' as const,
  // Last of all (after minification, which keeps no comments, and after WXT's own rewrites of a
  // script's first line): the hint must open the file.
  generateBundle: {
    order: 'post' as const,
    handler(_: unknown, bundle: Record<string, { type: string; fileName: string; code?: string }>) {
      for (const out of Object.values(bundle)) {
        if (out.type === 'chunk' && COMPILE_HINTED.includes(out.fileName) && !out.code!.startsWith(COMPILE_HINT)) out.code = COMPILE_HINT + out.code;
      }
    },
  },
});

// Why a function: Firefox needs browser_specific_settings.gecko, Chrome must not get it.
// Permissions are the fewest the product needs (test/security/manifest.test.ts pins them):
// storage (history, settings), alarms + notifications (deadline reminders, D5).
// Host access is only the Seller Panel's origins (panel/origins.ts); no <all_urls>, no tabs.
export default defineConfig({
  // OOG_OUT_DIR lets parallel work build side by side; the default is WXT's .output.
  outDir: process.env.OOG_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/i18n/module'],
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: PANEL_MATCHES,
    // Reminder channels (background/channels/config.ts OPTIONAL_HOSTS): optional, each asked for only when the seller
    // turns that channel on; nothing is granted at install.
    optional_host_permissions: [
      'https://qyapi.weixin.qq.com/*',
      'https://oapi.dingtalk.com/*',
      'https://open.feishu.cn/*',
      'https://open.larksuite.com/*',
      'https://api.telegram.org/*',
      // The Seller API sync is opt-in too: its hosts are asked for only when the seller turns it on
      // (background/seller-api/paths.ts API_HOST_PATTERNS, same list).
      'https://api-seller.ozon.ru/*',
      'https://api-seller.ozonru.cn/*',
    ],
    action: { default_title: '__MSG_extName__' },
    // The lazily loaded parts of the page side (components/overlay/lazy.ts LAZY_FILES; why this way:
    // docs/performance.md "What the content script carries"). Reachable from the panel's origins
    // only, never from other sites; in Chrome under a per-session dynamic URL as well, so even the
    // panel cannot use the file's address to tell which extension this is. Firefox's
    // moz-extension:// host is already random per install (and it has no use_dynamic_url).
    web_accessible_resources: [
      { resources: ['overlay-core.js', 'overlay-ui.js', 'overlay-report.js'], matches: PANEL_MATCHES, ...(browser !== 'firefox' && { use_dynamic_url: true }) },
    ],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'ozon-order-guard@ozon-order-guard.org',
          strict_min_version: '128.0',
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
  vite: () => ({
    plugins: [preact(), compileHints()],
    build: {
      rolldownOptions: {
        treeshake: {
          // @wxt-dev/storage runs `const storage = createStorage()` at import: plain
          // object building (no browser access until an item is used), but the
          // bundler cannot prove it, so a bundle that merely imports storage/settings.ts
          // kept the whole library. Declaring it (and its helpers) side-effect free
          // lets the content script, which reads settings directly
          // (storage/config.ts), drop ~8 KB (the content-script budget: ≤ 20 KB gzip, docs/performance.md).
          //
          // rules/ is pure by the house rule (docs/architecture.md: no DOM, no browser API, no clock),
          // but a few of its modules build lookup tables at import (rules/status.ts, rules/reasons.ts:
          // loops filling a Map), which the bundler cannot prove free of effects either. Declared
          // here, a bundle keeps a rules module only when it uses one of its exports: the content
          // script's bootstrap, which imports a constant or two through rules/index.ts, no longer
          // carries the status and reason tables (≈ 4 KB gzip).
          moduleSideEffects: (id: string) =>
            /[\\/]node_modules[\\/](?:@wxt-dev[\\/]storage|superlock|dequal)[\\/]/.test(id) || isRulesModule(id) ? false : undefined,
        },
      },
    },
  }),
  webExt: { disabled: true },
  // The sources zip (for AMO review) holds what builds the extension: not test output,
  // screenshots, benchmark results or parallel build folders.
  zip: {
    excludeSources: ['.output*/**', 'test/e2e/out/**', 'bench/out/**', 'stats.html', '**/*.log', '.vitest*.json', '.e2e.json'],
  },
});
