/**
 * What the figures rest on, and the ways to add to or take out of them:
 * coverage, the CSV import (contract §4: `data-ozon-guard-import`), and the
 * two CSV exports.
 *
 * Firefox closes a popup when a file dialog opens, which would lose the
 * import; "open in a tab" gives the same page in a tab where the dialog is safe.
 */
import type { StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';
import { t, tp, fmtNumber } from '../../lib/i18n';
import type { ImportScheme, SeenCoverage, StoreInfo } from './source';
import type { Scheme } from '../../rules';
import type { ImportState } from './store';
import { fmtDay } from './format';
import { ApiCoverageLine, apiCovers, useApiSync } from './OzonFigures';

export interface DataPanelProps {
  risk: StoreRisk;
  rb: Rulebook;
  now: number;
  coverage: SeenCoverage | null;
  stores: StoreInfo[];
  selected: string | null;
  importTarget: string | null;
  importing: ImportState;
  inTab: boolean;
  storeLabel(id: string): string;
  onPickTarget(id: string | null): void;
  onFile(file: File): void;
  /** Orders of the store with no date to place them in the window (M1 counts by paidAt). */
  undated?: number;
  importScheme?: ImportScheme;
  onImportScheme?(scheme: ImportScheme): void;
  onAnswerScheme?(scheme: Scheme | null): void;
  onOpenInTab(): void;
  onExportAtRisk(): void;
  onExportCancellations(): void;
}

const MAX_SKIPPED_SHOWN = 20;
const SCHEMES: Scheme[] = ['FBS', 'FBO', 'rFBS'];

export function coverageGap(coverage: SeenCoverage | null, risk: StoreRisk, now: number): boolean {
  if (!coverage || !coverage.count || !coverage.from) return true;
  const windowStart = now - risk.windowDays * 86_400_000;
  // A day's slack: history that starts within the window's first day covers it for practical purposes.
  return Date.parse(coverage.from) > windowStart + 86_400_000;
}

export function CoverageLine({ coverage, rb, storeId }: { coverage: SeenCoverage | null; rb: Rulebook; storeId?: string | null }) {
  // A Seller API sync that covers the window makes the line exact (components/popup/OzonFigures.tsx).
  const sync = useApiSync(storeId);
  if (coverage?.count && apiCovers(sync, rb)) return <ApiCoverageLine state={sync!} count={coverage.count} />;
  if (!coverage || !coverage.count) return <p class="small muted">{t('popup_coverage_none')}</p>;
  return (
    <p class="small" data-coverage="">
      {coverage.from && coverage.to
        ? tp('popup_coverage', coverage.count, fmtDay(coverage.from, rb), fmtDay(coverage.to, rb))
        : tp('popup_coverage_count', coverage.count)}
    </p>
  );
}

const IS_FIREFOX = (import.meta.env?.BROWSER ?? '') === 'firefox';

export function DataPanel(p: DataPanelProps) {
  const gap = coverageGap(p.coverage, p.risk, p.now);
  const target = p.importTarget ?? p.selected;
  const outcome = p.importing.outcome;
  return (
    <section class="card data" aria-labelledby="data-title">
      <h2 id="data-title" class="card-title">
        {t('popup_data_title')}
      </h2>
      <CoverageLine coverage={p.coverage} rb={p.rb} storeId={p.selected} />
      {!!p.undated && <p class="small hint" data-undated={String(p.undated)}>{tp('popup_undated', p.undated)}</p>}
      {gap && p.coverage && p.coverage.count > 0 && (
        <p class="small hint" data-coverage-gap="">
          {t('popup_coverage_gap', fmtNumber(p.risk.windowDays))}
        </p>
      )}
      <div class="import">
        <label class="import-label" for="oog-import">
          {t('popup_import_label')}
        </label>
        {p.stores.length > 1 && (
          <label class="small target">
            {t('popup_import_target')}{' '}
            <select
              value={target ?? ''}
              onChange={(e) => p.onPickTarget((e.currentTarget as HTMLSelectElement).value || null)}
            >
              {p.stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {p.storeLabel(s.id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="small target">
          {t('popup_import_scheme_label')}{' '}
          <select
            data-import-scheme=""
            value={p.importScheme ?? 'ask'}
            onChange={(e) => p.onImportScheme?.((e.currentTarget as HTMLSelectElement).value as ImportScheme)}
          >
            <option value="ask">{t('popup_import_scheme_ask')}</option>
            {SCHEMES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {/* The browser's own "Choose File" is not translated: our button in the seller's language over the
            real input (transparent, on top, so a click and a drop still reach it; contract §4 keeps it). */}
        <span class="file-pick">
          <span class="file-pick-btn" aria-hidden="true">
            {t('popup_import_choose')}
          </span>
        <input
          class="file-pick-input"
          id="oog-import"
          type="file"
          accept=".csv,text/csv"
          data-ozon-guard-import=""
          disabled={p.importing.busy}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const f = input.files?.[0];
            if (f) p.onFile(f);
            // Reset so importing the same file twice (after an edit) fires change again.
            input.value = '';
          }}
        />
        </span>
        {/* Only Firefox closes the popup when a file dialog opens. */}
        {!p.inTab && IS_FIREFOX && (
          <p class="small muted">
            {t('popup_import_tab_hint')}{' '}
            <button type="button" class="link-btn inline" onClick={p.onOpenInTab}>
              {t('popup_open_in_tab')}
            </button>
          </p>
        )}
        <p class="small muted">{t('popup_import_how')}</p>
      </div>
      {p.importing.busy && (
        <p class="small" role="status">
          {t('popup_import_busy')}
        </p>
      )}
      {p.importing.error && (
        <p class="alert alert-crit small" role="alert" data-import-error="">
          {t('popup_import_failed', p.importing.error)}
        </p>
      )}
      {p.importing.question && !p.importing.busy && (
        <div class="alert small" role="alertdialog" aria-labelledby="oog-scheme-q" data-import-question="">
          <p id="oog-scheme-q">
            <strong>{tp('popup_import_scheme_question', p.importing.question.postings)}</strong>
          </p>
          <p class="muted">{p.importing.question.summary}</p>
          <p>
            {SCHEMES.map((s) => (
              <button key={s} type="button" class="btn" data-import-answer={s} onClick={() => p.onAnswerScheme?.(s)}>
                {s}
              </button>
            ))}{' '}
            <button type="button" class="link-btn inline" data-import-answer="" onClick={() => p.onAnswerScheme?.(null)}>
              {t('popup_import_scheme_cancel')}
            </button>
          </p>
        </div>
      )}
      {outcome && !p.importing.busy && (
        <div class="import-report" role="status" data-import-report="">
          <p class="small">
            <strong>{t('popup_import_done', p.storeLabel(outcome.storeId))}</strong>
          </p>
          <p class="small" data-import-summary="">
            {outcome.summary}
          </p>
          {outcome.skipped.length > 0 && (
            <details>
              <summary class="small">{tp('popup_import_skipped', outcome.skipped.length)}</summary>
              <ul class="skipped small">
                {outcome.skipped.slice(0, MAX_SKIPPED_SHOWN).map((s) => (
                  <li key={`${s.line}:${s.reason}`}>{t('popup_import_skipped_line', fmtNumber(s.line), s.reason)}</li>
                ))}
                {outcome.skipped.length > MAX_SKIPPED_SHOWN && (
                  <li class="muted">{tp('popup_import_skipped_more', outcome.skipped.length - MAX_SKIPPED_SHOWN)}</li>
                )}
              </ul>
            </details>
          )}
        </div>
      )}
      <div class="exports">
        <button type="button" class="btn" onClick={p.onExportAtRisk} disabled={!p.risk.atRisk.length} data-export="at-risk">
          {t('popup_export_atrisk')}
        </button>
        <button
          type="button"
          class="btn"
          onClick={p.onExportCancellations}
          disabled={!p.risk.cancelled.total}
          data-export="cancellations"
        >
          {t('popup_export_cancellations')}
        </button>
      </div>
      <p class="small muted">{t('popup_privacy')}</p>
    </section>
  );
}
