import { pageInfo } from '../../panel/page';
import { readContext } from '../../panel/cookies';
import { readRows } from '../../panel/rows';
import type { RowRead, ReadContext } from '../../panel/types';
import type { PanelFixture } from '../fixtures/panel';

/** A fixed "now" for deterministic fixtures: 2026-05-12T09:17:23.456Z. */
export const NOW = Date.UTC(2026, 4, 12, 9, 17, 23, 456);

export function cookieString(c: Record<string, string> | undefined): string {
  return Object.entries(c ?? {})
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('; ');
}

export function ctxFor(url: string, cookies?: Record<string, string>): ReadContext {
  return readContext(pageInfo(url), cookieString(cookies));
}

/** Loads a full HTML document into happy-dom's document (scripts are not run). */
export function loadHtml(html: string): Document {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  document.body.innerHTML = body.replace(/<script[\s\S]*?<\/script>/gi, '');
  return document;
}

export function readFixture(f: PanelFixture, html: string, url = f.url): RowRead[] {
  loadHtml(html);
  return readRows(document, ctxFor(url, f.cookies));
}
