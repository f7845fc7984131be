/**
 * The page report: what a seller can send when the panel's markup changed
 * and no order row is recognised (docs/real-panel.md: nobody on the team can
 * see the live panel, so the page itself has to tell us). It holds the page's
 * STRUCTURE, not its content:
 *
 * - every element's tag name, class names, role and attribute NAMES; attribute
 *   values are dropped except `class`, `role`, `aria-*` / `data-*` (shaped like
 *   text, or kept when they are a small number / a fixed ARIA word such as
 *   `aria-colindex="3"`, `aria-selected="true"`), an input's `type` and a
 *   cell's `colspan` / `rowspan` (they change what the reader counts);
 * - every text replaced by its shape (panel/shape.ts), except column-header
 *   words (in a header cell or header row, or a field label, as
 *   panel/columns.ts `fieldOfHeader` names them) and status words
 *   (rules/status.ts `isStatusWord`): those are the panel's words;
 * - where posting numbers were, as ordinals (number 1, 2, … of the page) —
 *   never the number itself — so a fixture page rebuilt from the report
 *   (scripts/fixture.mjs) puts one number back wherever the page showed one;
 * - the URL's path (shaped where it holds digits) and query keys (a value only
 *   for `tab=` when it is one of the panel's tab names);
 * - what the reader concluded for each posting number: which row, recognised
 *   or not and why, the status and which fields it read (names, no values);
 * - the panel API paths the page answered with the KEY structure of their
 *   JSON (panel/report-json.ts), the extension version, the browser's
 *   language and time zone, and the zone the reader read times in (T3).
 *
 * No text value, no attribute value, no input value, no cookie, no buyer data.
 * Pure: takes a Document (happy-dom in tests) and plain facts.
 */
import { findRows, readRow, MAX_ANCHOR_REST, MAX_ANCHOR_TEXT } from './rows';
import { fieldOfHeader, rowCells } from './columns';
import { tabStatusOf } from './page';
import { shapeText, shapeWithPostings } from './shape';
import type { KeyShape } from './report-json';
import type { ReadContext, RowRead } from './types';
import { isStatusWord } from '../rules/status';
import type { Order } from '../rules/types';
import { POSTING_NUMBER_EXACT, POSTING_NUMBER_IN_HREF, POSTING_NUMBER_WORD_SOURCE, POSTING_SHAPE_ANYWHERE } from '../rules/posting-number';

export const REPORT_FORMAT = 'ozon-order-guard/page-report';
export const REPORT_VERSION = 1;

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

export type CandidateReason =
  | 'recognised'
  | 'row-not-read'
  | 'second-number-of-another-row'
  | 'text-too-long'
  | 'inside-a-sentence'
  | 'in-a-live-region'
  | 'only-in-attributes'
  | 'no-row-structure';

export interface ReportCandidate {
  /** The number's shape (`99999999-9999-9`); `ordinal` says which of the page's numbers it is. */
  posting: string;
  ordinal: number;
  /** Where the page shows it. */
  seenIn: ('text' | 'link' | 'attribute' | 'url')[];
  recognised: boolean;
  reason: CandidateReason;
  /** The row element's tag / role / class, when a row was found. */
  row?: { tag: string; role?: string; class?: string };
  status?: string;
  scheme?: string;
  /** The Order fields the reader filled from the row (names only). */
  fieldsRead?: string[];
}

export interface PageReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** When the report was saved (minute precision). */
  savedAt: string;
  extension: { version: string };
  browser: { language: string; timeZone: string };
  /** T3: the zone the reader read the page's zone-less times in, and why (rules/page-zone.ts). */
  reader: { timeZone: string; source: 'set' | 'learned' | 'cookie' | 'assumed' | 'rulebook-default'; rows?: number };
  url: {
    origin: string;
    /** The path, shaped where a segment holds digits (a posting number in a detail page's path: see `pathPostings`). */
    path: string;
    pathPostings?: [number, number][];
    query: { key: string; value?: string; posting?: number }[];
  };
  page: { isPostings: boolean; scheme: string; crossborder: boolean; tab?: string };
  state: { layoutChanged: boolean; postingsShown: number; rowsFound: number; rowsRecognised: number };
  apis: { path: string; keys: KeyShape }[];
  candidates: ReportCandidate[];
  dom: ReportElement;
  /** Which caps were hit. */
  truncated: { nodes: boolean; depth: boolean; postings: boolean };
  limits: typeof REPORT_LIMITS;
}

export interface ReportInput {
  doc: Document;
  url: string;
  ctx: ReadContext;
  now: number;
  extensionVersion: string;
  /** navigator.language */
  language: string;
  /** The browser's IANA zone. */
  timeZone: string;
  /** The overlay's own verdict (components/overlay/controller.ts); computed from the rows when absent. */
  layoutChanged?: boolean;
  apis?: { path: string; keys: KeyShape }[];
  /** The panel's JSON order for a posting, as the overlay reads rows with it. */
  jsonFor?: (posting: string) => Order | undefined;
  /** T3: the overlay's decision on the page's zone (components/overlay/page-zone.ts); from the cookie when absent. */
  readerZone?: { east: number; basis: 'set' | 'learned' | 'cookie' | 'assumed'; rows?: number };
}

/** Elements whose content is not page text (or is an input's value): the tag is kept, the content is not. */
const OPAQUE = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'svg', 'SVG', 'IFRAME', 'CANVAS', 'VIDEO', 'AUDIO', 'OBJECT']);
const HEADER_ROLES = new Set(['columnheader']);
const LIVE_ROLES = new Set(['alert', 'status', 'log', 'marquee', 'timer', 'alertdialog']);
const ARIA_WORDS = /^(?:true|false|mixed|none|polite|assertive|off|page|step|location|date|time|ascending|descending|other|grid|listbox|tree|dialog|menu)$/;
const INPUT_TYPES = /^(?:text|search|checkbox|radio|hidden|button|submit|reset|number|date|datetime-local|time|email|tel|url|password|file|range|color|month|week|image)$/i;
const INLINE_LABEL = /^(\s*[^:：\d]{2,40}?[^\d\s:：])(\s*[:：])/u;
/** A status word followed by a counter or a note in the same text ("Доставляется | 3", "Ожидает сборки · осталось 5 ч"). */
const STATUS_PREFIX = /^(\s*[^\d•·|(),;—–:：]{2,60}?)(?=\s*[•·|(),;—–]|\s+\d)/u;
/** A piece of a split number: digits, hyphens, spaces (panel/rows.ts FRAGMENT_RE). */
const FRAGMENT = /^[\s\u200b\d-]*\d[\s\u200b\d-]*$/;
const POSTING_ONE = new RegExp(POSTING_NUMBER_WORD_SOURCE);
/** Query keys are the panel's; a value is kept only for a tab name (it tells the status, panel/page.ts). */
const QUERY_KEY = /^[A-Za-z_][\w.-]{0,63}$/;

function isOwn(el: Element): boolean {
  return el.tagName.startsWith('OZON-GUARD') || el.hasAttribute('data-ozon-guard');
}

function minuteIso(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? Math.floor(ms / 60_000) * 60_000 : 0);
  return d.toISOString();
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

class Walker {
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
   * elements, as the reader joins them (panel/rows.ts fragmentNumber): the
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

function rowSummary(row: Element): { tag: string; role?: string; class?: string } {
  const out: { tag: string; role?: string; class?: string } = { tag: row.tagName.toLowerCase() };
  const role = row.getAttribute('role');
  if (role) out.role = role;
  const c = row.getAttribute('class');
  if (c) out.class = c.slice(0, REPORT_LIMITS.classLength);
  return out;
}

/** The Order fields a row gave (names only): what the reader could read of the row. */
function fieldsOf(o: Order): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'postingNumber' || k === 'scheme' || k === 'status' || v === undefined) continue;
    out.push(k);
  }
  return out.sort();
}

function inLiveRegion(el: Element): boolean {
  for (let e: Element | null = el; e && e.tagName !== 'BODY'; e = e.parentElement) {
    const role = e.getAttribute('role');
    const live = e.getAttribute('aria-live');
    if ((role && LIVE_ROLES.has(role)) || (live && live !== 'off')) return true;
  }
  return false;
}

/** Why a number shown in text made no row: the reader's own limits (panel/rows.ts), in its order. */
function whyNot(first: { text: string; el: Element } | undefined, seenIn: Set<string>): CandidateReason {
  if (!first) return 'only-in-attributes';
  const t = first.text;
  if (t.length > MAX_ANCHOR_TEXT) return 'text-too-long';
  const m = POSTING_SHAPE_ANYWHERE.exec(t);
  const rest = t.replace(/[\s\u00a0\u200b]+/g, ' ').trim().length - (m ? m[0].length : 0);
  if (rest > MAX_ANCHOR_REST) return 'inside-a-sentence';
  if (inLiveRegion(first.el)) return 'in-a-live-region';
  return seenIn.has('text') || seenIn.has('link') ? 'no-row-structure' : 'only-in-attributes';
}

function urlPart(url: string, w: Walker): PageReport['url'] {
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
  const query: PageReport['url']['query'] = [];
  for (const [k, v] of u.searchParams) {
    if (query.length >= 40) break;
    const key = QUERY_KEY.test(k) ? k : shapeText(k).slice(0, 64);
    const entry: PageReport['url']['query'][number] = { key };
    if (k === 'tab' && (v === 'all' || tabStatusOf(v))) entry.value = v;
    else if (POSTING_NUMBER_EXACT.test(v.trim())) {
      entry.value = shapeText(v.trim());
      entry.posting = w.mark(v.trim(), 'url');
    }
    query.push(entry);
  }
  const out: PageReport['url'] = { origin: u.origin, path, query };
  if (pathPostings.length) out.pathPostings = pathPostings;
  return out;
}

/** Short header-like texts (panel/columns.ts names a field in them) and how often each occurs, in one pass. */
function labelCounts(root: Element): Map<string, number> {
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

/** The page report of a document as the reader sees it. Never throws on page content. */
export function buildPageReport(input: ReportInput): PageReport {
  const { doc, ctx } = input;
  const root: Element = doc.body ?? doc.documentElement;
  const rows = findRows(root, ctx);
  const reads = new Map<Element, RowRead | null>();
  const headers = new Set<Element>();
  const w = new Walker(headers, labelCounts(root), rows.length);
  for (const row of rows) {
    const read = readRow(row, ctx, input.jsonFor);
    reads.set(row, read);
    try {
      const h = rowCells(row).header;
      if (h) headers.add(h.el);
    } catch {
      /* no header: the row is read by labels */
    }
  }
  // The URL first: a detail page's number is ordinal 1, as on the page.
  const url = urlPart(input.url, w);
  // Ordinals follow document order for the rows' own numbers; the walk below assigns the rest.
  const rowNumbers = new Map<Element, string>();
  for (const [row, read] of reads) if (read) rowNumbers.set(row, read.order.postingNumber);
  const dom = w.element(doc.documentElement, 0, false);
  // Rows are marked after the walk gave every shown number its ordinal; a second, cheap pass sets `rowOf`.
  const nodeOf = new Map<Element, ReportElement>();
  const index = (el: Element, node: ReportElement) => {
    nodeOf.set(el, node);
    let i = 0;
    const kids = node.children ?? [];
    for (let c = el.firstChild; c && i < kids.length; c = c.nextSibling) {
      if (c.nodeType === 3) i++;
      else if (c.nodeType === 1) {
        if (isOwn(c as Element)) continue;
        const k = kids[i++];
        if (k && 'tag' in k) index(c as Element, k);
      }
    }
  };
  if (rows.length) index(doc.documentElement, dom);
  for (const [row, num] of rowNumbers) {
    const o = w.ordinalOf(num);
    const node = nodeOf.get(row);
    if (node) node.rowOf = o;
  }

  // One conclusion per number shown.
  const rowOfNumber = new Map<string, Element>();
  for (const [row, num] of rowNumbers) if (!rowOfNumber.has(num)) rowOfNumber.set(num, row);
  const candidates: ReportCandidate[] = [];
  for (const [num, ord] of w.ordinals) {
    const seenIn = w.seen.get(ord) ?? new Set<'text'>();
    const shaped = shapeText(num);
    const c: ReportCandidate = { posting: shaped, ordinal: ord, seenIn: [...seenIn].sort(), recognised: false, reason: 'no-row-structure' };
    const row = rowOfNumber.get(num);
    if (row) {
      const read = reads.get(row)!;
      c.recognised = true;
      c.reason = 'recognised';
      c.row = rowSummary(row);
      c.status = read!.order.status;
      c.scheme = read!.order.scheme;
      c.fieldsRead = fieldsOf(read!.order);
    } else {
      const holder = rows.find((r) => {
        const first = w.firstText.get(ord);
        return first ? r.contains(first.el) : false;
      });
      if (holder && reads.get(holder)) {
        c.reason = 'second-number-of-another-row';
        c.row = rowSummary(holder);
      } else if (holder) {
        c.reason = 'row-not-read';
        c.row = rowSummary(holder);
      } else if (seenIn.size === 1 && seenIn.has('url')) {
        c.reason = 'only-in-attributes';
      } else {
        c.reason = whyNot(w.firstText.get(ord), seenIn);
      }
    }
    candidates.push(c);
  }

  const shownInPage = candidates.filter((c) => c.seenIn.includes('text') || c.seenIn.includes('link')).length;
  const recognised = candidates.filter((c) => c.recognised).length;
  const tz = ctx.tzOffsetMinutes;
  const utc = (east: number) => `UTC${east >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(east) / 60)).padStart(2, '0')}:${String(Math.abs(east) % 60).padStart(2, '0')}`;
  const rz = input.readerZone;
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    savedAt: minuteIso(input.now),
    extension: { version: input.extensionVersion },
    browser: { language: input.language, timeZone: input.timeZone },
    reader: rz
      ? { timeZone: utc(rz.east), source: rz.basis, ...(rz.rows !== undefined && { rows: rz.rows }) }
      : tz !== undefined
        ? { timeZone: utc(-tz), source: 'cookie' }
        : { timeZone: 'Europe/Moscow', source: 'rulebook-default' },
    url,
    page: {
      isPostings: ctx.page.isPostings,
      scheme: ctx.page.scheme,
      crossborder: ctx.page.crossborder,
      ...(ctx.page.tab && (ctx.page.tab === 'all' || ctx.page.tabStatus) ? { tab: ctx.page.tab } : {}),
    },
    state: {
      layoutChanged: input.layoutChanged ?? (shownInPage > 0 && recognised === 0),
      postingsShown: shownInPage,
      rowsFound: rows.length,
      rowsRecognised: [...reads.values()].filter(Boolean).length,
    },
    apis: (input.apis ?? []).slice(0, 40),
    candidates,
    dom,
    truncated: { nodes: w.truncNodes, depth: w.truncDepth, postings: w.truncPostings },
    limits: REPORT_LIMITS,
  };
}

/** The report's file name: `ozon-order-guard-report-<YYYY-MM-DD>.json` (the seller's own calendar day). */
export function reportFileName(now: number, zoneOffsetMinutes = new Date(now).getTimezoneOffset()): string {
  const d = new Date(now - zoneOffsetMinutes * 60_000);
  return `ozon-order-guard-report-${d.toISOString().slice(0, 10)}.json`;
}
