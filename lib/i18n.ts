/**
 * The one i18n layer every user-visible string goes through.
 *
 * Messages live in locales/{en,ru,zh_CN}.yml; @wxt-dev/i18n turns them into
 * _locales/<lang>/messages.json, so by default the browser's language is used
 * (browser.i18n.getMessage, nothing bundled). The options page can override
 * the language: then the chosen language's messages.json is loaded (extension
 * pages fetch it; the content script gets it from the background) and handed
 * to `useMessages`.
 *
 * Why not @wxt-dev/i18n's own `t` for plurals: it only knows "one | other"
 * shapes; Russian needs one / few / many. We pick the form with
 * Intl.PluralRules and look up `key_<form>`.
 */

export type Lang = 'en' | 'ru' | 'zh_CN';
export const LANGS: readonly Lang[] = ['en', 'ru', 'zh_CN'];

/** BCP-47 tag for Intl formatting. */
export const LANG_TAG: Record<Lang, string> = { en: 'en-GB', ru: 'ru-RU', zh_CN: 'zh-CN' };

export type MessageTable = Record<string, string>;

let table: MessageTable | null = null;
let currentLang: Lang | null = null;

type GetMessage = (key: string, subs?: string[]) => string;

function browserGetMessage(): GetMessage | null {
  const g = globalThis as unknown as {
    browser?: { i18n?: { getMessage?: GetMessage } };
    chrome?: { i18n?: { getMessage?: GetMessage } };
  };
  const api = g.browser?.i18n ?? g.chrome?.i18n;
  return api?.getMessage ? api.getMessage.bind(api) : null;
}

/** Normalises a browser UI language (e.g. "zh-CN", "ru", "en-US") to one we ship. */
export function toLang(uiLang: string | undefined | null): Lang {
  const l = (uiLang ?? '').toLowerCase().replace('-', '_');
  if (l.startsWith('zh')) return 'zh_CN';
  if (l.startsWith('ru')) return 'ru';
  return 'en';
}

/** The browser's UI language, as one we ship. */
export function browserLang(): Lang {
  const g = globalThis as unknown as {
    browser?: { i18n?: { getUILanguage?: () => string } };
    navigator?: { language?: string };
  };
  try {
    // Ask the served table which language it is (its `lang_code` message): getUILanguage()
    // and even '@@ui_locale' can differ from the messages the browser actually serves (seen in
    // headless Chromium: UI "zh-CN" and '@@ui_locale' "en_US" while serving Chinese), and then
    // plural rules and number formats would not match the words.
    const served = browserGetMessage()?.('lang_code');
    if (served === 'en' || served === 'ru' || served === 'zh_CN') return served;
    return toLang(g.browser?.i18n?.getUILanguage?.() ?? g.navigator?.language);
  } catch {
    return 'en';
  }
}

/**
 * The browser's language as asked once (a native extension call each time: every plural and
 * number on the chip asked it); asked again after useMessages, which tests also use to reset it.
 */
let browserLangOnce: Lang | null = null;

/** The language strings are currently shown in. */
export function lang(): Lang {
  return currentLang ?? (browserLangOnce ??= browserLang());
}

/**
 * Use an explicit message table (an override language, or tests). Passing
 * `null` returns to the browser's own language.
 */
export function useMessages(l: Lang | null, messages: MessageTable | null): void {
  currentLang = l;
  table = messages;
  browserLangOnce = null;
  version++;
}

let version = 0;

/** Changes whenever the strings may have (useMessages): callers caching translated text compare it. */
export function messagesVersion(): number {
  return version;
}

/**
 * Turns a chrome messages.json object ({key:{message}}), or a table already flat ({key: message},
 * what the background sends the content script), into a flat table; anything else in it is left
 * out. A `for…in` over own keys rather than Object.entries: it runs once per panel page load on
 * ≈ 950 keys, and the entries' arrays were most of its ≈ 3 ms there (docs/performance.md
 * "Seventeenth pass").
 */
export function tableFromMessagesJson(json: unknown): MessageTable {
  const out: MessageTable = {};
  if (!json || typeof json !== 'object') return out;
  const src = json as Record<string, unknown>;
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    const v = src[k];
    if (typeof v === 'string') out[k] = v;
    else if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') out[k] = (v as { message: string }).message;
  }
  return out;
}

/**
 * `$1`…`$9` of a message replaced by its substitutions (one left as it is when it has none). A scan
 * by hand, not a regex replace with a callback: the chip's count is filled on every update, and on
 * a page's first list the regex's first runs were a visible part of the extension's fixed cost
 * (docs/performance.md). The same as `message.replace(/\$(\d)/g, …)`, property-tested.
 */
function fill(message: string, subs: (string | number)[]): string {
  let i = message.indexOf('$');
  if (i < 0) return message;
  let out = '';
  let from = 0;
  for (; i >= 0; i = message.indexOf('$', i + 1)) {
    const d = message.charCodeAt(i + 1) - 48;
    if (d < 0 || d > 9) continue;
    const v = subs[d - 1];
    if (v === undefined) continue;
    out += message.slice(from, i) + String(v);
    from = i + 2;
  }
  return out + message.slice(from);
}

/**
 * The browser's message for a key, with its $1…$9 left as markers, asked once
 * per key: browser.i18n.getMessage is a native extension binding that cost
 * ~10 µs a call, and a page of 5,000 badges asks for several messages each
 * (text, aria-label, countdown units) on every render. The browser's language
 * cannot change while the page lives, so the cache never goes stale.
 */
const MARKS = Array.from({ length: 9 }, (_, i) => `\u0001${i + 1}\u0002`);
const MARK_RE = /\u0001(\d)\u0002/g;
const browserTemplates = new Map<string, string | null>();

function browserTemplate(k: string): string | null {
  let tpl = browserTemplates.get(k);
  if (tpl !== undefined) return tpl;
  const get = browserGetMessage();
  if (!get) return null;
  try {
    tpl = get(k, MARKS) || null;
  } catch {
    return null; // extension context invalidated: not cached, fall through
  }
  browserTemplates.set(k, tpl);
  return tpl;
}

function lookup(key: string, subs: (string | number)[]): string | undefined {
  // Keys are written with `_` (a dotted key is the same message): no regex run when there is no dot.
  const k = key.indexOf('.') < 0 ? key : key.replace(/\./g, '_');
  if (table) {
    const m = table[k];
    if (m) return fill(m, subs);
  }
  const tpl = browserTemplate(k);
  if (tpl) return tpl.indexOf('\u0001') < 0 ? tpl : tpl.replace(MARK_RE, (_m, d: string) => String(subs[Number(d) - 1] ?? ''));
  return undefined;
}

/** Translate `key`, substituting $1, $2 … A missing key shows the key itself (never throws). */
export function t(key: string, ...subs: (string | number)[]): string {
  return lookup(key, subs) ?? key;
}

/**
 * `key`'s message as a function of its substitutions, made once per key and strings in force:
 * `tf(key)(a, b)` is `t(key, a, b)`. For the badge's hot path (countdown units, aria-label),
 * where filling the message through a regex on every call was a visible part of a new badge's
 * cost on a 1,000-row list (docs/performance.md). The message is looked up with markers in
 * place of $1…$9 and cut into its literal pieces and substitution numbers, so a language may
 * put them in any order. A missing key gives the key itself, as t() does.
 */
export type Filler = (...subs: (string | number)[]) => string;
const fillers = new Map<string, Filler>();
let fillersVersion = -1;
const FILL_MARKS = Array.from({ length: 9 }, (_, i) => `\u0003${i + 1}\u0004`);
const FILL_MARK_RE = /\u0003(\d)\u0004/g;

export function tf(key: string): Filler {
  if (fillersVersion !== version) {
    fillers.clear();
    fillersVersion = version;
  }
  let f = fillers.get(key);
  if (f) return f;
  const marked = t(key, ...FILL_MARKS);
  const lits: string[] = [];
  const idx: number[] = [];
  let from = 0;
  for (const m of marked.matchAll(FILL_MARK_RE)) {
    lits.push(marked.slice(from, m.index));
    idx.push(Number(m[1]) - 1);
    from = m.index + m[0].length;
  }
  const tail = marked.slice(from);
  if (!idx.length) f = () => tail;
  else
    f = (...subs) => {
      let out = lits[0]!;
      for (let i = 0; i < idx.length; i++) {
        const v = subs[idx[i]!];
        out += (v === undefined ? '' : String(v)) + (i + 1 < idx.length ? lits[i + 1]! : tail);
      }
      return out;
    };
  fillers.set(key, f);
  return f;
}

/** Whether a message exists for `key` in the active table / browser. */
export function has(key: string): boolean {
  return lookup(key, []) !== undefined;
}

const pluralRulesCache = new Map<Lang, Intl.PluralRules>();
/**
 * The plural form of `count` in language `l`: CLDR's rules, written out for whole numbers in the
 * three languages here (test/lib/i18n.test.ts holds them equal to Intl.PluralRules for every
 * whole number tried), Intl.PluralRules for the rest. Why not Intl every time: its first call
 * on a page loads the language's rules, ≈ 0.7 ms of the chip's first count on every panel page,
 * and the chip only ever counts whole orders (docs/performance.md "Seventeenth pass").
 */
export function pluralForm(count: number, l: Lang): Intl.LDMLPluralRule {
  if (Number.isSafeInteger(count) && count >= 0) {
    if (l === 'zh_CN') return 'other';
    if (l === 'en') return count === 1 ? 'one' : 'other';
    if (l === 'ru') {
      const d = count % 10;
      const h = count % 100;
      if (d === 1 && h !== 11) return 'one';
      if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return 'few';
      return 'many';
    }
  }
  let pr = pluralRulesCache.get(l);
  if (!pr) {
    pr = new Intl.PluralRules(LANG_TAG[l]);
    pluralRulesCache.set(l, pr);
  }
  return pr.select(count);
}

/**
 * Plural: looks up `key_<form>` for the active language (one/few/many/other),
 * falling back to `key_other`. `count` is $1; further subs are $2 ….
 */
export function tp(key: string, count: number, ...subs: (string | number)[]): string {
  const l = lang();
  const form = pluralForm(count, l);
  const all = [fmtNumber(count), ...subs];
  return lookup(`${key}_${form}`, all) ?? lookup(`${key}_other`, all) ?? `${key}:${count}`;
}

const numberFmtCache = new Map<string, Intl.NumberFormat>();
function numberFormat(l: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = `${l}|${JSON.stringify(opts)}`;
  let f = numberFmtCache.get(cacheKey);
  if (!f) {
    f = new Intl.NumberFormat(LANG_TAG[l], opts);
    numberFmtCache.set(cacheKey, f);
  }
  return f;
}

/** fmtNumber's formatters, by language and digits: asked on every chip update and plural, so no option key is built per call. */
const plainFmtCache = new Map<string, Intl.NumberFormat>();

export function fmtNumber(n: number, maxFractionDigits = 0): string {
  // A whole number below 1,000 reads the same in every language here (Latin digits, no group
  // separator): no formatter, whose first use on a page (loading the language's number data) was
  // ≈ 1.8 ms of the chip's first count (docs/performance.md "Seventeenth pass"). -0 is Intl's ("-0").
  if (Number.isInteger(n) && n >= 0 && n < 1000 && !Object.is(n, -0)) return String(n);
  const l = lang();
  const k = `${l}|${maxFractionDigits}`;
  let f = plainFmtCache.get(k);
  if (!f) plainFmtCache.set(k, (f = numberFormat(l, { maximumFractionDigits: maxFractionDigits })));
  return f.format(n);
}

/** A percent given as 2.5 (not 0.025), shown with `digits` decimals: "2.50 %" / "2,50 %". */
export function fmtPercent(pct: number, digits = 2): string {
  return (
    numberFormat(lang(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      Number.isFinite(pct) ? pct : 0,
    ) + '\u202f%'
  );
}

export function fmtMoney(amount: number, currency = 'RUB'): string {
  try {
    // The symbol as the language writes money ("50 000 ₽", "₽50,000"), not the ISO code ("RUB 50,000").
    return numberFormat(lang(), { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${fmtNumber(amount)} ${currency}`;
  }
}
