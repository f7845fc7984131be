/**
 * An import's report in the seller's words: the one-line summary the popup
 * shows after a CSV import, and the notes on how the file was read.
 */
import { t, tp } from '../lib/i18n';
import type { CsvReport } from './import';

/**
 * "412 postings: 380 new, 32 updated, 3 lines skipped — line 17: no posting number".
 * `merged` is what the history merge answered.
 */
export function importSummary(report: CsvReport, merged?: { added: number; updated: number; tooOld?: number }): string {
  if (report.error) return report.error;
  const parts: string[] = [];
  if (merged) {
    parts.push(tp('csv_sum_new', merged.added));
    parts.push(tp('csv_sum_updated', merged.updated));
    if (merged.tooOld) parts.push(tp('csv_sum_too_old', merged.tooOld));
  }
  if (report.skipped.length) parts.push(tp('csv_sum_skipped', report.skipped.length));
  let s = tp('csv_sum_postings', report.postings);
  if (parts.length) s += `: ${parts.join(', ')}`;
  const shown = report.skipped.slice(0, 3).map((x) => t('csv_sum_line', x.line, x.reason));
  if (shown.length) s += ` — ${shown.join('; ')}${report.skipped.length > shown.length ? '; …' : ''}`;
  // Each note is a sentence of its own here (the notes are written to stand in a list too).
  return [s, ...importNotes(report).map((n) => n.charAt(0).toLocaleUpperCase() + n.slice(1))].join('. ');
}

/**
 * What the seller must know about how the file was read: the scheme and
 * where it came from, postings placed in the window by their creation date,
 * postings that could be placed nowhere (M1: not in the 30-day figures).
 */
export function importNotes(report: CsvReport): string[] {
  if (report.error) return [];
  const notes: string[] = [];
  notes.push(report.needsScheme ? t('csv_sum_scheme_unsure') : t(`csv_sum_scheme_${report.schemeFrom}`, report.scheme));
  if (report.placedBy.created > 0) notes.push(tp('csv_sum_by_created', report.placedBy.created, report.createdColumn ?? ''));
  if (report.undated > 0) notes.push(tp('csv_sum_undated', report.undated));
  return notes;
}
