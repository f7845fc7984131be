/**
 * Ozon's own figures beside ours, once a Seller API sync has read
 * `/v1/rating/summary`: the cancellation rating (O1's metric, as Ozon
 * computes it) and the FBS/rFBS error index (O2) when the summary carries
 * it, each with Ozon's status and direction, next to what we compute from
 * the same history (summarizeOfficial) and the seed's window rate. Ozon's
 * summary states no thresholds; the card says so (our lines are the
 * rulebook's). Also the coverage line's "complete from the Seller API".
 */
import { useEffect, useState } from 'preact/hooks';
import type { Order, StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';
import { t, tp, fmtPercent, fmtNumber } from '../../lib/i18n';
import { readState, stateItem, syncCovers, type StoreSyncState } from '../../background/seller-api/store';
import type { RatingItem } from '../../background/seller-api/map';
import { agoText, progressText } from '../../background/seller-api/text';
import { officialFor } from './store';
import { fmtDay } from './format';

/** The sync state of one store, kept current while the popup is open. */
export function useApiSync(storeId: string | null | undefined): StoreSyncState | undefined {
  const [s, setS] = useState<StoreSyncState | undefined>(undefined);
  useEffect(() => {
    if (!storeId) {
      setS(undefined);
      return;
    }
    let live = true;
    const load = () => void readState().then((all) => live && setS(all[storeId]));
    load();
    const off = stateItem.watch(load);
    return () => {
      live = false;
      off();
    };
  }, [storeId]);
  return s;
}

/** Ozon's status on the popup's own tier colours. */
const CHIP: Record<string, string> = { OK: 'tier-bg-safe', WARNING: 'tier-bg-warning', CRITICAL: 'tier-bg-critical' };

function value(it: RatingItem, v: number | undefined): string {
  if (v === undefined) return '—';
  return it.valueType === 'PERCENT' ? fmtPercent(v, 2) : fmtNumber(v, 2);
}

function OzonItem({ label, item, ours, kind }: { label: string; item?: RatingItem; ours: string; kind: string }) {
  return (
    <div class="metric-box" data-ozon-metric={kind} data-ozon-status={item?.status ?? 'missing'}>
      <h3>{label}</h3>
      {item ? (
        <>
          <div class="metric-value" data-ozon-value={item.current ?? ''}>
            {value(item, item.current)}
          </div>
          <div class="small">
            <span class={`tier-chip small ${CHIP[item.status] ?? ''}`}>{t(`apisync_popup_status_${item.status}`)}</span>{' '}
            {t(`apisync_popup_dir_${item.direction}`)}
            {item.past !== undefined && <> · {t('apisync_popup_past', value(item, item.past))}</>}
          </div>
        </>
      ) : (
        <div class="small muted">{t('apisync_popup_missing')}</div>
      )}
      <div class="small" data-ours="">
        {ours}
      </div>
    </div>
  );
}

export function OzonFigures(p: { storeId: string | null; orders: Order[]; now: number; rb: Rulebook; risk: StoreRisk }) {
  const s = useApiSync(p.storeId);
  const summary = s?.rating?.summary;
  if (!summary) return null;
  const o = officialFor(p.orders, p.now, p.rb);
  const ei = o.errorIndex;
  return (
    <section class="card" aria-labelledby="ozon-fig-title" data-ozon-rating="">
      <h2 id="ozon-fig-title" class="card-title">
        {t('apisync_popup_title')}
      </h2>
      <div class="official-grid">
        <OzonItem
          kind="cancellation"
          label={t('apisync_popup_cancel')}
          item={summary.cancellation}
          ours={`${t('apisync_popup_ours_o1', fmtPercent(o.cancelRating.rate, 2))} · ${t('apisync_popup_ours_rate', fmtNumber(p.risk.windowDays), fmtPercent(p.risk.cancellationRate, 2))}`}
        />
        <OzonItem kind="error-index" label={t('apisync_popup_error_index')} item={summary.errorIndex} ours={t('apisync_popup_ours_o2', fmtPercent(ei.rate, 2), t(`popup_zone_${ei.zone}`))} />
      </div>
      {summary.penaltyScoreExceeded && (
        <p class="alert alert-warn small" data-ozon-penalty="">
          {t('apisync_popup_penalty')}
        </p>
      )}
      <p class="small muted">{t('apisync_popup_thresholds')}</p>
      <p class="small muted">{t('apisync_popup_as_of', fmtDay(s!.rating!.at, p.rb))}</p>
      <p class="small" data-api-progress="">
        {progressText(s, p.now)}
      </p>
    </section>
  );
}

export function apiCovers(s: StoreSyncState | undefined, rb: Rulebook, now = Date.now()): boolean {
  return syncCovers(s, now, rb.metrics.windowDays.value);
}

/** "4,312 orders · complete from the Seller API (synced 2 min ago)": shown when apiCovers. */
export function ApiCoverageLine({ state, count, now }: { state: StoreSyncState; count: number; now?: number }) {
  return (
    <p class="small" data-coverage="api">
      {tp('apisync_coverage_complete', count, agoText(state.last?.at, now ?? Date.now()))}
    </p>
  );
}
