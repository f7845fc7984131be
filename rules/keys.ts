/**
 * The closed sets of machine words the rules hand to the UI, as lists: the UI
 * turns each into words by building an i18n key at run time (`status_<s>`,
 * `level_<l>`, `deadline_<k>`, `note_<key>`, `next_<key>` …), so a key that no
 * locale defines would reach the screen raw. test/locales/runtime-keys.test.ts
 * enumerates these lists and fails on any key missing in any language.
 *
 * Each list is checked against its type below: adding a member to the type
 * without adding it here is a compile error.
 */
import type { DeadlineKind, Level, NextKey } from './types';

export const LEVELS = ['none', 'ok', 'at_risk', 'critical', 'overdue'] as const satisfies readonly Level[];

export const DEADLINE_KINDS = ['confirm', 'ship', 'first_scan', 'transit_stall'] as const satisfies readonly DeadlineKind[];

export const NEXT_KEYS = [
  'confirm_now',
  'ship_now',
  'return_or_refuse',
  'return_request',
  'resolve_dispute',
  'report_stalled_then_archive',
  'wait_buyer',
  'archive',
  'check_status',
  'panel_blocks',
] as const satisfies readonly NextKey[];

/**
 * The notes evaluateOrder can attach (VerdictNote.key), with the rule each
 * cites: D6 / D7 / D8 windows, the D3 carrier list, D4 customs, A3 (archived
 * orders still count), M8 return cost.
 */
export const NOTE_KEYS = [
  'seller_cancel_window',
  'buyer_cancel_request_window',
  'buyer_confirm_window',
  'carrier_not_whitelisted',
  'in_customs',
  'archive_still_counts',
  'return_seller_pays',
  'return_free',
] as const;

export type NoteKey = (typeof NOTE_KEYS)[number];

// Exhaustiveness: each list names every member of its type.
type Missing<T, L extends readonly unknown[]> = Exclude<T, L[number]>;
const complete = <T extends never>(): T | undefined => undefined;
complete<Missing<Level, typeof LEVELS>>();
complete<Missing<DeadlineKind, typeof DEADLINE_KINDS>>();
complete<Missing<NextKey, typeof NEXT_KEYS>>();
