/**
 * The headline under the 'official' profile: Ozon's own documented metrics
 * (O1 cancellation rating, O2 error index with its zones, O3 fees) instead of
 * the seed's 30-day rate. Windows, zones and fees all come from
 * summarizeOfficial and the rulebook; nothing here holds a number of a rule.
 */
import type { Order } from '../../rules';
import type { Rulebook } from '../../rules';
import type { ErrorZone } from '../../rules/index';
import { t, tp, fmtPercent, fmtNumber, fmtMoney } from '../../lib/i18n';
import { officialFor } from './store';
import { fmtCalendarDay, ruleTitle } from './format';

function RuleId({ id }: { id: string }) {
  return (
    <span class="rule-id" title={ruleTitle(id)}>
      {id}
    </span>
  );
}

const zoneWord = (z: ErrorZone) => t(`popup_zone_${z}`);

function ZoneScale({ rate, zones }: { rate: number; zones: { zone: ErrorZone; maxPct?: number }[] }) {
  // The scale ends a little past the last bound so the red zone has width.
  const last = zones[zones.length - 2]?.maxPct ?? 40;
  const max = Math.max(last * 1.25, rate * 1.05);
  let prev = 0;
  return (
    <div class="zone-scale" role="img" aria-label={t('popup_off_zone_scale', fmtPercent(rate, 1))}>
      {zones.map((z) => {
        const to = z.maxPct ?? max;
        const w = ((to - prev) / max) * 100;
        prev = to;
        return <span key={z.zone} class={`zone-${z.zone}`} style={{ width: `${w}%` }} title={zoneWord(z.zone)} />;
      })}
      <i class="zone-marker" style={{ left: `calc(${(Math.min(rate, max) / max) * 100}% - 1px)` }} />
    </div>
  );
}

export function OfficialHeadline({ orders, now, rb }: { orders: Order[]; now: number; rb: Rulebook }) {
  const o = officialFor(orders, now, rb);
  const cr = o.cancelRating;
  const ei = o.errorIndex;
  const fees = o.fees;
  const range = (w: { from: string; to: string }) => `${fmtCalendarDay(w.from)} – ${fmtCalendarDay(w.to)}`;
  const forecast =
    ei.zone === 'red'
      ? t('popup_off_red')
      : ei.nextZone && ei.moreToNextZone !== undefined
        ? tp('popup_off_forecast', ei.moreToNextZone, zoneWord(ei.nextZone))
        : t('popup_off_no_postings');
  return (
    <section class={`card headline official zone-top-${ei.zone}`} aria-labelledby="off-title" data-official="">
      <div class="headline-top">
        <h2 id="off-title" class="card-title">
          {t('popup_off_title')}
        </h2>
        <span class={`zone-chip zone-${ei.zone}`} data-zone={ei.zone}>
          {zoneWord(ei.zone)}
        </span>
      </div>
      <div class="official-grid">
        <div class="metric-box" data-official-metric="error-index">
          <h3>
            {t('popup_off_error_index')} <RuleId id="O2" />
          </h3>
          <div class={`metric-value zone-text-${ei.zone}`}>{fmtPercent(ei.rate, 2)}</div>
          <ZoneScale rate={ei.rate} zones={ei.zones} />
          <div class="small">{tp('popup_off_fault_of', ei.postings, fmtNumber(ei.sellerFault))}</div>
          <div class="small muted">{t('popup_off_window_ei', range(ei))}</div>
        </div>
        <div class="metric-box" data-official-metric="cancel-rating">
          <h3>
            {t('popup_off_cancel_rating')} <RuleId id="O1" />
          </h3>
          <div class="metric-value">{fmtPercent(cr.rate, 2)}</div>
          <div class="small">{tp('popup_off_fault_of', cr.postings, fmtNumber(cr.sellerFault))}</div>
          <div class="small muted">{t('popup_off_window_cr', range(cr))}</div>
          <div class="small muted">{t('popup_off_thresholds')}</div>
        </div>
      </div>
      <p class="forecast" data-forecast="">
        {forecast}
      </p>
      <p class="small" data-fees="">
        <strong>{t('popup_off_fees_title')}</strong> <RuleId id="O3" />{' '}
        {fees.pct > 0
          ? t(
              'popup_off_fees_now',
              fmtPercent(fees.pct, 0),
              fmtMoney(fees.capRub, 'RUB'),
              fmtMoney(fees.totalRub, 'RUB'),
              fmtNumber(fees.postings.length),
            )
          : t('popup_off_fees_none', zoneWord('green'))}
        {fees.nextZonePct !== undefined && ei.nextZone && (
          <> {t('popup_off_fees_next', zoneWord(ei.nextZone), fmtPercent(fees.nextZonePct, 0))}</>
        )}
      </p>
    </section>
  );
}
