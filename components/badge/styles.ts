/**
 * The badges' one stylesheet, shared by every shadow root.
 *
 * Why a constructable sheet: a <style> per badge makes the browser parse and
 * hold the same CSS thousands of times on a long list; one CSSStyleSheet
 * adopted by every root is parsed once. Firefox content scripts cannot adopt
 * a sheet built in the isolated world (bugzilla 1770592: it throws or is
 * ignored), so there each root gets a clone of one <style> instead.
 *
 * px only, never rem: rem follows the host page's root font size, which
 * leaks through shadow roots.
 */

// ERP countdown colours sellers already read: green ok, amber at risk, red critical, solid red overdue.
export const BADGE_CSS = `
:host{all:initial;display:inline-flex!important;vertical-align:middle;margin:2px 0 2px 6px;
  font:500 12px/16px system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  color:#1f2328;cursor:default;outline:none;white-space:nowrap;letter-spacing:0;text-transform:none;
  -webkit-font-smoothing:antialiased;max-width:100%}
/* A narrow cell wraps the pills onto a second line instead of clipping them. */
:host(:focus-visible) .b{box-shadow:0 0 0 2px #fff,0 0 0 4px #2563eb}
.b{display:inline-flex;flex-wrap:wrap;align-items:center;gap:1px 4px;border-radius:10px;padding:1px;background:#fff;
  border:1px solid #d0d7de;box-sizing:border-box;max-width:100%}
/* Compact: at most two lines in a narrow cell (countdown, then the verdict); never a third. */
.compact .p{max-width:100%;overflow:hidden;text-overflow:ellipsis}
.p{display:inline-flex;align-items:center;gap:3px;height:16px;padding:0 6px;border-radius:8px;box-sizing:border-box;white-space:nowrap;
  font-variant-numeric:tabular-nums}
.p[hidden]{display:none}
.i{display:inline-block;width:10px;height:10px;flex:none}
.cd{font-weight:600}
.lvl-ok .cd{background:#e3f5e9;color:#116329}
.lvl-at_risk .cd{background:#fff1c2;color:#7a4d00}
.lvl-critical .cd{background:#ffe1de;color:#b3261e}
.lvl-overdue .cd{background:#d1242f;color:#fff}
.lvl-at_risk{border-color:#e3a008}
.lvl-critical{border-color:#e5534b}
.lvl-overdue{border-color:#d1242f}
.k{font-weight:500;opacity:.85}
.cx{background:#f6f8fa;color:#424a53}
.cx.no{color:#6e7781}
.ax{color:#57606a}
/* FBO rows: Ozon's warehouse ships them; a neutral grey, never the seller's red (D5 levels stay in data-level). */
.ozon.b{border-color:#d0d7de}
.ozon .cd{background:#eaeef2;color:#424a53}
.dot{width:8px;height:8px;border-radius:4px;margin:3px;background:#8c959f}
.lvl-ok .dot{background:#1a7f37}.lvl-at_risk .dot{background:#d4a72c}
.lvl-critical .dot{background:#e5534b}.lvl-overdue .dot{background:#d1242f}
.detailed .p{height:18px}
.detailed{font-size:12px}
`;

let shared: CSSStyleSheet | null | undefined;
let template: HTMLStyleElement | null = null;

function sharedSheet(css: string): CSSStyleSheet | null {
  if (shared !== undefined) return shared;
  try {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    shared = s;
  } catch {
    shared = null;
  }
  return shared;
}

/**
 * Gives `root` the badge styles: the shared sheet where adopting works, else a
 * cloned <style>. `css` lets the card and chip use their own sheet the same way.
 */
export function adoptStyles(root: ShadowRoot, css: string = BADGE_CSS, cache?: StyleCache): void {
  const c = cache ?? defaultCache;
  if (c.mode !== 'style') {
    const sheet = c === defaultCache ? sharedSheet(css) : c.sheet(css);
    if (sheet) {
      try {
        root.adoptedStyleSheets = [sheet];
        // Firefox content scripts may accept the assignment and still not apply it.
        if (root.adoptedStyleSheets.length === 1) {
          c.mode = 'adopt';
          return;
        }
      } catch {
        /* fall through to <style> */
      }
    }
    c.mode = 'style';
  }
  root.appendChild(c.styleClone(css));
}

export interface StyleCache {
  mode: 'unknown' | 'adopt' | 'style';
  sheet(css: string): CSSStyleSheet | null;
  styleClone(css: string): HTMLStyleElement;
}

/** A cache for one stylesheet (the card and chip each have theirs). */
export function styleCache(): StyleCache {
  let s: CSSStyleSheet | null | undefined;
  let tpl: HTMLStyleElement | null = null;
  return {
    mode: 'unknown',
    sheet(css) {
      if (s !== undefined) return s;
      try {
        s = new CSSStyleSheet();
        s.replaceSync(css);
      } catch {
        s = null;
      }
      return s;
    },
    styleClone(css) {
      if (!tpl) {
        tpl = document.createElement('style');
        tpl.textContent = css;
      }
      return tpl.cloneNode(true) as HTMLStyleElement;
    },
  };
}

const defaultCache: StyleCache = {
  mode: 'unknown',
  sheet: sharedSheet,
  styleClone(css) {
    if (!template) {
      template = document.createElement('style');
      template.textContent = css;
    }
    return template.cloneNode(true) as HTMLStyleElement;
  },
};

/** Tests: forget the detected mode (e.g. to simulate a browser without adoptedStyleSheets). */
export function resetStyleCache(mode: StyleCache['mode'] = 'unknown'): void {
  defaultCache.mode = mode;
}
