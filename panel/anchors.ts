/**
 * Where the page shows a posting number: whole in a text node (a cell says
 * "12345678-0001-1" or "Отправление 12345678-0001-1", never a sentence),
 * split over elements (`<span>N</span>-<span>…</span>`, `<mark>`) and joined,
 * or in a link (`postingDetails=<n>`, `/fbo/<n>`). These anchors are what
 * panel/rows.ts finds rows from, and what names the posting a row is about.
 * Numbers only in `data-*` / `title` are not anchors (the seller cannot see them).
 */
import { isDialogEl, isRowEl } from './dom';
import { findPostingNumber, findPostingNumbers, POSTING_NUMBER_IN_HREF, POSTING_NUMBER_IN_TEXT, showsPostingShape } from '../rules';
import type { ReadContext } from './types';


/**
 * Text longer than this is not a posting-number cell (a comment, a product
 * description, a 10,000-character cell): numbers inside it are mentions, not
 * anchors, and they must not turn a row into a "container".
 */
export const MAX_ANCHOR_TEXT = 300;

const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'OPTION', 'svg', 'SVG']);

export interface Anchor {
  /** The element holding the number (a text node's parent, or the link). */
  el: Element;
  num: string;
}

/*
 * Ancestor tests are hand-written loops, not Element#closest with selector
 * lists: they run once per anchor (10,000 on a 5,000-row page) and a selector
 * list is parsed and matched per call in some engines.
 */
function isOwnUi(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) if (e.hasAttribute('data-ozon-guard')) return true;
  return false;
}

/**
 * How much text may stand beside a number in its own text node for it to be
 * an anchor: a cell says "12345678-0001-1", "Отправление 12345678-0001-1",
 * "货件编号：…"; a sentence ("Отправление N отменено покупателем. Не
 * отгружайте его.") is a mention in a banner or a comment, not a row's key.
 */
export const MAX_ANCHOR_REST = 40;

function textNumber(text: string): string | undefined {
  if (text.length < 15 || text.length > MAX_ANCHOR_TEXT) return undefined;
  const m = POSTING_NUMBER_IN_TEXT.exec(text);
  if (!m) return undefined;
  if (text.length - m[0].length > MAX_ANCHOR_REST && text.replace(/[\s\u00a0\u200b]+/g, ' ').trim().length - m[0].length > MAX_ANCHOR_REST) return undefined;
  return m[0];
}

/** A piece of a number split over elements (`<span>12345678</span>-<span>0001-1</span>`, `<mark>` highlighting). */
const FRAGMENT_RE = /^[\s\u200b\d-]*\d[\s\u200b\d-]*$/;
/** Text an element may hold to be a split number's holder (the number and a label or a copy icon). */
const MAX_FRAGMENT_HOLDER = 80;

/** Whether a neighbouring node's text runs on from a number piece (ends / starts with a digit or a hyphen). */
function continues(n: Node | null, before: boolean): boolean {
  if (!n) return false;
  const t = n.textContent ?? '';
  if (!t || t.length > MAX_FRAGMENT_HOLDER) return false;
  const c = before ? t.charAt(t.length - 1) : t.charAt(0);
  return c === '-' || (c >= '0' && c <= '9');
}

/**
 * The number a short digits-and-hyphens text node is a PIECE of: the nearest
 * ancestor (up to three levels) whose short text holds a number that no
 * single text node of it holds whole. Whole numbers are found by textNumber.
 */
function fragmentNumber(t: Text, stop: Node | null): { num: string; el: Element } | undefined {
  const data = t.data;
  if (data.length >= 15 || !FRAGMENT_RE.test(data)) return undefined;
  // A piece has a hyphen or a neighbour continuing the digits ("41500001" +
  // "-"); a lone "1 299" or "2" in its own cell is a price or a quantity,
  // rejected here before any ancestor text is read.
  if (data.indexOf('-') < 0 && !continues(t.previousSibling ?? t.parentElement?.previousSibling ?? null, true) && !continues(t.nextSibling ?? t.parentElement?.nextSibling ?? null, false)) {
    return undefined;
  }
  let el = t.parentElement;
  for (let up = 0; el && up < 3; up++, el = el.parentElement) {
    const text = el.textContent ?? '';
    if (text.length > MAX_FRAGMENT_HOLDER) return undefined;
    if (showsPostingShape(text.replace(/\u200b/g, ''))) {
      const num = assembled(el, t);
      return num ? { num, el } : undefined;
    }
    if (el === stop) return undefined;
  }
  return undefined;
}

const SPACE = /[\s\u00a0]/;

/**
 * The number `t` is a piece of, assembled from whole text nodes of `el`
 * (the lowest ancestor whose text shows the shape), or undefined when the
 * shape there is a join of neighbours. React grids put cells side by side
 * with no whitespace, so a row's text reads `1` + `12345678-0001-1` + `2`
 * as `112345678-0001-12`: digits of a row-number, quantity or date cell must
 * never join the number. Hence, at `el`:
 * - a text node holding a number by itself is that number's (textNumber);
 * - a child of `el` holding a number by itself (a cell) owns it: a match
 *   reaching across into it from `t` is a join of neighbouring cells;
 * - the match must cover `t` and start and end on text-node edges (or
 *   whitespace): pieces are whole nodes, a number never ends inside a date.
 */
function assembled(el: Element, t: Text): string | undefined {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (findPostingNumber((c.textContent ?? '').replace(/\u200b/g, ''))) return undefined;
  }
  const starts = new Set<number>();
  const ends = new Set<number>();
  let text = '';
  let tFrom = -1;
  let tTo = -1;
  const w = el.ownerDocument.createTreeWalker(el, 4);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const d = (n as Text).data.replace(/\u200b/g, '');
    if (findPostingNumber(d)) return undefined;
    starts.add(text.length);
    if (n === t) tFrom = text.length;
    text += d;
    ends.add(text.length);
    if (n === t) tTo = text.length;
  }
  if (tFrom < 0) return undefined;
  for (const m of findPostingNumbers(text)) {
    const from = m.index;
    const to = from + m.num.length;
    if (to <= tFrom || from >= tTo) continue;
    const edgeFrom = starts.has(from) || SPACE.test(text.charAt(from - 1));
    const edgeTo = ends.has(to) || SPACE.test(text.charAt(to));
    if (edgeFrom && edgeTo) return m.num;
  }
  return undefined;
}

function hrefNumber(a: Element): string | undefined {
  const href = a.getAttribute('href');
  if (!href || href.length > 2000) return undefined;
  const m = POSTING_NUMBER_IN_HREF.exec(href);
  return m ? m[1] : undefined;
}

function docOf(root: ParentNode): Document | null {
  const n = root as Node;
  return n.nodeType === 9 ? (n as Document) : n.ownerDocument;
}

/** Every posting-number anchor under `root`, in document order. */
export function collectAnchors(root: ParentNode): { list: Anchor[]; textCount: number } {
  const doc = docOf(root);
  if (!doc) return { list: [], textCount: 0 };
  const out: Anchor[] = [];
  const walker = doc.createTreeWalker(root as Node, 4 /* NodeFilter.SHOW_TEXT */);
  let pieces: Set<Element> | undefined;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const data = (n as Text).data;
    if (data.length < 15) {
      // Cheap pre-check: a piece of a split number is digits and hyphens only.
      if (data.length === 0 || !FRAGMENT_RE.test(data)) continue;
      const f = fragmentNumber(n as Text, null);
      if (!f || (pieces ??= new Set()).has(f.el)) continue;
      pieces.add(f.el);
      if (SKIP_TAGS.has(f.el.tagName) || isOwnUi(f.el)) continue;
      out.push(f);
      continue;
    }
    // Cheap pre-check before the regex: a number needs a hyphen.
    if (data.length > MAX_ANCHOR_TEXT || data.indexOf('-') < 0) continue;
    const num = textNumber(data);
    if (!num) continue;
    const el = n.parentElement;
    if (!el || SKIP_TAGS.has(el.tagName) || isOwnUi(el)) continue;
    out.push({ el, num });
  }
  const textCount = out.length;
  const links = root.querySelectorAll('a[href]');
  if (links.length) {
    // A link whose own text is its number (the usual posting link) is already a text anchor, with
    // the same element and number: locating it again finds the same row (findRows), at twice the cost.
    const textEls = new Map<Element, string>();
    for (const t of out) textEls.set(t.el, t.num);
    const extra: Anchor[] = [];
    for (const a of Array.from(links)) {
      const num = hrefNumber(a);
      if (num && textEls.get(a) !== num && !isOwnUi(a)) extra.push({ el: a, num });
    }
    // Appended after the text anchors: findRows restores document order if a link made a row of its own.
    out.push(...extra);
  }
  return { list: out, textCount };
}

/**
 * The posting a row is about: the drawer's own posting where the URL names it,
 * else the FIRST number in the row (text or link), skipping nested rows.
 */
export function primaryPosting(row: Element, ctx?: ReadContext): { num: string; el: Element } | undefined {
  const doc = row.ownerDocument;
  const details = ctx?.page.detailsPosting;
  const semantic = isRowEl(row);
  // No NodeFilter callback: a JS filter is a call from native code per node of
  // every row (the performance budget, docs/performance.md); rejected subtrees are skipped by hand instead.
  const walker = doc.createTreeWalker(row, 1 | 4 /* SHOW_ELEMENT | SHOW_TEXT */);
  let first: { num: string; el: Element } | undefined;
  let n: Node | null = walker.nextNode();
  while (n) {
    let hit: { num: string; el: Element } | undefined;
    if (n.nodeType === 3) {
      const data = (n as Text).data;
      // Cheap pre-checks before the regexes: a number is ≥ 15 characters with a hyphen; a piece is digits and hyphens.
      if (data.length >= 15 ? data.indexOf('-') >= 0 : data.length > 0 && FRAGMENT_RE.test(data)) {
        const num = textNumber(data);
        if (num && n.parentElement) hit = { num, el: n.parentElement };
        else if (!num) hit = fragmentNumber(n as Text, row);
      }
    } else {
      const e = n as Element;
      if (SKIP_TAGS.has(e.tagName) || e.hasAttribute('data-ozon-guard') || (semantic && isRowEl(e))) {
        // FILTER_REJECT: on to the next node after this subtree.
        let next: Node | null = walker.nextSibling();
        while (!next && walker.parentNode() && walker.currentNode !== row) next = walker.nextSibling();
        n = next;
        continue;
      }
      if (e.tagName === 'A') {
        const num = hrefNumber(e);
        if (num) hit = { num, el: e };
      }
    }
    if (hit) {
      if (details === undefined || !isDialogEl(row)) return hit;
      if (hit.num === details) return hit;
      first ??= hit;
    }
    n = walker.nextNode();
  }
  return first;
}

/**
 * Whether `found`, primaryPosting's answer for `row` a moment ago, still holds: its element is
 * still in the row and still shows that number (its link, or its text). A row the panel recycled
 * for another posting fails it and is walked again. Much cheaper than the walk.
 */
export function stillFound(row: Element, found: { num: string; el: Element }): boolean {
  const el = found.el;
  if (!el.isConnected || !row.contains(el)) return false;
  if (el.tagName === 'A' && hrefNumber(el) === found.num) return true;
  return (el.textContent ?? '').indexOf(found.num) >= 0;
}

/** All distinct posting numbers in a piece of text (diagnostics, tests). */
export function postingNumbersIn(text: string): string[] {
  return [...new Set(findPostingNumbers(text).map((m) => m.num))];
}
