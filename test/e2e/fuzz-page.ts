/**
 * The in-page DOM fuzzer for test/e2e/fuzz.e2e.ts. `installFuzzer` is
 * serialised by Playwright and runs in the page's own world (like the
 * panel's code would), so it must be self-contained: no imports, no closures
 * over Node values.
 *
 * It acts like a single-page app that is not ours: inserts (cloned rows,
 * with fresh posting numbers), removals, replacements, text edits of cells
 * (status words, dates, garbage, markup-looking text), rewrites of whole
 * cells (which wipe whatever else was in them, our badge host included),
 * moves of rows and cells, attribute changes, renumbering, and removals of
 * our own badge hosts. All driven by a seeded PRNG (mulberry32), so a seed
 * replays the exact sequence on the same fixture.
 *
 * The oracle is computed in the page independently of the extension: a row's
 * posting is the first posting-number match among its text nodes (15–300
 * characters, as the reader's anchor rule) or else its links; our hosts are
 * excluded from everything the page "owns".
 */

export interface FuzzCheck {
  ok: boolean;
  rows: number;
  badges: number;
  problems: string[];
  /** The page's markup (our hosts excluded) differs from what the fuzzer left. */
  pageChanged: boolean;
}

export interface FuzzApi {
  burst(n: number, yieldEvery: number): Promise<{ done: number; kinds: Record<string, number> }>;
  check(): FuzzCheck;
  stats(): Record<string, number>;
}

declare global {
  interface Window {
    __oogFuzz?: FuzzApi;
  }
}

/** Runs in the page: `page.evaluate(installFuzzer, seed)`. Returns the number of rows it found. */
export function installFuzzer(seed: number): number {
  const HOST_SEL = '[data-ozon-guard]';
  const OWN_TAG = /^OZON-GUARD-/;
  const PN_RE = /\b\d{8,10}-\d{4}-\d{1,3}\b/;
  const PN_RE_G = /\b\d{8,10}-\d{4}-\d{1,3}\b/g;
  const HREF_RE = /(?:posting(?:Details|Number)=|\/)(\d{8,10}-\d{4}-\d{1,3})(?![\d-])/;
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(a: ArrayLike<T>): T => a[Math.floor(rnd() * a.length)]!;

  const isOwn = (n: Node | null): boolean => {
    for (let e = n && n.nodeType === 1 ? (n as Element) : n?.parentElement ?? null; e; e = e.parentElement) {
      if (e.hasAttribute('data-ozon-guard') || OWN_TAG.test(e.tagName)) return true;
    }
    return false;
  };

  /** The first posting number of a subtree by the reader's anchor rule, ignoring our hosts. */
  const postingOf = (root: Element): string | undefined => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const d = (n as Text).data;
      if (d.length < 15 || d.length > 300) continue;
      const p = n.parentElement;
      if (!p || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TEXTAREA)$/.test(p.tagName) || isOwn(n)) continue;
      const m = PN_RE.exec(d);
      if (m) return m[0];
    }
    for (const a of Array.from(root.querySelectorAll('a[href]'))) {
      if (isOwn(a)) continue;
      const m = HREF_RE.exec(a.getAttribute('href') ?? '');
      if (m) return m[1];
    }
    return undefined;
  };

  // The list: the lowest common ancestor of the rows the extension badged on load.
  const hosts = Array.from(document.querySelectorAll(HOST_SEL));
  if (hosts.length < 2) return hosts.length;
  let container: Element | null = hosts[0]!.parentElement;
  while (container && !hosts.every((h) => container!.contains(h))) container = container.parentElement;
  if (!container) return 0;
  const list = container;

  const rows = () => Array.from(list.children).filter((r) => !isOwn(r) && postingOf(r));
  const stats: Record<string, number> = {};
  const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);

  let fresh = Math.floor(rnd() * 1e6);
  const freshPosting = () => {
    fresh++;
    return `${91000000 + (fresh % 8999999)}-${String(1000 + Math.floor(rnd() * 8999)).padStart(4, '0')}-${1 + Math.floor(rnd() * 9)}`;
  };

  /** Every occurrence of `from` in the subtree's text and attributes becomes `to`. */
  const renumber = (root: Element, from: string, to: string) => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let n = w.nextNode(); n; n = w.nextNode()) if (!isOwn(n)) texts.push(n as Text);
    for (const t of texts) if (t.data.includes(from)) t.data = t.data.split(from).join(to);
    for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
      if (isOwn(el)) continue;
      for (const a of Array.from(el.attributes)) if (a.value.includes(from)) el.setAttribute(a.name, a.value.split(from).join(to));
    }
  };

  const cloneRow = (src: Element): Element => {
    const c = src.cloneNode(true) as Element;
    // Usually a re-render produces clean markup; sometimes it copies our host along (a page serialising its DOM).
    if (rnd() < 0.75) for (const h of Array.from(c.querySelectorAll(HOST_SEL))) h.remove();
    const from = postingOf(src);
    if (from) {
      const to = freshPosting();
      renumber(c, from, to);
      // Numbers of other postings inside (a linked posting in some cell) would give the clone two numbers.
      for (const other of new Set((c.textContent ?? '').match(PN_RE_G) ?? [])) if (other !== to) renumber(c, other, freshPosting());
    }
    return c;
  };

  const STATUS_WORDS = [
    'Ожидает сборки', 'Ожидает отгрузки', 'Доставляется', 'Доставлен', 'Отменён', 'Awaiting packaging', 'Awaiting shipment',
    'Delivering', 'Delivered', 'Cancelled', '等待备货', '等待发运', '运输中', '已送达', '已取消', 'Арбитраж', 'unknown',
  ];
  const DATES = ['14.04.2026 10:00', '2026-04-14 10:00', '31.02.2026', '00:00', '14 апреля 2026, 10:00', 'Apr 14, 2026 10:00 AM', '2026年4月14日 10:00', '29.03.2026 02:30', '01.01.2019 00:00', '31.12.2099 23:59', '99.99.9999 99:99'];
  const GARBAGE = [
    '', ' ', '—', '0', '-1', 'NaN', 'undefined', 'null', '<img src=x onerror=window.__pwned=1>', '"><script>window.__pwned=1</script>',
    '\u202e\u200b\u00a0', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀', '12345678', '2026-04', '1234-5678', 'x'.repeat(400), 'Ж'.repeat(50), '16965409 0014 1',
  ];
  const garbage = (): string => {
    for (;;) {
      const r = rnd();
      const v = r < 0.35 ? pick(STATUS_WORDS) : r < 0.6 ? pick(DATES) : r < 0.85 ? pick(GARBAGE) : String(Math.floor(rnd() * 1e9));
      if (!PN_RE.test(v)) return v;
    }
  };

  /** Text nodes of a row the page may edit: not ours, not holding a posting number. */
  const editableTexts = (row: Element): Text[] => {
    const out: Text[] = [];
    const w = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) if (!isOwn(n) && !PN_RE.test((n as Text).data)) out.push(n as Text);
    return out;
  };
  const holdsPosting = (el: Element) => PN_RE.test(el.textContent ?? '') || Array.from(el.querySelectorAll('a[href]')).some((a) => HREF_RE.test(a.getAttribute('href') ?? '')) || (el.tagName === 'A' && HREF_RE.test(el.getAttribute('href') ?? ''));
  /** Element descendants of a row the page may touch (not ours). */
  const elementsOf = (row: Element): Element[] => [row, ...Array.from(row.querySelectorAll('*'))].filter((e) => !isOwn(e));

  type Mut = [string, number, () => boolean];
  const MUTS: Mut[] = [
    ['insert', 14, () => {
      const rs = rows();
      const c = cloneRow(pick(rs));
      const before = rnd() < 0.15 ? null : pick(rs);
      list.insertBefore(c, before);
      return true;
    }],
    ['remove', 10, () => {
      const rs = rows();
      if (rs.length <= 3) return false;
      pick(rs).remove();
      return true;
    }],
    ['replace', 8, () => {
      const rs = rows();
      pick(rs).replaceWith(cloneRow(pick(rs)));
      return true;
    }],
    ['text', 22, () => {
      const ts = editableTexts(pick(rows()));
      if (!ts.length) return false;
      pick(ts).data = garbage();
      return true;
    }],
    ['cell', 8, () => {
      const row = pick(rows());
      const cells = Array.from(row.children).filter((c) => !isOwn(c) && !holdsPosting(c));
      if (!cells.length) return false;
      // textContent= wipes every child, our host too when it lives in this cell.
      pick(cells).textContent = garbage();
      return true;
    }],
    ['moveRow', 10, () => {
      const rs = rows();
      list.insertBefore(pick(rs), rnd() < 0.2 ? null : pick(rs));
      return true;
    }],
    ['moveCell', 6, () => {
      const row = pick(rows());
      const cells = Array.from(row.children).filter((c) => !isOwn(c));
      if (cells.length < 2) return false;
      row.insertBefore(pick(cells), rnd() < 0.2 ? null : pick(cells));
      return true;
    }],
    ['attr', 12, () => {
      const el = pick(elementsOf(pick(rows())));
      const r = rnd();
      if (r < 0.3) el.classList.add(`_${Math.floor(rnd() * 1e6).toString(36)}_${Math.floor(rnd() * 99)}`);
      else if (r < 0.45) el.setAttribute('style', `color: rgb(${Math.floor(rnd() * 255)}, 0, 0)`);
      else if (r < 0.6) el.setAttribute('title', garbage());
      else if (r < 0.75) el.setAttribute('data-state', pick(['open', 'closed', 'selected', '']));
      else if (r < 0.9) el.setAttribute('aria-selected', rnd() < 0.5 ? 'true' : 'false');
      else el.removeAttribute(pick(['class', 'title', 'data-state', 'style']));
      return true;
    }],
    ['renumber', 4, () => {
      const row = pick(rows());
      const from = postingOf(row);
      if (!from) return false;
      renumber(row, from, freshPosting());
      return true;
    }],
    ['killBadge', 4, () => {
      const hs = Array.from(list.querySelectorAll(HOST_SEL));
      if (!hs.length) return false;
      pick(hs).remove();
      return true;
    }],
    ['wrap', 2, () => {
      // A cell's content wrapped in a new span (a tooltip library, a highlighter).
      const row = pick(rows());
      const cells = Array.from(row.children).filter((c) => !isOwn(c));
      if (!cells.length) return false;
      const cell = pick(cells);
      const span = document.createElement('span');
      span.className = 'hl';
      while (cell.firstChild) span.appendChild(cell.firstChild);
      cell.appendChild(span);
      return true;
    }],
  ];
  const total = MUTS.reduce((a, m) => a + m[1], 0);
  const mutate = (): string | undefined => {
    let r = rnd() * total;
    for (const m of MUTS) {
      r -= m[1];
      if (r <= 0) return m[2]() ? m[0] : undefined;
    }
    return undefined;
  };

  /** The page's own markup as text: tags, attributes, text; our hosts left out. */
  const serialise = (): string => {
    const out: string[] = [];
    const walk = (n: Node) => {
      if (n.nodeType === 3) {
        out.push((n as Text).data);
        return;
      }
      if (n.nodeType !== 1) return;
      const e = n as Element;
      if (e.hasAttribute('data-ozon-guard') || OWN_TAG.test(e.tagName)) return;
      out.push(`<${e.tagName}`);
      for (const a of Array.from(e.attributes)) out.push(` ${a.name}=${a.value}`);
      out.push('>');
      for (const c of Array.from(e.childNodes)) walk(c);
      out.push(`</${e.tagName}>`);
    };
    walk(list);
    return out.join('');
  };
  let expectedPage = serialise();

  const check = (): FuzzCheck => {
    const problems: string[] = [];
    const rs = rows();
    const expectedByRow = new Map<Element, string>();
    for (const r of rs) expectedByRow.set(r, postingOf(r)!);
    for (const [r, want] of expectedByRow) {
      const hs = Array.from(r.querySelectorAll(HOST_SEL));
      if (hs.length !== 1) problems.push(`row ${want}: ${hs.length} badges (${hs.map((h) => h.getAttribute('data-posting')).join(', ')})`);
      else if (hs[0]!.getAttribute('data-posting') !== want) problems.push(`row ${want}: badge says ${hs[0]!.getAttribute('data-posting')}`);
      for (const h of hs) for (const a of ['data-status', 'data-cancel', 'data-archive', 'data-deadline', 'data-level'])
        if (!h.getAttribute(a)) problems.push(`row ${want}: badge without ${a}`);
    }
    // No orphan: every host sits in a current row that holds its posting.
    const all = Array.from(document.querySelectorAll(HOST_SEL));
    for (const h of all) {
      let row: Element | null = h;
      while (row && row.parentElement !== list) row = row.parentElement;
      const want = row ? expectedByRow.get(row) : undefined;
      if (!row || want === undefined) problems.push(`orphan badge ${h.getAttribute('data-posting')} outside any order row`);
    }
    // Badges are never nested in each other or inside the page's header row.
    if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) problems.push('window.__pwned was set: markup ran');
    const pageChanged = serialise() !== expectedPage;
    if (pageChanged) problems.push("the page's own markup changed (our hosts excluded)");
    return { ok: problems.length === 0, rows: rs.length, badges: all.length, problems: problems.slice(0, 20), pageChanged };
  };

  window.__oogFuzz = {
    async burst(n, yieldEvery) {
      let done = 0;
      const kinds: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        const k = mutate();
        if (k) {
          done++;
          kinds[k] = (kinds[k] ?? 0) + 1;
          bump(k);
        }
        // Some bursts give the extension's observer a turn mid-way (half-done states).
        if (yieldEvery > 0 && i % yieldEvery === yieldEvery - 1) await new Promise((r) => setTimeout(r, Math.floor(rnd() * 120)));
      }
      expectedPage = serialise();
      return { done, kinds };
    },
    check,
    stats: () => ({ ...stats }),
  };
  return rows().length;
}
