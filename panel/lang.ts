/**
 * Whose language "auto" means on a panel page: the panel's own (docs/real-panel.md,
 * the `x-o3-language` cookie — ru, en, zh-Hans — else `<html lang>`), so a Chinese
 * panel in an English browser gets Chinese badges. Off the panel (popup, options)
 * "auto" stays the browser's language. Pure: the caller passes the page's facts.
 */
import type { Lang } from '../lib/i18n';

/** One of our languages for a BCP-47-ish tag (`zh-Hans`, `zh-CN`, `ru-RU`, `en`); null when not ours. */
export function ourLangOf(tag: string | null | undefined): Lang | null {
  if (typeof tag !== 'string') return null;
  const t = tag.trim().toLowerCase();
  if (!/^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/.test(t)) return null;
  const primary = t.split(/[-_]/)[0];
  if (primary === 'zh') return 'zh_CN';
  if (primary === 'ru') return 'ru';
  if (primary === 'en') return 'en';
  return null;
}

/** The panel's language: the cookie first (the panel's own setting), then `<html lang>`; null when neither is ours. */
export function panelLang(cookieLang: string | null | undefined, htmlLang: string | null | undefined): Lang | null {
  return ourLangOf(cookieLang) ?? ourLangOf(htmlLang);
}

/**
 * The language to show on a panel page: an explicit setting wins; "auto" follows the
 * panel; null means "the browser's own" (the served messages, no table to load).
 */
export function contentLang(setting: string, cookieLang: string | null | undefined, htmlLang: string | null | undefined): Lang | null {
  if (setting === 'en' || setting === 'ru' || setting === 'zh_CN') return setting;
  return panelLang(cookieLang, htmlLang);
}
