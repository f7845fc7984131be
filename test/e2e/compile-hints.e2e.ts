/**
 * The production build's compile hints (wxt.config.ts COMPILE_HINTED; docs/performance.md
 * "Twentieth pass"): the bootstrap every panel page runs and the overlay chunk it imports open
 * with V8's per-file hint, so Chromium compiles them whole as they load instead of function by
 * function in the middle of a list's first rows; the chunks loaded on first use, the popup and the
 * background do not (their functions are not all needed at once). The hint must be the file's
 * first line: after it the file is the script as built. Read from the build that `npm test` makes
 * before this suite, for both browsers (a comment to Firefox).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.resolve(ROOT, process.env.OOG_OUT_DIR ?? '.output');
const HINT = '//# allFunctionsCalledOnLoad\n';
const HINTED = ['content-scripts/content.js', 'overlay-core.js'];

function scripts(dir: string, under = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...scripts(dir, rel));
    else if (e.name.endsWith('.js')) out.push(rel);
  }
  return out;
}

describe.each(['chrome-mv3', 'firefox-mv3'])('compile hints in the %s build', (target) => {
  const dir = path.join(OUT, target);

  it('the bootstrap and the overlay chunk open with the hint, once, and nothing else does', () => {
    expect(existsSync(path.join(dir, 'manifest.json')), `no build in ${dir}`).toBe(true);
    const all = scripts(dir);
    for (const f of HINTED) expect(all).toContain(f);
    for (const f of all) {
      const js = readFileSync(path.join(dir, f), 'utf8');
      expect(js.startsWith(HINT), f).toBe(HINTED.includes(f));
      // Once: a second copy would mean the build ran the hint over an already hinted file.
      expect(js.split('allFunctionsCalledOnLoad').length - 1, f).toBe(HINTED.includes(f) ? 1 : 0);
    }
  });

  it('after the hint, the script is the one WXT built (an anonymous function run at once, no name assigned)', () => {
    for (const f of HINTED) {
      const body = readFileSync(path.join(dir, f), 'utf8').slice(HINT.length);
      // WXT strips `var name =` from the scripts it runs (its iife-anonymous step); a hint added before that
      // step would have left the assignment in place.
      expect(body.startsWith('(function(){'), f).toBe(true);
    }
  });
});
