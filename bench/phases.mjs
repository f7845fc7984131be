#!/usr/bin/env node
/**
 * Diagnostics: where the extension's time goes on the page side, phase by phase, not part of
 * `npm run bench`.
 *
 *   node bench/phases.mjs [--n 6] [--size 1000]
 *
 * Why: the CPU profiler inflates short cold paths (docs/performance.md "Twelfth pass": the first
 * `runtime.sendMessage` read 8.4 ms with it and 0.9 ms without), and builds with one part taken out
 * (bench/ab.mjs) can only tell parts worth more than ≈ 5 ms from the noise. Here the page side's
 * phases (the observer's callback, the JSON's parse and walk, a row's read, the badge's parts, the
 * history send …) are timed with `performance.now()` around each call, and each is split by call
 * index (1–50, 51–200, 201–500, 501–1,000, 1,001–2,000, 2,001 and on), so the engine's first runs
 * can be told from later calls, and code the engine optimises late from code it never speeds up.
 *
 * How: the probes are bench/phases/phases.patch, applied to HEAD in a throw-away git worktree
 * (the product's sources never carry them), built there, and loaded into Debian Chromium with the
 * bench's own page and routes (bench/lib/browser.mjs). Each round opens the list page, waits for
 * the extension's start-up, renders `--size` rows, waits for every badge and reads the probes' last
 * console line; the first round is discarded (the browser's own first-load work), and each figure
 * is the median over the rest. Uncommitted changes are not measured: commit first.
 *
 * Reading it: the times are wall time, inclusive (a phase contains the phases it calls), and each
 * probe pair adds ≈ 0.5 µs to every phase around it. The browser coarsens `performance.now()` in a
 * page that is not cross-origin isolated (to 100 µs, with jitter), so one call of a µs-long phase
 * reads 0 or 100 µs: only sums over many calls mean anything, and a bucket of 50 calls is rough. When the patch no longer applies, this exits
 * with a message: bench/phases/README.md says how to make it again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchSide, median, sleep, waitForBadges } from './lib/browser.mjs';
import { LIST_URL } from './lib/page.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATCH = path.join(ROOT, 'bench/phases/phases.patch');
const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const N = Math.max(2, opt('--n', 6));
const SIZE = opt('--size', 1000);
/** The probes' bucket edges (bench/phases/phases.patch, components/overlay/_prof.ts). */
const BUCKETS = ['1–50', '51–200', '201–500', '501–1k', '1k–2k', '2k+'];

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
};

const tmp = mkdtempSync(path.join(tmpdir(), 'oog-phases-'));
const wt = path.join(tmp, 'wt');
const out = path.join(tmp, 'out');
let side = null;
try {
  run('git', ['worktree', 'add', '--detach', wt, 'HEAD']);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(wt, 'node_modules'));
  const applied = spawnSync('git', ['apply', PATCH], { cwd: wt, encoding: 'utf8' });
  if (applied.status !== 0) {
    console.error(`bench/phases/phases.patch no longer applies to HEAD (the probed code moved):\n${applied.stderr}\nMake it again as bench/phases/README.md says.`);
    process.exitCode = 1;
  } else {
    console.log(`building the probed tree (HEAD ${run('git', ['rev-parse', '--short', 'HEAD']).trim()} + bench/phases/phases.patch) …`);
    run('npx', ['wxt', 'build'], { cwd: wt, env: { ...process.env, OOG_OUT_DIR: out } });
    const ext = path.join(out, 'chrome-mv3');
    if (!existsSync(path.join(ext, 'manifest.json'))) throw new Error(`no build in ${ext}`);
    side = await launchSide(ext);
    const rounds = [];
    for (let i = 0; i < N; i++) {
      const page = await side.ctx.newPage();
      let last = null;
      page.on('console', (m) => {
        const t = m.text();
        if (t.startsWith('OOG-PHASES ')) last = JSON.parse(t.slice('OOG-PHASES '.length));
      });
      await page.goto(LIST_URL, { waitUntil: 'load' });
      // The start-up's own phases (first scan of the empty list) are logged before the render.
      await sleep(2500);
      const before = last ?? {};
      await page.evaluate((k) => window.__bench.render(k), SIZE);
      const w = await waitForBadges(page, 15_000);
      await sleep(2500);
      await page.close();
      if (w.timedOut) throw new Error(`round ${i + 1}: only ${w.badged} of ${SIZE} rows got a badge`);
      const d = {};
      for (const [k, e] of Object.entries(last ?? {})) {
        const b0 = before[k];
        d[k] = { ms: e.ms - (b0?.ms ?? 0), n: e.n - (b0?.n ?? 0), b: e.b.map(([ms, n], j) => [ms - (b0?.b[j][0] ?? 0), n - (b0?.b[j][1] ?? 0)]) };
      }
      if (i > 0) rounds.push(d);
      console.log(`round ${i + 1}${i === 0 ? ' (discarded)' : ''}: ${Object.keys(d).length} phases`);
    }
    const names = [...new Set(rounds.flatMap((d) => Object.keys(d)))].sort();
    const f = (v, k = 1) => (v == null || !Number.isFinite(v) ? '' : v.toFixed(k));
    console.log(`\n${SIZE} rows, median of ${rounds.length} rounds; wall time, inclusive; µs per call by call index`);
    console.log(['phase'.padEnd(30), 'ms'.padStart(7), 'calls'.padStart(6), 'µs/call'.padStart(8), ...BUCKETS.map((b) => b.padStart(8))].join(' '));
    for (const k of names) {
      const get = (fn) => median(rounds.map((d) => (d[k] ? fn(d[k]) : 0)));
      const ms = get((e) => e.ms);
      const n = get((e) => e.n);
      const per = BUCKETS.map((_, j) => median(rounds.filter((d) => d[k]?.b[j][1]).map((d) => (d[k].b[j][0] / d[k].b[j][1]) * 1000)));
      console.log([k.padEnd(30), f(ms).padStart(7), String(n).padStart(6), f(n ? (ms / n) * 1000 : NaN).padStart(8), ...per.map((v) => f(v).padStart(8))].join(' '));
    }
  }
} finally {
  if (side) {
    await side.ctx.close().catch(() => {});
    rmSync(side.userDir, { recursive: true, force: true });
  }
  spawnSync('git', ['worktree', 'remove', '--force', wt], { cwd: ROOT });
  rmSync(tmp, { recursive: true, force: true });
}
