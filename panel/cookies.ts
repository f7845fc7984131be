/**
 * The few cookies the reader needs (docs/ozon-domain.md §2.3): the panel's own time
 * zone (T3), the store (company) id, and its language. Reads a
 * `document.cookie`-style string; never throws.
 */
import { parseTzCookie } from '../rules';
import type { PageInfo, ReadContext } from './types';

export interface PanelCookies {
  /** T3: `x-o3-timezone`, minutes with getTimezoneOffset's sign (-480 = UTC+8). */
  tzOffsetMinutes?: number;
  /** `sc_company_id`: the store the panel shows. */
  storeId?: string;
  /** `x-o3-language`: ru, en, zh-Hans. */
  language?: string;
}

/** One cookie's value by name, URL-decoded where it is encoded; undefined when absent. */
export function cookieValue(cookie: string | null | undefined, name: string): string | undefined {
  if (typeof cookie !== 'string' || cookie.length === 0) return undefined;
  // A cookie string longer than the browser would ever send is not a real one.
  const text = cookie.length > 16384 ? cookie.slice(0, 16384) : cookie;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let v = part.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    try {
      v = decodeURIComponent(v);
    } catch {
      /* keep the raw value */
    }
    return v;
  }
  return undefined;
}

const LANG = /^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/;

export function readPanelCookies(cookie: string | null | undefined): PanelCookies {
  const out: PanelCookies = {};
  const tz = cookieValue(cookie, 'x-o3-timezone');
  if (tz !== undefined) {
    const minutes = parseTzCookie(tz);
    if (minutes !== undefined) out.tzOffsetMinutes = minutes;
  }
  const company = cookieValue(cookie, 'sc_company_id');
  if (company && /^\d{1,20}$/.test(company)) out.storeId = company;
  const lang = cookieValue(cookie, 'x-o3-language');
  if (lang && LANG.test(lang)) out.language = lang;
  return out;
}

/** The reader's context from the page's facts. */
export function readContext(page: PageInfo, cookie: string | null | undefined): ReadContext {
  const c = readPanelCookies(cookie);
  const ctx: ReadContext = { page };
  if (c.tzOffsetMinutes !== undefined) ctx.tzOffsetMinutes = c.tzOffsetMinutes;
  if (c.storeId !== undefined) ctx.storeId = c.storeId;
  if (c.language !== undefined) ctx.language = c.language;
  return ctx;
}
