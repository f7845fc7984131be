/**
 * What a seller feels on a real panel list (docs/real-panel.md §3 "Pagination"): the list opens
 * with one page of rows and grows by «Показать еще», each press fetching the next limit/offset
 * page from the list API and appending it. Per side (with / without the extension):
 *
 *  - the page load: from before navigation (so the content script's and the MAIN-world
 *    interceptor's start-up are inside) until the first page's rows all carry a badge, plus the
 *    settle time: main-thread CPU, and the extension's share of it;
 *  - each append: from the press until that page's rows all carry a badge, plus the settle time;
 *  - press → the last new row's badge (the page's own probes, bench/lib/page.mjs): the press's
 *    event time to the arrival of the last `[data-ozon-guard]` host among that page's rows.
 *
 * CPU as in the rest of the bench: the extension's share of the busy main thread in the CDP
 * profile × the thread's CPU time (Performance.getMetrics TaskDuration, threadTicks).
 */
import { busyOf, extCpuOf, median, profiled, sleep, SAMPLING_US } from './browser.mjs';
import { topFunctions } from './profile.mjs';
import { LIST_URL, PAGED_HASH } from './page.mjs';


export async function pagedOnce(side, { pageSize = 50, appends = 4, settleMs, badgeTimeoutMs }) {
  const page = await side.ctx.newPage();
  const cdp = await side.ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });

  // Every row inserted so far carries a badge (with the extension), or just: the rows are in.
  const settled = async (want) => {
    const t0 = Date.now();
    while (Date.now() - t0 < badgeTimeoutMs) {
      const s = await page.evaluate(() => ({ b: window.__bench?.badged ?? 0, i: window.__bench?.inserted ?? 0 }));
      if (s.i >= want && (!side.withExt || s.b >= s.i)) return { badged: s.b, rows: s.i };
      await sleep(25);
    }
    const s = await page.evaluate(() => ({ b: window.__bench?.badged ?? 0, i: window.__bench?.inserted ?? 0 }));
    return { badged: s.b, rows: s.i, timedOut: true };
  };

  const tag = side.withExt ? 'ext' : 'bare';
  const load = await profiled(
    cdp,
    async () => {
      await page.goto(LIST_URL + PAGED_HASH + pageSize, { waitUntil: 'load' });
      const s = await settled(pageSize);
      await sleep(settleMs);
      return s;
    },
    `${tag}-paged-load`,
  );
  const out = {
    pageSize,
    withExt: side.withExt,
    loadTaskMs: load.taskMs,
    loadBusyMs: busyOf(load.attr),
    loadExtMs: load.attr.ms.ext,
    loadExtCpuMs: extCpuOf(load),
    loadExtTaskCpuMs: load.tasks.cpuMs,
    loadLongestTaskMs: load.tasks.longestCpuMs,
    loadLongTasks: load.tasks.longCpu,
    loadLongTaskList: load.tasks.long,
    loadTop: topFunctions(load.attr.extByFn, 5),
    loadTimedOut: !!load.extra.timedOut,
    appends: [],
  };

  for (let k = 0; k < appends; k++) {
    const want = pageSize * (k + 2);
    const r = await profiled(
      cdp,
      async () => {
        // A real press (CDP input: pointer events, then click), the button scrolled into view first.
        await page.click('.Button_button__s8Lk0:not([disabled])');
        const s = await settled(want);
        await sleep(settleMs);
        return s;
      },
      `${tag}-paged-append${k + 1}`,
    );
    const a = await page.evaluate((i) => ({ ...window.__bench.appends[i] }), k);
    if (k === appends - 1) out.appendTop = topFunctions(r.attr.extByFn, 5);
    out.appends.push({
      taskMs: r.taskMs,
      extMs: r.attr.ms.ext,
      extCpuMs: extCpuOf(r),
      extTaskCpuMs: r.tasks.cpuMs,
      longestTaskMs: r.tasks.longestCpuMs,
      longTasks: r.tasks.longCpu,
      longTaskList: r.tasks.long,
      rows: a.rows,
      badged: a.badged,
      timedOut: !!r.extra.timedOut,
      clickToRowsMs: a.mountAt - a.clickAt,
      clickToLastBadgeMs: a.lastBadgeAt === undefined || a.badged < a.rows ? null : a.lastBadgeAt - a.clickAt,
      rowsToLastBadgeMs: a.lastBadgeAt === undefined || a.badged < a.rows ? null : a.lastBadgeAt - a.mountAt,
    });
  }
  const m = (f) => median(out.appends.map(f));
  Object.assign(out, {
    appendTaskMs: m((a) => a.taskMs),
    appendExtCpuMs: m((a) => a.extCpuMs),
    appendExtTaskCpuMs: m((a) => a.extTaskCpuMs),
    clickToRowsMs: m((a) => a.clickToRowsMs),
    clickToLastBadgeMs: m((a) => a.clickToLastBadgeMs ?? NaN),
    rowsToLastBadgeMs: m((a) => a.rowsToLastBadgeMs ?? NaN),
    appendLongTasks: out.appends.reduce((s, a) => s + a.longTasks, 0),
    appendLongestTaskMs: out.appends.reduce((x, a) => Math.max(x, a.longestTaskMs), 0),
    appendsTimedOut: out.appends.some((a) => a.timedOut),
  });
  await cdp.detach().catch(() => {});
  await page.close();
  return out;
}
