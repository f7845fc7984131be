/**
 * A Chrome trace (CDP Tracing) alongside the profile, for one thing the
 * sampling profiler cannot tell: how much CPU a task really took. The
 * profiler's samples are wall-clock, so on a shared machine a task whose
 * thread was descheduled looks long. Trace events carry `tdur`, the thread's
 * own CPU time, so "an extension task over 50 ms" is judged on CPU time here.
 *
 * An extension task is a top-level `FunctionCall` (a timer, event or
 * observer callback entering JS) whose function comes from a
 * chrome-extension:// script. Promise continuations run as microtasks with no
 * such event: their time is in the profile, not in these tasks.
 */

// `….timeline.stack` (diagnostic builds, `--diag`, or OOG_BENCH_STACKS=1): a layout or style recalculation forced by
// script carries the script's stack, which names the function that read the layout (forcedLayouts). Not in the
// shipped build's runs: taking the stacks is itself work inside the callbacks being measured.
const STACKS = process.argv.includes('--diag') || process.env.OOG_BENCH_STACKS === '1';
const CATEGORIES = ['devtools.timeline', 'toplevel', 'disabled-by-default-devtools.timeline', ...(STACKS ? ['disabled-by-default-devtools.timeline.stack'] : [])];

export async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: CATEGORIES },
  });
}

export async function stopTrace(cdp) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  const parts = [];
  for (;;) {
    const r = await cdp.send('IO.read', { handle: stream, size: 4 << 20 });
    parts.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const json = JSON.parse(parts.join(''));
  return Array.isArray(json) ? json : (json.traceEvents ?? []);
}

/** A script frame as `function file:line` (the extension's id left out; readable in a --diag build). */
const frameLabel = (f) => `${f.functionName || '(anonymous)'} ${String(f.url).replace(/^chrome-extension:\/\/[a-p]+\//, '')}:${(f.lineNumber ?? 0) + 1}`;

/** Top-level extension calls: count, CPU and wall ms, long ones (CPU > 50 ms). */
export function extTasks(events) {
  const calls = events
    .filter((e) => e.ph === 'X' && e.name === 'FunctionCall' && String(e.args?.data?.url ?? '').startsWith('chrome-extension://'))
    .sort((a, b) => a.ts - b.ts);
  const top = [];
  const endByTid = new Map();
  for (const e of calls) {
    const end = endByTid.get(e.tid) ?? -1;
    if (e.ts < end) continue; // nested inside an earlier extension call
    endByTid.set(e.tid, e.ts + (e.dur ?? 0));
    top.push(e);
  }
  const cpu = (e) => (e.tdur ?? e.dur ?? 0) / 1000;
  const wall = (e) => (e.dur ?? 0) / 1000;
  const forced = forcedLayouts(events, top);
  return {
    count: top.length,
    cpuMs: top.reduce((s, e) => s + cpu(e), 0),
    wallMs: top.reduce((s, e) => s + wall(e), 0),
    longCpu: top.filter((e) => cpu(e) > 50).length,
    longWall: top.filter((e) => wall(e) > 50).length,
    longestCpuMs: top.reduce((m, e) => Math.max(m, cpu(e)), 0),
    longestWallMs: top.reduce((m, e) => Math.max(m, wall(e)), 0),
    // Which callbacks were long (function, script, line: readable in a --diag build).
    long: top
      .filter((e) => cpu(e) > 50)
      .map((e) => `${frameLabel(e.args.data)} ${cpu(e).toFixed(0)} ms`),
    // Style and layout the browser ran inside our callbacks: a box read (getBoundingClientRect) on a
    // layout something had left dirty. Its cost is in the extension's time above; listed here so a
    // window where it appears says so (docs/performance.md, "Twentieth pass").
    forcedMs: forced.ms,
    forcedStyleMs: forced.style,
    forcedCount: forced.count,
    forcedWorstMs: forced.worst,
    forcedList: forced.list,
  };
}

/** Style recalculations and layouts nested in the given top-level calls (same thread, inside their span), CPU ms. */
function forcedLayouts(events, calls) {
  const byThread = new Map();
  for (const c of calls) {
    const k = `${c.pid}:${c.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push(c);
  }
  const out = { ms: 0, style: 0, count: 0, worst: 0, list: [] };
  const perCall = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || (e.name !== 'Layout' && e.name !== 'UpdateLayoutTree')) continue;
    const list = byThread.get(`${e.pid}:${e.tid}`);
    if (!list) continue;
    // The calls are sorted and do not overlap: a binary search for the last one starting before e.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].ts <= e.ts) lo = mid + 1;
      else hi = mid;
    }
    const c = list[lo - 1];
    if (!c || e.ts >= c.ts + (c.dur ?? 0)) continue;
    const ms = (e.tdur ?? e.dur ?? 0) / 1000;
    out.ms += ms;
    if (e.name === 'Layout') out.count++;
    else out.style += ms;
    const at = perCall.get(c) ?? { ms: 0, by: new Set() };
    at.ms += ms;
    // The innermost script frame that asked for it (the event's stack, when the trace has the stack category).
    const f = (e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace ?? [])[0];
    if (f) at.by.add(frameLabel(f));
    perCall.set(c, at);
  }
  for (const [c, { ms, by }] of perCall) {
    out.worst = Math.max(out.worst, ms);
    const where = frameLabel(c.args.data);
    if (ms >= 1) out.list.push(`${where}${by.size ? ` (read by ${[...by].join(', ')})` : ''} ${ms.toFixed(1)} ms`);
  }
  return out;
}

/**
 * The page's rendering work in the trace: the CPU time (tdur) of style recalculation
 * (UpdateLayoutTree), layout, pre-paint and paint on the page's renderer main thread. What a badge
 * costs the page beyond the extension's own script (its sheet's rules, its boxes): the run
 * without the extension does the same list, so the difference is the badges'.
 */
const RENDER_STEPS = { UpdateLayoutTree: 'style', Layout: 'layout', PrePaint: 'prepaint', Paint: 'paint' };

/** The page's renderer main thread (`pid:tid`): the one with the most rendering steps (other frames and processes have few or none). */
export function pageMainThread(events) {
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !(e.name in RENDER_STEPS)) continue;
    const k = `${e.pid}:${e.tid}`;
    byThread.set(k, (byThread.get(k) ?? 0) + 1);
  }
  let main = null;
  for (const [k, n] of byThread) if (!main || n > byThread.get(main)) main = k;
  return main;
}

export function renderWork(events) {
  const main = pageMainThread(events);
  const out = { style: 0, layout: 0, prepaint: 0, paint: 0 };
  for (const e of events) {
    if (e.ph !== 'X' || !(e.name in RENDER_STEPS) || `${e.pid}:${e.tid}` !== main) continue;
    out[RENDER_STEPS[e.name]] += (e.tdur ?? e.dur ?? 0) / 1000;
  }
  return { ...out, ms: out.style + out.layout + out.prepaint + out.paint };
}

/**
 * The page's longest main-thread task split in two (CPU ms): the most any one task spent outside the
 * rendering steps (script: the page's and the extension's, promise continuations included, which
 * have no FunctionCall event of their own), and the most rendering any one task did (a frame).
 */
export function longestTaskParts(events) {
  const main = pageMainThread(events);
  const onMain = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main);
  const cpu = (e) => (e.tdur ?? e.dur ?? 0) / 1000;
  let script = 0;
  let frame = 0;
  for (const t of onMain) {
    if (t.name !== 'ThreadControllerImpl::RunTask') continue;
    let render = 0;
    for (const e of onMain) if (e.name in RENDER_STEPS && e.ts >= t.ts && e.ts < t.ts + t.dur) render += cpu(e);
    script = Math.max(script, cpu(t) - render);
    frame = Math.max(frame, render);
  }
  return { script, frame };
}
