/**
 * The posting number, defined once (docs/real-panel.md "Values and formats";
 * docs/contract.md). Every reader (the panel's rows and links, the panel's
 * JSON, the page bridge, the CSV import, the layout-change check) takes it
 * from here.
 *
 * Shape: 8–10 leading digits (a leading zero occurs: `02822716-0120-1`,
 * `0167382117-0118-1`), a hyphen, 4 digits, a hyphen, 1–3 trailing digits
 * (`…-10` occurs in real exports). Pure: strings in, strings out.
 *
 * In running text the number must stand on its own: no digit, Latin letter
 * or underscore may touch it, and no `<digit>-` before or `-<digit>` after it
 * (a date or a second code run on). This only rejects joins; it cannot split
 * text whose cells were concatenated without a separator
 * (`1` + `12345678-0001-1` reads `112345678-0001-1`, a valid shape). That is
 * why the page reader takes the number from the text node or link that holds
 * it, never from a row's whole text (panel/rows.ts).
 */

/** The shape without anchors, for composing other patterns (a link's query value, a path segment). */
export const POSTING_NUMBER_SOURCE = '\\d{8,10}-\\d{4}-\\d{1,3}';

/** The whole string is a posting number. */
export const POSTING_NUMBER_EXACT = new RegExp(`^${POSTING_NUMBER_SOURCE}$`);

/** Nothing that would extend the number may touch it: a word character, or `<digit>-` / `-<digit>`. */
const BEFORE = '(?<!\\w|\\d-)';
const AFTER = '(?!\\w|-\\d)';

/** A posting number standing on its own inside text (first match; not global, so no lastIndex state). */
export const POSTING_NUMBER_IN_TEXT = new RegExp(`${BEFORE}${POSTING_NUMBER_SOURCE}${AFTER}`);

/** A posting number in a link (capture 1): `postingDetails=<n>`, `postingNumber=<n>` or a path segment. */
export const POSTING_NUMBER_IN_HREF = new RegExp(`(?:posting(?:Details|Number)=|\\/)(${POSTING_NUMBER_SOURCE})(?![\\d-])`);

/**
 * The shape between word boundaries (`\b`): looser than POSTING_NUMBER_IN_TEXT (a hyphen may
 * touch it). Only for describing a page's structure (panel/report.ts, panel/shape.ts), never to read one.
 */
export const POSTING_NUMBER_WORD_SOURCE = `\\b${POSTING_NUMBER_SOURCE}\\b`;

/** Whether `x` is exactly a posting number. */
export function isPostingNumber(x: unknown): x is string {
  return typeof x === 'string' && POSTING_NUMBER_EXACT.test(x);
}

/** The first posting number standing on its own in `text`, with where it starts. */
export function findPostingNumber(text: string): { num: string; index: number } | undefined {
  const m = POSTING_NUMBER_IN_TEXT.exec(text);
  return m ? { num: m[0], index: m.index } : undefined;
}

/** Every posting number standing on its own in `text`, with where each starts, in order. */
export function findPostingNumbers(text: string): { num: string; index: number }[] {
  const re = new RegExp(POSTING_NUMBER_IN_TEXT.source, 'g');
  const out: { num: string; index: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ num: m[0], index: m.index });
  return out;
}

/** Whether `text` mentions a posting number standing on its own. */
export function hasPostingNumber(text: string): boolean {
  return POSTING_NUMBER_IN_TEXT.test(text);
}

/** The shape anywhere, even run into neighbouring digits (see showsPostingShape). */
export const POSTING_SHAPE_ANYWHERE = new RegExp(POSTING_NUMBER_SOURCE);

/**
 * Whether the shape occurs anywhere, even run into neighbouring digits (a
 * whole page's textContent, where cells join without a separator). Answers
 * "does the page show posting numbers at all"; never use it to read one.
 */
export function showsPostingShape(text: string): boolean {
  return POSTING_SHAPE_ANYWHERE.test(text);
}
