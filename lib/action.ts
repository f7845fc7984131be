/**
 * What the seller must DO in the panel for an order's open deadline, named as
 * the panel names it. The rules speak of deadline kinds (docs/contract.md §2:
 * confirm / ship / first_scan / transit_stall) and those stay the machine
 * words (`data-deadline`); the seller reads the action instead:
 *
 * - an FBS posting "Awaiting packaging" (ru «Ожидают сборки», zh 等待备货,
 *   docs/real-panel.md) is packed with the panel's «Собрать» / "Assemble"
 *   button, and the time its list prints is «Отгрузить до» (ship by) — even
 *   when the rulebook calls that stage `confirm` (D1, no confirmedAt yet);
 * - "Awaiting shipment" is packed already: what is left is handing it over
 *   to the carrier by the same ship-by time (D2);
 * - only "Awaiting confirmation" has a confirm action (D1);
 * - the first carrier scan (D3) and a stalled transit (D4) as they are.
 */
import type { DeadlineKind, Status } from '../rules';

export const ACTIONS = ['confirm', 'pack', 'handover', 'first_scan', 'transit_stall'] as const;
export type Action = (typeof ACTIONS)[number];

export function actionOf(status: Status, kind: DeadlineKind): Action {
  if (kind === 'first_scan' || kind === 'transit_stall') return kind;
  if (status === 'awaiting_confirmation') return 'confirm';
  if (status === 'awaiting_packaging') return 'pack';
  if (kind === 'confirm') return 'confirm';
  return 'handover';
}

/** The deadline's name as the seller reads it ("Ship by", «Отгрузить до», 发货截止). */
export function dueKey(a: Action): string {
  return `action_due_${a}`;
}

const STEP_KEY: Record<Action, string> = {
  confirm: 'card_step_confirm',
  pack: 'card_step_ship', // "Pack it and hand it to the carrier": «Собрать», then hand over
  handover: 'card_step_handover',
  first_scan: 'card_step_first_scan',
  transit_stall: 'card_step_transit_stall',
};

/** The next step for the action, as an i18n key (the card's "Next step" line). */
export function stepKey(a: Action): string {
  return STEP_KEY[a];
}
