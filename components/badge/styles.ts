/**
 * The overlay's stylesheets.
 *
 * The badge: ONE light element per row (components/badge/badge.ts), styled by
 * ONE sheet per document (docs/performance.md: a shadow root, a sheet
 * adoption and a cloned fragment per row were most of the overlay's cost on
 * a long list). Its isolation from the page's CSS: a tag name nobody else
 * uses, `all: initial` on the element, and selectors of two id-level
 * `:not()`s, so a page rule on `td *` or `.cell span` cannot outrank ours; its
 * text is drawn from attributes (`content: attr(...)`), never page markup.
 * The pills (its ::before and ::after) inherit from that element and reset
 * only what a page's `*::before, *::after` rule sets in practice (PSEUDO_RESET),
 * not `all`: see there.
 * The sheet is adopted by the document where that works, else one <style> in
 * <head> (Firefox content scripts cannot adopt a sheet built in the isolated
 * world, bugzilla 1770592); either is put back if the page drops it.
 *
 * The card, chip and list stay one shadow root each per page (one element
 * each, not per row), each with its own sheet: adoptStyles below.
 *
 * px only, never rem: rem follows the host page's root font size.
 */

const FONT = `system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif`;
const B = 'ozon-guard-badge[data-ozon-guard]:not(#oog-a):not(#oog-b)';

/**
 * What the pills reset instead of `all: unset`. A pseudo-element whose `content` is `attr()` gets
 * its style worked out afresh for every badge (the engine's cache of matched styles cannot serve
 * it), and `all` is ≈ 400 properties each time: `all: unset` on both pills was ≈ 90 ms of the
 * page's style recalculation per 1,000 badges in Chromium, more than the extension's own script
 * (docs/performance.md "Eleventh pass"). Inherited properties come from the badge element, which
 * is `all: initial`, so only a page rule aimed at pseudo-elements could reach a pill: these are the
 * properties such rules set (box-sizing, spacing, borders and `content` resets, icon-font and
 * clearfix habits, typography); the rest of a pill is declared below. A pill with no text of its
 * own (a part switched off) has `content: none`, so a page's `*::after { content: "" }` draws no
 * empty pill. test/e2e/badges-behaviour.e2e.ts holds a badge under such rules equal to a clean one.
 */
const PSEUDO_RESET =
  'content:none;margin:0;border-width:0;float:none;position:static;transform:none;opacity:1;width:auto;min-width:0;' +
  'text-decoration:none;text-transform:inherit;letter-spacing:inherit;font-family:inherit;font-size:inherit;font-style:inherit;' +
  'font-weight:inherit;line-height:inherit;';

// Not content-visibility:auto: it spared the first render the pills of badges out of view, but made every scroll
// frame pay for the badges entering and leaving it (a 5,000-row list: ≈ 100 ms per frame against 5;
// bench/css-cost.mjs --scroll, docs/performance.md "Eleventh pass").
// The pills are blocks whose one line is as tall as the pill: as flex items they are blockified anyway, and
// text-overflow applies to a block's line, so a pill wider than its cell ends in "…" where an inline flex
// container (its text in an anonymous flex item) cut it mid-letter. Same look otherwise, and the simpler box is
// no dearer to render (bench/css-cost.mjs: 0–15 % less, within noise; docs/performance.md "Twelfth pass").
// A bare badge (badge.ts F_BARE, `[data-b]` below) is as tall as a drawn badge whose pills fit on one line (the
// min-height on every badge: a pill's line, its padding and border), so that drawing it moves nothing. Pills that wrap
// in a narrow column still make their row taller; the first scroll's pass, run at once (clock.ts scrolled), draws them
// in the frame that shows them. Before, a row jumped to grew when its pills came, and a «Показать ещё» button
// below fifty such rows moved 150–240 px as it was clicked (docs/performance.md "Twentieth pass").
// ERP countdown colours sellers already read: green ok, amber at risk, red critical, solid red overdue.
// The pills: ::before = the countdown (with the deadline's name in detailed density or for FBO),
// ::after = the cancel verdict, the element's one text node = the archive verdict (no pill background).
export const BADGE_CSS = `
${B}{all:initial;display:inline-flex!important;flex-wrap:wrap;align-items:center;gap:1px 4px;vertical-align:middle;
  margin:2px 0 2px 6px;padding:1px 7px 1px 1px;border:1px solid #d0d7de;border-radius:10px;background:#fff;box-sizing:border-box;
  font:500 12px/16px ${FONT};color:#57606a;cursor:default;outline:none;white-space:nowrap;letter-spacing:0;text-transform:none;
  -webkit-font-smoothing:antialiased;max-width:100%;visibility:visible;opacity:1;min-height:20px}
${B}:empty{padding-right:1px}
${B}:focus-visible{box-shadow:0 0 0 2px #fff,0 0 0 4px #2563eb}
${B}::before,${B}::after{${PSEUDO_RESET}display:block;height:16px;line-height:16px;padding:0 6px;border-radius:8px;box-sizing:border-box;
  white-space:nowrap;font-variant-numeric:tabular-nums;max-width:100%;overflow:hidden;text-overflow:ellipsis}
${B}[data-t-cd]::before{content:attr(data-t-cd);order:-2;font-weight:600}
${B}[data-t-cx]::after{content:attr(data-t-cx);order:-1;background:#f6f8fa;color:#424a53}
${B}[data-cancel=blocked]::after{color:#6e7781}
${B}[data-level=ok]::before{background:#e3f5e9;color:#116329}
${B}[data-level=at_risk]::before{background:#fff1c2;color:#7a4d00}
${B}[data-level=critical]::before{background:#ffe1de;color:#b3261e}
${B}[data-level=overdue]::before{background:#d1242f;color:#fff}
${B}[data-level=at_risk]{border-color:#e3a008}
${B}[data-level=critical]{border-color:#e5534b}
${B}[data-level=overdue]{border-color:#d1242f}
/* FBO rows: Ozon's warehouse ships them; a neutral grey, never the seller's red (D5 levels stay in data-level). */
${B}[data-fbo]{border-color:#d0d7de}
${B}[data-fbo]::before{background:#eaeef2;color:#424a53}
${B}[data-detailed]::before,${B}[data-detailed]::after{height:18px;line-height:18px}
${B}[data-detailed]{min-height:22px}
/* Every part switched off: a dot in the level's colour still opens the card. */
${B}[data-dot]::before{content:"";order:-2;width:8px;height:8px;padding:0;border-radius:4px;margin:3px;background:#8c959f}
${B}[data-dot][data-level=ok]::before{background:#1a7f37}
${B}[data-dot][data-level=at_risk]::before{background:#d4a72c}
${B}[data-dot][data-level=critical]::before{background:#e5534b}
${B}[data-dot][data-level=overdue]::before{background:#d1242f}
/* Bare (badge.ts F_BARE): the contract's part only, its pills not written until it is near the viewport: an empty box, no outline. */
${B}[data-b]{border-color:transparent!important;padding:0}
`;

/** How often (ms) the document's badge sheet is checked to still be there (the page may replace its own sheets). */
const RECHECK_MS = 500;

interface DocStyles {
  sheet: CSSStyleSheet | null;
  style: HTMLStyleElement | null;
  checkedAt: number;
}
const docStyles = new WeakMap<Document, DocStyles>();
/** The document checked in the running task (cleared by a microtask at its end): nothing runs in between. */
let checkedInTask: Document | null = null;
const endTask = () => {
  checkedInTask = null;
};
/** 'unknown' until the first document tells whether adopting a sheet works here. */
let docMode: 'unknown' | 'adopt' | 'style' = 'unknown';

function constructed(css: string): CSSStyleSheet | null {
  try {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  } catch {
    return null;
  }
}

/**
 * Puts the badge sheet into `doc` once (and back, if the page dropped it;
 * checked at most every RECHECK_MS, so a thousand badges cost one check).
 */
export function ensureBadgeStyles(doc: Document): void {
  // Checked in this task already: a batch of rows asks once per badge, and even reading the clock
  // per badge (performance.now, ≈ 2 µs in a page's isolated world) showed in the rows' profile.
  if (checkedInTask === doc) return;
  let d = docStyles.get(doc);
  const now = performance.now();
  checkedInTask = doc;
  queueMicrotask(endTask);
  if (d && now - d.checkedAt < RECHECK_MS) return;
  if (!d) docStyles.set(doc, (d = { sheet: null, style: null, checkedAt: now }));
  d.checkedAt = now;
  if (docMode !== 'style') {
    d.sheet ??= constructed(BADGE_CSS);
    try {
      const list = d.sheet ? doc.adoptedStyleSheets : undefined;
      if (d.sheet && list) {
        if (list.includes(d.sheet)) return;
        // The page's own sheets stay, ours is added after them.
        doc.adoptedStyleSheets = [...list, d.sheet];
        if (doc.adoptedStyleSheets.includes(d.sheet)) {
          docMode = 'adopt';
          return;
        }
      }
    } catch {
      /* fall through to <style> */
    }
    docMode = 'style';
  }
  if (d.style?.isConnected) return;
  if (!d.style) {
    d.style = doc.createElement('style');
    d.style.setAttribute('data-ozon-guard-ui', 'badge-style');
    d.style.textContent = BADGE_CSS;
  }
  (doc.head ?? doc.documentElement).append(d.style);
}

/** Takes the badge sheet out of `doc` (the overlay's destroy()). */
export function removeBadgeStyles(doc: Document): void {
  if (checkedInTask === doc) checkedInTask = null;
  const d = docStyles.get(doc);
  if (!d) return;
  docStyles.delete(doc);
  d.style?.remove();
  try {
    if (d.sheet && doc.adoptedStyleSheets?.includes(d.sheet)) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((x) => x !== d.sheet);
  } catch {
    /* best effort */
  }
}

/**
 * Gives `root` (the card's, the chip's, the list's) its styles: its shared
 * sheet where adopting works, else a cloned <style>.
 */
export function adoptStyles(root: ShadowRoot, css: string, c: StyleCache): void {
  if (c.mode !== 'style') {
    const sheet = c.sheet(css);
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

/** Tests: forget the detected mode of the badge sheet (e.g. to simulate a browser without adoptedStyleSheets). */
export function resetStyleCache(mode: 'unknown' | 'adopt' | 'style' = 'unknown'): void {
  docMode = mode;
  if (typeof document !== 'undefined') removeBadgeStyles(document);
}
