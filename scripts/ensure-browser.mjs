#!/usr/bin/env node
/**
 * Part of the set-up (`npm ci` runs it after `wxt prepare`): makes sure the real-browser
 * tests have a browser, so that `npm ci && npm run build` then `npm test` pass on a fresh
 * machine as the README promises.
 *
 * - A Chromium, Chrome or Edge is already there (scripts/browsers.mjs): nothing to do.
 * - None, on a Debian-like machine where we are root and apt-get exists: install Debian's
 *   `chromium` (plus `fonts-wqy-zenhei` so Chinese text renders in screenshots, and
 *   `firefox-esr` for the Firefox smoke test), as `.ci/run` does.
 * - Otherwise: one clear line saying what to install. The install itself never fails
 *   because of this step (the unit tests and the build need no browser).
 *
 * OOG_SKIP_BROWSER_SETUP=1 skips the step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium, NO_CHROMIUM } from './browsers.mjs';

if (process.env.OOG_SKIP_BROWSER_SETUP === '1') process.exit(0);
if (findChromium()) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.platform === 'linux' && isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('[ozon-order-guard] No browser for the real-browser tests: installing Debian\'s chromium (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  const ok = run(['update', '-qq']) && run(['install', '-y', '-qq', 'chromium', 'fonts-wqy-zenhei', 'firefox-esr']);
  if (ok && findChromium()) process.exit(0);
  console.log(`[ozon-order-guard] apt-get could not install chromium. ${NO_CHROMIUM}`);
  process.exit(0);
}
console.log(`[ozon-order-guard] ${NO_CHROMIUM}`);
