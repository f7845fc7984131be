/**
 * What the content script's shipped code does not do: listen to storage changes. The background
 * writes the whole order history to `storage.local`, and `onChanged` hands every listener every
 * change of the area, old and new value, on the page's own main thread; the content script hears
 * of a settings change from the background instead (lib/config-messages.ts). Read
 * from the build `npm test` makes before the real-browser run (skipped when there is none).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUT_DIRS = [...new Set([process.env.OOG_OUT_DIR, '.output'].filter((d): d is string => !!d))];
// The bootstrap every panel page runs and the chunks it loads into the same isolated world (components/overlay/lazy.ts).
const FILES = ['content-scripts/content.js', 'overlay-core.js', 'overlay-ui.js', 'overlay-report.js'];
const bundles = OUT_DIRS.flatMap((d) => ['chrome-mv3', 'firefox-mv3'].flatMap((b) => FILES.map((f) => path.join(ROOT, d, b, f)))).filter((f) => existsSync(f));

describe('the content script never listens to storage changes', () => {
  it.runIf(bundles.length > 0)('no `.onChanged` in the content script or its chunks', () => {
    for (const f of bundles) {
      const js = readFileSync(f, 'utf8');
      const m = /\.onChanged\b/.exec(js);
      expect(m ? `${path.relative(ROOT, f)}: …${js.slice(Math.max(0, m.index - 60), m.index + 30)}…` : null).toBeNull();
    }
  });

  it.runIf(bundles.length > 0)('the check sees such a listener where there is one (the background)', () => {
    const bg = OUT_DIRS.map((d) => path.join(ROOT, d, 'chrome-mv3', 'background.js')).find((f) => existsSync(f));
    expect(bg).toBeDefined();
    expect(readFileSync(bg!, 'utf8')).toMatch(/\.onChanged\b/);
  });
});
