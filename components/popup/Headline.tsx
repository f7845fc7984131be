/**
 * The headline: the window's cancellation rate (M1) on a gauge, the counts
 * behind it (a small sample swings a rate, so both are shown), and the budget
 * — how many more cancellations fit under each line, or, once over, how many
 * clean orders it takes to get back under.
 */
import type { StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';
import { t, tp, fmtPercent, fmtNumber } from '../../lib/i18n';
import { Gauge } from './Gauge';
import { ruleTitle } from './format';
import type { Basis } from './basis';

/** Orders without a cancellation it takes for `total / orders` to fall to `linePct` or below. */
export function ordersToGetUnder(total: number, orders: number, linePct: number): number {
  if (linePct <= 0) return Infinity;
  const need = (total * 100) / linePct - orders;
  // The epsilon keeps 3 / 120 = 2.5 % exactly at the line from asking for one order more.
  return Math.max(0, Math.ceil(need - 1e-9));
}

export function budgetSentences(risk: StoreRisk, rb: Rulebook): string[] {
  const safe = rb.metrics.safeMaxPct.value;
  const warn = rb.metrics.warningMaxPct.value;
  const out: string[] = [];
  if (risk.orders === 0) return [t('popup_budget_no_orders', fmtNumber(risk.windowDays))];
  if (risk.tier === 'safe') {
    out.push(
      risk.budget.toWarning > 0
        ? tp('popup_budget_to_warning', risk.budget.toWarning, fmtPercent(safe, 1))
        : t('popup_budget_at_warning', fmtPercent(safe, 1)),
    );
    out.push(
      risk.budget.toCritical > 0
        ? tp('popup_budget_to_critical', risk.budget.toCritical, fmtPercent(warn, 1))
        : t('popup_budget_at_critical', fmtPercent(warn, 1)),
    );
  } else if (risk.tier === 'warning') {
    out.push(
      risk.budget.toCritical > 0
        ? tp('popup_budget_to_critical', risk.budget.toCritical, fmtPercent(warn, 1))
        : t('popup_budget_at_critical', fmtPercent(warn, 1)),
    );
    out.push(tp('popup_budget_back_under', ordersToGetUnder(risk.cancelled.total, risk.orders, safe), fmtPercent(safe, 1)));
  } else {
    out.push(tp('popup_budget_back_under', ordersToGetUnder(risk.cancelled.total, risk.orders, warn), fmtPercent(warn, 1)));
    out.push(tp('popup_budget_back_under', ordersToGetUnder(risk.cancelled.total, risk.orders, safe), fmtPercent(safe, 1)));
  }
  return out;
}

/** "from 12 orders over 2 days": what the rate rests on, beside it. */
export function basisText(b: Basis): string {
  return t('popup_basis', tp('popup_basis_orders', b.orders), tp('popup_basis_days', b.days));
}

export function Headline({ risk, rb, basis }: { risk: StoreRisk; rb: Rulebook; basis?: Basis }) {
  // Below M1's basis floor a tier would follow single orders: say so and how to get the data instead.
  const thin = !!basis && !basis.enough;
  const m = rb.metrics;
  const lines = [
    { pct: m.platformAvgPct.value, label: fmtPercent(m.platformAvgPct.value, 1), kind: 'avg' as const },
    { pct: m.safeMaxPct.value, label: fmtPercent(m.safeMaxPct.value, 1), kind: 'warning' as const },
    { pct: m.warningMaxPct.value, label: fmtPercent(m.warningMaxPct.value, 1), kind: 'critical' as const },
  ];
  const tierWord = t(`popup_tier_${risk.tier}`);
  const label = t(
    'popup_gauge_label',
    fmtPercent(risk.cancellationRate, 2),
    tierWord,
    fmtPercent(m.safeMaxPct.value, 1),
    fmtPercent(m.warningMaxPct.value, 1),
    fmtPercent(m.platformAvgPct.value, 1),
  );
  const budget = budgetSentences(risk, rb);
  return (
    <section class={`card headline tier-border-${risk.tier}`} aria-labelledby="hl-title">
      <div class="headline-top">
        <h2 id="hl-title" class="card-title">
          {t('popup_headline_title', fmtNumber(risk.windowDays))}
          <span class="rule-id" title={ruleTitle('M1')}>
            M1
          </span>
        </h2>
        {thin ? (
          <span class="tier-chip tier-bg-none" data-tier-word="" data-basis-thin="">
            {t('popup_basis_not_enough')}
          </span>
        ) : (
          <span class={`tier-chip tier-bg-${risk.tier}`} data-tier-word="">
            {tierWord}
          </span>
        )}
      </div>
      <div class="headline-body">
        <Gauge value={risk.cancellationRate} tier={risk.tier} lines={lines} label={label} />
        <div class="headline-facts">
          <p class="big-count" data-count="">
            {tp('popup_count_of_orders', risk.orders, fmtNumber(risk.cancelled.total))}
          </p>
          {basis && (
            <p class="small basis" data-basis="">
              {basisText(basis)}
            </p>
          )}
          {thin ? (
            <div class="small basis-thin" data-basis-how="">
              <p>
                {t('popup_basis_why', fmtNumber(basis!.minOrders), fmtNumber(basis!.minDays))} <span class="rule-id">M1</span>
              </p>
              <p>{t('popup_basis_how_title', fmtNumber(risk.windowDays))}</p>
              <ul>
                <li>{t('popup_basis_how_tab')}</li>
                <li>{t('popup_basis_how_csv')}</li>
                <li>{t('popup_basis_how_api')}</li>
              </ul>
            </div>
          ) : (
            <p class="muted small">{t(`popup_tier_meaning_${risk.tier}`, fmtNumber(m.warningPromoFreezeDays.value))}</p>
          )}
          <ul class="budget" data-budget="">
            {budget.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <p class="legend small">
            <span class="legend-item">
              <i class="swatch line-avg" aria-hidden="true" />
              {t('popup_legend_avg', fmtPercent(m.platformAvgPct.value, 1))}
            </span>
          </p>
        </div>
      </div>
    </section>
  );
}
