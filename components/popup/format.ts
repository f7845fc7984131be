/**
 * Popup-side formatting: dates, countdowns and rule-derived words, all
 * through lib/i18n so the three languages get their own numbers and plurals.
 *
 * Moscow time is computed from the rulebook's offset (T1), not from the
 * 'Europe/Moscow' zone database, so an edited offset shows everywhere.
 */
import { formatCountdown } from '../badge/countdown';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import 'dayjs/locale/ru';
import 'dayjs/locale/zh-cn';
import { lang, t, has, type Lang } from '../../lib/i18n';
import type { Rulebook } from '../../rules';
import type { Level, Status } from '../../rules';
import { reasonInfo, reasonTitle } from '../../rules';

// dayjs does the popup's calendar formatting: month names per language, zones by IANA name.
// (The content script and the rules engine use epoch arithmetic and Intl instead, to stay
// within the page's size and speed budget; the popup has no such budget.)
dayjs.extend(utc);
dayjs.extend(timezone);

const DAYJS_LOCALE: Record<Lang, string> = { en: 'en', ru: 'ru', zh_CN: 'zh-cn' };

/** The date patterns are messages too: "D MMM" reads "2 Nov" / "2 нояб.", Chinese wants "11月2日". */
function pattern(withTime: boolean, hour12: boolean): string {
  if (!withTime) return t('popup_fmt_day');
  return t(hour12 ? 'popup_fmt_datetime12' : 'popup_fmt_datetime');
}

function moscow(iso: string | number, rb: Rulebook): dayjs.Dayjs {
  // The rulebook's offset (T1), not the zone database: an edited offset shows everywhere.
  return dayjs.utc(iso).utcOffset(rb.time.moscowOffsetMinutes.value).locale(DAYJS_LOCALE[lang()]);
}

/** "2 Nov" / "2 нояб." / "11月2日" — a Moscow calendar day. */
export function fmtDay(iso: string | number, rb: Rulebook): string {
  const d = moscow(iso, rb);
  return d.isValid() ? d.format(pattern(false, false)) : '';
}

/** A 'YYYY-MM-DD' calendar day (already Moscow) as "2 Nov". */
export function fmtCalendarDay(day: string): string {
  const d = dayjs.utc(day);
  // dayjs rolls "2026-13-40" over to a real date; a round trip tells a real day from that.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !d.isValid() || d.format('YYYY-MM-DD') !== day) return day;
  return d.locale(DAYJS_LOCALE[lang()]).format(pattern(false, false));
}

/** "21 Nov, 14:30 MSK" (T1). */
export function fmtMoscow(iso: string, rb: Rulebook, hour12 = false): string {
  const d = moscow(iso, rb);
  return d.isValid() ? t('popup_time_msk', d.format(pattern(true, hour12))) : '';
}

/** The same instant in the seller's own zone (T2): settings.secondZone, or the browser's, with its UTC offset. */
export function fmtOwnZone(iso: string, zone: string, hour12 = false): string {
  const base = dayjs.utc(iso);
  if (!base.isValid()) return '';
  let d: dayjs.Dayjs;
  try {
    d = base.tz(zone && zone !== 'auto' ? zone : dayjs.tz.guess());
  } catch {
    d = base.local(); // an unknown zone name: the machine's own
  }
  d = d.locale(DAYJS_LOCALE[lang()]);
  return `${d.format(pattern(true, hour12))} (UTC${d.format('Z')})`;
}

/**
 * A live countdown in the badge's own words ("20m 00s", "5h 12m", "2d 3h",
 * "overdue 12m"): one duration form per language across badge, card, chip
 * list and popup; never "0:23:59", which reads like a clock time.
 */
export function fmtCountdown(msLeft: number): string {
  return formatCountdown(msLeft);
}

/** A rule-id sentence from the options' catalogue (H6) when present, for titles. */
export function ruleTitle(id: string): string {
  const k = `rule_${id}`;
  return has(k) ? `${id}: ${t(k)}` : id;
}

export function levelWord(level: Level): string {
  return t(`popup_level_${level}`);
}

export function statusWord(status: Status): string {
  const k = `status_${status}`;
  return has(k) ? t(k) : status.replace(/_/g, ' ');
}

/** A reason code in words: the rules module's own titles (C03/C07/C11, Ozon's ids) in the current language. */
export function reasonName(code: string, fallbackText?: string): string {
  if (code === 'unknown') return t('popup_reason_unknown');
  if (reasonInfo(code)) return reasonTitle(code, lang());
  if (fallbackText) return fallbackText;
  return t('popup_reason_other', code);
}

export function deadlineWord(kind: string): string {
  return t(`popup_deadline_${kind}`);
}

/** Percent for data attributes: exactly two decimals, never locale-formatted (contract §4). */
export function rateAttr(pct: number): string {
  return (Number.isFinite(pct) ? pct : 0).toFixed(2);
}
