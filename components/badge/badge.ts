/**
 * One badge: an unregistered custom element (isolated worlds cannot register
 * custom elements, and an unknown tag is inert for the page's CSS and
 * scripts) with an OPEN shadow root, built with plain DOM — no framework, as
 * a list can hold thousands of rows and each badge is a handful of nodes.
 *
 * The host carries the contract's data attributes (docs/contract.md §3);
 * everything a seller reads is inside the shadow root. Page-derived text is
 * only ever set through textContent / text nodes.
 */
import { t } from '../../lib/i18n';
import type { Level, Order, Verdict } from '../../rules/types';
import { countdownKey, formatCountdown, levelFor } from './countdown';
import { adoptStyles } from './styles';

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
  host: HTMLElement;
  root: ShadowRoot;
  /** The row the badge belongs to. */
  row: Element | null;
  posting: string;
  order: Order | null;
  verdict: Verdict | null;
  /** dueAt in epoch ms; NaN when there is no deadline. */
  dueMs: number;
  level: Level;
  /** The countdown number last written (countdownKey), to skip unchanged text. */
  shownKey: number;
  /** Whether the badge is (near) the viewport; unknown counts as visible. */
  visible: boolean;
  box: HTMLElement;
  cd: HTMLElement;
  kind: HTMLElement;
  cdText: Text;
  cancel: HTMLElement;
  archive: HTMLElement;
  dot: HTMLElement;
}

const badges = new WeakMap<Element, Badge>();

export function isBadgeHost(n: Node | null | undefined): n is HTMLElement {
  return !!n && n.nodeType === 1 && (n as Element).tagName === 'OZON-GUARD-BADGE';
}

export function badgeOf(host: Element): Badge | undefined {
  return badges.get(host);
}

function el(tag: string, cls: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}

/** Creates a detached host with its shadow content; `renderBadge` fills it. */
export function createBadge(): Badge {
  const host = document.createElement(HOST_TAG);
  host.setAttribute(HOST_ATTR, '');
  host.tabIndex = 0;
  host.setAttribute('role', 'group');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  const box = el('span', 'b');
  const dot = el('span', 'dot');
  dot.hidden = true;
  const cd = el('span', 'p cd');
  const kind = el('span', 'k');
  const cdText = document.createTextNode('');
  cd.append(kind, cdText);
  const cancel = el('span', 'p cx');
  const archive = el('span', 'p ax');
  box.append(dot, cd, cancel, archive);
  root.append(box);
  const b: Badge = {
    host,
    root,
    row: null,
    posting: '',
    order: null,
    verdict: null,
    dueMs: NaN,
    level: 'none',
    shownKey: NaN,
    visible: true,
    box,
    cd,
    kind,
    cdText,
    cancel,
    archive,
    dot,
  };
  badges.set(host, b);
  return b;
}

function setAttr(e: Element, name: string, value: string | null): void {
  if (value === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setText(e: HTMLElement | Text, s: string): void {
  if (e.textContent !== s) e.textContent = s;
}

function setLevelClass(b: Badge, view: BadgeView): void {
  const cls = `b lvl-${b.level} ${view.density}`;
  if (b.box.className !== cls) b.box.className = cls;
}

/** Writes the whole badge for an order and its verdict. */
export function renderBadge(b: Badge, order: Order, verdict: Verdict, view: BadgeView, now: number, lines: LevelLines): void {
  b.order = order;
  b.verdict = verdict;
  b.posting = order.postingNumber;
  const d = verdict.deadline;
  b.dueMs = d ? Date.parse(d.dueAt) : NaN;
  // The verdict's level was computed for `now`; re-derive so ticks and renders agree.
  b.level = Number.isFinite(b.dueMs) ? levelFor(b.dueMs - now, lines.atRiskMs, lines.criticalMs) : verdict.level;

  const h = b.host;
  setAttr(h, 'data-posting', order.postingNumber);
  setAttr(h, 'data-status', order.status);
  setAttr(h, 'data-cancel', verdict.cancel.allowed ? 'allowed' : 'blocked');
  setAttr(h, 'data-archive', verdict.archive.allowed ? 'allowed' : 'blocked');
  setAttr(h, 'data-deadline', d ? d.kind : 'none');
  setAttr(h, 'data-due', d ? d.dueAt : null);
  setAttr(h, 'data-level', b.level);

  const detailed = view.density === 'detailed';
  const showCd = view.parts.countdown && !!d;
  b.cd.hidden = !showCd;
  setText(b.kind, detailed && d ? t(`deadline_${d.kind}`) : '');
  b.kind.hidden = !(detailed && d);

  b.cancel.hidden = !view.parts.cancel;
  b.cancel.className = `p cx ${verdict.cancel.allowed ? 'yes' : 'no'}`;
  setText(
    b.cancel,
    detailed
      ? `${verdict.cancel.allowed ? '✓' : '✕'} ${t(verdict.cancel.allowed ? 'badge_cancel_yes' : 'badge_cancel_no')}`
      : `${verdict.cancel.allowed ? '✓' : '✕'} ${t('badge_cancel')}`,
  );
  b.archive.hidden = !view.parts.archive;
  b.archive.className = `p ax ${verdict.archive.allowed ? 'yes' : 'no'}`;
  setText(
    b.archive,
    detailed
      ? `${verdict.archive.allowed ? '✓' : '✕'} ${t(verdict.archive.allowed ? 'badge_archive_yes' : 'badge_archive_no')}`
      : `${verdict.archive.allowed ? '✓' : '✕'} ${t('badge_archive')}`,
  );
  // Nothing else shown (all parts switched off): a dot in the level's colour still opens the card.
  b.dot.hidden = showCd || view.parts.cancel || view.parts.archive;

  setLevelClass(b, view);
  b.shownKey = NaN;
  if (showCd) writeCountdown(b, now);
  setAttr(h, 'aria-label', ariaLabel(order, verdict));
}

function ariaLabel(order: Order, v: Verdict): string {
  const parts = [
    t('badge_aria', order.postingNumber),
    t(v.cancel.allowed ? 'badge_cancel_yes' : 'badge_cancel_no'),
    t(v.archive.allowed ? 'badge_archive_yes' : 'badge_archive_no'),
  ];
  if (v.deadline) parts.push(t(`deadline_${v.deadline.kind}`));
  return parts.join('; ');
}

function writeCountdown(b: Badge, now: number): boolean {
  const ms = b.dueMs - now;
  const key = countdownKey(ms);
  if (key === b.shownKey) return false;
  b.shownKey = key;
  b.cdText.data = (b.kind.hidden ? '' : ' ') + formatCountdown(ms);
  return true;
}

/**
 * One tick for one badge: the level (always, it is integer math) and the
 * text (only when visible and changed). Returns whether the level changed.
 */
export function tickBadge(b: Badge, now: number, lines: LevelLines, view: BadgeView): boolean {
  if (!Number.isFinite(b.dueMs)) return false;
  const level = levelFor(b.dueMs - now, lines.atRiskMs, lines.criticalMs);
  let changed = false;
  if (level !== b.level) {
    b.level = level;
    setAttr(b.host, 'data-level', level);
    setLevelClass(b, view);
    changed = true;
  }
  if (b.visible && !b.cd.hidden) writeCountdown(b, now);
  return changed;
}

/** Detaches a badge from the page. */
export function removeBadge(b: Badge): void {
  b.host.remove();
  b.row = null;
}
