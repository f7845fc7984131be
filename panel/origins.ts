/**
 * Every origin the Seller Panel is served from, in ONE list. The manifest's
 * host permissions (wxt.config.ts), both content scripts' `matches`, the
 * permission test (test/security/manifest.test.ts) and the README take it
 * from here; widening it is a deliberate edit of this file, in review.
 *
 * Why three (docs/real-panel.md "Origins"): `seller.ozon.ru` is the panel;
 * since 2026 it is also served at `seller.ozonru.cn` (the "China route"
 * Chinese sellers are moved to), and panel tools also target
 * `seller.ozon.kz`. The same app, the same company ids: a store is the same
 * store on any of them, so nothing keyed by store includes the origin.
 *
 * Pure (no DOM, no browser API): importable from wxt.config.ts, the
 * background, the popup and the content scripts alike.
 */
import type { Scheme } from '../rules';

export const PANEL_ORIGINS = ['https://seller.ozon.ru', 'https://seller.ozonru.cn', 'https://seller.ozon.kz'] as const;
export type PanelOrigin = (typeof PANEL_ORIGINS)[number];

/** Where a record that never said otherwise (history from before origins were kept, a CSV import) opens. */
export const DEFAULT_PANEL_ORIGIN: PanelOrigin = PANEL_ORIGINS[0];

/** The match patterns: host permissions and content-script `matches`. */
export const PANEL_MATCHES: string[] = PANEL_ORIGINS.map((o) => `${o}/*`);

/** Exactly one of the listed origins (string equality: no port, no other scheme, no look-alike host). */
export function isPanelOrigin(x: unknown): x is PanelOrigin {
  return typeof x === 'string' && (PANEL_ORIGINS as readonly string[]).includes(x);
}

/** The panel origin a URL is on, or undefined for anything else (never throws). */
export function panelOriginOf(url: unknown): PanelOrigin | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  try {
    const o = new URL(url).origin;
    return isPanelOrigin(o) ? o : undefined;
  } catch {
    return undefined;
  }
}

/** A stored origin read back: one of the list, else the default. */
export function panelOriginOr(x: unknown, fallback: PanelOrigin = DEFAULT_PANEL_ORIGIN): PanelOrigin {
  return isPanelOrigin(x) ? x : fallback;
}

export interface PostingLinkOptions {
  /** The origin the posting was seen on; anything not in PANEL_ORIGINS falls back to the default. */
  origin?: string;
  /** The store's lists are the cross-border ones (/app/postings/crossborder/…). */
  crossborder?: boolean;
}

/**
 * The posting in the panel, the one way every link is built (popup at-risk
 * list, notifications, CSV exports): FBS / rFBS open the list with the
 * posting's drawer, FBO has a page per posting; cross-border stores have
 * their own section (docs/real-panel.md "Origins and routes").
 */
export function postingUrl(order: { postingNumber: string; scheme?: Scheme }, opts: PostingLinkOptions = {}): string {
  const origin = panelOriginOr(opts.origin);
  const n = encodeURIComponent(order.postingNumber);
  const cb = opts.crossborder ? '/crossborder' : '';
  if (order.scheme === 'FBO') return `${origin}/app/postings${cb}/fbo/${n}`;
  return opts.crossborder
    ? `${origin}/app/postings/crossborder/fbs?tab=all&postingNumber=${n}&postingDetails=${n}`
    : `${origin}/app/postings/fbs?postingDetails=${n}`;
}

/** The orders list of a store on an origin (the "and N more" notification). */
export function postingsListUrl(opts: PostingLinkOptions = {}): string {
  return `${panelOriginOr(opts.origin)}/app/postings${opts.crossborder ? '/crossborder' : ''}/fbs`;
}
