/**
 * Popup-side formatting: dates, countdowns and rule-derived words, all
 * through lib/i18n so the three languages get their own numbers and plurals.
 *
 * Moscow time is computed from the rulebook's offset (T1), not from the
 * 'Europe/Moscow' zone database, so an edited offset shows everywhere.
 */
import { LANG_TAG, lang, t, has, fmtNumber } from '../../lib/i18n';
import type { Rulebook } from '../../rules/rulebook';
import type { Level, Status } from '../../rules/types';
import { reasonInfo, reasonTitle } from '../../rules/reasons';

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang()}|${JSON.stringify(opts)}`;
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LANG_TAG[lang()], opts);
    dtfCache.set(key, f);
  }
  return f;
}

function moscowShifted(iso: string | number, rb: Rulebook): Date {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return new Date(ms + rb.time.moscowOffsetMinutes.value * 60_000);
}

/** "2 Nov" / "2 нояб." / "11月2日" — a Moscow calendar day. */
export function fmtDay(iso: string | number, rb: Rulebook): string {
  return dtf({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(moscowShifted(iso, rb));
}

/** A 'YYYY-MM-DD' calendar day (already Moscow) as "2 Nov". */
export function fmtCalendarDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return dtf({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** "21 Nov, 14:30 MSK" (T1). */
export function fmtMoscow(iso: string, rb: Rulebook, hour12 = false): string {
  const when = dtf({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12, timeZone: 'UTC' }).format(
    moscowShifted(iso, rb),
  );
  return t('popup_time_msk', when);
}

/** The same instant in the seller's own zone (T2): settings.secondZone, or the browser's. */
export function fmtOwnZone(iso: string, zone: string, hour12 = false): string {
  const timeZone = zone && zone !== 'auto' ? zone : undefined;
  try {
    return dtf({
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12,
      timeZone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return dtf({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12, timeZoneName: 'short' }).format(
      new Date(iso),
    );
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A live countdown: "1:05:09" under a day, "2 d 3 h" beyond; past the
 * deadline the same figure with a minus sign (the level word says overdue).
 */
export function fmtCountdown(msLeft: number): string {
  const neg = msLeft < 0;
  const total = Math.floor(Math.abs(msLeft) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body = d > 0 ? t('popup_dur_dh', fmtNumber(d), fmtNumber(h)) : `${h}:${pad(m)}:${pad(s)}`;
  return neg ? `−${body}` : body;
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
