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

/**
 * Reads a panel URL. Never throws: anything unparseable, off-panel or not an
 * orders page is `isPostings: false` (scheme 'FBS' as a harmless default).
 */
export function pageInfo(url: string): PageInfo {
  let u: URL;
  try {
    // A relative URL is read against the panel's default origin (panel/origins.ts, the one list).
    u = new URL(String(url), `${DEFAULT_PANEL_ORIGIN}/`);
  } catch {
    return { isPostings: false, scheme: 'FBS', crossborder: false };
  }
  const m = POSTINGS_PATH.exec(u.pathname);
  if (!m) return { isPostings: false, scheme: 'FBS', crossborder: false };
  const crossborder = !!m[1];
  const kind = m[2]!.toLowerCase();
  const scheme: Scheme = kind === 'fbo' ? 'FBO' : crossborder ? 'rFBS' : 'FBS';
  const info: PageInfo = { isPostings: true, scheme, crossborder };
  // A trailing segment is either a detail page's posting number or something
  // we do not know (a sub-page): the latter is not an orders list.
  if (m[3] !== undefined) {
    const n = cleanNumber(m[3]);
    if (!n) return { isPostings: false, scheme, crossborder };
    info.detailsPosting = n;
  }
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
