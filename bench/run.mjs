#!/usr/bin/env node
/**
 * `npm run bench`: what the overlay costs, measured against the page's own
 * work in the same run (the targets: docs/performance.md). Not part of `npm test`.
 *
 *   node bench/run.mjs [--runs N] [--quick] [--build] [--no-browser] [--no-node]
 *
 *   --runs N      on-page repetitions (default 5); every figure is the median
 *   --quick       1 run, shorter windows, smaller off-page loops
 *   --build       rebuild the production extension first (else only when missing)
 *   --only1k      skip the 5,000-row pages (a quick loop while profiling)
 *   --appends N   «Показать еще» presses per run on the paged list (default 4; 0 skips
 *                 the paged list: a 50-row load, then pages of 50 appended, bench/lib/paged.mjs)
 *   --diag        build and measure an UNMINIFIED build (bench/wxt.diag.config.ts,
 *                 into .output-diag) so the per-function breakdown has real names;
 *                 its figures are not the shipped build's
 *   --no-browser / --no-node   skip one half
 *
 *   OOG_BENCH_DUMP=dir   also write every profile as dir/<phase>.cpuprofile
 *                        (node bench/lib/inclusive.mjs <file> lists inclusive times)
 *   OOG_BENCH_JS_FLAGS=… V8 flags for both browsers (diagnostics: '--no-lazy' shows the engine's warm-up)
 *
 * The production build is `$OOG_OUT_DIR/chrome-mv3` (default `.output`).
 * Prints a table, PASS/MISS per target, and as its LAST line one JSON object
 * with every figure (contract §1 keys plus extras). Details of every run go
 * to bench/out/last.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launchPair, median, renderOnce } from './lib/browser.mjs';
import { pagedOnce } from './lib/paged.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIAG = process.argv.includes('--diag');
const OUT_BASE = path.resolve(ROOT, DIAG ? '.output-diag' : (process.env.OOG_OUT_DIR ?? '.output'));
const EXT = path.join(OUT_BASE, 'chrome-mv3');
const OUT = path.join(ROOT, 'bench/out');

// The ratios are the profile's shares (bench/lib/browser.mjs extCpuOf): without the profiler there is nothing to report.
if (process.env.OOG_BENCH_NO_PROFILER === '1') {
  console.error('OOG_BENCH_NO_PROFILER=1 is for the diagnostics (bench/ab.mjs, scripts of one window): npm run bench measures with the profiler');
  process.exit(2);
}

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const quick = flag('--quick');
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Math.max(1, Number(argv[runsArg + 1]) || 1) : quick ? 1 : 5;
const SETTLE_MS = quick ? 600 : 1000;
const TICK_WINDOW_MS = quick ? 3500 : 6500;
// The scroll window: wheel steps of 300 px down the 1,000- and 5,000-row lists once they are drawn
// (bench/lib/browser.mjs renderOnce): what the near-the-viewport pass costs while the seller scrolls.
const SCROLL_STEPS = quick ? 30 : 60;
const BADGE_TIMEOUT_MS = 15_000;
// --only1k: a fast loop while profiling a fix (the 5k figures are then n/a).
const SIZES = flag('--only1k') ? [1000] : [1000, 5000];
// The paged list: what a seller feels on the real panel (opens with a page, grows by «Показать еще»).
const PAGE_SIZE = 50;
const appendsArg = argv.indexOf('--appends');
const APPENDS = appendsArg >= 0 ? Math.max(0, Number(argv[appendsArg + 1]) || 0) : quick ? 2 : 4;

const log = (...a) => console.log(...a);
const fx = (v, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
const pct = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : (100 * v).toFixed(d));
const kb = (b) => (b == null ? 'n/a' : `${(b / 1024).toFixed(1)} KB`);

mkdirSync(OUT, { recursive: true });

// ── 1. The build ────────────────────────────────────────────────────────────
if (flag('--build') || DIAG || !existsSync(path.join(EXT, 'manifest.json')) || !existsSync(path.join(EXT, 'content-scripts'))) {
  log(`Building the production extension into ${path.relative(ROOT, OUT_BASE)}/chrome-mv3 …`);
  const r = spawnSync('npx', ['wxt', 'build', ...(DIAG ? ['-c', 'bench/wxt.diag.config.ts'] : [])], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, OOG_OUT_DIR: OUT_BASE } });
  if (r.status !== 0) {
    if (!existsSync(path.join(EXT, 'manifest.json'))) {
      console.error('wxt build failed, and there is no earlier build to measure');
      process.exit(1);
    }
    log('!! wxt build failed: measuring the EARLIER build in that folder');
  }
}

// ── 2. Sizes ────────────────────────────────────────────────────────────────
function sizeOf(files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { raw, gz, files: files.map((f) => path.relative(EXT, f)) };
}
const manifest = JSON.parse(readFileSync(path.join(EXT, 'manifest.json'), 'utf8'));
const csEntries = manifest.content_scripts ?? [];
const isolatedJs = csEntries.filter((c) => c.world !== 'MAIN').flatMap((c) => c.js ?? []);
const mainJs = csEntries.filter((c) => c.world === 'MAIN').flatMap((c) => c.js ?? []);
const contentFile = path.join(EXT, 'content-scripts/content.js');
// content.js is only the bootstrap every panel page runs (components/overlay/boot.ts); a postings page also
// loads the overlay itself, overlay-core.js, into the same isolated world: both together are what it carries.
const coreFile = path.join(EXT, 'overlay-core.js');
const sizes = {
  content: existsSync(contentFile) ? sizeOf([contentFile]) : null,
  postingsPage: existsSync(contentFile) && existsSync(coreFile) ? sizeOf([contentFile, coreFile]) : null,
  contentCss: sizeOf(csEntries.flatMap((c) => c.css ?? []).map((f) => path.join(EXT, f)).filter(existsSync)),
  isolatedAll: sizeOf([...new Set(isolatedJs)].map((f) => path.join(EXT, f)).filter(existsSync)),
  main: sizeOf([...new Set(mainJs)].map((f) => path.join(EXT, f)).filter(existsSync)),
  popup: null,
};
const popupHtml = path.join(EXT, 'popup.html');
if (existsSync(popupHtml)) {
  const html = readFileSync(popupHtml, 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => path.join(EXT, m[1].replace(/^\//, '')));
  sizes.popup = sizeOf([...new Set(refs)].filter(existsSync));
}

// ── 3. Off the page, in Node ────────────────────────────────────────────────
let nodeFig = {};
if (!flag('--no-node')) {
  log('Off-page figures (Node, via vitest) …');
  const file = path.join(OUT, 'node.json');
  if (existsSync(file)) writeFileSync(file, '{}');
  const r = spawnSync('npx', ['vitest', 'run', '--config', 'bench/vitest.bench.config.ts', '--reporter=dot', '--silent'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, OOG_BENCH_OUT: file, OOG_BENCH_QUICK: quick ? '1' : '0' },
  });
  try {
    nodeFig = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    nodeFig = {};
  }
  if (r.status !== 0 || !Object.keys(nodeFig).length) {
    log(`  (the Node part did not complete: ${(r.stderr || r.stdout || '').split('\n').filter(Boolean).slice(-5).join(' / ')})`);
  }
}

// ── 4. On the page, in Chromium ─────────────────────────────────────────────
const runs = [];
let extId = null;
let pageErrors = [];
if (!flag('--no-browser')) {
  log(`On-page figures: ${RUNS} run(s) × N = 1,000 and 5,000, with and without the extension …`);
  const pair = await launchPair(EXT);
  extId = pair.ext.extId;
  try {
    for (let i = 0; i < RUNS; i++) {
      const run = {};
      for (const n of SIZES) {
        const opts = { settleMs: SETTLE_MS, badgeTimeoutMs: BADGE_TIMEOUT_MS, keep: n === 1000, tickWindowMs: TICK_WINDOW_MS, scrollSteps: SCROLL_STEPS };
        // Alternate who goes first, so a slow moment of the shared machine does not always hit one side.
        const order = (i + (n === 1000 ? 0 : 1)) % 2 === 0 ? ['bare', 'ext'] : ['ext', 'bare'];
        for (const side of order) run[`${side}${n}`] = await renderOnce(pair[side], n, opts);
      }
      if (APPENDS > 0) {
        const opts = { pageSize: PAGE_SIZE, appends: APPENDS, settleMs: SETTLE_MS, badgeTimeoutMs: BADGE_TIMEOUT_MS };
        for (const side of i % 2 === 0 ? ['ext', 'bare'] : ['bare', 'ext']) run[`${side}Paged`] = await pagedOnce(pair[side], opts);
      }
      runs.push(run);
      const r = run;
      if (r.extPaged) {
        log(
          `  run ${i + 1}, paged list: load of ${PAGE_SIZE} page ${fx(r.barePaged.loadTaskMs, 0)} ms, ext ${fx(r.extPaged.loadExtCpuMs)} ms; ` +
            `each «Показать еще» page ${fx(r.barePaged.appendTaskMs, 0)} ms, ext ${fx(r.extPaged.appendExtCpuMs)} ms; press → last badge ${fx(r.extPaged.clickToLastBadgeMs, 0)} ms`,
        );
      }
      if (!r.bare5000) {
        log(`  run ${i + 1}: 1k page ${fx(r.bare1000.taskMs, 0)} ms, ext ${fx(r.ext1000.extCpuMs)} ms (${fx((100 * r.ext1000.extCpuMs) / r.bare1000.taskMs, 2)} %)`);
        continue;
      }
      log(
        `  run ${i + 1}: 1k page ${fx(r.bare1000.taskMs, 0)} ms, ext ${fx(r.ext1000.extCpuMs)} ms (${fx((100 * r.ext1000.extCpuMs) / r.bare1000.taskMs, 2)} %); ` +
          `5k page ${fx(r.bare5000.taskMs, 0)} ms, ext ${fx(r.ext5000.extCpuMs)} ms (${fx((100 * r.ext5000.extCpuMs) / r.bare5000.taskMs, 2)} %); ` +
          `badges ${r.ext1000.badged ?? 0}/${r.ext1000.rows}, ${r.ext5000.badged ?? 0}/${r.ext5000.rows}`,
      );
    }
  } finally {
    pageErrors = [...pair.bare.errors, ...pair.ext.errors];
    await pair.close();
  }
}

// ── 5. Figures ──────────────────────────────────────────────────────────────
const per = (f) =>
  runs.map((r) => {
    try {
      return f(r);
    } catch {
      return NaN; // a phase that did not run (--only1k)
    }
  });
const med = (f) => median(per(f));
const r2 = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? null : +v.toFixed(d));
const badgesComplete = runs.length > 0 && runs.every((r) => !r.ext1000.badgeTimedOut && !r.ext5000?.badgeTimedOut);
const pagedComplete = runs.length > 0 && runs.every((r) => !r.extPaged || (!r.extPaged.loadTimedOut && !r.extPaged.appendsTimedOut));
// Press → last badge, pooled over every append of every run (one figure per press).
const pooled = (f) => median(runs.flatMap((r) => (r.extPaged ? r.extPaged.appends.map(f) : [])).map((v) => v ?? NaN));
const anyBadges = runs.some((r) => (r.ext1000.badged ?? 0) > 0);

const fig = {
  method:
    'extension time = its share of the busy main thread in a CDP Profiler profile (200 µs samples whose stack holds a chrome-extension:// script) ' +
    '× the main thread CPU time (Performance.getMetrics TaskDuration, threadTicks) over the window; ' +
    'page render = main thread CPU time over the same window in a second browser without the extension; ' +
    'ratio per run, median over runs; long tasks and tick = CPU time (trace tdur) of top-level extension callbacks',
  runs: runs.length,
  build: DIAG ? 'diagnostic (unminified)' : 'production',
  overheadRatio1k: r2(med((r) => r.ext1000.extCpuMs / r.bare1000.taskMs), 4),
  overheadRatio5k: r2(med((r) => r.ext5000.extCpuMs / r.bare5000.taskMs), 4),
  overheadRatioWall1k: r2(med((r) => r.ext1000.extMs / r.bare1000.busyMs), 4),
  overheadRatioWall5k: r2(med((r) => r.ext5000.extMs / r.bare5000.busyMs), 4),
  extensionLongTasks: med((r) => r.ext1000.extLongTasks + (r.ext5000?.extLongTasks ?? 0) + (r.ext1000.rerenderLongTasks ?? 0)),
  badgeLatencyMs: r2(med((r) => r.ext1000.badgeLatencyMedianMs), 1),
  tickMs1k: r2(med((r) => r.ext1000.tickCpuMs), 3),
  contentScriptGzipBytes: sizes.content?.gz ?? null,
  // What a postings page loads in the isolated world: content.js (the bootstrap) + overlay-core.js, each gzipped alone.
  postingsPageIsolatedGzipBytes: sizes.postingsPage?.gz ?? null,
  evaluateOrdersPerSec: nodeFig.evaluateOrdersPerSec ?? null,
  summarize100kMs: nodeFig.summarize100kMs ?? null,
  csvImport10kMs: nodeFig.csvImport10kMs ?? null,
  // extras
  pageRenderMs1k: r2(med((r) => r.bare1000.taskMs), 1),
  pageRenderWallBusyMs1k: r2(med((r) => r.bare1000.busyMs), 1),
  pageRenderMs5k: r2(med((r) => r.bare5000.taskMs), 1),
  pageRenderWallBusyMs5k: r2(med((r) => r.bare5000.busyMs), 1),
  pageJsMs1k: r2(med((r) => r.bare1000.pageJsMs), 1),
  pageJsMs5k: r2(med((r) => r.bare5000.pageJsMs), 1),
  extensionMs1k: r2(med((r) => r.ext1000.extCpuMs), 2),
  extensionWallMs1k: r2(med((r) => r.ext1000.extMs), 2),
  extensionMs5k: r2(med((r) => r.ext5000.extCpuMs), 2),
  // Of extensionMs1k/5k: the page's own fetch / XMLHttpRequest.open calls run natively under the interceptor's wrappers (bench/lib/profile.mjs).
  extensionPageNativeMs1k: r2(med((r) => r.ext1000.pageNativeCpuMs), 2),
  extensionPageNativeMs5k: r2(med((r) => r.ext5000?.pageNativeCpuMs), 2),
  extensionWallMs5k: r2(med((r) => r.ext5000.extMs), 2),
  extensionCallbackCpuMs1k: r2(med((r) => r.ext1000.extTaskCpuMs), 2),
  extensionCallbackCpuMs5k: r2(med((r) => r.ext5000.extTaskCpuMs), 2),
  extensionLongTasksWall: med((r) => r.ext1000.extLongTasksWall + (r.ext5000?.extLongTasksWall ?? 0) + (r.ext1000.rerenderLongTasksWall ?? 0)),
  extensionStartupMs: r2(med((r) => r.ext1000.startupExtMs), 2),
  extensionTotalDeltaMs1k: r2(med((r) => r.ext1000.taskMs - r.bare1000.taskMs), 1),
  extensionTotalDeltaMs5k: r2(med((r) => r.ext5000.taskMs - r.bare5000.taskMs), 1),
  overheadRatioTotal1k: r2(med((r) => (r.ext1000.taskMs - r.bare1000.taskMs) / r.bare1000.taskMs), 4),
  overheadRatioTotal5k: r2(med((r) => (r.ext5000.taskMs - r.bare5000.taskMs) / r.bare5000.taskMs), 4),
  // What the badges cost the page's rendering (style, layout, pre-paint, paint: trace CPU), beyond the extension's script.
  renderAddedMs1k: r2(med((r) => r.ext1000.renderMs - r.bare1000.renderMs), 1),
  renderAddedMs5k: r2(med((r) => r.ext5000.renderMs - r.bare5000.renderMs), 1),
  styleAddedMs1k: r2(med((r) => r.ext1000.renderStyleMs - r.bare1000.renderStyleMs), 1),
  styleAddedMs5k: r2(med((r) => r.ext5000.renderStyleMs - r.bare5000.renderStyleMs), 1),
  extensionLongestTaskMs: r2(med((r) => Math.max(r.ext1000.extLongestTaskMs, r.ext5000?.extLongestTaskMs ?? 0, r.ext1000.rerenderLongestTaskMs ?? 0)), 1),
  badgeLatencyWorstMs: r2(med((r) => r.ext1000.badgeLatencyWorstMs), 1),
  badgeLatencyMs5k: r2(med((r) => r.ext5000.badgeLatencyMedianMs), 1),
  badgeLatencyWorstMs5k: r2(med((r) => r.ext5000.badgeLatencyWorstMs), 1),
  badgesComplete,
  ticksSeen: med((r) => r.ext1000.tickTasks),
  tickWallMs1k: r2(med((r) => r.ext1000.tickMs), 3),
  tickWindowMs: TICK_WINDOW_MS,
  tickWorstMs1k: r2(med((r) => r.ext1000.tickWorstMs), 3),
  rerenderMs1k: r2(med((r) => r.ext1000.rerenderExtCpuMs), 2),
  rerenderWallMs1k: r2(med((r) => r.ext1000.rerenderExtMs), 2),
  rerenderPageMs1k: r2(med((r) => r.bare1000.rerenderTaskMs), 1),
  rerenderRatio1k: r2(med((r) => r.ext1000.rerenderExtCpuMs / r.bare1000.rerenderTaskMs), 4),
  rerenderBadgeLatencyMs: r2(med((r) => r.ext1000.rerenderBadgeLatencyMedianMs), 1),
  // Scrolling the drawn list (info): the extension's CPU in the window, its share of the page's own
  // CPU scrolling the same list without the extension, and its longest task.
  scrollExtMs1k: r2(med((r) => r.ext1000.scrollExtCpuMs), 2),
  scrollPageMs1k: r2(med((r) => r.bare1000.scrollTaskMs), 1),
  scrollRatio1k: r2(med((r) => r.ext1000.scrollExtCpuMs / r.bare1000.scrollTaskMs), 4),
  scrollExtMs5k: r2(med((r) => r.ext5000.scrollExtCpuMs), 2),
  scrollPageMs5k: r2(med((r) => r.bare5000.scrollTaskMs), 1),
  scrollRatio5k: r2(med((r) => r.ext5000.scrollExtCpuMs / r.bare5000.scrollTaskMs), 4),
  scrollLongestTaskMs: r2(med((r) => Math.max(r.ext1000.scrollLongestTaskMs ?? 0, r.ext5000?.scrollLongestTaskMs ?? 0)), 1),
  scrollLongTasks: med((r) => (r.ext1000.scrollLongTasks ?? 0) + (r.ext5000?.scrollLongTasks ?? 0)),
  scrollSteps: SCROLL_STEPS,
  // Style and layout the browser ran inside the extension's callbacks (a box read on a layout left
  // dirty; trace CPU, info): already inside the extension's figures above, listed apart so that a
  // window where it appears says so (docs/performance.md, "Twentieth pass").
  forcedLayoutMs1k: r2(med((r) => r.ext1000.extForcedLayoutMs), 2),
  forcedLayoutMs5k: r2(med((r) => r.ext5000.extForcedLayoutMs), 2),
  rerenderForcedLayoutMs1k: r2(med((r) => r.ext1000.rerenderForcedLayoutMs), 2),
  rerenderForcedLayoutWorstMs1k: r2(Math.max(...per((r) => r.ext1000.rerenderForcedLayoutMs).filter(Number.isFinite), 0), 2),
  scrollForcedLayoutMs1k: r2(med((r) => r.ext1000.scrollForcedLayoutMs), 2),
  scrollForcedLayoutMs5k: r2(med((r) => r.ext5000.scrollForcedLayoutMs), 2),
  heapBytes5k: r2(med((r) => r.ext5000.heapUsed - r.bare5000.heapUsed), 0),
  domNodesAdded5k: r2(med((r) => r.ext5000.domNodes - r.bare5000.domNodes), 0),
  heapBytes1k: r2(med((r) => r.ext1000.heapUsed - r.bare1000.heapUsed), 0),
  contentScriptBytes: sizes.content?.raw ?? null,
  postingsPageIsolatedBytes: sizes.postingsPage?.raw ?? null,
  contentCssGzipBytes: sizes.contentCss.gz,
  mainWorldScriptBytes: sizes.main.raw,
  mainWorldScriptGzipBytes: sizes.main.gz,
  mainWorldScripts: sizes.main.files.join(',') || null,
  popupBytes: sizes.popup?.raw ?? null,
  popupGzipBytes: sizes.popup?.gz ?? null,
  evaluateOrdersPerSecIsoNow: nodeFig.evaluateOrdersPerSecIsoNow ?? null,
  evaluateOrdersPerSecWall: nodeFig.evaluateOrdersPerSecWall ?? null,
  summarize100kWallMs: nodeFig.summarize100kWallMs ?? null,
  csvImport10kWallMs: nodeFig.csvImport10kWallMs ?? null,
  summarize100kWorstMs: nodeFig.summarize100kWorstMs ?? null,
  csvImport10kPostings: nodeFig.csvImport10kPostings ?? null,
  nodeNotes: nodeFig.notes ?? null,
  pageErrors: pageErrors.length,
  // The paged list (bench/lib/paged.mjs): a 50-row page load, start-up included, then pages of 50 by «Показать еще».
  pagedAppendsPerRun: APPENDS,
  load50ExtMs: r2(med((r) => r.extPaged.loadExtCpuMs), 2),
  load50PageMs: r2(med((r) => r.barePaged.loadTaskMs), 1),
  load50Ratio: r2(med((r) => r.extPaged.loadExtCpuMs / r.barePaged.loadTaskMs), 4),
  load50ExtCallbackCpuMs: r2(med((r) => r.extPaged.loadExtTaskCpuMs), 2),
  append50ExtMs: r2(med((r) => r.extPaged.appendExtCpuMs), 2),
  append50PageMs: r2(med((r) => r.barePaged.appendTaskMs), 1),
  append50Ratio: r2(med((r) => r.extPaged.appendExtCpuMs / r.barePaged.appendTaskMs), 4),
  append50ExtCallbackCpuMs: r2(med((r) => r.extPaged.appendExtTaskCpuMs), 2),
  showMoreToLastBadgeMs: r2(pooled((a) => a.clickToLastBadgeMs), 1),
  showMoreToRowsMs: r2(pooled((a) => a.clickToRowsMs), 1),
  showMoreRowsToLastBadgeMs: r2(pooled((a) => a.rowsToLastBadgeMs), 1),
  showMoreToRowsBareMs: r2(median(runs.flatMap((r) => (r.barePaged ? r.barePaged.appends.map((a) => a.clickToRowsMs) : []))), 1),
  pagedLongTasks: med((r) => r.extPaged.loadLongTasks + r.extPaged.appendLongTasks),
  pagedLongestTaskMs: r2(med((r) => Math.max(r.extPaged.loadLongestTaskMs, r.extPaged.appendLongestTaskMs)), 1),
  pagedComplete,
};

// ── 6. Report ───────────────────────────────────────────────────────────────
const row = (name, value, target, ok) => log(`  ${name.padEnd(48)} ${String(value).padStart(16)}   ${target.padEnd(16)} ${ok === null ? 'n/a ' : ok ? 'PASS' : 'MISS'}`);
const has = (v) => v !== null && v !== undefined && Number.isFinite(v);
const check = (v, good) => (has(v) ? good(v) : null);

log('');
if (DIAG) log('\n!! --diag: an UNMINIFIED build was measured; sizes and times are not the shipped build\'s');
log(`Ozon Order Guard — performance (${runs.length} on-page run(s), medians)  build: ${path.relative(ROOT, EXT)}  ext id: ${extId ?? 'n/a'}`);
if (runs.length && !anyBadges) log('  !! the extension put no badge on the generated page: on-page figures below measure a content script that does nothing');
else if (runs.length && !badgesComplete) log('  !! not every row got its badge within the timeout in every run');
log(`  ${'figure'.padEnd(48)} ${'value'.padStart(16)}   ${'target'.padEnd(16)} verdict`);
log(`  ${'-'.repeat(96)}`);
row('page render CPU, 1,000 rows (no extension)', `${fx(fig.pageRenderMs1k)} ms`, '', null);
row('extension main-thread JS CPU, 1,000 rows', `${fx(fig.extensionMs1k, 2)} ms`, `(wall ${fx(fig.extensionWallMs1k, 0)} ms)`, null);
row('  of which the page\'s own fetch / XHR open under our wrapper', `${fx(fig.extensionPageNativeMs1k, 2)} ms`, '(info)', null);
row('  ratio (overheadRatio1k)', `${pct(fig.overheadRatio1k)} %`, '≤ 5 %', check(fig.overheadRatio1k, (v) => v <= 0.05));
row('page render CPU, 5,000 rows (no extension)', `${fx(fig.pageRenderMs5k)} ms`, '', null);
row('extension main-thread JS CPU, 5,000 rows', `${fx(fig.extensionMs5k, 2)} ms`, `(wall ${fx(fig.extensionWallMs5k, 0)} ms)`, null);
row('  of which the page\'s own fetch / XHR open under our wrapper', `${fx(fig.extensionPageNativeMs5k, 2)} ms`, '(info)', null);
row('  ratio (overheadRatio5k)', `${pct(fig.overheadRatio5k)} %`, '≤ 10 %', check(fig.overheadRatio5k, (v) => v <= 0.1));
row('  all main-thread time added, 1k / 5k (ratio)', `${pct(fig.overheadRatioTotal1k, 1)} / ${pct(fig.overheadRatioTotal5k, 1)} %`, '(info, noisy)', null);
row('  rendering the badges add (style + layout + paint), 1k / 5k', `${fx(fig.renderAddedMs1k, 0)} / ${fx(fig.renderAddedMs5k, 0)} ms`, '(info)', null);
row('    of which style recalculation, 1k / 5k', `${fx(fig.styleAddedMs1k, 0)} / ${fx(fig.styleAddedMs5k, 0)} ms`, '(info)', null);
row('extension start-up JS (per page load)', `${fx(fig.extensionStartupMs, 2)} ms`, '', null);
row('extension long tasks > 50 ms (count)', fig.extensionLongTasks ?? 'n/a', '0', check(fig.extensionLongTasks, (v) => v === 0));
row('  longest extension task (CPU)', `${fx(fig.extensionLongestTaskMs)} ms`, '', null);
row('  tasks over 50 ms by wall clock (shared machine)', fig.extensionLongTasksWall ?? 'n/a', '(info)', null);
row('badge latency, median (1k)', `${fx(fig.badgeLatencyMs)} ms`, '≤ 100 ms', badgesComplete ? check(fig.badgeLatencyMs, (v) => v <= 100) : runs.length ? false : null);
row('badge latency, worst (1k)', `${fx(fig.badgeLatencyWorstMs)} ms`, '', null);
row('badge latency, median / worst (5k)', `${fx(fig.badgeLatencyMs5k)} / ${fx(fig.badgeLatencyWorstMs5k)} ms`, '', null);
row('countdown tick, 1,000 rows (tickMs1k)', `${fx(fig.tickMs1k, 3)} ms`, '≤ 1 ms', check(fig.tickMs1k, (v) => v <= 1));
row(`  extension callbacks in ${TICK_WINDOW_MS / 1000} s / profile ms per tick`, `${fig.ticksSeen ?? 'n/a'} / ${fx(fig.tickWallMs1k, 2)} ms`, '', null);
row('full re-render of 1,000 rows: page / extension', `${fx(fig.rerenderPageMs1k)} / ${fx(fig.rerenderMs1k, 2)} ms`, '', null);
row('  badges back after re-render (median)', `${fx(fig.rerenderBadgeLatencyMs)} ms`, '', null);
row(`paged list: ${PAGE_SIZE}-row load, page CPU (no ext.)`, `${fx(fig.load50PageMs)} ms`, '', null);
row('  ext. CPU, start-up included (load50ExtMs)', `${fx(fig.load50ExtMs, 2)} ms`, `(${pct(fig.load50Ratio, 1)} %) info`, null);
row(`  each «Показать еще» page of ${PAGE_SIZE}: page CPU`, `${fx(fig.append50PageMs)} ms`, '', null);
row('  ext. CPU per page (append50ExtMs)', `${fx(fig.append50ExtMs, 2)} ms`, `(${pct(fig.append50Ratio, 1)} %) info`, null);
row('  press → last new badge (showMoreToLastBadgeMs)', `${fx(fig.showMoreToLastBadgeMs)} ms`, 'info', null);
row('    press → rows in / rows in → last badge', `${fx(fig.showMoreToRowsMs)} / ${fx(fig.showMoreRowsToLastBadgeMs)} ms`, 'info', null);
row('  ext. tasks > 50 ms, paged load + presses', fig.pagedLongTasks ?? 'n/a', '0', pagedComplete ? check(fig.pagedLongTasks, (v) => v === 0) : runs.length && APPENDS ? false : null);
row(`scrolling the drawn list (${SCROLL_STEPS} wheel steps of 300 px): ext. CPU, 1k / 5k`, `${fx(fig.scrollExtMs1k)} / ${fx(fig.scrollExtMs5k)} ms`, `(${pct(fig.scrollRatio1k, 1)} / ${pct(fig.scrollRatio5k, 1)} %) info`, null);
row('  longest ext. task while scrolling / tasks > 50 ms', `${fx(fig.scrollLongestTaskMs)} ms / ${fig.scrollLongTasks ?? 'n/a'}`, 'info', null);
row('layout forced inside ext. callbacks: render 1k / 5k, re-render 1k (worst run), scroll 1k / 5k',
  `${fx(fig.forcedLayoutMs1k)} / ${fx(fig.forcedLayoutMs5k)}, ${fx(fig.rerenderForcedLayoutMs1k)} (${fx(fig.rerenderForcedLayoutWorstMs1k)}), ${fx(fig.scrollForcedLayoutMs1k)} / ${fx(fig.scrollForcedLayoutMs5k)} ms`, 'info', null);
row('JS heap held by the extension, 5,000 rows', kb(fig.heapBytes5k), '', null);
row('DOM nodes added, 5,000 rows', fig.domNodesAdded5k ?? 'n/a', '', null);
row('content script (bootstrap, every panel page) raw / gzip -9', `${kb(fig.contentScriptBytes)} / ${kb(fig.contentScriptGzipBytes)}`, '≤ 20 KB gzip', check(fig.contentScriptGzipBytes, (v) => v <= 20 * 1024));
row('  postings page: bootstrap + overlay-core raw / gzip -9', `${kb(fig.postingsPageIsolatedBytes)} / ${kb(fig.postingsPageIsolatedGzipBytes)}`, 'info', null);
row('MAIN-world interceptor raw / gzip -9', `${kb(fig.mainWorldScriptBytes)} / ${kb(fig.mainWorldScriptGzipBytes)}`, '', null);
row('popup (html-linked chunks) raw / gzip -9', `${kb(fig.popupBytes)} / ${kb(fig.popupGzipBytes)}`, '', null);
row('evaluateOrder throughput', `${has(fig.evaluateOrdersPerSec) ? fig.evaluateOrdersPerSec.toLocaleString('en') : 'n/a'} /s`, '≥ 200,000 /s', check(fig.evaluateOrdersPerSec, (v) => v >= 200_000));
row('summarizeStore, 100,000 orders', `${fx(fig.summarize100kMs)} ms`, '< 200 ms', check(fig.summarize100kMs, (v) => v < 200));
row('CSV import, 10,000 lines', `${fx(fig.csvImport10kMs)} ms`, '< 1,000 ms', check(fig.csvImport10kMs, (v) => v < 1000));
log(`  (wall clock on this machine: ${has(fig.evaluateOrdersPerSecWall) ? fig.evaluateOrdersPerSecWall.toLocaleString('en') : 'n/a'} /s, ${fx(fig.summarize100kWallMs)} ms, ${fx(fig.csvImport10kWallMs)} ms)`);
for (const r of runs) {
  for (const [w, list] of [['render 1k', r.ext1000.extForcedLayoutList], ['render 5k', r.ext5000?.extForcedLayoutList], ['re-render 1k', r.ext1000.rerenderForcedLayoutList], ['scroll 1k', r.ext1000.scrollForcedLayoutList], ['scroll 5k', r.ext5000?.scrollForcedLayoutList]]) {
    if (list?.length) log(`  layout forced in ${w}: ${list.join(' · ')}`);
  }
}
if (fig.nodeNotes) log(`  note: ${fig.nodeNotes}`);
if (pageErrors.length) log(`  page errors during the bench: ${pageErrors.length} (first: ${pageErrors[0]})`);

const last = runs[runs.length - 1];
if (last && anyBadges) {
  log('\n  Where the extension spends its time (last run, self time by function):');
  for (const [label, top] of [
    ['render 1k', last.ext1000.extTop],
    ['render 5k', last.ext5000?.extTop],
    ['tick window', last.ext1000.tickTop],
    ['re-render 1k', last.ext1000.rerenderTop],
    ['scroll 5k', last.ext5000?.scrollTop],
    ['paged load', last.extPaged?.loadTop],
    ['«Показать еще»', last.extPaged?.appendTop],
  ]) {
    if (!top?.length) continue;
    log(`   ${label}: ${top.slice(0, 5).map((t) => `${t.fn} ${t.ms} ms`).join(' · ')}`);
  }
}
log(`\n  Method: ${fig.method}. Heap: Performance.getMetrics JSHeapUsedSize after two forced GCs, with minus without the extension.`);

writeFileSync(path.join(OUT, 'last.json'), JSON.stringify({ at: new Date().toISOString(), argv, figures: fig, sizes, node: nodeFig, runs }, null, 1));
console.log(JSON.stringify(fig));
