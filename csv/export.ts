/**
 * Our CSV exports: the at-risk list and the window's cancellations, for a
 * spreadsheet (BOM, `;`, formula-safe cells), with Moscow and the seller's own
 * time side by side (T2). Buyer personal data is never written.
 */
import type { Order, Verdict } from '../rules';
import { defaultRulebook, type Rulebook } from '../rules';
import { MS_DAY } from '../rules';
import { formatMoscow } from '../rules';
import { durationText } from '../lib/duration';
import { reasonTitle } from '../rules';
import { evaluateOrder } from '../rules';
import { t, lang } from '../lib/i18n';
import { atZone, isNight, zoneName } from '../lib/when';
import { browserZone } from '../storage/settings';

/** Excel opens a UTF-8 file as UTF-8 (Chinese, Russian) only with a BOM. */
const BOM = '\ufeff';

/**
 * One cell: quoted when it holds the separator, a quote or a line break;
 * text a spreadsheet would run as a formula (= + - @) is prefixed with '.
 */
export function csvCell(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).replace('.', lang() === 'ru' ? ',' : '.') : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+([.,]\d+)?$/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(header: string[], rows: (string | number | undefined)[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

function skus(o: Order): string {
  return (o.items ?? []).map((i) => i.sku).join(', ');
}
function names(o: Order): string {
  return (o.items ?? [])
    .map((i) => i.name ?? i.offerId ?? '')
    .filter(Boolean)
    .join(', ');
}
function quantity(o: Order): number | undefined {
  if (!o.items?.length) return undefined;
  return o.items.reduce((n, i) => n + (i.quantity || 0), 0);
}
function amount(o: Order): number | undefined {
  if (!o.items?.some((i) => typeof i.price === 'number')) return undefined;
  return Math.round(o.items.reduce((n, i) => n + (i.price ?? 0) * (i.quantity || 0), 0) * 100) / 100;
}
function msk(iso: string | undefined, rb: Rulebook): string {
  return iso ? formatMoscow(iso, { rulebook: rb, withYear: true, lang: lang() === 'ru' ? 'ru' : 'en' }) : '';
}

/**
 * The same instant in the seller's own zone (T2, lib/when.ts: the one wording
 * of times), with the night mark for a deadline in the seller's night.
 */
function own(iso: string | undefined, zone: string, night = false): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  const s = atZone(ms, zone);
  return s && night && isNight(ms, zone) ? `${s} (${t('csv_night')})` : s;
}

const RISK_LEVELS = new Set(['at_risk', 'critical', 'overdue']);

/**
 * The at-risk list (level at_risk / critical / overdue), soonest first.
 * Verdicts may be passed in (the popup has them); otherwise computed.
 */
export function exportAtRiskCsv(
  orders: Order[],
  now: string | number | Date,
  rulebook: Rulebook = defaultRulebook,
  verdicts?: Map<string, Verdict>,
  zone: string = browserZone(),
): string {
  const nowMs = new Date(now).getTime();
  const zoneWord = zoneName(zone, nowMs);
  const rows = orders
    .map((o) => ({ o, v: verdicts?.get(o.postingNumber) ?? evaluateOrder(o, nowMs, rulebook) }))
    .filter((x) => RISK_LEVELS.has(x.v.level) && x.v.deadline)
    .sort(
      (a, b) =>
        Date.parse(a.v.deadline!.dueAt) - Date.parse(b.v.deadline!.dueAt) || a.o.postingNumber.localeCompare(b.o.postingNumber),
    )
    .map(({ o, v }) => {
      const d = v.deadline!;
      return [
        o.postingNumber,
        t(`status_${o.status}`),
        o.scheme,
        t(`deadline_${d.kind}`),
        msk(d.dueAt, rulebook),
        own(d.dueAt, zone, true),
        d.autoCancelAt ? msk(d.autoCancelAt, rulebook) : '',
        own(d.autoCancelAt, zone, true),
        durationText(Date.parse(d.dueAt) - nowMs),
        t(`level_${v.level}`),
        d.rule,
        skus(o),
        names(o),
        quantity(o),
      ];
    });
  return toCsv(
    [
      t('csv_col_posting'),
      t('csv_col_status'),
      t('csv_col_scheme'),
      t('csv_col_deadline'),
      t('csv_col_due_msk'),
      t('csv_col_due_own', zoneWord),
      t('csv_col_autocancel_msk'),
      t('csv_col_autocancel_own', zoneWord),
      t('csv_col_time_left'),
      t('csv_col_level'),
      t('csv_col_rule'),
      t('csv_col_sku'),
      t('csv_col_product'),
      t('csv_col_quantity'),
    ],
    rows,
  );
}

/** The window's cancellations (M5: export 30 days of cancellations, group by reason), newest first. */
export function exportCancellationsCsv(
  orders: Order[],
  now: string | number | Date,
  rulebook: Rulebook = defaultRulebook,
  zone: string = browserZone(),
): string {
  const nowMs = new Date(now).getTime();
  const zoneWord = zoneName(zone, nowMs);
  const from = nowMs - rulebook.metrics.windowDays.value * MS_DAY;
  const l = lang();
  const rows = orders
    .filter((o) => {
      const p = o.paidAt ? Date.parse(o.paidAt) : NaN;
      return o.status === 'cancelled' && p > from && p <= nowMs;
    })
    .sort(
      (a, b) =>
        (Date.parse(b.cancelledAt ?? b.paidAt!) || 0) - (Date.parse(a.cancelledAt ?? a.paidAt!) || 0) ||
        a.postingNumber.localeCompare(b.postingNumber),
    )
    .map((o) => {
      const code = o.cancellation?.reasonCode;
      return [
        o.postingNumber,
        o.scheme,
        msk(o.paidAt, rulebook),
        own(o.paidAt, zone),
        msk(o.cancelledAt, rulebook),
        own(o.cancelledAt, zone),
        t(`initiator_${o.cancellation?.initiator ?? 'unknown'}`),
        code ?? '',
        code ? reasonTitle(code, l) : (o.cancellation?.reasonText ?? t('reason_unknown')),
        o.cancellation?.affectsRating === undefined ? '' : o.cancellation.affectsRating ? t('csv_yes') : t('csv_no'),
        skus(o),
        names(o),
        quantity(o),
        amount(o),
        o.currency ?? '',
      ];
    });
  return toCsv(
    [
      t('csv_col_posting'),
      t('csv_col_scheme'),
      t('csv_col_paid_msk'),
      t('csv_col_paid_own', zoneWord),
      t('csv_col_cancelled_msk'),
      t('csv_col_cancelled_own', zoneWord),
      t('csv_col_initiator'),
      t('csv_col_reason_code'),
      t('csv_col_reason'),
      t('csv_col_affects_rating'),
      t('csv_col_sku'),
      t('csv_col_product'),
      t('csv_col_quantity'),
      t('csv_col_amount'),
      t('csv_col_currency'),
    ],
    rows,
  );
}
