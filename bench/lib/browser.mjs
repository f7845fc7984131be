/**
 * The on-page half of the bench: two Debian Chromium instances side by side,
 * one with the production build loaded and one without any extension, the
 * same generated list page served under the real Seller Panel URL to both
 * (context.route, as test/e2e/harness.ts does), and the CDP profiler on the
 * page's renderer in both, so the profiler's own overhead weighs the same on
 * either side of each ratio.
 */
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireChromium } from '../../scripts/browsers.mjs';
import { LIST_API, LIST_URL, pageHtml, postingsJson } from './page.mjs';
import { attribute, clusters, extBursts, topFunctions } from './profile.mjs';
import { extTasks, renderWork, startTrace, stopTrace } from './trace.mjs';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The bench page must not be throttled while the other browser works.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

const SAMPLING_US = 200;

/** One browser: with the extension in `extDir` loaded, or (extDir null) without any extension. */
export async function launchSide(extDir) {
  const withExt = extDir !== null;
  const userDir = mkdtempSync(path.join(tmpdir(), withExt ? 'oog-bench-ext-' : 'oog-bench-bare-'));
  // Diagnostics only (docs/performance.md "Tenth pass"): V8 flags for both browsers alike, e.g. the
  // engine's warm-up measured by compiling everything eagerly (OOG_BENCH_JS_FLAGS='--no-lazy').
  const jsFlags = process.env.OOG_BENCH_JS_FLAGS ? [`--js-flags=${process.env.OOG_BENCH_JS_FLAGS}`] : [];
  const ctx = await chromium.launchPersistentContext(userDir, {
    executablePath: requireChromium(),
    headless: true,
    locale: 'ru-RU',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1400, height: 900 },
    args: withExt
      ? [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, ...FLAGS, ...jsFlags]
      : ['--disable-extensions', ...FLAGS, ...jsFlags],
  });
  let extId = null;
  if (withExt) {
    let [sw] = ctx.serviceWorkers();
    sw ??= await ctx.waitForEvent('serviceworker', { timeout: 15_000 });
    extId = new URL(sw.url()).host;
  }
  const now = Date.now();
  await ctx.route('https://seller.ozon.ru/**', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.pathname === LIST_API) {
      let n = 1000;
      let offset = 0;
      let paged = false;
      try {
        const body = JSON.parse(req.postData() ?? '{}');
        n = Number(body.limit ?? n);
        offset = Number(body.offset ?? 0);
        // The paged list (bench/lib/paged.mjs) asks for pages of a few dozen rows.
        paged = n <= 100;
      } catch {}
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(postingsJson(n, now, 7, offset, paged)) });
    }
    if (url.pathname.startsWith('/app/')) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageHtml() });
    if (url.pathname.startsWith('/api/')) return route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
    return route.fulfill({ status: 404, body: '' });
  });
  await ctx.route(/^(?!https:\/\/seller\.ozon\.ru\/|chrome-extension:|data:|blob:|about:)/, (r) => r.abort());
  const errors = [];
  ctx.on('page', (p) => p.on('pageerror', (e) => errors.push(e.message)));
  for (const p of ctx.pages()) await p.close().catch(() => {});
  return { ctx, extId, userDir, withExt, errors };
}

export async function launchPair(extDir) {
  const bare = await launchSide(null);
  const ext = await launchSide(extDir);
  return {
    bare,
    ext,
    async close() {
      for (const b of [bare, ext]) {
        await b.ctx.close().catch(() => {});
        rmSync(b.userDir, { recursive: true, force: true });
      }
    },
  };
}

const metricsOf = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dumped = new Map();

/** A profile with no samples: what `profiled` attributes when the profiler is off (OOG_BENCH_NO_PROFILER). */
const NO_PROFILE = { nodes: [], samples: [], timeDeltas: [], startTime: 0, endTime: 0 };

async function profiled(cdp, fn, label = 'window') {
  // Diagnostics only: OOG_BENCH_NO_PROFILER=1 leaves the CPU profiler off, so only the trace's
  // figures (the extension's callbacks, the rendering) are measured, free of the profiler's own
  // cost; every figure from the profile's shares (extCpuOf, the ratios) is then NaN. Read when each
  // window starts, so a script can switch it between renders.
  const withProfiler = process.env.OOG_BENCH_NO_PROFILER !== '1';
  await startTrace(cdp);
  if (withProfiler) await cdp.send('Profiler.start');
  const m0 = await metricsOf(cdp);
  const extra = await fn();
  const m1 = await metricsOf(cdp);
  const { profile } = withProfiler ? await cdp.send('Profiler.stop') : { profile: NO_PROFILE };
  const events = await stopTrace(cdp);
  const tasks = extTasks(events);
  const render = renderWork(events);
  if (process.env.OOG_BENCH_DUMP) {
    // For a closer look (DevTools "Load profile", or bench/lib/inclusive.mjs).
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(process.env.OOG_BENCH_DUMP, { recursive: true });
    // One file per run: the spread between runs is what a closer look is often after.
    const k = (dumped.get(label) ?? 0) + 1;
    dumped.set(label, k);
    writeFileSync(path.join(process.env.OOG_BENCH_DUMP, `${label}${k > 1 ? '.' + k : ''}.cpuprofile`), JSON.stringify(profile));
  }
  return {
    extra,
    taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000,
    scriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000,
    layoutMs: (m1.LayoutDuration + m1.RecalcStyleDuration - m0.LayoutDuration - m0.RecalcStyleDuration) * 1000,
    attr: attribute(profile),
    tasks,
    render,
  };
}

/** A window's busy main-thread time in its profile (all but idle), wall-clock ms. */
export const busyOf = (attr) => attr.ms.page + attr.ms.program + attr.ms.gc + attr.ms.other + attr.ms.ext;

/**
 * The extension's CPU in a profiled window: its share of the busy main thread (profile) × the
 * thread's CPU time (getMetrics, threadTicks), whatever the shared machine did to wall time. NaN,
 * never 0, for a window measured with the profiler off (OOG_BENCH_NO_PROFILER): no share was taken.
 */
export function extCpuOf(r) {
  const busy = busyOf(r.attr);
  return busy > 0 ? r.taskMs * (r.attr.ms.ext / busy) : NaN;
}

/** Of extCpuOf, the page's own calls run natively under the interceptor's wrapper (profile.mjs `pageNative`), on the same footing. */
export function pageNativeCpuOf(r) {
  const busy = busyOf(r.attr);
  return busy > 0 ? r.taskMs * (r.attr.ms.pageNative / busy) : NaN;
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Until every row the bench page inserted has its badge (bench/lib/page.mjs counts both), or `timeoutMs`. */
export async function waitForBadges(page, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const s = await page.evaluate(() => ({ b: window.__bench.badged, i: window.__bench.inserted }));
    if (s.b >= s.i && s.i > 0) return { badged: s.b, waitedMs: Date.now() - t0 };
    await sleep(50);
  }
  return { badged: await page.evaluate(() => window.__bench.badged), timedOut: true };
}

/**
 * One page load + render of n rows in one browser. With the extension, waits
 * until every row has its badge (or `badgeTimeoutMs`), then `settleMs` for
 * the extension's trailing work (batch timers, the chip, messages).
 * Returns the figures of that load; the page stays open for the tick and
 * re-render phases when `keep` is set.
 */
export async function renderOnce(side, n, { settleMs, badgeTimeoutMs, keep = false, tickWindowMs = 0, scrollSteps = 0 }) {
  const page = await side.ctx.newPage();
  const cdp = await side.ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  // The extension's start-up (script evaluation, first scan of an empty list) is
  // measured on its own, from navigation to idle.
  await cdp.send('Profiler.start');
  await page.goto(LIST_URL, { waitUntil: 'load' });
  await sleep(side.withExt ? 700 : 300);
  const { profile: startProfile } = await cdp.send('Profiler.stop');
  const startup = attribute(startProfile);

  const out = { n, withExt: side.withExt, startupExtMs: startup.ms.ext };
  const badgeWait = async () => (side.withExt ? waitForBadges(page, badgeTimeoutMs) : { badged: null });

  const r = await profiled(cdp, async () => {
    const res = await page.evaluate((k) => window.__bench.render(k), n);
    const b = await badgeWait();
    await sleep(settleMs);
    return { ...res, ...b };
  }, `${side.withExt ? 'ext' : 'bare'}-${n}-render`);
  const lat = await page.evaluate(() => window.__bench.lat.slice());
  const bursts = extBursts(r.attr.seq);
  Object.assign(out, {
    pageWallMs: r.extra.ms,
    rows: r.extra.rows,
    badged: r.extra.badged,
    badgeTimedOut: !!r.extra.timedOut,
    taskMs: r.taskMs,
    // Main-thread busy time in the profile (all but idle), on the same wall-clock footing as extMs.
    busyMs: busyOf(r.attr),
    extCpuMs: extCpuOf(r),
    pageNativeCpuMs: pageNativeCpuOf(r),
    scriptMs: r.scriptMs,
    layoutMs: r.layoutMs,
    // Style, layout, pre-paint and paint in the trace (CPU): with minus without the extension is what the badges cost the page's rendering.
    renderMs: r.render.ms,
    renderStyleMs: r.render.style,
    pageJsMs: r.attr.ms.page,
    extMs: r.attr.ms.ext,
    gcMs: r.attr.ms.gc,
    programMs: r.attr.ms.program,
    extLongTasks: r.tasks.longCpu,
    extLongestTaskMs: r.tasks.longestCpuMs,
    extLongTasksWall: r.tasks.longWall,
    extLongestTaskWallMs: r.tasks.longestWallMs,
    extTaskCpuMs: r.tasks.cpuMs,
    extTasks: r.tasks.count,
    extBurstsOver50: bursts.filter((b) => b.ms > 50).length,
    extLongTaskList: r.tasks.long,
    extForcedLayoutMs: r.tasks.forcedMs,
    extForcedLayouts: r.tasks.forcedCount,
    extForcedLayoutList: r.tasks.forcedList,
    extTop: topFunctions(r.attr.extByFn),
    badgeLatencyMedianMs: median(lat),
    badgeLatencyWorstMs: lat.length ? Math.max(...lat) : null,
  });

  if (n >= 5000 || keep) {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const m = await metricsOf(cdp);
    out.heapUsed = m.JSHeapUsedSize;
    out.domNodes = m.Nodes;
  }

  if (keep && side.withExt && tickWindowMs > 0) {
    // Ticks: nothing else happens on the page in this window, so every
    // extension sample belongs to the ticker (or to a batch it triggers).
    const tk = await profiled(cdp, () => sleep(tickWindowMs), `ext-${n}-tick`);
    const ticks = clusters(extBursts(tk.attr.seq, 5), 200);
    out.tickWindowMs = tickWindowMs;
    out.tickExtMs = tk.attr.ms.ext;
    out.tickTasks = tk.tasks.count;
    out.tickCpuMs = tk.tasks.count ? tk.tasks.cpuMs / tk.tasks.count : null;
    out.ticksSeen = ticks.length;
    out.tickMs = ticks.length ? tk.attr.ms.ext / ticks.length : null;
    out.tickWorstMs = ticks.reduce((m, c) => Math.max(m, c.end / 1000 - c.start / 1000), 0);
    out.tickTop = topFunctions(tk.attr.extByFn, 5);
  }

  if (keep) {
    const rr = await profiled(cdp, async () => {
      const res = await page.evaluate(() => window.__bench.rerender());
      const b = await badgeWait();
      await sleep(settleMs);
      return { ...res, ...b };
    }, `${side.withExt ? 'ext' : 'bare'}-${n}-rerender`);
    const rlat = await page.evaluate(() => window.__bench.lat.slice());
    const rb = extBursts(rr.attr.seq);
    Object.assign(out, {
      rerenderPageWallMs: rr.extra.ms,
      rerenderTaskMs: rr.taskMs,
      rerenderPageJsMs: rr.attr.ms.page,
      rerenderExtMs: rr.attr.ms.ext,
      rerenderExtCpuMs: extCpuOf(rr),
      rerenderBadged: rr.extra.badged,
      rerenderLongTasks: rr.tasks.longCpu,
      rerenderLongestTaskMs: rr.tasks.longestCpuMs,
      rerenderLongTasksWall: rr.tasks.longWall,
      rerenderLongTaskList: rr.tasks.long,
      rerenderForcedLayoutMs: rr.tasks.forcedMs,
      rerenderForcedLayoutList: rr.tasks.forcedList,
      rerenderBurstsOver50: rb.filter((b) => b.ms > 50).length,
      rerenderBusyMs: rr.attr.ms.page + rr.attr.ms.program + rr.attr.ms.gc + rr.attr.ms.other + rr.attr.ms.ext,
      rerenderBadgeLatencyMedianMs: median(rlat),
      rerenderTop: topFunctions(rr.attr.extByFn, 5),
    });
  }
  if (scrollSteps > 0) {
    // The seller scrolls down the list and part of the way back: wheel steps of 300 px, 33 ms apart
    // (a brisk scroll), the last third of them up, then the trailing pass. Up as well as down: rows
    // leave the margin at the other edge, and a pass that only ever met rows coming from below would
    // not show it. Last, so that no figure above is taken on a scrolled page.
    await page.mouse.move(700, 450);
    const sc = await profiled(cdp, async () => {
      const down = scrollSteps - Math.floor(scrollSteps / 3);
      for (let i = 0; i < scrollSteps; i++) {
        await page.mouse.wheel(0, i < down ? SCROLL_STEP_PX : -SCROLL_STEP_PX);
        await sleep(33);
      }
      await sleep(600);
      return page.evaluate(() => scrollY);
    }, `${side.withExt ? 'ext' : 'bare'}-${n}-scroll`);
    Object.assign(out, {
      scrollTaskMs: sc.taskMs,
      scrollExtCpuMs: extCpuOf(sc),
      scrollExtTaskCpuMs: sc.tasks.cpuMs,
      scrollLongestTaskMs: sc.tasks.longestCpuMs,
      scrollLongTasks: sc.tasks.longCpu,
      scrollForcedLayoutMs: sc.tasks.forcedMs,
      scrollForcedLayoutList: sc.tasks.forcedList,
      scrollForcedStyleMs: sc.tasks.forcedStyleMs,
      scrollForcedLayouts: sc.tasks.forcedCount,
      scrolledPx: sc.extra,
      scrollTop: topFunctions(sc.attr.extByFn, 5),
    });
  }
  await cdp.detach().catch(() => {});
  await page.close();
  return out;
}

/** One wheel step of the scroll window (renderOnce `scrollSteps`). */
const SCROLL_STEP_PX = 300;

export { median, profiled, metricsOf, sleep, SAMPLING_US };
