#!/usr/bin/env node
/**
 * Diagnostics: two builds of the extension compared on the same list, not part of `npm run bench`.
 *
 *   node bench/ab.mjs <chrome-mv3 dir A> <chrome-mv3 dir B> [--n 12] [--size 1000] [--paged]
 *
 *   --paged   compare the paged list's 50-row page load instead (start-up included, one
 *             «Показать еще» press after it: bench/lib/paged.mjs), as a seller opens the real panel
 *
 * Why: on this shared machine the page's own render varies by ±30 % from minute to minute, so
 * `npm run bench`'s ratio moves by ±4 points between runs of the same code (docs/performance.md),
 * and a change worth 5 % of the extension's time cannot be seen in it. Here two browsers, one per
 * build, render the same list in turns (A then B, then B then A, …), each render's extension CPU is
 * measured as `npm run bench` measures it (bench/lib/browser.mjs renderOnce), and the builds are
 * compared by the median of the paired differences and by how many rounds B was cheaper (a sign
 * test), which a slow minute of the machine hits on both sides alike. One discarded render per side
 * first (the browser's own first-load work). Also compared the same way: the page's rendering (style,
 * layout, pre-paint, paint in the trace), which the badges add to and the script's figures miss, and
 * all of the main thread's CPU.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { launchSide, median, renderOnce } from './lib/browser.mjs';
import { pagedOnce } from './lib/paged.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const WITH_VALUE = ['--n', '--size'];
const dirs = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && WITH_VALUE.includes(argv[i - 1])));
if (dirs.length !== 2 || !dirs.every((d) => existsSync(path.join(d, 'manifest.json')))) {
  console.error('usage: node bench/ab.mjs <chrome-mv3 dir A> <chrome-mv3 dir B> [--n 12] [--size 1000]');
  process.exit(2);
}
const N = opt('--n', 12);
const SIZE = opt('--size', 1000);
const PAGED = argv.includes('--paged');
const opts = { settleMs: 1000, badgeTimeoutMs: 15_000 };
/** One measured render: the list of SIZE rows, or (--paged) the 50-row page load and one press. */
const once = async (side) => {
  if (!PAGED) return renderOnce(side, SIZE, opts);
  const r = await pagedOnce(side, { ...opts, pageSize: 50, appends: 1 });
  return { extCpuMs: r.loadExtCpuMs, extTaskCpuMs: r.loadExtTaskCpuMs, taskMs: r.loadTaskMs, renderMs: NaN, badged: !r.loadTimedOut, appendExtCpuMs: r.appendExtCpuMs };
};

const sides = { A: await launchSide(path.resolve(dirs[0])), B: await launchSide(path.resolve(dirs[1])) };
const got = { A: [], B: [] };
const fmt = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : v.toFixed(1));
try {
  for (const k of ['A', 'B']) await once(sides[k]);
  for (let i = 0; i < N; i++) {
    for (const k of i % 2 ? ['B', 'A'] : ['A', 'B']) {
      const r = await once(sides[k]);
      got[k].push({ cpu: r.extCpuMs, callbacks: r.extTaskCpuMs, page: r.taskMs, render: r.renderMs, badged: r.badged, append: r.appendExtCpuMs });
    }
    console.log(`round ${i + 1}: A ${fmt(got.A[i].cpu)} ms, B ${fmt(got.B[i].cpu)} ms (extension CPU, ${PAGED ? '50-row page load' : `${SIZE} rows`})`);
  }
} finally {
  for (const s of Object.values(sides)) {
    await s.ctx.close().catch(() => {});
    rmSync(s.userDir, { recursive: true, force: true });
  }
}
const LABEL = {
  cpu: 'extension CPU (profile share × thread CPU)',
  callbacks: 'extension callbacks CPU (trace)',
  // What the page spent on style, layout, pre-paint and paint (trace CPU), the badges' share of which the script's figures miss.
  render: 'page rendering CPU (trace)',
  page: 'all main-thread CPU',
  append: 'extension CPU of the press after the load',
};
for (const key of PAGED ? ['cpu', 'callbacks', 'page', 'append'] : ['cpu', 'callbacks', 'render', 'page']) {
  const a = got.A.map((x) => x[key]);
  const b = got.B.map((x) => x[key]);
  const diffs = a.map((x, i) => b[i] - x);
  const wins = diffs.filter((d) => d < 0).length;
  console.log(
    `${LABEL[key]}: ` +
      `A median ${fmt(median(a))} ms, B median ${fmt(median(b))} ms; B − A paired median ${fmt(median(diffs))} ms; B cheaper in ${wins} of ${diffs.length} rounds`,
  );
}
