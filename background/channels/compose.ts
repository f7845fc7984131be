/**
 * The text of a channel message, in the seller's language. Pure: the strings
 * come in as a Translator (a language's message table), the clock as `now`,
 * the zones and the rulebook as arguments; the links are the reminders' own
 * (built where the order was seen, on its panel origin).
 *
 * What goes out (README "Reminders on your phone"): posting number, what is
 * due and the time left, the limit in Moscow time and in the seller's zone,
 * the auto-cancel moment and the link. No buyer data ever; item prices only
 * when the seller turned them on.
 */
import type { DeadlineKind, StoreRisk } from '../../rules';
import { defaultRulebook, type Rulebook } from '../../rules';
import { formatDuration } from '../../rules';
import { formatInZone, formatMoscow } from '../../rules';
import { reasonTitle } from '../../rules';
import { LANG_TAG, type Lang, type MessageTable } from '../../lib/i18n';
import { zoneNameWith } from '../../lib/when';

export interface Translator {
  lang: Lang;
  t(key: string, ...subs: (string | number)[]): string;
  tp(key: string, count: number, ...subs: (string | number)[]): string;
}

function fill(message: string, subs: (string | number)[]): string {
  return message.replace(/\$(\d)/g, (m, d: string) => {
    const v = subs[Number(d) - 1];
    return v === undefined ? m : String(v);
  });
}

/** A Translator over one language's message table (the same $1… and key_<plural form> scheme as lib/i18n.ts). */
export function translatorFrom(lang: Lang, table: MessageTable): Translator {
  const pr = new Intl.PluralRules(LANG_TAG[lang]);
  const nf = new Intl.NumberFormat(LANG_TAG[lang], { maximumFractionDigits: 0 });
  const look = (k: string, subs: (string | number)[]) => (table[k] !== undefined ? fill(table[k]!, subs) : undefined);
  return {
    lang,
    t: (key, ...subs) => look(key, subs) ?? key,
    tp: (key, count, ...subs) => {
      const all = [nf.format(count), ...subs];
      return look(`${key}_${pr.select(count)}`, all) ?? look(`${key}_other`, all) ?? `${key}:${count}`;
    },
  };
}

/** One order at one D5 moment (background/reminders.ts's Reminder carries these fields). */
export interface ReminderItem {
  postingNumber: string;
  point: 'at_risk' | 'critical' | 'overdue';
  kind: DeadlineKind;
  rule: string;
  dueAt: string;
  autoCancelAt?: string;
  url: string;
  /** Σ item price × quantity and its currency, only when the seller turned prices on. */
  price?: { amount: number; currency: string };
}

export interface ComposeOptions {
  now: number;
  /** The seller's own zone (the second clock, T2). */
  zone: string;
  rulebook?: Rulebook;
  hour12?: boolean;
}

function durationWords(tr: Translator, ms: number): string {
  const p = formatDuration(ms);
  if (!p.valid) return '';
  const bits: string[] = [];
  if (p.style === 'dh') bits.push(tr.t('dur_d', p.d), tr.t('dur_h', p.h));
  else if (p.style === 'hm') bits.push(tr.t('dur_h', p.h), tr.t('dur_m', p.m));
  else bits.push(tr.t('dur_m', p.m));
  const s = bits.join(' ');
  return p.negative ? tr.t('dur_overdue', s) : s;
}

function both(iso: string, tr: Translator, o: ComposeOptions): { msk: string; local: string } {
  const lang = tr.lang === 'zh_CN' ? 'zh' : tr.lang;
  const f = { lang, hour12: o.hour12 ?? false };
  return { msk: formatMoscow(iso, { ...f, rulebook: o.rulebook ?? defaultRulebook }), local: formatInZone(iso, o.zone, f) };
}

function money(tr: Translator, p: { amount: number; currency: string }): string {
  try {
    return new Intl.NumberFormat(LANG_TAG[tr.lang], { style: 'currency', currency: p.currency, maximumFractionDigits: 0 }).format(p.amount);
  } catch {
    return `${p.amount} ${p.currency}`;
  }
}

const TITLE: Record<ReminderItem['point'], string> = {
  at_risk: 'notif_title_at_risk',
  critical: 'notif_title_critical',
  overdue: 'notif_title_overdue',
};

/**
 * One message for every order due at one run, soonest limit first. The title
 * is the moment's (all at one point) or "Orders need attention" (mixed).
 */
export function composeReminders(items: readonly ReminderItem[], tr: Translator, o: ComposeOptions): { text: string; markdown: string } {
  const sorted = [...items].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.postingNumber.localeCompare(b.postingNumber));
  const points = new Set(sorted.map((i) => i.point));
  const title = points.size === 1 ? tr.t(TITLE[sorted[0]!.point]) : tr.t('notif_more_title');
  const head = `${tr.t('extName')} · ${title}`;
  const text: string[] = [head];
  const md: string[] = [`**${head}**`];
  for (const i of sorted) {
    const kind = tr.t(`notif_kind_${i.kind}`);
    const left = Date.parse(i.dueAt) - o.now;
    const line =
      i.point === 'overdue' || left <= 0 ? tr.t('notif_passed', i.postingNumber, kind, i.rule) : tr.t('notif_left', i.postingNumber, durationWords(tr, left), kind, i.rule);
    const due = both(i.dueAt, tr, o);
    // The own zone named as people say it (lib/when.ts), in the channel's language.
    const zoneWord = zoneNameWith((k, ...s) => tr.t(k, ...s), o.zone, o.now);
    const lines = [tr.t('ch_limit', due.msk, due.local, zoneWord)];
    if (i.autoCancelAt) {
      const ac = both(i.autoCancelAt, tr, o);
      lines.push(tr.t('ch_autocancel', ac.msk, ac.local, zoneWord));
    }
    if (i.price) lines.push(tr.t('ch_price', money(tr, i.price)));
    text.push('', line, ...lines.map((l) => `  ${l}`), `  ${i.url}`);
    md.push('', `**${line}**`, ...lines.map((l) => `> ${l}`), `> [${tr.t('ch_open')}](${i.url})`);
  }
  return { text: text.join('\n'), markdown: md.join('\n') };
}

export interface SummaryStore {
  storeId: string;
  label?: string;
  risk: StoreRisk;
  /** Open orders whose next limit falls on today (the summary zone's calendar day) and is still ahead. */
  dueToday: number;
  /** Open orders whose limit has passed. */
  overdue: number;
}

/** M1 line the budget counts to, as a percent. */
function budgetLine(risk: StoreRisk, rb: Rulebook, tr: Translator): string {
  const safe = rb.metrics.safeMaxPct.value;
  const warn = rb.metrics.warningMaxPct.value;
  const pct = (v: number) => `${new Intl.NumberFormat(LANG_TAG[tr.lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v)}\u202f%`;
  if (risk.orders === 0) return tr.t('ch_sum_no_orders', risk.windowDays);
  if (risk.tier === 'safe') return tr.tp('ch_sum_budget', risk.budget.toWarning, pct(safe));
  if (risk.tier === 'warning') return tr.tp('ch_sum_budget', risk.budget.toCritical, pct(warn));
  return tr.t('ch_sum_over', pct(warn));
}

/** The morning summary (S1's 10:00 check): per store, due today / overdue, the M1 rate and tier, budget, top reason. */
export function composeSummary(stores: readonly SummaryStore[], tr: Translator, o: ComposeOptions & { panelUrl: string }): { title: string; text: string; markdown: string } {
  const rb = o.rulebook ?? defaultRulebook;
  const lang = tr.lang === 'zh_CN' ? 'zh' : tr.lang;
  const day = formatInZone(o.now, o.zone, { lang, withDate: true }).split(' ')[0] ?? '';
  const title = tr.t('ch_sum_title', day);
  const head = `${tr.t('extName')} · ${title}`;
  const text: string[] = [head];
  const md: string[] = [`**${head}**`];
  if (!stores.length) {
    text.push('', tr.t('ch_sum_empty'));
    md.push('', tr.t('ch_sum_empty'));
  }
  for (const s of stores) {
    const r = s.risk;
    const pct = new Intl.NumberFormat(LANG_TAG[tr.lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(r.cancellationRate);
    const lines = [
      tr.t('ch_sum_due', s.dueToday, s.overdue),
      tr.t('ch_sum_rate', r.windowDays, `${pct}\u202f%`, tr.t(`popup_tier_${r.tier}`), 'M1'),
      budgetLine(r, rb, tr),
    ];
    const top = Object.entries(r.cancelled.byReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (top && top[1] > 0) lines.push(tr.t('ch_sum_reason', reasonTitle(top[0], tr.lang) || top[0], top[1]));
    const name = s.label ? `${s.label} (${s.storeId})` : s.storeId;
    text.push('', tr.t('ch_sum_store', name), ...lines.map((l) => `  ${l}`));
    md.push('', `**${tr.t('ch_sum_store', name)}**`, ...lines.map((l) => `> ${l}`));
  }
  text.push('', o.panelUrl);
  md.push('', `[${tr.t('ch_open')}](${o.panelUrl})`);
  return { title, text: text.join('\n'), markdown: md.join('\n') };
}
