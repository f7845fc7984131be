/**
 * The hover/focus card, loaded when first shown (components/overlay/lazy.ts): the content
 * script carries only this stand-in. It has the card's host from the start (the controller
 * listens on it for the pointer entering the card), and hands that host to the real card
 * (components/badge/card.ts) once the chunk is in. Until then the card is simply not shown
 * yet (the first hover waits a few ms for a local file); if the chunk cannot be loaded, the
 * same host says so in plain text instead, and the next hover tries again. Nothing throws
 * into the page either way; the badge itself never depends on this.
 */
import { t } from '../../lib/i18n';
import { loadLazy, lazyNow } from '../overlay/lazy';
import type { CardData, HoverCard } from './card';

/** Same tag as the real card (components/badge/card.ts CARD_TAG), kept here so that file stays out of the content script. */
const CARD_TAG = 'ozon-guard-card';

// The "could not load" state, on the host itself (no shadow root yet: the real card attaches
// its own once it loads, and a host can have only one). Inline and !important against page CSS.
const FAILED_STYLE =
  'all:initial!important;position:fixed!important;z-index:2147483646!important;display:block!important;box-sizing:border-box!important;' +
  'max-width:360px!important;padding:8px 12px!important;border-radius:8px!important;background:#fff!important;color:#1f2328!important;' +
  'border:1px solid #d0d7de!important;box-shadow:0 8px 24px rgba(31,35,40,.18)!important;' +
  'font:400 12px/17px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif!important';

export function createLazyHoverCard(doc: Document = document): HoverCard {
  const host = doc.createElement(CARD_TAG);
  host.setAttribute('data-ozon-guard-ui', 'card');
  host.hidden = true;
  let real: HoverCard | null = null;
  let anchor: Element | null = null;
  let want: CardData | null = null;
  let failed = false;
  let destroyed = false;

  const adopt = (): HoverCard | null => {
    // lazyNow() also brings the chunk's strings in step (a language switched since the last show).
    const api = lazyNow('ui');
    if (real) return real;
    if (!api || destroyed) return null;
    if (failed) {
      host.replaceChildren();
      host.removeAttribute('style');
      failed = false;
    }
    real = api.createHoverCard(doc, host);
    return real;
  };

  const showFailed = (a: Element) => {
    failed = true;
    host.replaceChildren(doc.createTextNode(t('card_load_failed')));
    host.setAttribute('role', 'tooltip');
    host.setAttribute('style', FAILED_STYLE);
    if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
    const r = a.getBoundingClientRect();
    host.style.setProperty('top', `${Math.round(r.bottom + 6)}px`, 'important');
    host.style.setProperty('left', `${Math.round(Math.max(8, r.left))}px`, 'important');
    host.hidden = false;
  };

  return {
    host,
    show(a, data) {
      anchor = a;
      want = data;
      const c = adopt();
      if (c) return c.show(a, data);
      void loadLazy('ui').then((api) => {
        // Still wanted (not hidden, not moved to another badge meanwhile)? With the newest data (a tick may have come).
        if (destroyed || anchor !== a || !want) return;
        const card = api ? adopt() : null;
        if (card) card.show(a, want);
        else showFailed(a);
      });
    },
    update(data) {
      const c = real && adopt();
      if (c) return c.update(data);
      if (anchor) want = data;
    },
    hide() {
      anchor = null;
      want = null;
      if (real) return real.hide();
      host.hidden = true;
    },
    get anchor() {
      // While the chunk loads, the badge asked for is the anchor: leaving it hides (cancels) the card.
      return real ? real.anchor : anchor;
    },
    destroy() {
      destroyed = true;
      anchor = null;
      want = null;
      if (real) return real.destroy();
      host.replaceChildren();
      host.remove();
    },
  };
}
