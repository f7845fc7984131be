/**
 * The popup screen: how close the shown store is to Ozon's penalties, and
 * which orders need attention now. The root carries the contract §4
 * attributes for the store on screen, always from StoreRisk (also under the
 * official profile, where only the headline changes).
 */
import { useMemo } from 'preact/hooks';
import { OwnZoneHint } from './OwnZoneHint';
import type { Order, StoreRisk } from '../../rules';
import { t, tp, fmtPercent, fmtNumber } from '../../lib/i18n';
import { useStore, riskFor, ordersOf, sameButSeconds, type PopupStore } from './store';
import type { PopupSource } from './source';
import { rateAttr } from './format';
import { Headline } from './Headline';
import { OfficialHeadline } from './Official';
import { RateRows, Reasons, TopSkus, Exposure, ResponsePlan } from './Details';
import { DayChart } from './DayChart';
import { basisOf } from './basis';
import { AtRiskList } from './AtRiskList';
import { DataPanel, CoverageLine } from './DataPanel';
import { PageReport } from './PageReport';
import { OzonFigures } from './OzonFigures';
import { saveFile } from './save-file';

const CSV_TYPE = 'text/csv;charset=utf-8';
import { secondZoneOf } from '../../storage/settings';

export interface AppProps {
  store: PopupStore;
  source: PopupSource;
  /** True when the page runs in a tab (wider layout, file dialogs are safe). */
  inTab?: boolean;
}

const EMPTY_ORDERS: Order[] = [];

/** Orders with no date to place them in the 30-day window (M1 counts by paidAt). */
function undatedCount(orders: Order[]): number {
  let n = 0;
  for (const o of orders) if (!o.paidAt) n++;
  return n;
}

export function storeLabelOf(id: string, name?: string): string {
  if (name) return name;
  if (id === 'unknown') return t('popup_store_unknown');
  return t('popup_store_id', id);
}

function isoDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function App({ store, source, inTab = false }: AppProps) {
  const s = useStore(store, (x) => x, sameButSeconds);
  const orders = ordersOf(s, s.selected) ?? EMPTY_ORDERS;
  const risk = riskFor(orders, s.now, s.rulebook);
  const byPosting = useMemo(() => new Map(orders.map((o) => [o.postingNumber, o])), [orders]);
  const undated = useMemo(() => undatedCount(orders), [orders]);
  const reasonTexts = useMemo(() => {
    const m = new Map<string, string>();
    for (const o of orders) {
      const c = o.cancellation;
      if (c?.reasonCode && c.reasonText && !m.has(c.reasonCode)) m.set(c.reasonCode, c.reasonText);
    }
    return m;
  }, [orders]);
  const skuNames = useMemo(() => {
    const m = new Map<string, string>();
    for (const o of orders) for (const it of o.items ?? []) if (it.name && !m.has(it.sku)) m.set(it.sku, it.name);
    return m;
  }, [orders]);

  const label = (id: string) => storeLabelOf(id, s.stores.find((x) => x.id === id)?.name);
  const official = s.rulebook.profile === 'official';
  const hasOrders = orders.length > 0;
  const coverage = s.selected ? (s.coverage[s.selected] ?? null) : null;

  const openPosting = (o: Order) => void source.openTab(source.postingUrl(o)).catch(() => undefined);
  const exportAtRisk = () =>
    saveFile(
      source.exportAtRiskCsv(orders, s.now, s.rulebook, secondZoneOf(s.settings)),
      `ozon-guard-at-risk-${s.selected ?? 'store'}-${isoDay(s.now)}.csv`,
      CSV_TYPE,
    );
  const exportCancellations = () =>
    saveFile(
      source.exportCancellationsCsv(orders, s.now, s.rulebook, secondZoneOf(s.settings)),
      `ozon-guard-cancellations-${s.selected ?? 'store'}-${isoDay(s.now)}.csv`,
      CSV_TYPE,
    );

  return (
    <div
      class={`app ${inTab ? 'in-tab' : 'in-popup'}`}
      data-ozon-guard-risk=""
      data-orders={String(risk.orders)}
      data-rate={rateAttr(risk.cancellationRate)}
      data-tier={risk.tier}
      data-store={s.selected ?? ''}
      data-profile={s.rulebook.profile}
      aria-busy={s.status === 'loading'}
    >
      <header class="top">
        <div class="brand">
          <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" class="logo">
            <path d="M10 1.5 17 4v5.2c0 4.3-2.9 7.6-7 9.3-4.1-1.7-7-5-7-9.3V4z" />
            <path d="m6.5 10 2.4 2.4 4.6-4.8" class="tick" />
          </svg>
          <h1>{t('popup_title')}</h1>
        </div>
        {!inTab && (
          <button
            type="button"
            class="icon-btn"
            title={t('popup_open_in_tab')}
            aria-label={t('popup_open_in_tab')}
            onClick={() => void source.openTab(popupTabUrl()).catch(() => undefined)}
          >
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" class="ext-icon">
              <path d="M8 1.5h4.5V6M12.5 1.5 6.5 7.5M11 8.5v3.5H2V3h3.5" />
            </svg>
          </button>
        )}
      </header>
      {s.stores.length > 1 && (
        <div class="store-bar">
          <label class="switcher">
            <span class="switcher-label">{t('popup_store_switch')}</span>
            <select
              data-store-switch=""
              value={s.selected ?? ''}
              onChange={(e) => s.select((e.currentTarget as HTMLSelectElement).value)}
            >
              {s.stores.map((x) => (
                <option key={x.id} value={x.id}>
                  {label(x.id)}
                  {x.id === s.activeStore ? ` · ${t('popup_store_current')}` : ''}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class={`icon-btn ${s.view === 'overview' ? 'on' : ''}`}
            aria-pressed={s.view === 'overview'}
            onClick={() => s.setView(s.view === 'overview' ? 'store' : 'overview')}
            data-overview-toggle=""
          >
            {t('popup_all_stores')}
          </button>
        </div>
      )}

      {s.status === 'error' && (
        <p class="alert alert-crit" role="alert">
          {t('popup_load_failed', s.error ?? '')}
        </p>
      )}
      {s.flags.layoutChanged && (
        <p class="alert alert-warn" role="alert" data-layout-changed="">
          <strong>{t('popup_layout_changed_title')}</strong> {t('popup_layout_changed')}
        </p>
      )}
      <PageReport />
      <OwnZoneHint secondZone={s.settings.secondZone} />
      {s.flags.pruned && s.flags.pruned.count > 0 && (
        <p class="note small" data-pruned="">
          {tp('popup_pruned', s.flags.pruned.count)}
        </p>
      )}

      {s.status === 'loading' ? (
        <p class="muted loading">{t('popup_loading')}</p>
      ) : s.view === 'overview' && s.stores.length > 1 ? (
        <Overview store={store} label={label} />
      ) : !hasOrders ? (
        <EmptyState windowDays={s.rulebook.metrics.windowDays.value} />
      ) : (
        <main>
          {official ? <OfficialHeadline orders={orders} now={s.now} rb={s.rulebook} /> : <Headline risk={risk} rb={s.rulebook} basis={basisOf(risk, orders, s.now, s.rulebook)} />}
          {official && <SeedSummaryLine risk={risk} />}
          <OzonFigures storeId={s.selected} orders={orders} now={s.now} rb={s.rulebook} risk={risk} />

          <section class="card" aria-labelledby="atrisk-title">
            <h2 id="atrisk-title" class="card-title">
              {t('popup_atrisk_title')}
              {risk.atRisk.length > 0 && <span class="count-pill">{fmtNumber(risk.atRisk.length)}</span>}
              <span class="rule-id">D5</span>
            </h2>
            <AtRiskList
              store={store}
              postings={risk.atRisk}
              byPosting={byPosting}
              rulebook={s.rulebook}
              zone={s.settings.secondZone}
              hour12={s.settings.hour12}
              onOpen={openPosting}
            />
          </section>

          {/* The first screen (600 px) holds the rate with its basis and the at-risk list; the rest unfolds. */}
          <details class="more" data-more="" open={inTab}>
            <summary class="more-summary">{t('popup_more_summary')}</summary>
          <section class="card" aria-labelledby="chart-title">
            <h2 id="chart-title" class="card-title">
              {t('popup_chart_title', fmtNumber(risk.windowDays))}
            </h2>
            <DayChart days={risk.extras?.perDay ?? []} />
            <CoverageLine coverage={coverage} rb={s.rulebook} storeId={s.selected} />
          </section>

          <RateRows risk={risk} rb={s.rulebook} />
          {risk.cancelled.total > 0 && <Reasons risk={risk} rb={s.rulebook} reasonTexts={reasonTexts} />}
          <TopSkus risk={risk} names={skuNames} />
          <ResponsePlan risk={risk} rb={s.rulebook} onExport={exportCancellations} />
          <Exposure risk={risk} rb={s.rulebook} />
          </details>
        </main>
      )}

      {s.status !== 'loading' && (
        <DataPanel
          risk={risk}
          rb={s.rulebook}
          now={s.now}
          coverage={coverage}
          stores={s.stores}
          selected={s.selected}
          importTarget={s.importTarget}
          importing={s.importing}
          inTab={inTab}
          storeLabel={label}
          onPickTarget={s.setImportTarget}
          onFile={(f) => void s.importFile(f)}
          undated={undated}
          importScheme={s.importScheme}
          onImportScheme={s.setImportScheme}
          onAnswerScheme={(x) => void s.answerScheme(x)}
          onOpenInTab={() => void source.openTab(popupTabUrl()).catch(() => undefined)}
          onExportAtRisk={exportAtRisk}
          onExportCancellations={exportCancellations}
        />
      )}
    </div>
  );
}

/** popup.html in a tab; the query tells the page it has room (and that file dialogs are safe). */
export function popupTabUrl(): string {
  const g = globalThis as unknown as { browser?: { runtime?: { getURL?: (p: string) => string } } };
  const base = g.browser?.runtime?.getURL?.('/popup.html') ?? 'popup.html';
  return `${base}?view=tab`;
}

/** Under the official profile the seed figures stay one line away (the contract attributes show them). */
function SeedSummaryLine({ risk }: { risk: StoreRisk }) {
  return (
    <p class="small muted seed-line">
      {t('popup_seed_line', fmtNumber(risk.windowDays), fmtPercent(risk.cancellationRate, 2), t(`popup_tier_${risk.tier}`))}
      {' · '}
      {tp('popup_count_of_orders', risk.orders, fmtNumber(risk.cancelled.total))}
    </p>
  );
}

function EmptyState({ windowDays }: { windowDays: number }) {
  return (
    <section class="card empty" data-empty="">
      <h2 class="card-title">{t('popup_empty_title')}</h2>
      <ol class="steps">
        <li>{t('popup_empty_step_panel')}</li>
        <li>{t('popup_empty_step_csv', fmtNumber(windowDays))}</li>
      </ol>
      <p class="small muted">{t('popup_empty_note')}</p>
    </section>
  );
}

function Overview({ store, label }: { store: PopupStore; label(id: string): string }) {
  const s = useStore(store, (x) => x, sameButSeconds);
  return (
    <section class="card" aria-labelledby="ov-title" data-overview="">
      <h2 id="ov-title" class="card-title">
        {t('popup_overview_title')}
      </h2>
      <table class="overview">
        <thead>
          <tr>
            <th scope="col">{t('popup_overview_store')}</th>
            <th scope="col" class="num">
              {t('popup_overview_rate')}
            </th>
            <th scope="col">{t('popup_overview_tier')}</th>
            <th scope="col" class="num">
              {t('popup_overview_atrisk')}
            </th>
          </tr>
        </thead>
        <tbody>
          {s.stores.map((x) => {
            const r = riskFor(ordersOf(s, x.id), s.now, s.rulebook);
            return (
              <tr
                key={x.id}
                data-store-row={x.id}
                data-store-rate={rateAttr(r.cancellationRate)}
                data-store-tier={r.tier}
                class={x.id === s.selected ? 'is-selected' : ''}
              >
                <td>
                  <button type="button" class="link-btn" onClick={() => s.select(x.id)}>
                    {label(x.id)}
                  </button>
                  <div class="small muted">{tp('popup_count_of_orders', r.orders, fmtNumber(r.cancelled.total))}</div>
                </td>
                <td class="num">
                  <strong class={`tier-text-${r.tier}`}>{fmtPercent(r.cancellationRate, 2)}</strong>
                </td>
                <td>
                  <span class={`tier-chip small tier-bg-${r.tier}`}>{t(`popup_tier_${r.tier}`)}</span>
                </td>
                <td class="num">{fmtNumber(r.atRisk.length)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
