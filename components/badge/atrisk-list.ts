/**
 * The chip's list: the page's orders at risk (the seller's own, FBO left out —
 * chip.ts sellersRisk), soonest deadline first, each with its time left, the
 * action and its limit in Moscow and own time (lib/when.ts), "Go to" (scrolls
 * to the row and focuses its badge) and "Copy" (the posting number), plus
 * "Copy all" to paste into WeChat / DingTalk for the warehouse or forwarder.
 *
 * Our own fixed panel in its own shadow root at body level, like the chip and
 * the card: the page's markup is never touched. Built with plain DOM; all
 * page-derived text goes in as text nodes.
 */
import { t, tp } from '../../lib/i18n';
import { bothLine } from '../../lib/when';
import { actionOf, dueKey } from '../../lib/action';
import type { Rulebook } from '../../rules';
import type { Badge } from './badge';
import { formatCountdown } from './countdown';
import { adoptStyles, styleCache } from './styles';

export const LIST_TAG = 'ozon-guard-list';

const LIST_CSS = `
:host{all:initial;position:fixed!important;left:16px;bottom:52px;z-index:2147483645;display:block}
:host([hidden]){display:none!important}
.w{box-sizing:border-box;width:460px;max-width:calc(100vw - 32px);max-height:min(60vh,480px);display:flex;flex-direction:column;
  background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:10px;box-shadow:0 8px 24px rgba(31,35,40,.18);
  font:400 12px/17px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
.hd{display:flex;align-items:center;gap:8px;padding:8px 10px;border-bottom:1px solid #eaeef2}
.ti{font-weight:600;flex:1}
ul{list-style:none;margin:0;padding:0;overflow-y:auto}
li{padding:6px 10px;border-bottom:1px solid #f0f2f4}
.r1{display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px}
.pn{font-weight:600;font-variant-numeric:tabular-nums;flex:none;white-space:nowrap}
.sp{flex:1 1 0;min-width:0}
.cd{flex:none;font-weight:600;border-radius:8px;padding:0 6px;white-space:nowrap}
.lvl-at_risk .cd{background:#fff1c2;color:#7a4d00}.lvl-critical .cd{background:#ffe1de;color:#b3261e}.lvl-overdue .cd{background:#d1242f;color:#fff}
.r2{color:#57606a;font-size:11px;line-height:15px;margin-top:2px}
button{all:initial;box-sizing:border-box;flex:none;cursor:pointer;font:600 11px/16px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  padding:1px 8px;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;color:#1f2328;white-space:nowrap}
button:focus-visible{box-shadow:0 0 0 2px #2563eb}
.x{border:none;background:none;font-size:14px;padding:0 4px}
.st{color:#116329;font-size:11px;min-height:15px;padding:0 10px 6px}
`;

const listStyles = styleCache();

export interface AtRiskPanel {
  host: HTMLElement;
  readonly open: boolean;
  toggle(): void;
  /** Re-renders when open (tick, levels changed). */
  refresh(): void;
  close(): void;
  destroy(): void;
}

export interface AtRiskPanelDeps {
  /** The page's at-risk badges, soonest first. */
  items(): Badge[];
  now(): number;
  rulebook(): Rulebook;
  ownZone(): string;
  hour12(): boolean;
  jump(b: Badge): void;
  doc?: Document;
}

async function copy(text: string, doc: Document): Promise<boolean> {
  try {
    const nav = doc.defaultView?.navigator;
    if (nav?.clipboard?.writeText) {
      await nav.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through */
  }
  return false;
}

export function createAtRiskPanel(d: AtRiskPanelDeps): AtRiskPanel {
  const doc = d.doc ?? document;
  const host = doc.createElement(LIST_TAG);
  host.setAttribute('data-ozon-guard-ui', 'list');
  host.hidden = true;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, LIST_CSS, listStyles);
  const wrap = doc.createElement('div');
  wrap.className = 'w';
  wrap.setAttribute('role', 'dialog');
  root.append(wrap);
  let status = '';
  let statusTimer: ReturnType<typeof setTimeout> | undefined;

  const el = (tag: string, cls: string | null, text?: string) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const button = (text: string, attr: string, onClick: () => void) => {
    const b = el('button', null, text) as HTMLButtonElement;
    b.type = 'button';
    b.setAttribute(attr, '');
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      try {
        onClick();
      } catch {
        /* never into the page */
      }
    });
    return b;
  };
  const say = (s: string) => {
    status = s;
    if (statusTimer) clearTimeout(statusTimer);
    statusTimer = setTimeout(() => {
      status = '';
      render();
    }, 3000);
    render();
  };
  const copyAndSay = (text: string, n: number) =>
    void copy(text, doc).then((ok) => say(ok ? tp('list_copied', n) : t('list_copy_failed')));

  function render(): void {
    if (host.hidden) return;
    const items = d.items();
    const now = d.now();
    const rb = d.rulebook();
    const zone = d.ownZone();
    const h12 = d.hour12();
    const hd = el('div', 'hd');
    hd.append(
      el('span', 'ti', items.length ? tp('list_title', items.length) : t('chip_none')),
      button(t('list_copy_all'), 'data-copy-all', () => copyAndSay(items.map((b) => b.posting).join('\n'), items.length)),
      button('×', 'data-close', () => api.close()),
    );
    (hd.lastElementChild as HTMLElement).className = 'x';
    (hd.lastElementChild as HTMLElement).setAttribute('aria-label', t('list_close'));
    const ul = el('ul', null);
    for (const b of items) {
      const dl = b.verdict?.deadline;
      if (!dl || !b.order) continue;
      const li = el('li', `lvl-${b.level}`);
      li.setAttribute('data-posting', b.posting);
      const r1 = el('div', 'r1');
      r1.append(
        el('span', 'pn', b.posting),
        el('span', 'cd', formatCountdown(b.dueMs - now)),
        el('span', 'sp'),
        button(t('list_jump'), 'data-jump', () => d.jump(b)),
        button(t('list_copy'), 'data-copy', () => copyAndSay(b.posting, 1)),
      );
      const r2 = el('div', 'r2', t('list_due', t(dueKey(actionOf(b.order.status, dl.kind))), bothLine(dl.dueAt, zone, rb, h12)));
      li.append(r1, r2);
      ul.append(li);
    }
    wrap.replaceChildren(hd, ul, el('div', 'st', status));
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !host.hidden) api.close();
  };

  const api: AtRiskPanel = {
    host,
    get open() {
      return !host.hidden;
    },
    toggle() {
      if (host.hidden) {
        if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
        host.hidden = false;
        doc.addEventListener('keydown', onKey, true);
        render();
      } else api.close();
    },
    refresh() {
      render();
    },
    close() {
      host.hidden = true;
      doc.removeEventListener('keydown', onKey, true);
    },
    destroy() {
      api.close();
      if (statusTimer) clearTimeout(statusTimer);
      wrap.replaceChildren();
      host.remove();
    },
  };
  return api;
}
