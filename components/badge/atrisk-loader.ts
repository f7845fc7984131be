/**
 * The chip's at-risk list, loaded on its first open (components/overlay/lazy.ts), like the card
 * (components/badge/card-loader.ts). If the chunk cannot be loaded the list says so in plain
 * text where it would open; the next press tries again. Nothing throws into the page.
 */
import { t } from '../../lib/i18n';
import { loadLazy, lazyNow } from '../overlay/lazy';
import type { AtRiskPanel, AtRiskPanelDeps } from './atrisk-list';

const FAILED_STYLE =
  'all:initial!important;position:fixed!important;left:16px!important;bottom:52px!important;z-index:2147483645!important;display:block!important;' +
  'max-width:360px!important;padding:8px 12px!important;border-radius:8px!important;background:#fff!important;color:#1f2328!important;' +
  'border:1px solid #d0d7de!important;box-shadow:0 8px 24px rgba(31,35,40,.18)!important;' +
  'font:400 12px/17px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif!important';

export function createLazyAtRiskPanel(d: AtRiskPanelDeps): AtRiskPanel {
  const doc = d.doc ?? document;
  let real: AtRiskPanel | null = null;
  let failedNote: HTMLElement | null = null;
  let destroyed = false;
  let opening = false;

  const adopt = (): AtRiskPanel | null => {
    const api = lazyNow('ui'); // also brings the chunk's strings in step
    if (!real && api && !destroyed) real = api.createAtRiskPanel(d);
    return real;
  };
  const clearFailed = () => {
    failedNote?.remove();
    failedNote = null;
  };

  return {
    get host() {
      return real?.host ?? failedNote ?? doc.createElement('ozon-guard-list');
    },
    get open() {
      return real?.open ?? false;
    },
    toggle() {
      if (failedNote) return clearFailed();
      const p = adopt();
      if (p) return p.toggle();
      if (opening) return;
      opening = true;
      void loadLazy('ui').then((api) => {
        opening = false;
        if (destroyed) return;
        const panel = api ? adopt() : null;
        if (panel) return panel.toggle();
        failedNote = doc.createElement('ozon-guard-list');
        failedNote.setAttribute('data-ozon-guard-ui', 'list');
        failedNote.setAttribute('role', 'status');
        failedNote.setAttribute('style', FAILED_STYLE);
        failedNote.append(doc.createTextNode(t('card_load_failed')));
        (doc.body ?? doc.documentElement).append(failedNote);
      });
    },
    refresh() {
      if (real) adopt()?.refresh();
    },
    close() {
      clearFailed();
      real?.close();
    },
    destroy() {
      destroyed = true;
      clearFailed();
      real?.destroy();
    },
  };
}
