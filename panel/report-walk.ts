/**
 * The walk of a page into the page report's structure (panel/report.ts): the
 * DOM with every text shaped (panel/shape.ts) except the panel's own words,
 * attribute values dropped or shaped, and the URL; every posting number seen
 * on the way gets its ordinal (number 1, 2, … of the page), never kept itself.
 */
import { fieldOfHeader } from './columns';
import { tabStatusOf } from './page';
import { shapeText, shapeWithPostings } from './shape';
import { isStatusWord } from '../rules';
import { POSTING_NUMBER_EXACT, POSTING_NUMBER_IN_HREF, POSTING_NUMBER_WORD_SOURCE } from '../rules';

/**
 * Size caps. A panel page with 1,000 rows is ~40,000 elements; the report
 * keeps the first 12,000 nodes (elements and texts, in document order) and 60
 * levels, enough for ~200 rows and everything around them, and stays under
 * ~1.5 MB of JSON. Texts are cut at 2,000 characters (still longer than
 * MAX_ANCHOR_TEXT, so a cut text reads the same); class lists at 300
 * characters; 40 attributes per element; 1,000 posting numbers.
 */
export const REPORT_LIMITS = { nodes: 12_000, depth: 60, text: 2_000, classLength: 300, attributes: 40, postings: 1_000 } as const;

/** A text node: its shape, or the text itself when it is a panel word (`kept`). */
export interface ReportText {
  text: string;
  kept?: 'header' | 'status' | 'label';
  /** `[offset, ordinal]` of each posting number in `text`. */
  postings?: [number, number][];
  /**
   * A piece of a number split over elements (`<span>12345678</span>-<span>0001-1</span>`):
   * `[offset in text, ordinal, offset in the number, length]`.
   */
  pieces?: [number, number, number, number][];
  /** The original length when the text was cut at REPORT_LIMITS.text. */
  cut?: number;
}

export interface ReportElement {
  tag: string;
  class?: string;
  role?: string;
  /** Names of the other attributes (values dropped). */
  attrs?: string[];
  /** Values kept for `aria-*` / `data-*` (shaped), `type`, `colspan`, `rowspan`. */
  values?: Record<string, string>;
  /** Posting numbers inside `values`: attribute name → `[offset, ordinal][]`. */
  valuePostings?: Record<string, [number, number][]>;
  /** The ordinal of the posting number this element links to (`href` holds it; the href itself is dropped). */
  link?: number;
  /** This element is the order row the reader found for posting `rowOf` (an ordinal). */
  rowOf?: number;
  children?: ReportNode[];
  /** Children not kept (REPORT_LIMITS, or the content of script / style / svg / textarea). */
  omitted?: number;
}

export type ReportNode = ReportElement | ReportText;

/** The URL as the report holds it: the route's words, everything else shaped. */
export interface ReportUrl {
  origin: string;
  /** The path, shaped where a segment holds digits (a posting number in a detail page's path: see `pathPostings`). */
  path: string;
  pathPostings?: [number, number][];
  query: { key: string; value?: string; posting?: number }[];
}

/** Elements whose content is not page text (or is an input's value): the tag is kept, the content is not. */
const OPAQUE = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'svg', 'SVG', 'IFRAME', 'CANVAS', 'VIDEO', 'AUDIO', 'OBJECT']);
const HEADER_ROLES = new Set(['columnheader']);
const ARIA_WORDS = /^(?:true|false|mixed|none|polite|assertive|off|page|step|location|date|time|ascending|descending|other|grid|listbox|tree|dialog|menu)$/;
const INPUT_TYPES = /^(?:text|search|checkbox|radio|hidden|button|submit|reset|number|date|datetime-local|time|email|tel|url|password|file|range|color|month|week|image)$/i;
const INLINE_LABEL = /^(\s*[^:：\d]{2,40}?[^\d\s:：])(\s*[:：])/u;
/** A status word followed by a counter or a note in the same text ("Доставляется | 3", "Ожидает сборки · осталось 5 ч"). */
const STATUS_PREFIX = /^(\s*[^\d•·|(),;—–:：]{2,60}?)(?=\s*[•·|(),;—–]|\s+\d)/u;
/** A piece of a split number: digits, hyphens, spaces (panel/anchors.ts FRAGMENT_RE). */
const FRAGMENT = /^[\s\u200b\d-]*\d[\s\u200b\d-]*$/;
const POSTING_ONE = new RegExp(POSTING_NUMBER_WORD_SOURCE);
/** Query keys are the panel's; a value is kept only for a tab name (it tells the status, panel/page.ts). */
const QUERY_KEY = /^[A-Za-z_][\w.-]{0,63}$/;

/** The extension's own elements (badges, chip) are not the page's. */
export function isOwn(el: Element): boolean {
  return el.tagName.startsWith('OZON-GUARD') || el.hasAttribute('data-ozon-guard');
}

/**
 * Which panel word a text is, if it is one: a status word anywhere; a header
 * word in a header cell or header row; a field label where the page marks it
 * as one (`<dt>`, `<label>`, `<th>`, a trailing colon) or repeats it beside a
 * value in several rows (every card carries the same labels, a buyer's name
 * does not repeat down the list: header words are substrings — "cost" is in
 * "Acosta" — so a lone leaf beside a value is not enough).
 */
function keptKind(text: string, inHeader: boolean, parent: Element | null, labelRepeats: (t: string) => boolean): 'header' | 'status' | 'label' | null {
  const t = text.trim();
  // Digits are data (counts, dates, numbers); the panel's words have none.
  if (!t || t.length > 60 || /\p{N}/u.test(t)) return null;
  if (isStatusWord(t)) return 'status';
  const field = fieldOfHeader(t);
  if (!field) return null;
  if (inHeader) return 'header';
  // A field label beside its value ("Статус" then its value; <dt>; <label>): a short leaf text.
  if (field === 'ignore' || t.split(/\s+/).length > 4 || !parent || parent.childElementCount > 0) return null;
  const tag = parent.tagName;
  if (tag === 'DT' || tag === 'LABEL' || tag === 'TH') return 'label';
  // A table or grid cell beside another is a value in a column (a carrier, a product), not a label.
  const role = parent.getAttribute('role');
  if (tag === 'TD' || role === 'cell' || role === 'gridcell') return null;
  const next = parent.nextElementSibling;
  if (!next || !(next.textContent ?? '').trim()) return null;
  return /[:：]\s*$/u.test(t) || labelRepeats(t) ? 'label' : null;
}

export class Walker {
  nodes = 0;
  truncNodes = false;
  truncDepth = false;
  truncPostings = false;
  readonly ordinals = new Map<string, number>();
  /** ordinal → where it was seen */
  readonly seen = new Map<number, Set<'text' | 'link' | 'attribute' | 'url'>>();
  /** ordinal → the first text it was seen in (for the "why not" reason) */
  readonly firstText = new Map<number, { text: string; el: Element }>();
  readonly headers: Set<Element>;
  /** How often each short header-like text occurs on the page, and how many rows the reader found. */
  private readonly counts: Map<string, number>;
  private readonly rows: number;

  constructor(headers: Set<Element>, counts: Map<string, number>, rows: number) {
    this.headers = headers;
    this.counts = counts;
    this.rows = rows;
  }

  /** A label repeated in at least half the rows (and at least twice). */
  private readonly labelRepeats = (t: string): boolean => (this.counts.get(t.trim()) ?? 0) >= Math.max(2, Math.ceil(this.rows / 2));

  ordinalOf = (num: string): number => {
    let o = this.ordinals.get(num);
    if (o === undefined) {
      if (this.ordinals.size >= REPORT_LIMITS.postings) {
        this.truncPostings = true;
        return 0;
      }
      o = this.ordinals.size + 1;
      this.ordinals.set(num, o);
    }
    return o;
  };

  mark(num: string, where: 'text' | 'link' | 'attribute' | 'url'): number {
    const o = this.ordinalOf(num);
    let s = this.seen.get(o);
    if (!s) this.seen.set(o, (s = new Set()));
    s.add(where);
    return o;
  }

  text(t: Text, inHeader: boolean): ReportText {
    const data = t.data;
    const parent = t.parentElement;
    const cut = data.length > REPORT_LIMITS.text ? data.length : undefined;
    const src = cut ? data.slice(0, REPORT_LIMITS.text) : data;
    const out: ReportText = { text: '' };
    const kind = keptKind(src, inHeader, parent, this.labelRepeats);
    if (kind) {
      out.text = src;
      out.kept = kind;
    } else {
      const { shape, postings } = shapeWithPostings(src, (n) => this.mark(n, 'text'));
      let text = shape;
      // "Артикул: CBL-1": the field's label is the panel's, the value is shaped.
      const inline = INLINE_LABEL.exec(src);
      const status = STATUS_PREFIX.exec(src);
      if (status && isStatusWord(status[1]!)) {
        text = status[1]! + shape.slice(status[1]!.length);
        out.kept = 'status';
      } else if (inline) {
        const label = inline[1]!;
        const f = fieldOfHeader(label);
        if (f && f !== 'ignore' && !isStatusWord(label) && label.trim().split(/\s+/).length <= 4) {
          const head = inline[0]!.length;
          // "Status: Awaiting packaging": the value is a status word, the panel's too.
          text = isStatusWord(src.slice(head).trim()) ? src : label + shape.slice(label.length);
          out.kept = 'label';
        }
      }
      out.text = text;
      const pieces = postings ? undefined : this.pieces(t);
      if (pieces) out.pieces = pieces;
      if (postings) {
        out.postings = postings;
        for (const [, o] of postings) if (!this.firstText.has(o) && parent) this.firstText.set(o, { text: data, el: parent });
      }
    }
    if (cut) out.cut = cut;
    return out;
  }

  /**
   * Where a short digits-and-hyphens text is a piece of a number split over
   * elements, as the reader joins them (panel/anchors.ts fragmentNumber): the
   * nearest ancestor, up to three levels, whose short text holds a number
   * that no single text node of it holds whole.
   */
  pieces(t: Text): [number, number, number, number][] | undefined {
    const data = t.data;
    if (data.length >= 15 || !FRAGMENT.test(data)) return undefined;
    let el = t.parentElement;
    for (let up = 0; el && up < 3; up++, el = el.parentElement) {
      if ((el.textContent ?? '').length > 80) return undefined;
      let clean = '';
      const map: [Text, number][] = [];
      const texts: Text[] = [];
      const tw = el.ownerDocument.createTreeWalker(el, 4);
      for (let n = tw.nextNode() as Text | null; n; n = tw.nextNode() as Text | null) {
        texts.push(n);
        for (let i = 0; i < n.data.length; i++) {
          if (n.data[i] === '\u200b') continue;
          clean += n.data[i];
          map.push([n, i]);
        }
      }
      const m = POSTING_ONE.exec(clean);
      if (!m) continue;
      if (texts.some((n) => n.data.includes(m[0]))) return undefined;
      const ord = this.mark(m[0], 'text');
      if (!this.firstText.has(ord)) this.firstText.set(ord, { text: m[0], el });
      const out: [number, number, number, number][] = [];
      for (let k = m.index; k < m.index + m[0].length; k++) {
        const [node, off] = map[k]!;
        if (node !== t) continue;
        const last = out[out.length - 1];
        if (last && last[0] + last[3] === off && last[2] + last[3] === k - m.index) last[3]++;
        else out.push([off, ord, k - m.index, 1]);
      }
      return out.length ? out : undefined;
    }
    return undefined;
  }

  element(el: Element, depth: number, inHeader: boolean): ReportElement {
    this.nodes++;
    const node: ReportElement = { tag: el.tagName.toLowerCase() };
    const header =
      inHeader || el.tagName === 'TH' || el.tagName === 'THEAD' || HEADER_ROLES.has(el.getAttribute('role') ?? '') || this.headers.has(el) || headerRow(el);
    const names: string[] = [];
    let n = 0;
    for (const a of Array.from(el.attributes)) {
      if (++n > REPORT_LIMITS.attributes) break;
      const name = a.name.toLowerCase();
      if (name === 'class') {
        const c = a.value.trim();
        if (c) node.class = c.length > REPORT_LIMITS.classLength ? c.slice(0, REPORT_LIMITS.classLength) : c;
      } else if (name === 'role') {
        node.role = a.value.slice(0, 40);
      } else if (name.startsWith('aria-') || name.startsWith('data-')) {
        const v = a.value;
        if (/^\d{1,3}$/.test(v) || ARIA_WORDS.test(v) || v === '') {
          (node.values ??= {})[name] = v;
        } else {
          const { shape, postings } = shapeWithPostings(v.slice(0, REPORT_LIMITS.text), (num) => this.mark(num, 'attribute'));
          (node.values ??= {})[name] = isStatusWord(v) ? v : shape;
          if (postings) (node.valuePostings ??= {})[name] = postings;
        }
      } else if (name === 'type' && (el.tagName === 'INPUT' || el.tagName === 'BUTTON') && INPUT_TYPES.test(a.value)) {
        (node.values ??= {})[name] = a.value.toLowerCase();
      } else if ((name === 'colspan' || name === 'rowspan') && /^\d{1,2}$/.test(a.value)) {
        (node.values ??= {})[name] = a.value;
      } else {
        names.push(name);
        if (name === 'href' && el.tagName === 'A') {
          const m = POSTING_NUMBER_IN_HREF.exec(a.value.slice(0, 2000));
          if (m) node.link = this.mark(m[1]!, 'link');
        }
      }
    }
    if (names.length) node.attrs = names;

    const kids: ReportNode[] = [];
    let omitted = 0;
    if (OPAQUE.has(el.tagName)) {
      omitted = el.childNodes.length;
    } else if (depth >= REPORT_LIMITS.depth) {
      omitted = el.childNodes.length;
      if (omitted) this.truncDepth = true;
    } else {
      for (let c = el.firstChild; c; c = c.nextSibling) {
        if (this.nodes >= REPORT_LIMITS.nodes) {
          this.truncNodes = true;
          omitted++;
          continue;
        }
        if (c.nodeType === 3) {
          this.nodes++;
          kids.push(this.text(c as Text, header));
        } else if (c.nodeType === 1) {
          if (isOwn(c as Element)) continue;
          kids.push(this.element(c as Element, depth + 1, header));
        }
      }
    }
    if (kids.length) node.children = kids;
    if (omitted) node.omitted = omitted;
    return node;
  }
}

/**
 * A header row the reader would not find for want of rows (the layout-changed
 * page): at least 3 short, digit-free cells naming fields (panel/columns.ts),
 * at least 60 % of its non-empty cells, three of them fields the reader reads. A card's label/value pairs carry
 * digits and values, so it is not one.
 */
function headerRow(el: Element): boolean {
  const n = el.childElementCount;
  if (n < 3 || n > 60) return false;
  let read = 0;
  let named = 0;
  let filled = 0;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    const t = (c.textContent ?? '').trim();
    if (!t) continue;
    filled++;
    if (t.length <= 40 && !/\p{N}/u.test(t)) {
      const f = fieldOfHeader(t);
      if (f) named++;
      if (f && f !== 'ignore') read++;
    }
  }
  // "ignore" headers (buyer, address, warehouse) are header words too; three must name fields the reader reads.
  return read >= 3 && named * 10 >= filled * 6;
}

export function urlPart(url: string, w: Walker): ReportUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { origin: '', path: '', query: [] };
  }
  const segs = u.pathname.split('/').map((s) => {
    let d = s;
    try {
      d = decodeURIComponent(s);
    } catch {
      /* keep it raw */
    }
    return d;
  });
  let path = '';
  const pathPostings: [number, number][] = [];
  segs.forEach((s, i) => {
    if (i > 0) path += '/';
    // Route names (app, postings, fbs) are the panel's; anything else is shaped.
    if (/^[A-Za-z_.-]*$/.test(s)) path += s;
    else {
      if (POSTING_NUMBER_EXACT.test(s)) pathPostings.push([path.length, w.mark(s, 'url')]);
      path += shapeText(s);
    }
  });
  const query: ReportUrl['query'] = [];
  for (const [k, v] of u.searchParams) {
    if (query.length >= 40) break;
    const key = QUERY_KEY.test(k) ? k : shapeText(k).slice(0, 64);
    const entry: ReportUrl['query'][number] = { key };
    if (k === 'tab' && (v === 'all' || tabStatusOf(v))) entry.value = v;
    else if (POSTING_NUMBER_EXACT.test(v.trim())) {
      entry.value = shapeText(v.trim());
      entry.posting = w.mark(v.trim(), 'url');
    }
    query.push(entry);
  }
  const out: ReportUrl = { origin: u.origin, path, query };
  if (pathPostings.length) out.pathPostings = pathPostings;
  return out;
}

/** Short header-like texts (panel/columns.ts names a field in them) and how often each occurs, in one pass. */
export function labelCounts(root: Element): Map<string, number> {
  const out = new Map<string, number>();
  const tw = root.ownerDocument.createTreeWalker(root, 4);
  let seen = 0;
  for (let n = tw.nextNode(); n && seen < REPORT_LIMITS.nodes * 4; n = tw.nextNode(), seen++) {
    const t = (n as Text).data.trim();
    if (!t || t.length > 60 || /\p{N}/u.test(t) || !fieldOfHeader(t)) continue;
    out.set(t, (out.get(t) ?? 0) + 1);
  }
  return out;
}
