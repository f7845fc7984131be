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
import { findRows, readRow } from './rows';
import { MAX_ANCHOR_REST, MAX_ANCHOR_TEXT } from './anchors';
import { rowCells } from './columns';
import { shapeText } from './shape';
import type { KeyShape } from './report-json';
import type { ReadContext, RowRead } from './types';
import type { Order } from '../rules';
import { POSTING_SHAPE_ANYWHERE } from '../rules';
import { REPORT_LIMITS, Walker, isOwn, labelCounts, urlPart, type ReportElement, type ReportUrl } from './report-walk';

export { REPORT_LIMITS, type ReportElement, type ReportNode, type ReportText, type ReportUrl } from './report-walk';

export const REPORT_FORMAT = 'ozon-order-guard/page-report';
export const REPORT_VERSION = 1;

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
  url: ReportUrl;
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

const LIVE_ROLES = new Set(['alert', 'status', 'log', 'marquee', 'timer', 'alertdialog']);

function minuteIso(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? Math.floor(ms / 60_000) * 60_000 : 0);
  return d.toISOString();
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

/** Why a number shown in text made no row: the reader's own limits (panel/anchors.ts, panel/rows.ts), in its order. */
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

/** The page report of a document as the reader sees it. Never throws on page content. */
export function buildPageReport(input: ReportInput): PageReport {
  const { doc, ctx } = input;
  const root: Element = doc.body ?? doc.documentElement;
  const rows = findRows(root, ctx);
  const { reads, headers } = readRows(rows, ctx, input.jsonFor);
  const w = new Walker(headers, labelCounts(root), rows.length);
  // The URL first: a detail page's number is ordinal 1, as on the page.
  const url = urlPart(input.url, w);
  // Ordinals follow document order for the rows' own numbers; the walk below assigns the rest.
  const rowNumbers = new Map<Element, string>();
  for (const [row, read] of reads) if (read) rowNumbers.set(row, read.order.postingNumber);
  const dom = w.element(doc.documentElement, 0, false);
  if (rows.length) markRows(doc.documentElement, dom, rowNumbers, w);
  const candidates = candidatesOf(w, rows, reads, rowNumbers);

  const shownInPage = candidates.filter((c) => c.seenIn.includes('text') || c.seenIn.includes('link')).length;
  const recognised = candidates.filter((c) => c.recognised).length;
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    savedAt: minuteIso(input.now),
    extension: { version: input.extensionVersion },
    browser: { language: input.language, timeZone: input.timeZone },
    reader: readerOf(ctx.tzOffsetMinutes, input.readerZone),
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

/** Each row as the reader reads it, and the header row each one's cells hang under. */
function readRows(
  rows: Element[],
  ctx: ReadContext,
  jsonFor: ReportInput['jsonFor'],
): { reads: Map<Element, RowRead | null>; headers: Set<Element> } {
  const reads = new Map<Element, RowRead | null>();
  const headers = new Set<Element>();
  for (const row of rows) {
    const read = readRow(row, ctx, jsonFor);
    reads.set(row, read);
    try {
      const h = rowCells(row).header;
      if (h) headers.add(h.el);
    } catch {
      /* no header: the row is read by labels */
    }
  }
  return { reads, headers };
}

/** Rows are marked after the walk gave every shown number its ordinal; a second, cheap pass sets `rowOf`. */
function markRows(docEl: Element, dom: ReportElement, rowNumbers: Map<Element, string>, w: Walker): void {
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
  index(docEl, dom);
  for (const [row, num] of rowNumbers) {
    const o = w.ordinalOf(num);
    const node = nodeOf.get(row);
    if (node) node.rowOf = o;
  }
}

/** One conclusion per number shown: the row it made, or why it made none. */
function candidatesOf(w: Walker, rows: Element[], reads: Map<Element, RowRead | null>, rowNumbers: Map<Element, string>): ReportCandidate[] {
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
  return candidates;
}

/** T3: the zone the reader read times in, and why: the overlay's decision, else the panel's cookie, else Moscow. */
function readerOf(tz: number | undefined, rz: ReportInput['readerZone']): PageReport['reader'] {
  const utc = (east: number) => `UTC${east >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(east) / 60)).padStart(2, '0')}:${String(Math.abs(east) % 60).padStart(2, '0')}`;
  return rz
    ? { timeZone: utc(rz.east), source: rz.basis, ...(rz.rows !== undefined && { rows: rz.rows }) }
    : tz !== undefined
      ? { timeZone: utc(-tz), source: 'cookie' }
      : { timeZone: 'Europe/Moscow', source: 'rulebook-default' };
}

/** The report's file name: `ozon-order-guard-report-<YYYY-MM-DD>.json` (the seller's own calendar day). */
export function reportFileName(now: number, zoneOffsetMinutes = new Date(now).getTimezoneOffset()): string {
  const d = new Date(now - zoneOffsetMinutes * 60_000);
  return `ozon-order-guard-report-${d.toISOString().slice(0, 10)}.json`;
}
