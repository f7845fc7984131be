/**
 * A page report (panel/report.ts, saved from the popup) → a fixture page:
 * standalone HTML with the report's structure and its shapes turned back into
 * plausible values, so the reader can be run on a layout nobody on the team
 * can see (docs/real-panel.md). Plain Node, no dependency: scripts/fixture.mjs
 * is the command line, test/panel/report-roundtrip.test.ts the proof that the
 * reader finds on the rebuilt page the rows it found on the original.
 *
 * How shapes come back:
 * - a posting number's shape (99999999-9999-9) becomes a valid posting number
 *   of the same lengths, one per ordinal: the same number wherever the page
 *   showed the same one (text, link, data-* value, URL), distinct otherwise;
 * - 99.99.9999, 9999-99-99, 9999年9月99日, "99 апреля 9999" become the report's
 *   own day, 99:99 a time of day; any other run of 9s a number of that length
 *   starting with 1 (a price, a quantity, an SKU);
 * - runs of a / я / 汉 become filler words of the same length and script
 *   (chosen to contain no status or header word);
 * - kept texts (header, status and label words) stay as they are;
 * - a link to a posting gets `href="<path>?postingDetails=<number>"`; other
 *   attributes whose values were dropped get an empty value (URL and size
 *   attributes are left out: an empty one would fetch the page or be an error).
 */

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
const ATTR_NAME = /^[^\s"'<>/=\u0000-\u001f]{1,100}$/;
const TAG_NAME = /^[a-z][a-z0-9-]{0,60}$/i;
const NO_EMPTY = new Set(['src', 'srcset', 'width', 'height', 'viewbox', 'action', 'formaction', 'poster', 'data', 'background', 'ping']);
const POSTING_SHAPE = /^9{8,10}-9{4}-9{1,3}$/;

const FILL_LATIN = 'loremipsumdolorsitametconsecteturadipiscingelitseddoeiusmodtempor';
const FILL_CYR = 'съешьжеещёэтихмягкихфранцузскихбулокдавыпейчаю';
const FILL_CJK = '示例文本内容填充字符';

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const p2 = (n) => String(n).padStart(2, '0');

/** The valid posting number for an ordinal, with the lengths of its shape. */
export function postingFor(ordinal, shape = '99999999-9999-9') {
  const m = /^(9{8,10})-(9{4})-(9{1,3})$/.exec(shape) ?? ['', '99999999', '9999', '9'];
  const a = m[1].length;
  const c = m[3].length;
  const head = '4' + String(ordinal).padStart(a - 1, '0').slice(-(a - 1));
  const mid = String(1000 + (ordinal % 9000)).padStart(4, '0');
  const tail = String((ordinal % 9) + 1).padStart(c, '1');
  return `${head}-${mid}-${tail}`;
}

/**
 * Fills a shaped text. `postings`: `[offset, ordinal][]`; `numbers`: ordinal → posting number.
 * `day`: { y, mo, d } of the report.
 */
export function fillShape(text, postings, numbers, day, pieces) {
  // Posting spans first, masked so nothing below touches them.
  const spans = [];
  let masked = text;
  // Pieces of a number split over elements: the digits of that number at that place.
  for (const [off, ord, at, len] of Array.isArray(pieces) ? pieces : []) {
    const num = numbers.get(ord) ?? postingFor(ord);
    const part = num.slice(at, at + len);
    if (!part || off + part.length > text.length) continue;
    spans.push([off, part]);
    masked = masked.slice(0, off) + '\u0001'.repeat(part.length) + masked.slice(off + part.length);
  }
  for (const [off, ord] of postings ?? []) {
    const m = /^9{8,10}-9{4}-9{1,3}/.exec(text.slice(off));
    if (!m) continue;
    const num = numbers.get(ord) ?? postingFor(ord, m[0]);
    const len = Math.min(m[0].length, num.length);
    spans.push([off, num]);
    masked = masked.slice(0, off) + '\u0001'.repeat(len) + masked.slice(off + m[0].length);
  }
  const date = `${p2(day.d)}.${p2(day.mo)}.${day.y}`;
  const dd = (m) => String(day.d).padStart(m.length, '0');
  // A word that is all shape letters was a value; any other word is one the report kept (a month name, AM / PM).
  const kept = (w) => !/^[aя汉]+$/u.test(w);
  let hour = 10;
  let s = masked
    .replace(/(?<!9)9{2}\.9{2}\.9{4}(?!9)/g, date)
    .replace(/(?<!9)9{4}-9{2}-9{2}(?!9)/g, `${day.y}-${p2(day.mo)}-${p2(day.d)}`)
    .replace(/(?<!9)9{4}年(9{1,2})月(9{1,2})日/g, (m, mo, d) => `${day.y}年${String(day.mo).padStart(mo.length, '0').slice(-mo.length)}月${dd(d).slice(-d.length)}日`)
    // "Apr 99, 9999" / "99 апреля 9999": the report's day and year around a kept month name.
    .replace(/(\p{L}+\.?[\s\u00a0])(9{1,2})(?!9)(,?[\s\u00a0]9{4}(?!9))?/gu, (all, w, d, y) =>
      kept(w.trim().replace(/\.$/, '')) ? w + dd(d) + (y ? y.replace(/9{4}/, String(day.y)) : '') : all,
    )
    .replace(/(?<![9:])(9{1,2})([\s\u00a0]?)(\p{L}+)(\.?,?[\s\u00a0]9{4}(?!9))?/gu, (all, d, sp, w, y) =>
      kept(w) ? dd(d) + sp + w + (y ? y.replace(/9{4}/, String(day.y)) : '') : all,
    )
    .replace(/(?<!9)9{1,2}:9{2}(?::9{2})?(?!9)/g, (m) => {
      const h = hour++ % 24;
      const parts = m.split(':');
      return [String(h).padStart(parts[0].length, '0'), ...parts.slice(1).map(() => '00')].join(':');
    })
    .replace(/9+/g, (m) => '1' + '0'.repeat(m.length - 1))
    .replace(/(?<!\p{L})[aя汉]+(?!\p{L})/gu, (m) => {
      let out = '';
      for (let i = 0; i < m.length; i++) {
        const src = m[i] === 'a' ? FILL_LATIN : m[i] === 'я' ? FILL_CYR : FILL_CJK;
        out += src[i % src.length];
      }
      return out;
    });
  for (const [off, num] of spans) s = s.slice(0, off) + num + s.slice(off + num.length);
  return s;
}

function dayOf(report) {
  const d = new Date(typeof report.savedAt === 'string' ? report.savedAt : 0);
  const ok = Number.isFinite(d.getTime());
  const x = ok ? d : new Date(0);
  return { y: x.getUTCFullYear(), mo: x.getUTCMonth() + 1, d: x.getUTCDate() };
}

/** ordinal → the posting number the fixture page uses for it. */
export function numbersOf(report) {
  const numbers = new Map();
  for (const c of report.candidates ?? []) {
    if (Number.isInteger(c.ordinal) && c.ordinal > 0 && POSTING_SHAPE.test(c.posting)) numbers.set(c.ordinal, postingFor(c.ordinal, c.posting));
  }
  return numbers;
}

/** The URL the fixture page is served at: the report's origin and path, query keys with the values kept or rebuilt. */
export function reportUrl(report) {
  const u = report.url ?? {};
  const numbers = numbersOf(report);
  const origin = typeof u.origin === 'string' && /^https:\/\/[\w.-]+$/.test(u.origin) ? u.origin : 'https://seller.ozon.ru';
  let path = typeof u.path === 'string' ? u.path : '/';
  const day = dayOf(report);
  path = fillShape(path, u.pathPostings, numbers, day);
  const q = new URLSearchParams();
  for (const e of Array.isArray(u.query) ? u.query : []) {
    if (!e || typeof e.key !== 'string') continue;
    if (Number.isInteger(e.posting)) q.append(e.key, numbers.get(e.posting) ?? postingFor(e.posting));
    else q.append(e.key, typeof e.value === 'string' ? e.value : '');
  }
  const qs = q.toString();
  return `${origin}${path.startsWith('/') ? path : '/' + path}${qs ? '?' + qs : ''}`;
}

function isText(n) {
  return n && typeof n === 'object' && typeof n.text === 'string' && !('tag' in n);
}

function render(node, env, parentTag) {
  if (isText(node)) {
    const t = node.kept === 'header' ? node.text : fillShape(node.text, node.postings, env.numbers, env.day, node.pieces);
    return RAW_TEXT.has(parentTag) ? (parentTag === 'title' || parentTag === 'textarea' ? esc(t) : '') : esc(t);
  }
  if (!node || typeof node !== 'object' || typeof node.tag !== 'string') return '';
  const tag = node.tag.toLowerCase();
  if (!TAG_NAME.test(tag)) return '';
  let attrs = '';
  if (typeof node.class === 'string' && node.class) attrs += ` class="${esc(node.class)}"`;
  if (typeof node.role === 'string' && node.role) attrs += ` role="${esc(node.role)}"`;
  const values = node.values && typeof node.values === 'object' ? node.values : {};
  for (const [name, v] of Object.entries(values)) {
    if (!ATTR_NAME.test(name) || typeof v !== 'string') continue;
    const posts = node.valuePostings?.[name];
    const filled = /^(?:aria|data)-/.test(name) && !/^\d{1,3}$/.test(v) ? fillShape(v, posts, env.numbers, env.day) : v;
    attrs += ` ${name}="${esc(filled)}"`;
  }
  for (const name of Array.isArray(node.attrs) ? node.attrs : []) {
    if (typeof name !== 'string' || !ATTR_NAME.test(name) || name === 'class' || name === 'role' || name in values) continue;
    // Dropped values that an empty one would turn into a fetch of the page itself or an SVG length error.
    if (NO_EMPTY.has(name)) continue;
    if (name === 'href') {
      const num = Number.isInteger(node.link) ? (env.numbers.get(node.link) ?? postingFor(node.link)) : undefined;
      attrs += num ? ` href="${esc(env.path)}?postingDetails=${num}"` : ' href="#"';
    } else if (name === 'charset') attrs += ' charset="utf-8"';
    else attrs += ` ${name}=""`;
  }
  if (VOID.has(tag)) return `<${tag}${attrs}>`;
  let inner = '';
  // The report keeps no style sheet: icons whose size was dropped would fill the page.
  if (tag === 'head') inner += '<meta charset="utf-8"><style>svg{width:1em;height:1em}</style>';
  for (const c of Array.isArray(node.children) ? node.children : []) inner += render(c, env, tag);
  return `<${tag}${attrs}>${inner}</${tag}>`;
}

/** A page report → the HTML of a standalone fixture page. Throws a clear Error on a file that is not a report. */
export function reportToHtml(report) {
  if (!report || typeof report !== 'object' || report.format !== 'ozon-order-guard/page-report') {
    throw new Error('not an Ozon Order Guard page report (no "format": "ozon-order-guard/page-report")');
  }
  if (report.version !== 1) throw new Error(`page report version ${String(report.version)} is not supported (this script reads version 1)`);
  if (!report.dom || typeof report.dom !== 'object') throw new Error('the page report has no "dom"');
  const url = reportUrl(report);
  const env = { numbers: numbersOf(report), day: dayOf(report), path: new URL(url).pathname };
  const html = render(report.dom, env, '');
  return `<!doctype html>\n<!-- fixture page from an Ozon Order Guard page report; serve it at: ${esc(url)} -->\n${html}\n`;
}
