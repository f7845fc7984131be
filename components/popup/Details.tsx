/**
 * Everything below the headline that explains the rate: the secondary rates
 * against their own lines (M2–M4), where the cancellations come from
 * (reasons, SKUs, categories), what they may cost (M6) and what to do (M5).
 */
import type { StoreRisk } from '../../rules';
import type { Rulebook } from '../../rules';
import { t, tp, fmtPercent, fmtNumber, fmtMoney } from '../../lib/i18n';
import { LineMeter } from './Gauge';
import { reasonName, ruleTitle, fmtCalendarDay } from './format';
import { reasonFamily } from '../../rules';

function RuleId({ id }: { id: string }) {
  return (
    <span class="rule-id" title={ruleTitle(id)}>
      {id}
    </span>
  );
}

export function RateRows({ risk, rb }: { risk: StoreRisk; rb: Rulebook }) {
  const m = rb.metrics;
  const sellerState =
    risk.sellerRate > m.sellerNoPromoPct.value
      ? t('popup_m3_nopromo')
      : risk.sellerRate > m.sellerRankPct.value
        ? t('popup_m3_rank', fmtPercent(m.sellerRankPenaltyPct.value, 0))
        : t('popup_state_ok');
  const acrState =
    risk.autoCancelRate > m.acrTrafficPct.value
      ? t('popup_m4_traffic')
      : risk.autoCancelRate > m.acrRankPct.value
        ? t('popup_m4_rank', fmtPercent(m.acrRankPenaltyMinPct.value, 0), fmtPercent(m.acrRankPenaltyMaxPct.value, 0))
        : t('popup_state_ok');
  const weightedState =
    risk.weightedRate > m.warningMaxPct.value
      ? t('popup_tier_critical')
      : risk.weightedRate > m.safeMaxPct.value
        ? t('popup_tier_warning')
        : t('popup_state_ok');
  // A rate is over its line from the first of its two lines on.
  const row = (id: string, key: string, name: string, value: number, count: number | undefined, lines: [number, number], state: string) => ({
    id,
    key,
    name,
    value,
    count,
    lines,
    state,
    over: value > lines[0],
  });
  const rows = [
    row('M3', 'seller', t('popup_rate_seller'), risk.sellerRate, risk.cancelled.seller, [m.sellerRankPct.value, m.sellerNoPromoPct.value], sellerState),
    row('M4', 'auto', t('popup_rate_auto'), risk.autoCancelRate, risk.cancelled.system, [m.acrRankPct.value, m.acrTrafficPct.value], acrState),
    row('M2', 'weighted', t('popup_rate_weighted'), risk.weightedRate, undefined, [m.safeMaxPct.value, m.warningMaxPct.value], weightedState),
  ];
  return (
    <section class="card" aria-labelledby="rates-title">
      <h2 id="rates-title" class="card-title">
        {t('popup_rates_title')}
      </h2>
      <table class="rates">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-rate-row={r.key} class={r.over ? 'is-over' : ''}>
              <th scope="row">
                {r.name} <RuleId id={r.id} />
                <div class="muted small">
                  {t('popup_rate_lines', fmtPercent(r.lines[0], 1), fmtPercent(r.lines[1], 1))}
                  {r.count !== undefined && <> · {tp('popup_rate_count', r.count)}</>}
                </div>
              </th>
              <td class="rate-val">
                <strong>{fmtPercent(r.value, 2)}</strong>
                <LineMeter
                  value={r.value}
                  lines={r.lines}
                  label={t('popup_meter_label', r.name, fmtPercent(r.value, 2), fmtPercent(r.lines[0], 1), fmtPercent(r.lines[1], 1))}
                />
                <div class={`rate-state small ${r.over ? 'warn-text' : 'muted'}`}>{r.state}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Reasons({ risk, rb, reasonTexts }: { risk: StoreRisk; rb: Rulebook; reasonTexts: Map<string, string> }) {
  const entries = Object.entries(risk.cancelled.byReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const weights = rb.metrics.reasonWeights as Record<string, { value: number } | undefined>;
  const who = [
    ['buyer', risk.cancelled.buyer],
    ['seller', risk.cancelled.seller],
    ['system', risk.cancelled.system],
    ['other', risk.cancelled.total - risk.cancelled.buyer - risk.cancelled.seller - risk.cancelled.system],
  ] as const;
  return (
    <section class="card" aria-labelledby="reasons-title">
      <h2 id="reasons-title" class="card-title">
        {t('popup_reasons_title')} <RuleId id="M2" />
      </h2>
      <p class="who small">
        {who
          .filter(([, n]) => n > 0)
          .map(([k, n]) => (
            <span key={k} class="who-item">
              {t(`popup_who_${k}`)}: <strong>{fmtNumber(n)}</strong>
            </span>
          ))}
      </p>
      <ul class="reasons">
        {entries.map(([code, n]) => {
          const w = weights[code]?.value;
          const share = risk.cancelled.total ? (n / risk.cancelled.total) * 100 : 0;
          return (
            <li key={code} data-reason={code}>
              <span class="reason-name">
                {reasonName(code, reasonTexts.get(code))}
                {code !== 'unknown' && <span class="reason-code">{code}</span>}
              </span>
              <span class="reason-bar" aria-hidden="true">
                <span style={{ width: `${share}%` }} />
              </span>
              <span class="reason-n">{fmtNumber(n)}</span>
              {w !== undefined && (
                <span class="reason-w" title={t('popup_weight_title', fmtNumber(w, 2))}>
                  ×{fmtNumber(w, 2)}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function TopSkus({ risk, names }: { risk: StoreRisk; names: Map<string, string> }) {
  if (!risk.topSkus.length) return null;
  return (
    <section class="card" aria-labelledby="skus-title">
      <h2 id="skus-title" class="card-title">
        {t('popup_skus_title', fmtNumber(risk.topSkus.length))} <RuleId id="M5" />
      </h2>
      <table class="skus">
        <thead>
          <tr>
            <th scope="col">{t('popup_skus_sku')}</th>
            <th scope="col" class="num">
              {t('popup_skus_cancelled')}
            </th>
            <th scope="col">{t('popup_skus_reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {risk.topSkus.map((s) => (
            <tr key={s.sku} data-sku={s.sku}>
              <td>
                <span class="sku">{s.sku}</span>
                {names.get(s.sku) && <div class="sku-name muted small">{names.get(s.sku)}</div>}
              </td>
              <td class="num">{fmtNumber(s.cancelled)}</td>
              <td class="small">
                {Object.entries(s.byReason)
                  .filter(([, n]) => n > 0)
                  .sort((a, b) => b[1] - a[1])
                  .map(([code, n]) => (
                    <span key={code} class="chip" title={reasonName(code)}>
                      {code === 'unknown' ? '?' : code} {fmtNumber(n)}
                    </span>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** M6 exposure, M7 category baselines, M4 one-day spikes: shown only when there is something to say. */
export function Exposure({ risk, rb }: { risk: StoreRisk; rb: Rulebook }) {
  const x = risk.extras;
  if (!x) return null;
  const m = rb.metrics;
  const dp = x.depositPenalty;
  const cats = (x.categories ?? []).filter((c) => c.orders > 0);
  const spikes = x.autoCancelSpikes ?? [];
  const reviews = x.skuReviews ?? [];
  return (
    <section class="card" aria-labelledby="exposure-title">
      <h2 id="exposure-title" class="card-title">
        {t('popup_exposure_title')}
      </h2>
      <div class={`exposure ${dp?.applies ? 'is-over' : ''}`} data-deposit="">
        <div class="exposure-head">
          <span>
            <strong>{t('popup_m6_title')}</strong> <RuleId id="M6" />
          </span>
          <strong class={`exposure-amount ${dp?.applies ? 'crit-text' : ''}`}>{fmtMoney(dp?.amountRub ?? 0, 'RUB')}</strong>
        </div>
        <div class="small">
          {dp?.applies ? t('popup_m6_at_risk') : t('popup_m6_not_now')}
          {x.gmv > 0 && <span class="muted"> · {t('popup_gmv', fmtMoney(x.gmv, x.currency ?? 'RUB'))}</span>}
        </div>
        <div class="muted small">
          {t(
            'popup_m6_rule',
            fmtNumber(m.penaltyConsecutivePeriods.value),
            fmtPercent(m.warningMaxPct.value, 1),
            fmtPercent(m.penaltyGmvPct.value, 1),
            fmtMoney(m.penaltyMinRub.value, 'RUB'),
          )}
        </div>
      </div>
      {cats.length > 0 && (
        <div class="cats">
          <h3 class="sub-title">
            {t('popup_m7_title')} <RuleId id="M7" />
          </h3>
          <table class="skus cats-table">
            <tbody>
              {cats.map((c) => {
                const over = c.aboveBaseline ?? (c.baseline !== undefined && c.rate > c.baseline);
                const group = c.baselineKey ? t(`popup_cat_${c.baselineKey}`) : '';
                return (
                  <tr key={c.category} data-category={c.category} class={over ? 'is-over' : ''}>
                    <td>
                      {c.category}
                      {group && group.toLowerCase() !== c.category.toLowerCase() && (
                        <span class="small muted"> · {group}</span>
                      )}
                      <div class="small muted">{tp('popup_count_of_orders', c.orders, fmtNumber(c.cancelled))}</div>
                    </td>
                    <td class="num">
                      <strong>{fmtPercent(c.rate, 2)}</strong>
                      <div class="small muted">
                        {c.baseline !== undefined ? t('popup_m7_baseline', fmtPercent(c.baseline, 1)) : t('popup_m7_no_baseline')}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {reviews.length > 0 && (
        <div class="alert alert-warn" data-sku-review="">
          <strong>{t('popup_m3_review_title', fmtPercent(m.skuDailySellerPct.value, 1))}</strong> <RuleId id="M3" />
          <ul>
            {reviews.slice(0, 5).map((r) => (
              <li key={`${r.sku}|${r.day}`}>
                {t(
                  'popup_m3_review',
                  r.sku,
                  fmtCalendarDay(r.day),
                  fmtNumber(r.sellerCancelled),
                  fmtNumber(r.orders),
                  fmtPercent(r.rate, 1),
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {spikes.length > 0 && (
        <div class="alert alert-crit" role="alert" data-spike="">
          <strong>{t('popup_m4_spike_title')}</strong> <RuleId id="M4" />
          <ul>
            {spikes.map((s) => (
              <li key={s.day}>
                {t(
                  'popup_m4_spike',
                  fmtCalendarDay(s.day),
                  fmtPercent(s.rate, 1),
                  fmtNumber(s.jumpPp, 1),
                  fmtNumber(m.rootCauseReportHours.value),
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** M5 as concrete steps for the reasons actually present, plus the M1/M3/M4 advice that applies. */
export function ResponsePlan({ risk, rb, onExport }: { risk: StoreRisk; rb: Rulebook; onExport(): void }) {
  const m = rb.metrics;
  // Ozon's own reason ids fall into the same playbooks (352 is out of stock, 667 a logistics loss …).
  const fam = risk.extras?.reasonFamilies;
  const reasons = {
    C03: fam?.C03 ?? risk.cancelled.byReason.C03 ?? 0,
    C07: fam?.C07 ?? risk.cancelled.byReason.C07 ?? 0,
    C11: fam?.C11 ?? risk.cancelled.byReason.C11 ?? 0,
  };
  const skusFor = (family: string) =>
    risk.topSkus
      .filter((s) => Object.entries(s.byReason).some(([code, n]) => n > 0 && (code === family || reasonFamily(code) === family)))
      .map((s) => s.sku)
      .slice(0, 3);
  const triggered = risk.actions.includes('M5');
  const steps: { id: string; key: string; text: string; detail?: string }[] = [];
  if (risk.cancelled.total > 0) {
    steps.push({ id: 'M5', key: 'export', text: t('popup_plan_export', fmtNumber(risk.windowDays)) });
  }
  const skuNote = (code: string) => {
    const s = skusFor(code);
    return s.length ? t('popup_plan_skus', s.join(', ')) : undefined;
  };
  if (reasons.C03 > 0)
    steps.push({ id: 'M5', key: 'C03', text: tp('popup_plan_c03', reasons.C03), detail: skuNote('C03') });
  if (reasons.C07 > 0)
    steps.push({ id: 'M5', key: 'C07', text: tp('popup_plan_c07', reasons.C07), detail: skuNote('C07') });
  if (reasons.C11 > 0)
    steps.push({
      id: 'M5',
      key: 'C11',
      text: tp('popup_plan_c11', reasons.C11, fmtNumber(m.listingRewriteHours.value)),
      detail: skuNote('C11'),
    });
  if (risk.actions.includes('M3'))
    steps.push({ id: 'M3', key: 'M3', text: t('popup_plan_m3', fmtPercent(m.sellerRankPct.value, 1)) });
  if (risk.actions.includes('M4'))
    steps.push({ id: 'M4', key: 'M4', text: t('popup_plan_m4', fmtPercent(m.acrRankPct.value, 1)) });
  if (risk.tier === 'critical') steps.push({ id: 'M1', key: 'M1c', text: t('popup_plan_m1_critical') });
  else if (risk.tier === 'warning')
    steps.push({ id: 'M1', key: 'M1w', text: t('popup_plan_m1_warning', fmtNumber(m.warningPromoFreezeDays.value)) });
  if (!steps.length) return null;
  return (
    <section class={`card plan ${triggered ? 'plan-on' : ''}`} aria-labelledby="plan-title" data-plan={triggered ? 'on' : 'off'}>
      <h2 id="plan-title" class="card-title">
        {t('popup_plan_title')} <RuleId id="M5" />
      </h2>
      <p class="small muted">
        {triggered
          ? t('popup_plan_triggered', fmtPercent(m.responsePlanPct.value, 1))
          : t('popup_plan_preventive', fmtPercent(m.responsePlanPct.value, 1))}
      </p>
      <ol class="steps">
        {steps.map((s) => (
          <li key={s.key} data-step={s.key}>
            <span>{s.text}</span> <RuleId id={s.id} />
            {s.key === 'export' && (
              <button type="button" class="link-btn inline" onClick={onExport}>
                {t('popup_export_cancellations')}
              </button>
            )}
            {s.detail && <div class="small muted">{s.detail}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
