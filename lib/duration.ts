/**
 * A time left in words ("1 h 20 min", "overdue 2 d 3 h") through i18n, for
 * notifications and CSV exports. Kept apart from csv/csv.ts so the
 * background does not bundle the CSV parser to format a countdown.
 */
import { formatDuration } from '../rules';
import { t } from './i18n';

export function durationText(msLeft: number): string {
  const p = formatDuration(msLeft);
  if (!p.valid) return '';
  const bits: string[] = [];
  if (p.style === 'dh') bits.push(t('dur_d', p.d), t('dur_h', p.h));
  else if (p.style === 'hm') bits.push(t('dur_h', p.h), t('dur_m', p.m));
  else bits.push(t('dur_m', p.m));
  const s = bits.join(' ');
  return p.negative ? t('dur_overdue', s) : s;
}
