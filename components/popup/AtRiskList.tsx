/**
 * Orders that need attention now: StoreRisk.atRisk's order (soonest first),
 * each re-evaluated on the shared 1 s tick so the countdown and the level
 * colour move live between the once-a-minute summaries.
 */
import type { Order } from '../../rules';
import type { Rulebook } from '../../rules';
import { evaluateOrder } from '../../rules/index';
import { t, tp } from '../../lib/i18n';
import { useStore, type PopupStore } from './store';
import { bothTimes } from '../../lib/when';
import { actionOf, dueKey } from '../../lib/action';
import { fmtCountdown, fmtMoscow, fmtOwnZone, levelWord, deadlineWord, ruleTitle, statusWord } from './format';

export interface AtRiskListProps {
  /** The list reads the 1 s clock itself, so only it re-renders every tick. */
  store: PopupStore;
  postings: string[];
  byPosting: Map<string, Order>;
  rulebook: Rulebook;
  zone: string;
  hour12: boolean;
  onOpen(order: Order): void;
}

/** settings.secondZone, or the browser's own zone for 'auto'. */
function ownZoneOf(zone: string): string {
  if (zone && zone !== 'auto') return zone;
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function AtRiskList(p: AtRiskListProps) {
  const now = useStore(p.store, (s) => s.now);
  if (!p.postings.length) {
    return <p class="muted empty-line">{t('popup_atrisk_none')}</p>;
  }
  // Every at-risk order is in the list (contract §4); a long list scrolls inside its card instead of
  // pushing the store's figures out of the popup.
  return (
    <>
      <ul class="atrisk" aria-live="off" tabIndex={p.postings.length > 6 ? 0 : undefined}>
        {p.postings.map((pn) => {
          const order = p.byPosting.get(pn);
          if (!order) return null;
          const v = evaluateOrder(order, now, p.rulebook);
          const d = v.deadline;
          const level = v.level === 'none' || v.level === 'ok' ? 'at_risk' : v.level;
          // The action as the panel names it, and the seller's own time beside Moscow's (lib/when.ts, T2).
          const due = d ? t(dueKey(actionOf(order.status, d.kind))) : '';
          const both = d ? bothTimes(d.dueAt, ownZoneOf(p.zone), p.rulebook, p.hour12) : null;
          const tip = d
            ? [
                `${deadlineWord(d.kind)} — ${fmtMoscow(d.dueAt, p.rulebook, p.hour12)}`,
                t('popup_atrisk_own_zone', fmtOwnZone(d.dueAt, p.zone, p.hour12)),
                d.autoCancelAt ? t('popup_atrisk_autocancel', fmtMoscow(d.autoCancelAt, p.rulebook, p.hour12)) : '',
                t(d.source === 'page' ? 'popup_atrisk_source_page' : 'popup_atrisk_source_rulebook'),
                ruleTitle(d.rule),
              ]
                .filter(Boolean)
                .join('\n')
            : '';
          return (
            <li key={pn} data-ozon-guard-at-risk="" data-posting={pn} data-level={level} class={`atrisk-item level-${level}`}>
              <button
                type="button"
                class="atrisk-btn"
                title={tip}
                aria-label={t(
                  'popup_atrisk_item_label',
                  pn,
                  levelWord(level),
                  d ? deadlineWord(d.kind) : '',
                  d ? fmtCountdown(d.msLeft) : '',
                )}
                onClick={() => p.onOpen(order)}
              >
                <span class={`lvl-dot level-bg-${level}`} aria-hidden="true" />
                <span class="atrisk-main">
                  <span class="atrisk-pn">{pn}</span>
                  <span class="atrisk-sub">
                    <span class={`lvl-word level-text-${level}`}>{levelWord(level)}</span>
                    {' · '}
                    {d ? due : statusWord(order.status)}
                    {d && (
                      <>
                        {' · '}
                        <span class="rule-id">{d.rule}</span>
                      </>
                    )}
                  </span>
                </span>
                <span class="atrisk-time">
                  <span class={`countdown level-text-${level}`}>{d ? fmtCountdown(d.msLeft) : '—'}</span>
                  {d && <span class="atrisk-due">{fmtMoscow(d.dueAt, p.rulebook, p.hour12)}</span>}
                  {both?.own && (
                    <span class="atrisk-due atrisk-own" data-own-time="" title={both.night ? t('when_night_mark') : undefined}>
                      {both.own}
                      {both.night ? ' ☾' : ''}
                    </span>
                  )}
                </span>
                <span class="atrisk-open" aria-hidden="true">
                  ↗
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {p.postings.length > 6 && <p class="small muted scroll-hint">{tp('popup_atrisk_scroll', p.postings.length)}</p>}
    </>
  );
}
