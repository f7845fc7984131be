/**
 * The hover / keyboard-focus card: ONE element for the whole page (a shadow
 * host at body level, Preact inside), moved next to whichever badge is
 * hovered or focused. One card instead of one per badge keeps a 2,000-row
 * list at one extra subtree.
 *
 * Plain DOM, not Preact: the card is rebuilt only on hover/tick and is a few
 * dozen nodes; keeping a framework out of the content script keeps it small
 * and free of any innerHTML code path. Everything page-derived (posting
 * numbers, carrier names …) is set as text nodes.
 */
import { has, lang, t, tp } from '../../lib/i18n';
import type { Order, Verdict, VerdictNote } from '../../rules';
import { bothTimes, moscowText } from '../../lib/when';
import { offsetLabel } from '../../rules';
import type { Rulebook } from '../../rules';
import type { PageZone } from '../../rules';
import { formatCountdown } from './countdown';
import { adoptStyles, styleCache } from './styles';
import { actionOf, dueKey, stepKey } from '../../lib/action';

export const CARD_TAG = 'ozon-guard-card';

const CARD_CSS = `
:host{all:initial;position:fixed!important;z-index:2147483646;top:0;left:0;display:block;pointer-events:auto}
:host([hidden]){display:none!important}
.c{box-sizing:border-box;width:360px;max-width:calc(100vw - 16px);padding:10px 12px;border-radius:8px;background:#fff;color:#1f2328;
  border:1px solid #d0d7de;box-shadow:0 8px 24px rgba(31,35,40,.18);
  font:400 12px/17px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  white-space:normal;overflow-wrap:anywhere;overflow-y:auto}
.h{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-bottom:6px}
.t{font-weight:600;font-size:13px}
.lv{border-radius:8px;padding:0 8px;font-weight:600;font-size:11px;line-height:16px;white-space:nowrap}
.lv-ok{background:#e3f5e9;color:#116329}.lv-at_risk{background:#fff1c2;color:#7a4d00}
.lv-critical{background:#ffe1de;color:#b3261e}.lv-overdue{background:#d1242f;color:#fff}.lv-none{background:#eaeef2;color:#57606a}
.s{border-top:1px solid #eaeef2;padding-top:6px;margin-top:6px}
.k{color:#57606a}
.big{font-weight:600;font-size:13px}
.r{color:#57606a;font-size:11px;line-height:15px;margin-top:2px}
.rid{display:inline-block;font-weight:600;color:#0550ae;margin-right:4px}
/* Neutral for both answers: a green 'can cancel' would invite the one action that raises the rate (M1). */
.yes,.no{color:#1f2328;font-weight:600}
.fbo{margin-top:4px;padding:4px 8px;border-radius:6px;background:#eaeef2;color:#424a53}
.next{margin-top:8px;padding:6px 8px;border-radius:6px;background:#f6f8fa;font-weight:600}
ul{margin:2px 0 0;padding-left:16px}
`;

const cardStyles = styleCache();

export interface CardData {
  order: Order;
  verdict: Verdict;
  now: number;
  rulebook: Rulebook;
  /** IANA zone (or "UTC+8") for T2's second clock. */
  ownZone: string;
  hour12: boolean;
  /** T3: the offset the page's zone-less times were read in, and why. */
  pageZone?: PageZone;
}

type Child = Node | string | null | undefined | false;

/**
 * A tiny element builder: attributes by name, children as nodes or TEXT.
 * Strings always become text nodes, so page-derived text can never become
 * markup (no innerHTML anywhere in the content script — not even a
 * framework's dangerouslySetInnerHTML path, which the Firefox linter flags).
 */
function h(tag: string, attrs: Record<string, string> | null, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

function rule(id: string): HTMLElement {
  const key = `rule_${id}`;
  return h('div', { class: 'r' }, h('span', { class: 'rid' }, t('card_rule', id)), has(key) ? t(key) : '');
}

function noteText(n: VerdictNote, opts: { lang: string; hour12: boolean; rulebook: Rulebook }): string {
  const until = n.until ? moscowText(Date.parse(n.until), opts.rulebook, opts.hour12) : '';
  // Every note key has its words (rules/keys.ts NOTE_KEYS, test/locales/runtime-keys.test.ts); a note
  // from a newer rules module than the strings shows its rule's sentence instead of a raw key.
  const k = `note_${n.key}`;
  if (has(k)) return t(k, until);
  return has(`rule_${n.rule}`) ? t(`rule_${n.rule}`) : '';
}

/** T3: "Page times read as UTC+8 — learned from 12 rows" (or cookie / set by you / assumed: Moscow). */
export function pageZoneText(z: PageZone): string {
  const label = offsetLabel(z.east);
  let why: string;
  if (z.basis === 'learned') {
    why = tp('card_pz_learned', z.rows ?? 0, z.rows ?? 0);
    if (z.overruledCookie !== undefined) why += ` ${t('card_pz_cookie_overruled', offsetLabel(z.overruledCookie))}`;
  } else if (z.basis === 'cookie') why = z.rows ? tp('card_pz_cookie_confirmed', z.rows, z.rows) : t('card_pz_cookie');
  else if (z.basis === 'set') why = t(`card_pz_set_${z.choice ?? 'fixed'}`);
  else why = t('card_pz_assumed');
  return t('card_pz', label, why);
}

/** The next step a seller should take, as an i18n key. */
export function nextStepKey(order: Order, v: Verdict): string {
  const d = v.deadline;
  if (d) return stepKey(actionOf(order.status, d.kind));
  if (v.archive.allowed) return 'card_step_archive';
  if (order.status === 'created') return 'card_step_buyer';
  if (!v.cancel.allowed && v.cancel.rule === 'C3') return 'card_step_return';
  return 'card_step_none';
}

function cancelNext(order: Order, v: Verdict): string | undefined {
  let key: string | undefined = v.cancel.nextKey;
  if (!key) return undefined;
  // The rules' "confirm now" on an order awaiting packaging: the panel's action there is «Собрать» (lib/action.ts).
  if (key === 'confirm_now' && v.deadline && actionOf(order.status, v.deadline.kind) === 'pack') key = 'ship_now';
  return has(`next_${key}`) ? t(`next_${key}`) : undefined;
}

/** The card's content for one order (a fresh subtree; the card swaps it in). */
export function renderCard(data: CardData): HTMLElement {
  const { order, verdict: v, now, rulebook, ownZone, hour12 } = data;
  const l = lang();
  const d = v.deadline;
  const fmtOpts = { lang: l, hour12, rulebook };
  const msk = (iso: string) => moscowText(Date.parse(iso), rulebook, hour12);
  // T2: the own time named as people say it (lib/when.ts), marked when it falls in the seller's night.
  const own = (iso: string) => {
    const b = bothTimes(iso, ownZone, rulebook, hour12);
    return `${b.own || b.moscow}${b.night ? ` ${t('when_night_mark')}` : ''}`;
  };
  const msLeft = d ? Date.parse(d.dueAt) - now : NaN;
  const flags = Object.entries(order.flags ?? {}).filter(([, on]) => on === true);
  const next = cancelNext(order, v);
  const fbo = order.scheme === 'FBO';

  const deadline = d
    ? [
        h(
          'div',
          { class: 'big' },
          `${t(dueKey(actionOf(order.status, d.kind)))} · ${msLeft < 0 ? formatCountdown(msLeft) : t('card_left', formatCountdown(msLeft))}`,
        ),
        h('div', { 'data-zone': 'moscow' }, msk(d.dueAt)),
        h('div', { 'data-zone': 'own' }, own(d.dueAt)),
        h('div', null, d.autoCancelAt ? t('card_autocancel', msk(d.autoCancelAt)) : t('card_autocancel_none')),
        h('div', { class: 'k' }, `${t('card_source', t(d.source === 'page' ? 'src_page' : 'src_rulebook'))}${d.source === 'page' ? ' (P2)' : ''}`),
        rule(d.rule),
        fbo ? h('div', { class: 'fbo', 'data-part': 'fbo' }, t('card_fbo')) : null,
      ]
    : [h('div', { class: 'k' }, t('card_no_deadline'))];

  const flagText = flags
    .map(([f]) => {
      const src = order.flagSources?.[f as keyof NonNullable<Order['flagSources']>];
      const name = t(`card_flag_${f}`);
      return src ? t('card_flag_from', name, t(`card_flagsrc_${src}`)) : name;
    })
    .join(', ');

  return h(
    'div',
    { class: 'c', role: 'tooltip', 'data-ozon-guard-card': '' },
    h(
      'div',
      { class: 'h' },
      h('span', { class: 't' }, t('card_title', order.postingNumber)),
      h('span', { class: `lv lv-${v.level}` }, t(`level_${v.level}`)),
    ),
    h('div', { class: 'k' }, t('card_status', t(`status_${order.status}`))),
    h('div', { class: 's', 'data-part': 'deadline' }, ...deadline),
    h(
      'div',
      { class: 's', 'data-part': 'cancel' },
      h('div', { class: v.cancel.allowed ? 'yes' : 'no' }, t(v.cancel.allowed ? 'card_cancel_yes' : 'card_cancel_no')),
      rule(v.cancel.rule),
      next ? h('div', { class: 'k' }, next) : null,
    ),
    h(
      'div',
      { class: 's', 'data-part': 'archive' },
      h('div', { class: v.archive.allowed ? 'yes' : 'no' }, t(v.archive.allowed ? 'card_archive_yes' : 'card_archive_no')),
      rule(v.archive.rule),
    ),
    v.notes && v.notes.length
      ? h(
          'div',
          { class: 's', 'data-part': 'notes' },
          h('div', { class: 'k' }, t('card_notes')),
          h('ul', null, ...v.notes.map((n) => h('li', null, h('span', { class: 'rid' }, n.rule), noteText(n, fmtOpts)))),
        )
      : null,
    flags.length ? h('div', { class: 's k', 'data-part': 'flags' }, t('card_flags', flagText)) : null,
    data.pageZone ? h('div', { class: 's k', 'data-part': 'page-zone', 'data-basis': data.pageZone.basis }, pageZoneText(data.pageZone)) : null,
    h('div', { class: 'next', 'data-part': 'next' }, t('card_next', t(nextStepKey(order, v)))),
  );
}

export interface HoverCard {
  host: HTMLElement;
  /** Shows the card for `data` next to `anchor`. */
  show(anchor: Element, data: CardData): void;
  /** Re-renders the open card (tick, settings change). */
  update(data: CardData): void;
  hide(): void;
  readonly anchor: Element | null;
  destroy(): void;
}

/**
 * The one card of the page, created lazily on first hover. `given`: a host made before this
 * module was loaded (components/badge/card-loader.ts), already listened on by the controller.
 */
export function createHoverCard(doc: Document = document, given?: HTMLElement): HoverCard {
  const host = given ?? doc.createElement(CARD_TAG);
  host.setAttribute('data-ozon-guard-ui', 'card');
  host.hidden = true;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, CARD_CSS, cardStyles);
  const mount = doc.createElement('div');
  root.append(mount);
  let anchor: Element | null = null;

  // Never cover the badge it explains: below, else above, else beside it, else the roomier side, scrolling.
  const place = () => {
    if (!anchor) return;
    const r = anchor.getBoundingClientRect();
    const box = mount.firstElementChild as HTMLElement | null;
    if (box) box.style.removeProperty('max-height');
    const w = box?.offsetWidth || 360;
    const h = box?.offsetHeight || 200;
    const vw = doc.documentElement.clientWidth || 1024;
    const vh = doc.documentElement.clientHeight || 768;
    const gap = 6;
    const below = vh - r.bottom - gap - 8;
    const above = r.top - gap - 8;
    let top: number;
    let left = Math.max(8, Math.min(r.left, vw - w - 8));
    if (h <= below) top = r.bottom + gap;
    else if (h <= above) top = r.top - gap - h;
    else if (vw - r.right - gap - 8 >= w || r.left - gap - 8 >= w) {
      left = vw - r.right - gap - 8 >= w ? r.right + gap : r.left - gap - w;
      top = Math.max(8, Math.min(r.top - 16, vh - h - 8));
    } else if (below >= above) {
      top = r.bottom + gap;
      if (box) box.style.setProperty('max-height', `${Math.max(120, below)}px`);
    } else {
      const room = Math.max(120, above);
      if (box) box.style.setProperty('max-height', `${room}px`);
      top = r.top - gap - Math.min(h, room);
    }
    host.style.setProperty('top', `${Math.round(top)}px`, 'important');
    host.style.setProperty('left', `${Math.round(left)}px`, 'important');
  };

  return {
    host,
    show(a, data) {
      anchor = a;
      if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
      mount.replaceChildren(renderCard(data));
      host.hidden = false;
      place();
    },
    update(data) {
      if (!anchor || host.hidden) return;
      mount.replaceChildren(renderCard(data));
      place();
    },
    hide() {
      anchor = null;
      host.hidden = true;
    },
    get anchor() {
      return host.hidden ? null : anchor;
    },
    destroy() {
      mount.replaceChildren();
      host.remove();
      anchor = null;
    },
  };
}
