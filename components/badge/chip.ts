/**
 * The summary chip: "3 at risk · 1 overdue", fixed at the bottom-LEFT corner:
 * the bottom right is where the panel's own support chat sits and where the
 * list's price column ends, in its own shadow root. Clicking it scrolls to the next order at risk, cycling,
 * soonest deadline first.
 */
import { t, tp } from '../../lib/i18n';
import { adoptStyles, styleCache } from './styles';

export const CHIP_TAG = 'ozon-guard-chip';

const CHIP_CSS = `
:host{all:initial;position:fixed!important;left:16px;bottom:16px;z-index:2147483645;display:block}
:host([hidden]){display:none!important}
button{all:initial;box-sizing:border-box;display:inline-flex;align-items:center;gap:6px;height:28px;padding:0 12px;
  border-radius:14px;cursor:pointer;background:#fff;color:#1f2328;border:1px solid #d0d7de;
  box-shadow:0 4px 12px rgba(31,35,40,.15);
  font:600 12px/16px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  white-space:nowrap}
button:focus-visible{box-shadow:0 0 0 2px #fff,0 0 0 4px #2563eb}
button:disabled{cursor:default}
.d{width:8px;height:8px;border-radius:4px;background:#1a7f37;flex:none}
.risk .d{background:#d4a72c}.over .d{background:#d1242f}
.o{color:#b3261e}
.sep{color:#8c959f;font-weight:400}
:host{display:flex!important;gap:4px}
.ls{width:28px;padding:0;justify-content:center;flex-direction:column;gap:3px}
.ls i{display:block;width:12px;height:2px;border-radius:1px;background:#424a53}
.ls:disabled i{background:#d0d7de}
`;

const chipStyles = styleCache();

/**
 * Whether a badge's deadline is the seller's to meet: FBO postings are shipped
 * by Ozon's own warehouse (D2's FBO line is Ozon's), so they are shown as
 * Ozon's and never counted as the seller's risk.
 */
export function sellersRisk(b: { order: { scheme: string } | null }): boolean {
  return b.order?.scheme !== 'FBO';
}

export interface Chip {
  host: HTMLElement;
  /** at risk = at_risk + critical. */
  set(counts: { atRisk: number; overdue: number; total: number }): void;
  destroy(): void;
}

export function createChip(onNext: () => void, doc: Document = document, onList?: () => void): Chip {
  const host = doc.createElement(CHIP_TAG);
  host.setAttribute('data-ozon-guard-ui', 'chip');
  host.hidden = true;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, CHIP_CSS, chipStyles);
  const button = doc.createElement('button');
  button.type = 'button';
  const dot = doc.createElement('span');
  dot.className = 'd';
  const label = doc.createElement('span');
  button.append(dot, label);
  root.append(button);
  // The list button: an icon drawn in CSS (no text, so the chip still reads "3 at risk · 1 overdue").
  let listBtn: HTMLButtonElement | null = null;
  if (onList) {
    listBtn = doc.createElement('button');
    listBtn.type = 'button';
    listBtn.className = 'ls';
    listBtn.setAttribute('data-chip-list', '');
    listBtn.append(doc.createElement('i'), doc.createElement('i'), doc.createElement('i'));
    listBtn.addEventListener('click', (e) => {
      e.stopPropagation();
      try {
        onList();
      } catch {
        /* never into the page */
      }
    });
    root.append(listBtn);
  }
  button.addEventListener('click', (e) => {
    e.stopPropagation();
    try {
      onNext();
    } catch {
      /* never into the page */
    }
  });
  let last = '';
  return {
    host,
    set({ atRisk, overdue, total }) {
      if (!total) {
        host.hidden = true;
        return;
      }
      if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
      const parts: string[] = [];
      if (atRisk) parts.push(tp('chip_at_risk', atRisk));
      if (overdue) parts.push(tp('chip_overdue', overdue));
      const text = parts.length ? parts.join(' · ') : t('chip_none');
      const key = `${text}|${atRisk}|${overdue}`;
      host.hidden = false;
      if (key === last) return;
      last = key;
      label.textContent = text;
      button.className = overdue ? 'over' : atRisk ? 'risk' : '';
      button.disabled = !(atRisk + overdue);
      button.title = atRisk + overdue ? t('chip_hint') : '';
      if (listBtn) {
        listBtn.disabled = !(atRisk + overdue);
        listBtn.title = t('chip_list');
        listBtn.setAttribute('aria-label', t('chip_list'));
      }
      host.setAttribute('data-overdue', String(overdue));
      host.setAttribute('data-at-risk', String(atRisk));
    },
    destroy() {
      host.remove();
    },
  };
}
