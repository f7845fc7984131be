/**
 * The toolbar icon's count: how many stored open orders are at risk,
 * critical or overdue (D5 levels from evaluateOrder), across every store —
 * the background cannot see which store a tab shows without the "tabs"
 * permission, and an order in another store is just as urgent. Red when
 * anything is critical or overdue, amber otherwise, empty at zero.
 *
 * Recomputed when the history changes, on every alarm and on the periodic
 * tick, so a countdown crossing a line updates the count without a page visit.
 */
import { browser } from 'wxt/browser';
import type { Level, Order } from '../rules';
import { defaultRulebook, type Rulebook } from '../rules';
import { evaluateOrder } from '../rules';
import { TERMINAL_STATUSES } from '../rules';
import { loadAllOrders } from '../storage/history';
import { loadConfig } from '../storage/config';
import { t, tp } from '../lib/i18n';

export const BADGE_RED = '#D93025';
export const BADGE_AMBER = '#F29900';
/** Four characters is all a badge shows. */
const MAX_BADGE = 999;

export interface BadgeState {
  count: number;
  /** '' at zero, "999+" beyond. */
  text: string;
  color: string;
  /** The worst level counted ('none' at zero). */
  worst: Level;
  critical: number;
  title: string;
}

const RANK: Record<Level, number> = { none: 0, ok: 1, at_risk: 2, critical: 3, overdue: 4 };

/** Pure: the levels of the orders → what the badge says. */
export function badgeState(levels: Iterable<Level>): BadgeState {
  let count = 0;
  let critical = 0;
  let worst: Level = 'none';
  for (const l of levels) {
    if (RANK[l] < RANK.at_risk) continue;
    count++;
    if (l === 'critical' || l === 'overdue') critical++;
    if (RANK[l] > RANK[worst]) worst = l;
  }
  return {
    count,
    critical,
    worst,
    text: count === 0 ? '' : count > MAX_BADGE ? `${MAX_BADGE}+` : String(count),
    color: critical > 0 ? BADGE_RED : BADGE_AMBER,
    title: count === 0 ? t('icon_title_none') : tp('icon_title_count', count),
  };
}

/** The levels of every open order (terminal and archived ones never count). */
export function levelsOf(orders: Iterable<Order>, now: number, rulebook: Rulebook = defaultRulebook): Level[] {
  const out: Level[] = [];
  for (const o of orders) {
    if (TERMINAL_STATUSES.has(o.status) || o.archived) continue;
    out.push(evaluateOrder(o, now, rulebook).level);
  }
  return out;
}

type ActionApi = {
  setBadgeText(d: { text: string }): Promise<void>;
  setBadgeBackgroundColor(d: { color: string }): Promise<void>;
  setTitle(d: { title: string }): Promise<void>;
};

/** MV3 `action`, or Firefox MV2's `browserAction`. */
function actionApi(): ActionApi | undefined {
  const b = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  return b.action ?? b.browserAction;
}

/** Recounts and paints the badge. Never throws (a missing API only skips painting). */
export async function updateIcon(now = Date.now()): Promise<BadgeState> {
  const { rulebook } = await loadConfig();
  const stores = await loadAllOrders();
  const state = badgeState(levelsOf(stores.flatMap((s) => s.orders), now, rulebook));
  const api = actionApi();
  if (api) {
    try {
      await api.setBadgeText({ text: state.text });
      if (state.count) await api.setBadgeBackgroundColor({ color: state.color });
      await api.setTitle({ title: state.title });
    } catch {
      /* the action API may be missing in a test or an unusual browser */
    }
  }
  return state;
}
