/**
 * Where the browsers the tests, the bench and the soak drive are on this machine.
 *
 * Why a search and not one fixed path: the README promises that `npm ci && npm run build`
 * then `npm test` pass on a fresh machine, and a fresh machine may be Debian (apt's
 * `chromium`), Ubuntu (snap), macOS or Windows, with Chromium, Chrome or Edge. Chromium
 * comes first: branded Chrome and Edge have been dropping `--load-extension` from the
 * command line, which the real-browser tests use to load the production build.
 *
 * Plain Node (.mjs) so the TypeScript test harness, the .mjs bench and the postinstall
 * step (scripts/ensure-browser.mjs) share one list.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function onPath(names) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of names) for (const dir of dirs) for (const ext of exts) {
    const p = path.join(dir, name + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function firstExisting(paths) {
  return paths.find((p) => p && existsSync(p));
}

function windowsRoots() {
  return [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter(Boolean);
}

/** A Chromium-family browser: CHROME_PATH / CHROMIUM_PATH, then Chromium, Chrome, Edge. */
export function findChromium() {
  const env = process.env.CHROME_PATH || process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : undefined;
  const home = process.env.HOME ?? '';
  const mac = (app, bin) => [`/Applications/${app}.app/Contents/MacOS/${bin}`, path.join(home, `Applications/${app}.app/Contents/MacOS/${bin}`)];
  const win = (rel) => windowsRoots().map((r) => path.join(r, rel));
  return firstExisting([
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    ...mac('Chromium', 'Chromium'),
    ...win('Chromium\\Application\\chrome.exe'),
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    ...mac('Google Chrome', 'Google Chrome'),
    ...win('Google\\Chrome\\Application\\chrome.exe'),
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    ...mac('Microsoft Edge', 'Microsoft Edge'),
    ...win('Microsoft\\Edge\\Application\\msedge.exe'),
  ]) ?? onPath(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'msedge', 'microsoft-edge']);
}

/** Firefox (ESR or release) for the Firefox smoke test: FIREFOX_PATH, then the usual places. */
export function findFirefox() {
  const env = process.env.FIREFOX_PATH;
  if (env) return existsSync(env) ? env : undefined;
  const home = process.env.HOME ?? '';
  return firstExisting([
    '/usr/bin/firefox-esr',
    '/usr/bin/firefox',
    '/snap/bin/firefox',
    '/Applications/Firefox.app/Contents/MacOS/firefox',
    path.join(home, 'Applications/Firefox.app/Contents/MacOS/firefox'),
    ...windowsRoots().map((r) => path.join(r, 'Mozilla Firefox\\firefox.exe')),
  ]) ?? onPath(['firefox-esr', 'firefox']);
}

/** The one line printed where no Chromium-family browser is found. */
export const NO_CHROMIUM =
  'No Chromium, Chrome or Edge found for the real-browser tests: install one (Debian/Ubuntu: "apt-get install chromium"), or set CHROME_PATH to its executable.';

/** The Chromium path, or a thrown Error carrying NO_CHROMIUM. */
export function requireChromium() {
  const p = findChromium();
  if (!p) throw new Error(NO_CHROMIUM);
  return p;
}
