/**
 * What a cell says, as text: read from `textContent` (never HTML: `<img
 * onerror>` written as text stays text), capped in length, whitespace
 * collapsed; "—", "нет", "n/a" read as nothing. Shared by the row reader
 * (parse-row.ts), its value readers (values.ts) and the dates (dates.ts).
 */

export const MAX_CELL = 2000;
export const MAX_VALUE = 500;

export function clean(text: string | null | undefined, max = MAX_CELL): string {
  if (!text) return '';
  const t = text.length > max ? text.slice(0, max) : text;
  return t.replace(/[\s\u00a0\u202f\u200b]+/g, ' ').trim();
}

/** "—", "-", "нет", "n/a": a cell that says "nothing here". */
export function isEmptyValue(t: string): boolean {
  return !t || /^(?:[-–—_.·/\\]+|нет|n\/?a|none|无|暂无|не указан[оа]?)$/iu.test(t);
}

export type Value = Element | string;

/**
 * A cell's text with its text nodes joined by spaces (textContent would glue
 * "Артикул: A1" and "SKU: 123" of two blocks into "A1SKU: 123"), capped.
 */
function elementText(el: Element, max: number): string {
  const direct = el.textContent ?? '';
  if (el.childElementCount === 0) return clean(direct, max);
  const parts: string[] = [];
  let len = 0;
  const w = el.ownerDocument.createTreeWalker(el, 4);
  for (let n = w.nextNode(); n && len < max; n = w.nextNode()) {
    const d = (n as Text).data;
    parts.push(d.length > max ? d.slice(0, max) : d);
    len += d.length + 1;
  }
  return clean(parts.join(' '), max);
}

export function valueText(v: Value | undefined, max = MAX_CELL): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? clean(v, max) : elementText(v, max);
}

/** Leaf texts of an element (short ones), in order; for cells holding several lines. */
export function leafTexts(el: Element, limit = 40): string[] {
  const out: string[] = [];
  const doc = el.ownerDocument;
  const w = doc.createTreeWalker(el, 4);
  for (let n = w.nextNode(); n && out.length < limit; n = w.nextNode()) {
    const t = clean((n as Text).data, 300);
    if (t) out.push(t);
  }
  return out;
}
