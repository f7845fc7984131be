/**
 * evaluateOrder: one order → can it be cancelled, archived, and what is the
 * next deadline (docs/contract.md §2, rules P, L, D, C, A of the rulebook).
 *
 * Hot path: the badge layer calls this for every visible row and the popup
 * for every stored order, so it does plain epoch-ms arithmetic (no dayjs),
 * reads the rulebook once per rulebook object (cached), and allocates little.
 * It never throws and never yields NaN: an unreadable field is treated as
 * absent, an unknown scheme as FBS (the rulebook treats rFBS as FBS too, D2),
 * an unreadable status as `unknown` (L3).
 */
import { defaultRulebook, type Rulebook } from './rulebook';
import { normalizeCarrier, rulebookCfg, type RulebookCfg } from './rulebook-cfg';
import { isStatus, mapStatus } from './status';
import { clipMs, isoUtc, isValidMs, parseIsoMs } from './time';
import type { Deadline, DeadlineKind, Level, NextKey, Order, Scheme, Status, Verdict, VerdictNote } from './types';
import type { NoteKey } from './keys';
import { parseScheme } from './order-schema';

// The rulebook's numbers in the arithmetic's units have their own home; importers of evaluate keep finding them here.

/** An instant field → epoch ms, NaN when absent or unreadable (treated as absent). */
export function instantMs(x: unknown): number {
  if (typeof x === 'string') {
    const v = parseIsoMs(x);
    return v === v || x.length === 0 ? v : parseIsoMs(x.trim());
  }
  if (typeof x === 'number') return clipMs(x);
  if (x instanceof Date) return x.getTime();
  return NaN;
}

/** The order's status as a canonical Status: canonical ids pass, raw words go through L3, the rest is unknown. */
export function readStatus(x: unknown): Status {
  if (isStatus(x)) return x;
  return typeof x === 'string' ? mapStatus(x) : 'unknown';
}

/** The scheme; anything unreadable is treated as FBS (D2: rFBS is treated as FBS, and FBS is the strict default). */
export function readScheme(x: unknown): Scheme {
  return parseScheme(x) ?? 'FBS';
}

const isTrue = (x: unknown) => x === true;

function hasText(x: unknown): boolean {
  if (typeof x === 'string') return x.trim().length > 0;
  return typeof x === 'number' && Number.isFinite(x);
}

/** Level from the time left (D5): < 0 overdue, ≤ critical critical, ≤ at-risk at_risk, else ok. */
export function levelOf(msLeft: number, rb: Rulebook = defaultRulebook): Level {
  const cfg = rulebookCfg(rb);
  return levelFor(msLeft, cfg.atRiskMs, cfg.criticalMs);
}

/**
 * Time left → level (D5), the one definition: the verdict, the summary and the badge's
 * per-second tick (components/badge/) all use it. Its NaN policy: no time left known is no
 * level ('none', docs/contract.md §3), never 'ok'. Plain arguments, no object: the tick calls
 * it for every badge every second.
 */
export function levelFor(msLeft: number, atRiskMs: number, criticalMs: number): Level {
  if (!(msLeft === msLeft)) return 'none';
  if (msLeft < 0) return 'overdue';
  if (msLeft <= criticalMs) return 'critical';
  if (msLeft <= atRiskMs) return 'at_risk';
  return 'ok';
}

/** The open deadline in epoch ms (the arithmetic shared by evaluateOrder and summarizeStore). */
export interface RawDeadline {
  kind: DeadlineKind;
  due: number;
  /** NaN when no rule names an automatic cancellation. */
  autoCancel: number;
  rule: 'D1' | 'D2' | 'D3' | 'D4';
  source: 'page' | 'rulebook';
  /** Every deadline rule that shaped it (D2 and D3 both when both were counted). */
  rules: string[];
  /** Whether the panel's own time (shipBy) was used: P2. */
  pageUsed: boolean;
}

/**
 * The open stage's deadline (contract §2 "deadline"); undefined when there
 * is no open stage or no time to count from.
 */
export function rawDeadline(o: Partial<Order>, status: Status, scheme: Scheme, cfg: RulebookCfg): RawDeadline | undefined {
  if (status === 'awaiting_confirmation' || status === 'awaiting_packaging') {
    const confirmed = instantMs(o.confirmedAt);
    // awaiting_confirmation is always the confirm stage, confirmedAt or not.
    if (status === 'awaiting_confirmation' || !(confirmed === confirmed)) return confirmDeadline(o, cfg);
    return shipDeadline(o, scheme, confirmed, cfg);
  }
  if (status === 'awaiting_shipment') return shipDeadline(o, scheme, instantMs(o.confirmedAt), cfg);
  if (status === 'picked_up' || status === 'in_transit') {
    // D4: no stall clock once the parcel is in destination customs; D3 and shipBy end at pick-up.
    if (isTrue(o.inCustoms)) return undefined;
    let from = instantMs(o.lastTrackingAt);
    if (!(from === from)) from = instantMs(o.firstScanAt);
    if (!(from === from)) return undefined;
    const due = from + cfg.transitStallMs;
    return { kind: 'transit_stall', due, autoCancel: due, rule: 'D4', source: 'rulebook', rules: ['D4'], pageUsed: false };
  }
  return undefined;
}

function confirmDeadline(o: Partial<Order>, cfg: RulebookCfg): RawDeadline | undefined {
  const shipBy = instantMs(o.shipBy);
  if (shipBy === shipBy) {
    return { kind: 'confirm', due: shipBy, autoCancel: shipBy + cfg.autoCancelAfterMs, rule: 'D1', source: 'page', rules: ['D1'], pageUsed: true };
  }
  const paid = instantMs(o.paidAt);
  if (!(paid === paid)) return undefined;
  const due = paid + (isTrue(o.flags?.delayApproved) ? cfg.confirmDelayMs : cfg.confirmMs);
  return { kind: 'confirm', due, autoCancel: due + cfg.autoCancelAfterMs, rule: 'D1', source: 'rulebook', rules: ['D1'], pageUsed: false };
}

function shipDeadline(o: Partial<Order>, scheme: Scheme, confirmed: number, cfg: RulebookCfg): RawDeadline | undefined {
  let ship: RawDeadline | undefined;
  const shipBy = instantMs(o.shipBy);
  if (shipBy === shipBy) {
    ship = { kind: 'ship', due: shipBy, autoCancel: shipBy + cfg.autoCancelAfterMs, rule: 'D2', source: 'page', rules: ['D2'], pageUsed: true };
  } else if (confirmed === confirmed) {
    const due = confirmed + (scheme === 'FBO' ? cfg.shipFBOMs : scheme === 'rFBS' ? cfg.shipRFBSMs : cfg.shipFBSMs);
    ship = { kind: 'ship', due, autoCancel: due + cfg.autoCancelAfterMs, rule: 'D2', source: 'rulebook', rules: ['D2'], pageUsed: false };
  }
  const uploaded = instantMs(o.trackingUploadedAt);
  const firstScan = instantMs(o.firstScanAt);
  if (uploaded === uploaded && !(firstScan === firstScan)) {
    const due = uploaded + cfg.firstScanMs;
    if (!ship) return { kind: 'first_scan', due, autoCancel: NaN, rule: 'D3', source: 'rulebook', rules: ['D3'], pageUsed: false };
    ship.rules = ['D2', 'D3'];
    // The earlier limit is the one to beat; on a tie the ship deadline (with its auto-cancel) wins.
    if (due < ship.due) return { kind: 'first_scan', due, autoCancel: NaN, rule: 'D3', source: 'rulebook', rules: ['D2', 'D3'], pageUsed: ship.pageUsed };
  }
  return ship;
}

const NEXT_TEXT: Record<NextKey, (cfg: RulebookCfg) => string> = {
  confirm_now: () => 'Cancel is locked for this order (C2): confirm it before the deadline',
  ship_now: () => 'Cancel is closed (C1): ship on time; after hand-over the buyer can refuse delivery or request a return (C3)',
  return_or_refuse: () => 'Request a return (C3) or let the buyer refuse delivery',
  return_request: (c) => `Only a return is possible: the buyer requests it and is refunded within ${c.returnRefundHours} h of receiving the item (C3)`,
  resolve_dispute: () => 'Resolve the dispute in the Disputed tab; after that only a return or a refused delivery (C3)',
  report_stalled_then_archive: () =>
    'Report the stalled parcel ("Report issue", D4); once Ozon sets it to Failed to Deliver, archive it (A1)',
  wait_buyer: () => 'Not yet processed: only the buyer can cancel it now (C4)',
  archive: () => 'Nothing to cancel: the order is closed (L1); archive it (A1)',
  check_status: () => 'Status not recognised (L3): check the order in the panel',
  panel_blocks: () => 'The panel does not offer Cancel for this order (P1)',
};

/** English text for a next-step key (the UI translates by key; this is the default wording). */
export function nextText(key: NextKey, rb: Rulebook = defaultRulebook): string {
  return NEXT_TEXT[key](rulebookCfg(rb));
}

const TERMINAL: ReadonlySet<Status> = new Set<Status>(['delivered', 'cancelled', 'returned', 'failed_to_deliver']);
const AFTER_HANDOVER: ReadonlySet<Status> = new Set<Status>(['awaiting_shipment', 'picked_up', 'in_transit', 'delivered', 'disputed']);

/** What to do instead of cancelling, by status (used for C3/C4/L1/L3 and for a P1 "no"). */
function nextForStatus(status: Status, dl: RawDeadline | undefined, level: Level): NextKey | undefined {
  switch (status) {
    case 'awaiting_shipment':
      return 'return_or_refuse';
    case 'picked_up':
    case 'in_transit':
      return dl?.kind === 'transit_stall' && level === 'overdue' ? 'report_stalled_then_archive' : 'return_or_refuse';
    case 'delivered':
      return 'return_request';
    case 'disputed':
      return 'resolve_dispute';
    case 'created':
      return 'wait_buyer';
    case 'cancelled':
    case 'returned':
    case 'failed_to_deliver':
      return 'archive';
    case 'unknown':
      return 'check_status';
    default:
      return undefined;
  }
}

function pushRule(rules: string[], id: string): void {
  if (!rules.includes(id)) rules.push(id);
}

function readPosting(o: unknown): string {
  try {
    const pn = (o as { postingNumber?: unknown } | null | undefined)?.postingNumber;
    if (typeof pn === 'string') return pn;
    if (typeof pn === 'number' && Number.isFinite(pn)) return String(pn);
  } catch {
    /* a hostile getter: fall through */
  }
  return '';
}

/**
 * One order → its Verdict (contract §2). `now` is an ISO instant, epoch ms or
 * a Date; an invalid `now` yields no deadline (level `none`) rather than NaN.
 */
export function evaluateOrder(order: Order, now: string | number | Date, rulebook: Rulebook = defaultRulebook): Verdict {
  try {
    return evaluateUnsafe(order, now, rulebook);
  } catch {
    // Only reachable through hostile getters / proxies: a verdict that claims nothing.
    return {
      postingNumber: readPosting(order),
      cancel: { allowed: false, rule: 'L3', next: NEXT_TEXT.check_status(rulebookCfg(defaultRulebook)), nextKey: 'check_status' },
      archive: { allowed: false, rule: 'A2' },
      level: 'none',
      rules: ['L3', 'A2'],
    };
  }
}

/**
 * What a badge shows of a verdict (docs/contract.md §3: cancel, archive, deadline kind and due,
 * level): a full Verdict is one, and `evaluateFacts` makes one alone. The overlay draws thousands
 * of rows from these and evaluates the whole verdict (advice, notes, rule list) only for the row
 * whose card opens (docs/performance.md, "Ninth pass").
 */
export interface VerdictFacts {
  cancel: { allowed: boolean };
  archive: { allowed: boolean };
  deadline?: { kind: DeadlineKind; dueAt: string };
  level: Level;
}

/** The decisions every verdict starts from: the stage's deadline, its level, and the cancel rule. */
interface Core {
  o: Partial<Order>;
  cfg: RulebookCfg;
  nowMs: number;
  status: Status;
  scheme: Scheme;
  dl: RawDeadline | undefined;
  /** Whether `dl` can be stated (its due inside the Date range): only then is there a deadline. */
  stated: boolean;
  level: Level;
  allowed: boolean;
  rule: string;
  nextKey: NextKey | undefined;
  paidStage: boolean;
}

function coreOf(order: Order, now: string | number | Date, rulebook: Rulebook): Core {
  const o = (order && typeof order === 'object' ? order : {}) as Partial<Order>;
  const cfg = rulebookCfg(rulebook);
  const nowMs = instantMs(now);
  const status = readStatus(o.status);
  const scheme = readScheme(o.scheme);

  // Deadline first: the cancel advice depends on the stage and the level.
  const dl = nowMs === nowMs ? rawDeadline(o, status, scheme, cfg) : undefined;
  // A limit past the Date range (counted from an absurd instant) cannot be stated as a UTC
  // instant, so there is no deadline to show rather than one whose dueAt is empty.
  const stated = !!dl && isValidMs(dl.due);
  const level: Level = stated ? levelFor(dl!.due - nowMs, cfg.atRiskMs, cfg.criticalMs) : 'none';

  // Cancel: the panel's own list (P1), then the tracking number (C1), then the locks (C2), then the stage.
  let allowed = false;
  let rule: string;
  let nextKey: NextKey | undefined;
  const actions = Array.isArray(o.availableActions) ? (o.availableActions as unknown[]) : undefined;
  const paidStage = status === 'awaiting_confirmation' || status === 'awaiting_packaging';
  // Read whatever the stage: a field that cannot be read (a hostile getter) makes the whole verdict the one that claims nothing.
  const tracking = hasText(o.trackingNumber);
  const flags = o.flags && typeof o.flags === 'object' ? o.flags : undefined;
  const locked =
    scheme === 'FBO' ||
    isTrue(flags?.digital) ||
    isTrue(flags?.electronics) ||
    isTrue(flags?.preorder) ||
    isTrue(flags?.autoConfirmShipment);
  if (actions) {
    allowed = actions.some((a) => typeof a === 'string' && a.trim().toLowerCase() === 'cancel');
    rule = 'P1';
    if (!allowed) nextKey = paidStage ? 'panel_blocks' : nextForStatus(status, dl, level);
  } else if (paidStage) {
    if (tracking) {
      rule = 'C1';
      nextKey = 'ship_now';
    } else if (locked) {
      rule = 'C2';
      nextKey = dl?.kind === 'confirm' || status === 'awaiting_confirmation' ? 'confirm_now' : 'ship_now';
    } else {
      allowed = true;
      rule = 'C1';
    }
  } else if (AFTER_HANDOVER.has(status)) {
    rule = 'C3';
    nextKey = nextForStatus(status, dl, level);
  } else if (status === 'created') {
    rule = 'C4';
    nextKey = 'wait_buyer';
  } else if (status === 'unknown') {
    rule = 'L3';
    nextKey = 'check_status';
  } else {
    rule = 'L1';
    nextKey = 'archive';
  }
  return { o, cfg, nowMs, status, scheme, dl, stated, level, allowed, rule, nextKey, paidStage };
}

/**
 * One order → what its badge shows: exactly evaluateOrder's cancel.allowed, archive.allowed,
 * level and deadline kind / dueAt (the property test in test/rules/evaluate-facts.test.ts), without
 * the advice, the notes and the rule list. Never throws.
 */
export function evaluateFacts(order: Order, now: string | number | Date, rulebook: Rulebook = defaultRulebook): VerdictFacts {
  let c: Core;
  try {
    c = coreOf(order, now, rulebook);
  } catch {
    // As evaluateOrder's verdict that claims nothing.
    return { cancel: { allowed: false }, archive: { allowed: false }, level: 'none' };
  }
  const f: VerdictFacts = { cancel: { allowed: c.allowed }, archive: { allowed: TERMINAL.has(c.status) }, level: c.level };
  if (c.stated) f.deadline = { kind: c.dl!.kind, dueAt: isoUtc(c.dl!.due) };
  return f;
}

function evaluateUnsafe(order: Order, now: string | number | Date, rulebook: Rulebook): Verdict {
  const { o, cfg, nowMs, status, dl, stated, level, allowed, rule, nextKey, paidStage } = coreOf(order, now, rulebook);
  let deadline: Deadline | undefined;
  if (stated) {
    deadline = { kind: dl!.kind, dueAt: isoUtc(dl!.due), msLeft: dl!.due - nowMs, rule: dl!.rule, source: dl!.source };
    if (isValidMs(dl!.autoCancel)) deadline.autoCancelAt = isoUtc(dl!.autoCancel);
  }
  const cancel: Verdict['cancel'] = { allowed, rule };
  if (!allowed && nextKey) {
    cancel.next = NEXT_TEXT[nextKey](cfg);
    cancel.nextKey = nextKey;
  }

  const archiveAllowed = TERMINAL.has(status);
  const archive = { allowed: archiveAllowed, rule: archiveAllowed ? 'A1' : 'A2' };

  const rules: string[] = [rule, archive.rule];
  if (status === 'unknown') pushRule(rules, 'L3');
  if (dl && deadline) {
    for (const r of dl.rules) pushRule(rules, r);
    if (dl.pageUsed) pushRule(rules, 'P2');
    if (level === 'at_risk' || level === 'critical') pushRule(rules, 'D5');
  }

  // Notes: informational, never change cancel.allowed (D6, D7, D8, D3 carrier, D4 customs, A3).
  let notes: VerdictNote[] | undefined;
  const addNote = (n: VerdictNote & { key: NoteKey }) => {
    // A window ending past the Date range (an absurd or hostile instant) has no ISO form:
    // the note stands, without an end it cannot state.
    if (n.until === '') delete n.until;
    (notes ??= []).push(n);
    pushRule(rules, n.rule);
  };
  const canCount = nowMs === nowMs;
  if (paidStage && canCount) {
    const paid = instantMs(o.paidAt);
    if (paid === paid) {
      if (allowed) {
        const until = paid + cfg.sellerCancelWindowMs;
        addNote({ rule: 'D6', key: 'seller_cancel_window', until: isoUtc(until), open: nowMs < until });
      }
      const until = paid + cfg.buyerCancelRequestMs;
      addNote({ rule: 'D7', key: 'buyer_cancel_request_window', until: isoUtc(until), open: nowMs < until });
    }
    const asked = instantMs(o.cancelRequestedAt);
    if (asked === asked) {
      const until = asked + cfg.buyerConfirmMs;
      addNote({ rule: 'D8', key: 'buyer_confirm_window', until: isoUtc(until), open: nowMs < until });
    }
  }
  if (!TERMINAL.has(status) && typeof o.carrier === 'string' && o.carrier.trim()) {
    if (!cfg.carrierWhitelist.has(normalizeCarrier(o.carrier))) addNote({ rule: 'D3', key: 'carrier_not_whitelisted' });
  }
  if ((status === 'picked_up' || status === 'in_transit') && isTrue(o.inCustoms)) addNote({ rule: 'D4', key: 'in_customs' });
  if (archiveAllowed) addNote({ rule: 'A3', key: 'archive_still_counts' });
  // M8: once handed over the way out is a return; who pays for it depends on the items' weight.
  if (rule === 'C3' && Array.isArray(o.items) && o.items.length) {
    let known = 0;
    let heavy = false;
    for (const it of o.items as unknown[]) {
      const w = it && typeof it === 'object' ? (it as { weightKg?: unknown }).weightKg : undefined;
      if (typeof w === 'number' && Number.isFinite(w) && w >= 0) {
        known++;
        if (w > cfg.freeReturnMaxKg) heavy = true;
      }
    }
    if (heavy) addNote({ rule: 'M8', key: 'return_seller_pays' });
    else if (known === o.items.length) addNote({ rule: 'M8', key: 'return_free' });
  }

  const v: Verdict = { postingNumber: readPosting(o), cancel, archive, level, rules };
  if (deadline) v.deadline = deadline;
  if (notes) v.notes = notes;
  return v;
}
