/**
 * The Firefox build runs the same content script: badges with the contract's
 * attributes on the real https://seller.ozon.ru URL, the badge sheet applied
 * (the <style> fallback where adoptedStyleSheets fails), the panel's own
 * list JSON reaching the overlay (a badge following it), no request leaving
 * the browser, and the big list body walked in the overlay's worker (Firefox
 * runs a content script's blob: worker; docs/performance.md), and nothing the page's
 * own message listener hears names the extension. Driven through Firefox's built-in WebDriver
 * BiDi by test/e2e/firefox-smoke.mjs (see there why not `web-ext run`).
 * Skipped, with the reason in its name, where firefox-esr is not installed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness';
import { findFirefox } from '../../scripts/browsers.mjs';

const FIREFOX = findFirefox() ?? '/usr/bin/firefox-esr';
const OUT = path.resolve(ROOT, process.env.OOG_OUT_DIR ?? '.output');
const EXT = ['firefox-mv3', 'firefox-mv2'].map((d) => path.join(OUT, d)).find((d) => existsSync(path.join(d, 'manifest.json')));

describe('Firefox build', () => {
  it.skipIf(!existsSync(FIREFOX))(`content script badges the real panel URL in Firefox ESR${existsSync(FIREFOX) ? '' : ' (skipped: firefox-esr not installed)'}`, () => {
    expect(EXT, `a Firefox build under ${OUT} (npm run build)`).toBeDefined();
    const r = spawnSync(process.execPath, ['--experimental-websocket', path.join(ROOT, 'test/e2e/firefox-smoke.mjs'), EXT!], {
      encoding: 'utf8',
      timeout: 80_000,
    });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    const res = JSON.parse(line || '{}') as { ok?: boolean; badges?: number; styled?: boolean; stray?: string[]; reason?: string };
    expect(res, `${line}\n${r.stderr ?? ''}`).toMatchObject({ ok: true, badges: 3, styled: true, mainWorld: true, card: true, json: true, worker: true, near: true, stray: [], quiet: true });
  });
});
