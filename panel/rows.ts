/**
 * Finding order rows in markup nobody on the team has seen (docs/ozon-domain.md
 * §2.4): the anchor is the posting number, in text or in a link
 * (`postingDetails=<n>`, `/fbo/<n>`); the row is the unit that repeats with
 * one posting number each. Works for `<table>`, ARIA grids and div grids with
 * hashed CSS-module classes alike, because it never looks at a class name:
 *
 * 1. Every anchor marks its ancestors with its number; an ancestor reached by
 *    two different numbers is a container (MULTI).
 * 2. An anchor's row is its closest `tr` / `role=row` when there is one (a
 *    row holding two numbers stays one row: its FIRST number is the order);
 *    else the highest ancestor that holds only its number, i.e. the child of
 *    the nearest container. When that container looks like a row itself
 *    (few of its same-tag children hold numbers: a div row with a second
 *    number in some cell), the container is the row.
 * 3. A dialog (the posting drawer) is one row for the posting it shows.
 * 4. A number alone on the page (one-row list, filtered list, one card,
 *    detail page) has no container to measure against: the row is the
 *    lowest ancestor that is a row by its own evidence (loneRow: a list
 *    item, cells under a header row beside it, a card naming ≥2 fields by
 *    label, cells holding a status word or a date), else one among similar
 *    siblings (≥3 cells, a sibling with as many).
 * 5. Never a row: a number inside a sentence (MAX_ANCHOR_REST), a toast or
 *    alert (live regions), a landmark or a block of >400 elements. Numbers
 *    split over elements (`<span>N</span>-<span>…</span>`, `<mark>`) are
 *    joined; numbers only in `data-*` / `title` are not anchors (the seller
 *    cannot see them); open shadow roots and iframes are not walked.
 *
 * Speed: one TreeWalker over text nodes plus one `a[href]` query; no layout
 * reads (no getBoundingClientRect / offsetWidth / innerText), so 5,000 rows
 * cost a few tens of milliseconds.
 */
import { parseRowWithTimes } from './parse-row';
import { extractDateTime } from './dates';
import { mapStatus } from '../rules';
import { closestWhere, isCellEl, isDialogEl, isRowEl } from './dom';
import { fieldOfHeader, headerBeside, type Field } from './columns';
import { collectAnchors, primaryPosting, type Anchor } from './anchors';
import type { ReadContext, RowRead } from './types';

export { isDialogEl, isRowEl } from './dom';
import type { Order } from '../rules';

const INTERACTIVE = new Set(['A', 'BUTTON', 'LABEL', 'SUMMARY', 'SELECT', 'OPTION', 'INPUT']);
const MULTI = '\u0000multi';

/** Marks each anchor's ancestors (up to and including `root`) with its number, or MULTI. */
function markAncestors(anchors: Anchor[], root: ParentNode): Map<Element, string> {
  const marks = new Map<Element, string>();
  for (const { el, num } of anchors) {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const m = marks.get(e);
      if (m === undefined) marks.set(e, num);
      else if (m === num) break; // the rest of the chain is already marked
      else if (m === MULTI) break;
      else marks.set(e, MULTI);
      if (e === root) break;
    }
  }
  return marks;
}

function signature(el: Element): string {
  return el.tagName + '|' + (el.getAttribute('role') ?? '');
}

/** How many cells an element has, looking through single-child wrappers. */
function cellCount(el: Element): number {
  let e = el;
  for (let i = 0; i < 4 && e.childElementCount === 1; i++) e = e.firstElementChild!;
  return e.childElementCount;
}

/**
 * Whether a container whose children hold numbers is a list of rows (true)
 * or one row with a second number somewhere (false): in a list, most of the
 * children shaped like the candidate hold a number, and they have cells.
 */
function isList(container: Element, child: Element, marks: Map<Element, string>): boolean {
  const sig = signature(child);
  let same = 0;
  let marked = 0;
  let cells = 0;
  let rowLike = 0;
  for (let c = container.firstElementChild; c; c = c.nextElementSibling) {
    if (signature(c) !== sig) continue;
    same++;
    if (!marks.has(c)) continue;
    marked++;
    const n = cellCount(c);
    if (n > cells) cells = n;
    if (n >= 3) rowLike++;
  }
  if (marked < 2 || cells < 2) return false;
  if (marked * 2 >= same) return true;
  // An order shown as a main row plus its product sub-rows (no number) is
  // still a list: up to three siblings per order, as long as every marked
  // child has cells of its own (a row's cells with a second number do not).
  return marked * 4 >= same && rowLike === marked;
}

/** A lone number's row: the nearest ancestor that looks like a row among similar siblings. */
function structuralRow(el: Element, stop: Element | null): Element | null {
  for (let e: Element | null = el; e && e !== stop; e = e.parentElement) {
    const p: Element | null = e.parentElement;
    if (!p || e.tagName === 'BODY' || e.tagName === 'HTML') return null;
    const n = e.childElementCount;
    if (n < 3) continue;
    for (let s: Element | null = p.firstElementChild; s; s = s.nextElementSibling) {
      if (s !== e && s.tagName === e.tagName && Math.abs(s.childElementCount - n) <= 1) return e;
    }
    // Alone in its list container: compare with the header row beside that container.
    if (p.childElementCount === 1) {
      const q = p.parentElement;
      for (let s: Element | null = q?.firstElementChild ?? null; s; s = s.nextElementSibling) {
        if (s !== p && s.tagName === e.tagName && s.childElementCount === n) return e;
      }
    }
  }
  return null;
}

const LANDMARK_TAGS = new Set(['BODY', 'HTML', 'MAIN', 'FORM', 'NAV', 'HEADER', 'FOOTER', 'ASIDE']);
const LANDMARK_ROLES = new Set(['main', 'navigation', 'banner', 'form', 'search', 'contentinfo', 'complementary', 'grid', 'table', 'treegrid', 'list']);
const TEXT_CONTROLS = new Set(['SELECT', 'TEXTAREA']);
/** A one-row candidate bigger than this is a page section, not a row. */
const MAX_ROW_ELEMENTS = 400;

/**
 * Size and form controls of a candidate row, bailing out past
 * MAX_ROW_ELEMENTS (never a whole-document walk).
 */
function rowShape(e: Element): { elements: number; controls: number } | null {
  const w = e.ownerDocument.createTreeWalker(e, 1);
  let elements = 0;
  let controls = 0;
  for (let n = w.nextNode() as Element | null; n; n = w.nextNode() as Element | null) {
    if (++elements > MAX_ROW_ELEMENTS) return null;
    const t = n.tagName;
    if (TEXT_CONTROLS.has(t)) controls++;
    else if (t === 'INPUT') {
      const type = (n.getAttribute('type') ?? 'text').toLowerCase();
      if (type !== 'checkbox' && type !== 'radio' && type !== 'hidden' && type !== 'button' && type !== 'submit') controls++;
    }
  }
  return { elements, controls };
}

const INLINE_LABEL = /^([^:：]{2,40}?[^\d\s:：])\s*[:：]\s*\S/u;

/**
 * How many distinct fields a card names with labels ("Статус" beside its
 * value, "Дата оплаты: …", `<dt>`), the posting number's own label aside.
 */
function labelledFields(e: Element): number {
  const seen = new Set<Field>();
  const w = e.ownerDocument.createTreeWalker(e, 1);
  let visited = 0;
  for (let n = w.nextNode() as Element | null; n && visited < MAX_ROW_ELEMENTS; n = w.nextNode() as Element | null) {
    visited++;
    if (n.childElementCount > 0 || n.hasAttribute('data-ozon-guard')) continue;
    const text = (n.textContent ?? '').trim();
    if (!text || text.length > 200) continue;
    let f: Field | null = null;
    const inline = INLINE_LABEL.exec(text);
    if (inline) f = fieldOfHeader(inline[1]!);
    else if (text.length <= 40) {
      const next = n.nextElementSibling;
      const hasValue = (next !== null && (next.textContent ?? '').trim() !== '') || n.tagName === 'DT' || n.tagName === 'TH';
      if (hasValue) f = fieldOfHeader(text);
    }
    if (f && f !== 'ignore' && f !== 'posting' && f !== 'order') seen.add(f);
  }
  return seen.size;
}

/**
 * A number with no other number to measure against (a one-row list, a
 * filtered list, one card): the lowest ancestor that is a row by its own
 * evidence: a list item / article with parts, cells lined up under a header
 * row beside it (div header, role=columnheader row), or a card naming ≥2
 * fields with labels. Never a landmark, a dialog, a grid/list container, or
 * a block of more than MAX_ROW_ELEMENTS; at most 8 levels up.
 */
function loneRow(el: Element, memo: Map<Element, boolean | null>): Element | null {
  let depth = 0;
  for (let e: Element | null = el; e && depth < 8; e = e.parentElement, depth++) {
    if (LANDMARK_TAGS.has(e.tagName) || isDialogEl(e)) return null;
    const role = e.getAttribute('role');
    if (role && LANDMARK_ROLES.has(role)) return null;
    let v = memo.get(e);
    if (v === undefined) {
      v = false;
      const cells = cellCount(e);
      if (cells >= 2) {
        const shape = rowShape(e);
        if (!shape) v = null; // too big: so is everything above it
        else if (e.tagName === 'LI' || e.tagName === 'ARTICLE' || role === 'listitem' || role === 'article') v = true;
        else {
          const h = headerBeside(e);
          if (h && Math.abs(h.cells - cells) <= 1) v = true;
          else v = labelledFields(e) >= 2 + shape.controls || (cells >= 3 && cellsSayOrder(e, el));
        }
      }
      memo.set(e, v);
    }
    if (v === null) return null;
    if (v) return e;
  }
  return null;
}

/**
 * A header-less, label-less lone row (a list filtered to one posting): its
 * cells, other than the number's own, hold a status word or a date-time.
 */
function cellsSayOrder(e: Element, anchorEl: Element): boolean {
  let cell: Element = e;
  for (let i = 0; i < 4 && cell.childElementCount === 1; i++) cell = cell.firstElementChild!;
  let evidence = 0;
  for (let c = cell.firstElementChild; c; c = c.nextElementSibling) {
    if (c.contains(anchorEl)) continue;
    const t = (c.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!t || t.length > 120) continue;
    if (mapStatus(t) !== 'unknown' || extractDateTime(t) !== undefined) evidence++;
  }
  return evidence >= 1;
}

const LIVE_ROLES = new Set(['alert', 'status', 'log', 'marquee', 'timer', 'alertdialog']);

/**
 * A toast or an alert ("Номер N скопирован", "Отправление N отменено") is
 * not an order row, unless the live region holds a list (some apps announce
 * a whole results list politely). `memo` holds the answer for every element
 * visited (it or an ancestor is such a region): the rows of one list share
 * their ancestors, so a list of N rows costs N + depth steps, not N × depth
 * attribute reads (a re-render of 1,000 rows spent 128 ms here).
 */
function inLiveRegion(row: Element, memo: Map<Element, boolean>): boolean {
  const path: Element[] = [];
  let found = false;
  for (let e: Element | null = row; e && e.tagName !== 'BODY'; e = e.parentElement) {
    const known = memo.get(e);
    if (known !== undefined) {
      found = known;
      break;
    }
    path.push(e);
    const role = e.getAttribute('role');
    const live = e.getAttribute('aria-live');
    if (((role && LIVE_ROLES.has(role)) || (live && live !== 'off')) && !e.querySelector('table,ul,ol,[role="grid"],[role="list"],[role="table"],[role="row"]')) {
      found = true;
      break;
    }
  }
  for (const e of path) memo.set(e, found);
  return found;
}

function detailSection(el: Element): Element | null {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (e.tagName === 'BODY' || e.tagName === 'HTML' || e.tagName === 'MAIN') return null;
    if (e.childElementCount >= 3) return e;
  }
  return null;
}

function locate(anchors: Anchor[], textCount: number, root: ParentNode, ctx?: ReadContext): { rows: Element[]; fromLinks: boolean } {
  const rootEl = (root as Node).nodeType === 1 ? (root as Element) : null;
  const marks = markAncestors(anchors, root);
  const rows = new Map<Element, string>();
  const details = ctx?.page.detailsPosting;
  // isList walks every sibling; asked once per anchor it made a 5,000-row list
  // cost 5,000² steps. Its answer depends only on (container, child signature)
  // for the marks of this call, so it is computed once per pair.
  const listMemo = new Map<Element, Map<string, boolean>>();
  const isListMemo = (container: Element, child: Element): boolean => {
    let bySig = listMemo.get(container);
    if (!bySig) listMemo.set(container, (bySig = new Map()));
    const sig = signature(child);
    let v = bySig.get(sig);
    if (v === undefined) bySig.set(sig, (v = isList(container, child, marks)));
    return v;
  };
  const loneMemo = new Map<Element, boolean | null>();
  const liveMemo = new Map<Element, boolean>();
  let fromLinks = false;
  for (let ai = 0; ai < anchors.length; ai++) {
    const a = anchors[ai]!;
    // Highest ancestor holding only this number, and the container above it.
    let top: Element = a.el;
    for (let e: Element | null = a.el; e; e = e.parentElement) {
      if (marks.get(e) !== a.num) break;
      top = e;
      if (e === rootEl) break;
    }
    const parent = top === rootEl ? null : top.parentElement;
    const parentMulti = !!parent && marks.get(parent) === MULTI;

    let row: Element | null = null;
    const dialog = closestWhere(a.el, isDialogEl);
    if (dialog) {
      // One drawer = one row for its posting; a dialog listing many postings is a list like any other.
      if (marks.get(dialog) !== MULTI || (details !== undefined && dialogHolds(dialog, details))) row = dialog;
    }
    if (!row) {
      const semantic = closestWhere(a.el, isRowEl);
      if (semantic && (!dialog || dialog.contains(semantic))) {
        const m = marks.get(semantic);
        // A table row holding a second number in one of its own cells is still one row;
        // a "row" holding a whole list (a layout table around a div grid) is not.
        if (m !== MULTI) row = semantic;
        else if (parent === semantic || (parent && parent.parentElement === semantic && isCellEl(parent))) row = semantic;
      }
    }
    if (!row && parentMulti) {
      let cand: Element = top;
      for (let p: Element | null = parent; p && marks.get(p) === MULTI; p = p.parentElement) {
        if (isListMemo(p, cand)) {
          row = cand;
          break;
        }
        if (p === rootEl) break;
        cand = p;
      }
    }
    row ??= loneRow(a.el, loneMemo) ?? structuralRow(a.el, null) ?? top;
    if ((row.tagName === 'BODY' || row.tagName === 'HTML') && details === a.num) {
      // A detail page (/fbo/<n>): the posting's section is the nearest block with several parts.
      row = detailSection(a.el);
    }
    if (!row || row.tagName === 'BODY' || row.tagName === 'HTML') continue;
    // A bare mention (a banner, a toast: "Отправление N отменено") has no cells: not an order row.
    if (row !== dialog && !isRowEl(row) && cellCount(row) < 2) continue;
    if (row !== dialog && !isRowEl(row) && inLiveRegion(row, liveMemo)) continue;
    if (!rows.has(row)) {
      rows.set(row, a.num);
      if (ai >= textCount) fromLinks = true;
    }
  }
  return { rows: [...rows.keys()], fromLinks };
}

function dialogHolds(dialog: Element, num: string): boolean {
  const t = dialog.textContent ?? '';
  return t.length < 200_000 && t.includes(num);
}

/** Every order row under `root` (document order, each once). */
export function findRows(root: ParentNode, ctx?: ReadContext): Element[] {
  try {
    const anchors = collectAnchors(root);
    const { rows, fromLinks } = locate(anchors.list, anchors.textCount, root, ctx);
    // Rows found only through a link come after the text-found ones; put them back in document order.
    if (fromLinks) rows.sort((x, y) => (x.compareDocumentPosition(y) & 4 ? -1 : 1));
    return rows;
  } catch {
    return [];
  }
}

/** Where a badge goes: the number's element, out of links and buttons (a badge must not navigate). */
export function badgeAnchor(el: Element, row: Element): Element {
  let e: Element = el;
  for (let cur: Element | null = el; cur && cur !== row; cur = cur.parentElement) {
    if (INTERACTIVE.has(cur.tagName)) e = cur.parentElement ?? row;
  }
  return e;
}

/**
 * Reads one row (the content script re-reads only rows that changed); null
 * when it holds no order. `jsonFor`: the panel's own order for a posting,
 * where known; the row is then read only for what that order lacks
 * (parseRow), and the read says which order it was reduced against.
 */
export function readRow(
  row: Element,
  ctx: ReadContext,
  jsonFor?: (posting: string) => Order | undefined,
  /** The row's primaryPosting, when the caller has just found it (the walk is most of a JSON-backed read). */
  found?: { num: string; el: Element },
): RowRead | null {
  try {
    const p = found ?? primaryPosting(row, ctx);
    if (!p) return null;
    const json = jsonFor?.(p.num);
    const { order, printed, zoned } = parseRowWithTimes(row, p.num, ctx, json);
    const read: RowRead = { row, anchor: badgeAnchor(p.el, row), order, printed };
    if (zoned) read.zoned = true;
    if (json) read.json = json;
    return read;
  } catch {
    return null;
  }
}

/** Every order row under `root`, read. */
export function readRows(root: ParentNode, ctx: ReadContext): RowRead[] {
  const out: RowRead[] = [];
  for (const row of findRows(root, ctx)) {
    const r = readRow(row, ctx);
    if (r) out.push(r);
  }
  return out;
}
