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
import { messagesVersion, t } from '../../lib/i18n';
import type { Level, Order, Verdict } from '../../rules/types';
import { countdownKey, formatCountdown, levelFor } from './countdown';
import { adoptStyles } from './styles';
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

/**
 * The shadow content every badge starts from, built once per document and
 * cloned: one native deep clone instead of a dozen createElement / append
 * calls per row (the performance budget, docs/performance.md). Only what every badge shows is in it: the deadline
 * name (detailed density) and the dot (every part switched off) are made the
 * first time a badge needs them, so a compact badge is 7 nodes in its root.
 */
const templates = new WeakMap<Document, DocumentFragment>();
const hostTemplates = new WeakMap<Document, HTMLElement>();

function template(doc: Document): DocumentFragment {
  let f = templates.get(doc);
  if (!f) {
    f = doc.createDocumentFragment();
    const box = doc.createElement('span');
    box.className = 'b';
    const cd = doc.createElement('span');
    cd.className = 'p cd';
    cd.append(doc.createTextNode(''));
    const cancel = doc.createElement('span');
    cancel.className = 'p cx';
    cancel.append(doc.createTextNode(''));
    const archive = doc.createElement('span');
    archive.className = 'p ax';
    archive.append(doc.createTextNode(''));
    box.append(cd, cancel, archive);
    f.append(box);
    templates.set(doc, f);
  }
  return f;
}

class BadgeImpl implements Badge {
  row: Element | null = null;
  posting = '';
  order: Order | null = null;
  verdict: Verdict | null = null;
  dueMs = NaN;
  level: Level = 'none';
  shownKey = NaN;
  visible = true;
  kindShown = false;
  private kindEl: HTMLElement | null = null;
  private dotEl: HTMLElement | null = null;
  constructor(
    readonly host: HTMLElement,
    readonly root: ShadowRoot,
    readonly box: HTMLElement,
    readonly cd: HTMLElement,
    public cdText: Text,
    readonly cancel: HTMLElement,
    readonly archive: HTMLElement,
  ) {}

  /** The deadline's name before the countdown (detailed density); made on first use. */
  get kind(): HTMLElement {
    if (!this.kindEl) {
      const k = this.host.ownerDocument.createElement('span');
      k.className = 'k';
      k.hidden = true;
      this.cd.insertBefore(k, this.cd.firstChild);
      this.kindEl = k;
    }
    return this.kindEl;
  }

  get hasKind(): boolean {
    return this.kindEl !== null;
  }

  /** The level dot shown when every part is switched off; made on first use. */
  get dot(): HTMLElement {
    if (!this.dotEl) {
      const d = this.host.ownerDocument.createElement('span');
      d.className = 'dot';
      d.hidden = true;
      this.box.insertBefore(d, this.box.firstChild);
      this.dotEl = d;
    }
    return this.dotEl;
  }

  get hasDot(): boolean {
    return this.dotEl !== null;
  }
}

/** Creates a detached host with its shadow content; `renderBadge` fills it. */
export function createBadge(): Badge {
  let tpl = hostTemplates.get(document);
  if (!tpl) {
    tpl = document.createElement(HOST_TAG);
    tpl.setAttribute(HOST_ATTR, '');
    tpl.tabIndex = 0;
    tpl.setAttribute('role', 'group');
    hostTemplates.set(document, tpl);
  }
  const host = tpl.cloneNode(false) as HTMLElement;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  root.append(template(document).cloneNode(true));
  // The style fallback (Firefox) puts a <style> first: the box is the last child.
  const box = root.lastElementChild as HTMLElement;
  const cd = box.firstElementChild as HTMLElement;
  const cancel = cd.nextElementSibling as HTMLElement;
  const archive = cancel.nextElementSibling as HTMLElement;
  const b = new BadgeImpl(host, root, box, cd, cd.firstChild as Text, cancel, archive);
  badges.set(host, b);
  return b;
}

function setAttr(e: Element, name: string, value: string | null): void {
  if (value === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setText(e: HTMLElement | Text, s: string): void {
  // A pill's one text node is rewritten in place (no node replaced); anything else through textContent.
  const f = e.firstChild;
  if (f && f.nodeType === 3 && f === e.lastChild) {
    if ((f as Text).data !== s) (f as Text).data = s;
  } else if (e.textContent !== s) e.textContent = s;
}

function setHidden(e: HTMLElement, hidden: boolean): void {
  if (e.hidden !== hidden) e.hidden = hidden;
}

function setClass(e: Element, cls: string): void {
  if (e.className !== cls) e.className = cls;
}

function setLevelClass(b: Badge, view: BadgeView): void {
  const cls = `b lvl-${b.level} ${view.density}${b.order?.scheme === 'FBO' ? ' ozon' : ''}`;
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
  setHidden(b.cd, !showCd);
  // FBO: Ozon's warehouse ships it, so its countdown is Ozon's, not the seller's: named so, in any density.
  const fbo = order.scheme === 'FBO';
  const showKind = !!d && (detailed || fbo);
  const impl = b as BadgeImpl;
  if (showKind || impl.hasKind) {
    setText(b.kind, showKind ? (fbo ? tc('badge_fbo') : tc(dueKey(actionOf(order.status, d!.kind)))) : '');
    setHidden(b.kind, !showKind);
  }
  impl.kindShown = showKind;

  const cx = verdict.cancel.allowed;
  setHidden(b.cancel, !view.parts.cancel);
  setClass(b.cancel, cx ? 'p cx yes' : 'p cx no');
  // "Can cancel" / "Can't cancel" in words and one neutral tone: a green ✓ next to "Cancel" reads as
  // "cancelled ✓" and invites the one action that raises the rate this tool guards (M1).
  setText(b.cancel, tc(cx ? 'badge_cancel_yes' : 'badge_cancel_no'));
  const ax = verdict.archive.allowed;
  setHidden(b.archive, !view.parts.archive);
  setClass(b.archive, ax ? 'p ax yes' : 'p ax no');
  setText(b.archive, tc(ax ? 'badge_archive_yes' : 'badge_archive_no'));
  // Nothing else shown (all parts switched off): a dot in the level's colour still opens the card.
  const showDot = !(showCd || view.parts.cancel || view.parts.archive);
  if (showDot || impl.hasDot) setHidden(b.dot, !showDot);

  setLevelClass(b, view);
  b.shownKey = NaN;
  if (showCd) writeCountdown(b, now);
  setAttr(h, 'aria-label', ariaLabel(order, verdict));
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

function ariaLabel(order: Order, v: Verdict): string {
  let s = `${t('badge_aria', order.postingNumber)}; ${tc(v.cancel.allowed ? 'badge_cancel_yes' : 'badge_cancel_no')}; ${tc(v.archive.allowed ? 'badge_archive_yes' : 'badge_archive_no')}`;
  if (v.deadline) s += `; ${order.scheme === 'FBO' ? tc('badge_fbo') : tc(dueKey(actionOf(order.status, v.deadline.kind)))}`;
  return s;
}

function writeCountdown(b: Badge, now: number): boolean {
  const ms = b.dueMs - now;
  const key = countdownKey(ms);
  if (key === b.shownKey) return false;
  b.shownKey = key;
  b.cdText.data = ((b as BadgeImpl).kindShown ? ' ' : '') + formatCountdown(ms);
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
