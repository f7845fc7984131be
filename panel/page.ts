/**
 * What a Seller Panel URL tells the reader: whether it is an orders list,
 * which fulfilment scheme, which tab, and which posting a drawer or a detail
 * page is about. Pure: takes the URL as a string (the SPA changes it without
 * reloading, so the content script passes `location.href` each time).
 *
 * Scheme (docs/ozon-domain.md §2.1): `/app/postings/fbs` is FBS and `/fbo` FBO.
 * `/app/postings/crossborder/fbs` is the cross-border (Ozon Global) sellers'
 * own-warehouse list; the knowledge base describes those sellers as working
 * on rFBS (they ship with their own or partner carriers, §4.2), so it maps to
 * 'rFBS'. D2 treats rFBS like FBS, so the choice only changes what the card
 * names; a posting's own `delivery_schema` from the JSON still wins (json.ts).
 * `/app/postings/crossborder/fbo` is FBO.
 */
import type { Scheme, Status } from '../rules';
import type { PageInfo } from './types';
import { DEFAULT_PANEL_ORIGIN } from './origins';
import { POSTING_NUMBER_EXACT } from '../rules';

/**
 * `tab=` values and the one status each implies. `all` implies none; so do
 * tabs we have not seen (never a guess, L3). The first seven are the panel's
 * (§2.1); the rest are the API's status aliases, which deep links also use.
 */
const TAB_STATUS: Record<string, Status | null> = {
  all: null,
  awaiting_packaging: 'awaiting_packaging',
  awaiting_deliver: 'awaiting_shipment',
  delivering: 'in_transit',
  arbitration: 'disputed',
  delivered: 'delivered',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  awaiting_approve: 'awaiting_confirmation',
  awaiting_registration: 'awaiting_shipment',
  acceptance_in_progress: 'awaiting_shipment',
  driver_pickup: 'picked_up',
  sent_by_seller: 'picked_up',
  not_accepted: 'disputed',
  client_arbitration: 'disputed',
};

const POSTINGS_PATH = /^\/app\/postings\/(?:(crossborder)\/)?(fbs|fbo)(?:\/([^/?#]+))?\/?$/i;

function cleanNumber(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  let s = v;
  try {
    s = decodeURIComponent(v);
  } catch {
    /* keep the raw value */
  }
  s = s.trim();
  return POSTING_NUMBER_EXACT.test(s) ? s : undefined;
}

/** The status a `tab=` value implies, or undefined (`all`, unknown tabs). */
export function tabStatusOf(tab: string | undefined): Status | undefined {
  if (!tab) return undefined;
  const key = tab.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(TAB_STATUS, key) ? (TAB_STATUS[key] ?? undefined) : undefined;
}

/** A URL on an orders list's path, split up; null for anything unparseable or on another path. */
interface PostingsPath {
  u: URL;
  scheme: Scheme;
  crossborder: boolean;
  /** A trailing segment: a detail page's posting number, or '' for one we do not know (a sub-page, not an orders list). */
  segment?: string;
}

function postingsPath(url: string): PostingsPath | null {
  let u: URL;
  try {
    // A relative URL is read against the panel's default origin (panel/origins.ts, the one list).
    u = new URL(String(url), `${DEFAULT_PANEL_ORIGIN}/`);
  } catch {
    return null;
  }
  const m = POSTINGS_PATH.exec(u.pathname);
  if (!m) return null;
  const crossborder = !!m[1];
  const kind = m[2]!.toLowerCase();
  const scheme: Scheme = kind === 'fbo' ? 'FBO' : crossborder ? 'rFBS' : 'FBS';
  return { u, scheme, crossborder, ...(m[3] !== undefined && { segment: cleanNumber(m[3]) ?? '' }) };
}

/**
 * `pageInfo(url).isPostings` alone: what the content script's bootstrap asks on every panel page
 * (components/overlay/boot.ts), without the tab table and query reading the overlay needs.
 */
export function isPostingsUrl(url: string): boolean {
  const p = postingsPath(url);
  return !!p && p.segment !== '';
}

/**
 * Reads a panel URL. Never throws: anything unparseable, off-panel or not an
 * orders page is `isPostings: false` (scheme 'FBS' as a harmless default).
 */
export function pageInfo(url: string): PageInfo {
  const p = postingsPath(url);
  if (!p) return { isPostings: false, scheme: 'FBS', crossborder: false };
  const { u, scheme, crossborder } = p;
  if (p.segment === '') return { isPostings: false, scheme, crossborder };
  const info: PageInfo = { isPostings: true, scheme, crossborder };
  if (p.segment) info.detailsPosting = p.segment;
  const tab = u.searchParams.get('tab');
  if (tab) {
    info.tab = tab;
    const st = tabStatusOf(tab);
    if (st) info.tabStatus = st;
  }
  const details = cleanNumber(u.searchParams.get('postingDetails'));
  if (details) info.detailsPosting = details;
  const filter = cleanNumber(u.searchParams.get('postingNumber'));
  if (filter) info.filterPosting = filter;
  return info;
}
