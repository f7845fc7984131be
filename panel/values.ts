/**
 * The values a row's cells hold besides status and times: the tracking
 * number, a price and its currency, and the items (SKU, article, quantity,
 * name, price), from one product cell or a nested table of several.
 */
import { hasPostingNumber, isPostingNumber } from '../rules';
import type { OrderItem } from '../rules';
import { rowCells, type Field } from './columns';
import { clean, isEmptyValue, leafTexts, valueText, MAX_VALUE, type Value } from './cell-text';

const TRACK_TOKEN = /[A-Z0-9][A-Z0-9-]{5,39}/gi;

export function trackingFrom(text: string): string | undefined {
  if (isEmptyValue(text)) return undefined;
  for (const tok of text.match(TRACK_TOKEN) ?? []) {
    if (!/\d/.test(tok)) continue;
    if (isPostingNumber(tok)) continue;
    return tok;
  }
  return undefined;
}

const CURRENCY: [RegExp, string][] = [
  [/₽|руб|rub/i, 'RUB'],
  [/¥|元|cny|rmb|юан/i, 'CNY'],
  [/\$|usd/i, 'USD'],
  [/€|eur/i, 'EUR'],
  [/₸|kzt/i, 'KZT'],
  [/\bbyn\b/i, 'BYN'],
];
const PRICE = /\d[\d\s\u00a0\u202f,.]*/;

/** "1 299 ₽", "459,50 ₽", "1,250.00 ₽", "¥ 89.90" → number and currency. */
export function priceFrom(text: string): { price?: number; currency?: string } {
  if (isEmptyValue(text)) return {};
  const m = PRICE.exec(text);
  if (!m) return {};
  let t = m[0].replace(/[\s\u00a0\u202f]/g, '').replace(/[.,]+$/, '');
  const lastSep = Math.max(t.lastIndexOf(','), t.lastIndexOf('.'));
  if (lastSep >= 0) {
    const decimals = t.length - lastSep - 1;
    const seps = (t.match(/[.,]/g) ?? []).length;
    // One separator followed by 1–2 digits is the decimal point; anything else groups thousands.
    if (decimals <= 2 && !(seps === 1 && decimals === 3)) t = t.slice(0, lastSep).replace(/[.,]/g, '') + '.' + t.slice(lastSep + 1);
    else t = t.replace(/[.,]/g, '');
  }
  const n = Number(t);
  const out: { price?: number; currency?: string } = {};
  if (t && Number.isFinite(n) && n >= 0 && n < 1e9) out.price = n;
  for (const [re, code] of CURRENCY) {
    if (re.test(text)) {
      out.currency = code;
      break;
    }
  }
  return out;
}

const SKU_IN = /(?:^|[^\p{L}])(?:sku|ozon id|озон id)\s*[:：#№]?\s*(\d{4,15})(?!\d)/iu;
const OFFER_IN = /(?:артикул|арт\.|offer id|article|vendor code|货号|商家编码)\s*[:：#№]?\s*([^\s,;|]{1,64})/iu;
const QTY_IN = /(?:^|\s)(\d{1,4})\s*(?:шт|pcs?|件|个)\.?(?:\s|$)|(?:^|\s)[x×]\s*(\d{1,4})\b|(?:кол-во|количество|qty|quantity|数量)\s*[:：]?\s*(\d{1,4})/iu;

export function itemsFrom(values: Map<Field, Value>): { items?: OrderItem[]; currency?: string } {
  const productEl = values.get('product');
  const productLines = productEl === undefined ? [] : typeof productEl === 'string' ? [clean(productEl, MAX_VALUE)] : leafTexts(productEl, 12);
  const productText = productLines.join(' \n ');
  const skuText = valueText(values.get('sku'), 100);
  const offerText = valueText(values.get('offerId'), 200);
  const qtyText = valueText(values.get('quantity'), 50);
  const priceText = valueText(values.get('price'), 200);

  const sku = (/^\d{4,15}$/.test(skuText) ? skuText : SKU_IN.exec(skuText)?.[1]) ?? SKU_IN.exec(productText)?.[1];
  const offer =
    OFFER_IN.exec(offerText)?.[1] ??
    (!isEmptyValue(offerText) && /^[^\s,;|]{1,64}$/.test(offerText) ? offerText : undefined) ??
    OFFER_IN.exec(productText)?.[1];
  const out: { items?: OrderItem[]; currency?: string } = {};
  const pr = priceFrom(priceText);
  if (pr.currency) out.currency = pr.currency;
  if (!sku && !offer) return out;
  const q = /^\d{1,4}$/.test(qtyText) ? Number(qtyText) : undefined;
  let qm: RegExpExecArray | null = null;
  for (const l of productLines) if ((qm = QTY_IN.exec(l))) break;
  const qty = q ?? (qm ? Number(qm[1] ?? qm[2] ?? qm[3]) : 1);
  const item: OrderItem = { sku: sku ?? offer!, quantity: Number.isFinite(qty) ? qty : 1 };
  if (offer) item.offerId = offer;
  if (productLines.length) {
    // The name is a line's text before any "SKU: …", "Артикул: …", "× 2" part.
    for (const l of productLines) {
      let cut = l.length;
      for (const re of [SKU_IN, OFFER_IN, QTY_IN]) {
        const m = re.exec(l);
        if (m && m.index < cut) cut = m.index;
      }
      const name = l.slice(0, cut).trim();
      if (name.length >= 2 && !/^\d[\d\s.,]*$/.test(name) && !hasPostingNumber(name)) {
        item.name = name.slice(0, 200);
        break;
      }
    }
  }
  if (pr.price !== undefined) item.price = pr.price;
  out.items = [item];
  return out;
}

/**
 * Several SKUs of one order as a nested table in its product cell (its own
 * SKU / name / qty / price header): one item per nested row. Only a nested
 * `<table>` or ARIA grid with a header naming a SKU or article column counts.
 */
export function nestedItems(el: Element): { items?: OrderItem[]; currency?: string } {
  const grid = el.tagName === 'TABLE' ? el : el.querySelector('table,[role="grid"],[role="table"]');
  if (!grid) return {};
  const subRows: Element[] = [];
  const w = el.ownerDocument.createTreeWalker(grid, 1);
  for (let n = w.nextNode() as Element | null; n && subRows.length < 50; n = w.nextNode() as Element | null) {
    if ((n.tagName === 'TR' || n.getAttribute('role') === 'row') && n.parentElement?.tagName !== 'THEAD') subRows.push(n);
  }
  const out: { items?: OrderItem[]; currency?: string } = {};
  const items: OrderItem[] = [];
  for (const r of subRows) {
    const { cells, header } = rowCells(r);
    if (!header) return {};
    if (header.el === r || cells.every((c) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader')) continue;
    const values = new Map<Field, Value>();
    for (const [i, f] of header.columns) {
      const c = cells[i];
      if (c && !values.has(f)) values.set(f, c);
    }
    if (!values.has('sku') && !values.has('offerId')) return {};
    const one = itemsFrom(values);
    if (one.items) items.push(...one.items);
    out.currency ??= one.currency;
  }
  if (items.length) out.items = items;
  else delete out.currency;
  return out;
}
