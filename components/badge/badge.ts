/**
 * One badge: ONE light element per row — an unregistered custom element
 * (isolated worlds cannot register custom elements, and an unknown tag is
 * inert for the page's scripts) with no shadow root and no child but one
 * text node. A list can hold thousands of rows: a shadow root, an adopted
 * sheet and a cloned fragment per row were most of the overlay's cost
 * (docs/performance.md). Its look comes from the document's one badge sheet
 * (styles.ts), which draws the pills from attributes.
 *
 * The element carries the contract's data attributes (docs/contract.md §3),
 * all set in one render. Page-derived text is only ever set through
 * attributes and textContent, never parsed as markup.
 */
import { messagesVersion, t, tf } from '../../lib/i18n';
import type { Level, Order, Rulebook, Verdict, VerdictFacts } from '../../rules';
import { countdownKey, formatCountdown } from './countdown';
import { defaultRulebook, evaluateOrder, levelFor } from '../../rules';
import { ensureBadgeStyles } from './styles';
import { actionOf, dueKey } from '../../lib/action';

export const HOST_TAG = 'ozon-guard-badge';
export const HOST_ATTR = 'data-ozon-guard';

export interface BadgeView {
  density: 'compact' | 'detailed';
  parts: { cancel: boolean; archive: boolean; countdown: boolean };
}

/** The D5 lines in ms, from the rulebook in force. */
export interface LevelLines {
  atRiskMs: number;
  criticalMs: number;
}

export interface Badge {
  /** The badge itself: one light element in the row (no shadow root, no children but one text node). */
  host: HTMLElement;
  /** The row the badge belongs to. */
  row: Element | null;
  posting: string;
  order: Order | null;
  /**
   * The order's whole verdict (advice, notes, rules) as of the last render: made when first asked
   * for (the card, the at-risk list) from what the badge was drawn with, unless that was already one.
   */
  readonly verdict: Verdict | null;
  /** dueAt in epoch ms; NaN when there is no deadline. */
  dueMs: number;
  level: Level;
  /** The countdown number last written (countdownKey), to skip unchanged text. */
  shownKey: number;
  /** Whether the badge is near the viewport (measured by components/overlay/clock.ts); unknown counts as visible. */
  visible: boolean;
  /** Whether the clock's one IntersectionObserver reports this badge's visibility (its countdown shows seconds). */
  watched: boolean;
  /**
   * Whether only the contract's part is written (its attributes, role, focus and aria-label) and
   * the pills wait until the badge is near the viewport (`drawBadge`, from components/overlay/clock.ts).
   */
  readonly bare: boolean;
}

const badges = new WeakMap<Element, Badge>();

export function isBadgeHost(n: Node | null | undefined): n is HTMLElement {
  return !!n && n.nodeType === 1 && (n as Element).tagName === 'OZON-GUARD-BADGE';
}

export function badgeOf(host: Element): Badge | undefined {
  return badges.get(host);
}

/**
 * The visual attributes (not part of the contract, docs/contract.md §3):
 * the shared sheet (styles.ts) draws the countdown pill from T_CD, the
 * cancel pill from T_CX, and the archive verdict is the element's one text
 * node. Flags: FBO (Ozon's countdown, grey), DETAILED density, DOT (every
 * part switched off).
 */
const T_CD = 'data-t-cd';
const T_CX = 'data-t-cx';
const F_FBO = 'data-fbo';
const F_DETAILED = 'data-detailed';
const F_DOT = 'data-dot';
/**
 * A bare badge (`Badge.bare`): the contract's attributes and aria-label without the pills. The
 * sheet draws it as an empty, borderless box; the pills' style and layout (attr() content, text
 * shaping) were most of what a long list's badges cost the page to render (docs/performance.md
 * "Sixteenth pass").
 */
const F_BARE = 'data-b';

class BadgeImpl implements Badge {
  row: Element | null = null;
  posting = '';
  order: Order | null = null;
  /** What the badge was drawn from (a whole verdict, or its facts alone: rules evaluateFacts). */
  facts: VerdictFacts | null = null;
  /** The whole verdict once made (or given). */
  full: Verdict | null = null;
  /** The instant and rulebook of the last render: the whole verdict is evaluated for them. */
  drawnAt = NaN;
  rulebook: Rulebook = defaultRulebook;
  dueMs = NaN;
  level: Level = 'none';
  shownKey = NaN;
  visible = true;
  watched = false;
  /** Whether the countdown pill is shown, and the deadline's name before it ('' when none). */
  showCd = false;
  kindText = '';
  bare = false;
  /** The cancel pill's words (null: that part is off), the archive's words, the dot: what `drawBadge` writes. */
  cx: string | null = null;
  ax = '';
  dot = false;
  constructor(readonly host: HTMLElement) {}

  get verdict(): Verdict | null {
    if (!this.full && this.order && this.facts) this.full = evaluateOrder(this.order, this.drawnAt, this.rulebook);
    return this.full;
  }
}

/** A whole verdict (evaluateOrder's) rather than its facts alone (evaluateFacts'): only the whole one has a rule list. */
function isWhole(v: VerdictFacts): v is Verdict {
  return Array.isArray((v as Partial<Verdict>).rules);
}

/** The host every badge is cloned from, per document: tag, marker, focusable, its role. */
const hostTemplates = new WeakMap<Document, HTMLElement>();

function baseHost(doc: Document): HTMLElement {
  let tpl = hostTemplates.get(doc);
  if (!tpl) {
    tpl = doc.createElement(HOST_TAG);
    tpl.setAttribute(HOST_ATTR, '');
    tpl.tabIndex = 0;
    tpl.setAttribute('role', 'group');
    hostTemplates.set(doc, tpl);
  }
  return tpl;
}

/**
 * Creates a detached badge; `renderBadge` fills it. One element: its look is
 * the document's one badge sheet (styles.ts), put in place here the first time.
 */
export function createBadge(doc: Document = document): Badge {
  ensureBadgeStyles(doc);
  const host = baseHost(doc).cloneNode(false) as HTMLElement;
  const b = new BadgeImpl(host);
  badges.set(host, b);
  return b;
}

/**
 * What the badge shows a sighted seller, in its visual order (countdown,
 * cancel, archive): the same words as its attributes and text node hold.
 * The screen reader's text is its aria-label.
 */
export function badgeText(host: Element): string {
  return (host.getAttribute(T_CD) ?? '') + (host.getAttribute(T_CX) ?? '') + (host.textContent ?? '');
}

function setAttr(e: Element, name: string, value: string | null): void {
  if (value === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setFlag(e: Element, name: string, on: boolean): void {
  if (on !== e.hasAttribute(name)) e.toggleAttribute(name, on);
}

/** What a badge shows, derived once per render from the order, its verdict and the view in force. */
interface Look {
  dueMs: number;
  level: Level;
  deadline: string;
  cancel: 'allowed' | 'blocked';
  archive: 'allowed' | 'blocked';
  showCd: boolean;
  kindText: string;
  fbo: boolean;
  detailed: boolean;
  /** The cancel pill's words, or null when that part is off. */
  cx: string | null;
  /** The archive verdict's words ('' when that part is off). */
  ax: string;
  dot: boolean;
}

function lookOf(order: Order, verdict: VerdictFacts, view: BadgeView, now: number, lines: LevelLines): Look {
  const d = verdict.deadline;
  const dueMs = d ? Date.parse(d.dueAt) : NaN;
  const detailed = view.density === 'detailed';
  const showCd = view.parts.countdown && !!d;
  // FBO: Ozon's warehouse ships it, so its countdown is Ozon's, not the seller's: named so, in any density.
  const fbo = order.scheme === 'FBO';
  const showKind = !!d && (detailed || fbo);
  return {
    dueMs,
    // The verdict's level was computed for `now`; re-derive so ticks and renders agree.
    level: Number.isFinite(dueMs) ? levelFor(dueMs - now, lines.atRiskMs, lines.criticalMs) : verdict.level,
    deadline: d ? d.kind : 'none',
    cancel: verdict.cancel.allowed ? 'allowed' : 'blocked',
    archive: verdict.archive.allowed ? 'allowed' : 'blocked',
    showCd,
    kindText: showKind ? (fbo ? tc('badge_fbo') : tc(dueKey(actionOf(order.status, d!.kind)))) : '',
    fbo,
    detailed,
    // "Can cancel" / "Can't cancel" in words and one neutral tone: a green ✓ next to "Cancel" reads as
    // "cancelled ✓" and invites the one action that raises the rate this tool guards (M1).
    cx: view.parts.cancel ? tc(verdict.cancel.allowed ? 'badge_cancel_yes' : 'badge_cancel_no') : null,
    ax: view.parts.archive ? tc(verdict.archive.allowed ? 'badge_archive_yes' : 'badge_archive_no') : '',
    // Nothing else shown (all parts switched off): a dot in the level's colour still opens the card.
    dot: !(showCd || view.parts.cancel || view.parts.archive),
  };
}

function takeLook(b: Badge, order: Order, verdict: VerdictFacts, look: Look, now: number, rulebook: Rulebook): void {
  const impl = b as BadgeImpl;
  impl.order = order;
  impl.facts = verdict;
  impl.full = isWhole(verdict) ? verdict : null;
  impl.drawnAt = now;
  impl.rulebook = rulebook;
  b.posting = order.postingNumber;
  b.dueMs = look.dueMs;
  b.level = look.level;
  impl.showCd = look.showCd;
  impl.kindText = look.kindText;
  impl.cx = look.cx;
  impl.ax = look.ax;
  impl.dot = look.dot;
  b.shownKey = NaN;
}

/** The pills: the cancel verdict, the archive verdict, the dot, the countdown (the visual part, not the contract's). */
function writeVisual(b: BadgeImpl, now: number): void {
  const h = b.host;
  setAttr(h, T_CX, b.cx);
  // One text node or none (none lets the sheet's :empty drop the archive's padding).
  if (h.textContent !== b.ax) h.textContent = b.ax;
  setFlag(h, F_DOT, b.dot);
  if (b.showCd) writeCountdown(b, now);
  else setAttr(h, T_CD, null);
}

/**
 * A bare badge near the viewport: its pills written now, from what it was last rendered with.
 * Returns whether it was bare (a drawn badge is left alone).
 */
export function drawBadge(b: Badge, now: number): boolean {
  const impl = b as BadgeImpl;
  if (!impl.bare) return false;
  impl.bare = false;
  impl.host.removeAttribute(F_BARE);
  writeVisual(impl, now);
  return true;
}

/**
 * Writes the whole badge for an order and its verdict (or the verdict's facts, rules evaluateFacts,
 * evaluated at `now` with `rulebook`): every contract attribute at once (docs/contract.md §3).
 */
export function renderBadge(
  b: Badge,
  order: Order,
  verdict: VerdictFacts,
  view: BadgeView,
  now: number,
  lines: LevelLines,
  rulebook: Rulebook = defaultRulebook,
): void {
  const look = lookOf(order, verdict, view, now, lines);
  takeLook(b, order, verdict, look, now, rulebook);
  const h = b.host;
  setAttr(h, 'data-posting', order.postingNumber);
  setAttr(h, 'data-status', order.status);
  setAttr(h, 'data-cancel', look.cancel);
  setAttr(h, 'data-archive', look.archive);
  setAttr(h, 'data-deadline', look.deadline);
  setAttr(h, 'data-due', verdict.deadline ? verdict.deadline.dueAt : null);
  setAttr(h, 'data-level', look.level);
  setFlag(h, F_FBO, look.fbo);
  setFlag(h, F_DETAILED, look.detailed);
  // A bare badge keeps its pills unwritten until it is near the viewport (drawBadge).
  if (!(b as BadgeImpl).bare) writeVisual(b as BadgeImpl, now);
  setAttr(h, 'aria-label', ariaLabel(order, verdict));
}

/**
 * Prepared hosts, per document: a host with every attribute that many rows share already set
 * (status, cancel, archive, deadline kind, level, the flags, the cancel pill's and the archive's
 * words), keyed by those values. A new badge is a clone of its prepared host — the engine copies
 * the attributes in one step — plus the four a row has of its own (posting, due, countdown,
 * aria-label), where setting ~12 attributes one by one was the largest part of a new badge's
 * cost at 5,000 rows (docs/performance.md). Bounded (PREPARED_MAX, then started afresh) and
 * dropped when the words in force change (the key holds translated text).
 */
interface Prepared {
  host: HTMLElement;
  /** The aria-label after the posting number: a function of the same key (ariaLabel). */
  ariaRest: string;
}
const prepared = new WeakMap<Document, { version: number; hosts: Map<string, Prepared> }>();
const PREPARED_MAX = 64;

function preparedHost(doc: Document, order: Order, verdict: VerdictFacts, look: Look, bare: boolean): Prepared {
  const version = messagesVersion();
  let p = prepared.get(doc);
  if (!p || p.version !== version) prepared.set(doc, (p = { version, hosts: new Map() }));
  // The pills' words are a function of the verdicts and the parts shown (and of the words in force, which
  // start the map afresh): flags for those, rather than the words themselves in the key.
  const bits =
    (look.cancel === 'allowed' ? 1 : 0) |
    (look.archive === 'allowed' ? 2 : 0) |
    (look.fbo ? 4 : 0) |
    (look.detailed ? 8 : 0) |
    (look.dot ? 16 : 0) |
    (look.cx !== null ? 32 : 0) |
    (look.ax ? 64 : 0) |
    (bare ? 128 : 0);
  const key = `${order.status}|${look.deadline}|${look.level}|${bits}`;
  let entry = p.hosts.get(key);
  if (!entry) {
    if (p.hosts.size >= PREPARED_MAX) p.hosts.clear();
    const tpl = baseHost(doc).cloneNode(false) as HTMLElement;
    tpl.setAttribute('data-status', order.status);
    tpl.setAttribute('data-cancel', look.cancel);
    tpl.setAttribute('data-archive', look.archive);
    tpl.setAttribute('data-deadline', look.deadline);
    tpl.setAttribute('data-level', look.level);
    if (look.fbo) tpl.setAttribute(F_FBO, '');
    if (look.detailed) tpl.setAttribute(F_DETAILED, '');
    if (bare) tpl.setAttribute(F_BARE, '');
    else {
      if (look.cx !== null) tpl.setAttribute(T_CX, look.cx);
      if (look.ax) tpl.textContent = look.ax;
      if (look.dot) tpl.setAttribute(F_DOT, '');
    }
    // The key holds everything the label says but the posting (cancel, archive, status + deadline kind, FBO).
    entry = { host: tpl, ariaRest: ariaRest(order, verdict) };
    p.hosts.set(key, entry);
  }
  return entry;
}

/**
 * A new badge, drawn: what createBadge + renderBadge give, made from a prepared host
 * (see `prepared`). The rows' hot path (components/overlay/rows.ts) creates badges this way.
 * `bare`: the contract's part only (every contract attribute and the aria-label, at once); the
 * pills wait for `drawBadge` (docs/contract.md §3 asks for the attributes, not the look).
 */
export function createRenderedBadge(
  order: Order,
  verdict: VerdictFacts,
  view: BadgeView,
  now: number,
  lines: LevelLines,
  doc: Document = document,
  rulebook: Rulebook = defaultRulebook,
  bare = false,
): Badge {
  ensureBadgeStyles(doc);
  const look = lookOf(order, verdict, view, now, lines);
  const prep = preparedHost(doc, order, verdict, look, bare);
  const host = prep.host.cloneNode(true) as HTMLElement;
  const b = new BadgeImpl(host);
  badges.set(host, b);
  takeLook(b, order, verdict, look, now, rulebook);
  b.bare = bare;
  host.setAttribute('data-posting', order.postingNumber);
  if (verdict.deadline) host.setAttribute('data-due', verdict.deadline.dueAt);
  if (look.showCd && !bare) writeCountdown(b, now);
  host.setAttribute('aria-label', tf('badge_aria')(order.postingNumber) + prep.ariaRest);
  return b;
}

/**
 * Translated badge strings by key, for the strings in force: a page of
 * thousands of badges asks for the same few on every render (the performance budget, docs/performance.md).
 */
const strings = new Map<string, string>();
let stringsVersion = -1;

function tc(key: string): string {
  const v = messagesVersion();
  if (v !== stringsVersion) {
    strings.clear();
    stringsVersion = v;
  }
  let s = strings.get(key);
  if (s === undefined) strings.set(key, (s = t(key)));
  return s;
}

/** What the screen reader hears: the badge's name and posting, then `ariaRest`. */
function ariaLabel(order: Order, v: VerdictFacts): string {
  return tf('badge_aria')(order.postingNumber) + ariaRest(order, v);
}

/** The label after the posting: the cancel and archive verdicts, and the deadline's name. */
function ariaRest(order: Order, v: VerdictFacts): string {
  let s = `; ${tc(v.cancel.allowed ? 'badge_cancel_yes' : 'badge_cancel_no')}; ${tc(v.archive.allowed ? 'badge_archive_yes' : 'badge_archive_no')}`;
  if (v.deadline) s += `; ${order.scheme === 'FBO' ? tc('badge_fbo') : tc(dueKey(actionOf(order.status, v.deadline.kind)))}`;
  return s;
}

function writeCountdown(b: Badge, now: number): boolean {
  const ms = b.dueMs - now;
  const key = countdownKey(ms);
  if (key === b.shownKey) return false;
  b.shownKey = key;
  const kind = (b as BadgeImpl).kindText;
  b.host.setAttribute(T_CD, (kind ? `${kind} ` : '') + formatCountdown(ms));
  return true;
}

/**
 * One tick for one badge: the level (always, it is integer math) and the
 * text (only when it changes and the badge is near the viewport). Returns
 * whether the level changed.
 */
export function tickBadge(b: Badge, now: number, lines: LevelLines): boolean {
  if (!Number.isFinite(b.dueMs)) return false;
  const ms = b.dueMs - now;
  const level = levelFor(ms, lines.atRiskMs, lines.criticalMs);
  let changed = false;
  if (level !== b.level) {
    b.level = level;
    // The sheet colours the badge from data-level itself: one attribute is the whole level change.
    setAttr(b.host, 'data-level', level);
    changed = true;
  }
  // Off screen the text waits (writing it would relayout rows nobody sees); the clock writes it as it comes into view.
  // A bare badge has no pill to write into until drawBadge.
  if (b.visible && !(b as BadgeImpl).bare && (b as BadgeImpl).showCd && countdownKey(ms) !== b.shownKey) writeCountdown(b, now);
  return changed;
}

/** Detaches a badge from the page. */
export function removeBadge(b: Badge): void {
  b.host.remove();
  b.row = null;
}
