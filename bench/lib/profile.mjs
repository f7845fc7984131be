/**
 * Reads a V8 CPU profile (CDP Profiler.stop) and attributes its samples by the
 * URL of the scripts on the sampled stack:
 *  - 'ext'  : any frame from chrome-extension:// (the content script, the
 *             MAIN-world interceptor; a page call into the interceptor's fetch
 *             wrapper counts as the extension's too: it is its code running);
 *  - 'page' : otherwise any frame from the page's own origin;
 *  - 'gc', 'program', 'idle': V8's pseudo-nodes (GC, native work outside JS:
 *             style, layout, paint, parsing; idle);
 *  - 'other': JS with no URL (the bench's own evaluate calls).
 * Of 'ext', `ms.pageNative` is the part that is the page's own call running natively under the
 * interceptor's wrapper (the browser's `fetch` or `XMLHttpRequest.open`, as the page called them):
 * counted as the extension's like the rest, and reported beside it (docs/performance.md,
 * "Twenty-first pass"), since the page pays it with or without the extension.
 */

/**
 * The natives the interceptor's two wrappers call on the page's behalf (panel/interceptor.ts: `fetch`
 * and `XMLHttpRequest.prototype.open`, nothing else). Other natives under its frames are its own work
 * (the `addEventListener` of its XHR listeners, the response's `clone` and `text`) and stay ours.
 */
const WRAPPED_NATIVES = new Set(['fetch', 'open']);
const isInterceptor = (url) => url.startsWith('chrome-extension://') && url.includes('/content-scripts/interceptor.js');

export function attribute(profile, pageOrigin = 'https://seller.ozon.ru') {
  const byId = new Map();
  for (const n of profile.nodes) byId.set(n.id, n);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cls = new Map();
  const classify = (id) => {
    if (cls.has(id)) return cls.get(id);
    const n = byId.get(id);
    const { url, functionName } = n.callFrame;
    let c;
    if (url.startsWith('chrome-extension://')) c = 'ext';
    else {
      const up = parent.has(id) ? classify(parent.get(id)) : 'root';
      if (up === 'ext') c = 'ext';
      else if (url.startsWith(pageOrigin) || up === 'page') c = 'page';
      else if (functionName === '(garbage collector)') c = 'gc';
      else if (functionName === '(program)') c = 'program';
      else if (functionName === '(idle)') c = 'idle';
      else if (functionName === '(root)') c = 'root';
      else c = 'other';
    }
    cls.set(id, c);
    return c;
  };
  // Sample i spans from its timestamp to the next one (µs).
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const t = new Array(samples.length);
  let acc = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    acc += deltas[i] ?? 0;
    t[i] = acc;
  }
  const seq = [];
  const total = { ext: 0, page: 0, gc: 0, program: 0, idle: 0, other: 0, root: 0 };
  let pageNative = 0;
  const extByFn = new Map();
  for (let i = 0; i < samples.length; i++) {
    const end = i + 1 < samples.length ? t[i + 1] : profile.endTime;
    const dur = Math.max(0, end - t[i]);
    const c = classify(samples[i]);
    total[c] += dur;
    seq.push({ c, t: t[i], dur });
    if (c === 'ext') {
      const n = byId.get(samples[i]);
      if (!n.callFrame.url && WRAPPED_NATIVES.has(n.callFrame.functionName) && parent.has(n.id) && isInterceptor(byId.get(parent.get(n.id)).callFrame.url)) pageNative += dur;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
      extByFn.set(key, (extByFn.get(key) ?? 0) + dur);
    }
  }
  return {
    ms: { ...Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / 1000])), pageNative: pageNative / 1000 },
    seq,
    extByFn,
  };
}

function shortUrl(u) {
  return u.replace(/^chrome-extension:\/\/[a-p]{32}\//, '');
}

/**
 * The extension's tasks, rebuilt from the samples: a run of extension samples,
 * possibly interleaved with GC / native samples, and ended by an idle, page or
 * other sample or a gap of `gapMs` without extension samples. A burst longer
 * than 50 ms is a long task the extension caused (its JS and the GC/native
 * work inside it).
 */
export function extBursts(seq, gapMs = 2) {
  const bursts = [];
  let cur = null;
  for (const s of seq) {
    if (s.c === 'ext') {
      if (cur && (s.t - cur.end) / 1000 > gapMs) cur = null;
      if (!cur) {
        cur = { start: s.t, end: s.t + s.dur, extMs: 0 };
        bursts.push(cur);
      }
      cur.end = s.t + s.dur;
      cur.extMs += s.dur / 1000;
    } else if (s.c === 'gc' || s.c === 'program') {
      // part of the task if the extension resumes right after
    } else {
      cur = null;
    }
  }
  return bursts.map((b) => ({ ...b, ms: (b.end - b.start) / 1000 }));
}

/** Bursts merged when less than `gapMs` apart: one per timer callback of a ticker. */
export function clusters(bursts, gapMs) {
  const out = [];
  for (const b of bursts) {
    const last = out[out.length - 1];
    if (last && (b.start - last.end) / 1000 < gapMs) {
      last.end = b.end;
      last.extMs += b.extMs;
    } else out.push({ ...b });
  }
  return out;
}

export function topFunctions(extByFn, n = 8) {
  return [...extByFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => ({ fn: k, ms: +(v / 1000).toFixed(2) }));
}
