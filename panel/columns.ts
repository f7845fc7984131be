/**
 * Which column of an orders grid holds what, from its header words in
 * Russian, English and Chinese (docs/ozon-domain.md §2.2 and the CSV headers of
 * §3, which the panel's own columns follow). The panel's markup is unknown,
 * so a header is found three ways: `<th>` of a `<table>`, `role=columnheader`
 * of an ARIA grid, or a header row of a div grid (a sibling of the rows, or
 * of their container, whose cells are header words and hold no posting
 * number). Nothing here reads layout or depends on a class name.
 */
import { closestWhere, isGridEl } from './dom';
import { hasPostingNumber } from '../rules';

export type Field =
  | 'posting'
  | 'order'
  | 'status'
  | 'paidAt'
  | 'shipBy'
  | 'tracking'
  | 'reason'
  | 'initiator'
  | 'cancelledAt'
  | 'product'
  | 'sku'
  | 'offerId'
  | 'price'
  | 'quantity'
  | 'carrier'
  | 'ignore';

/** Lower-case, ё→е, punctuation and runs of spaces to one space, no trailing colon. */
export function normHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/[:：*]+\s*$/u, '')
    .trim();
}

/**
 * Order matters: the specific before the general ("Дата отгрузки без
 * просрочки" is not the ship-by time; "Стоимость доставки" is not the price;
 * "Причина отмены" is not the status).
 */
const RULES: [Field, RegExp][] = [
  ['ignore', /без просрочки|without delay|стоимость доставки|delivery cost|shipping cost|运费|склад|warehouse|仓库|покупател|buyer|customer|买家|адрес|address|地址|действи|actions?$|操作/u],
  ['reason', /причина|reason|取消原因|原因/u],
  ['initiator', /инициатор|initiator|cancell?ed by|отменил|发起/u],
  ['cancelledAt', /дата отмены|время отмены|отменен[аоы]? в|cancell?ation (date|time)|cancell?ed (at|on)|取消时间|取消日期/u],
  ['tracking', /трек|tracking|track (no|number)|运单|追踪号|跟踪号|物流单号|快递单号/u],
  [
    'shipBy',
    /отгрузить до|дата отгрузки|срок отгрузки|собрать до|упаковать до|отгрузка до|ship by|ship before|shipment date|shipping date|shipping deadline|ship deadline|pack by|发货截止|截止发货|最晚发货|发货期限|截止时间|打包截止/u,
  ],
  [
    'paidAt',
    // T1: deadlines count from payment / processing, never from when the order was created.
    /принят в обработку|принято в обработку|дата оплаты|оплачен|processed at|processing (date|started)|accepted for processing|in process at|paid at|payment (date|time|confirmed)|处理时间|接单时间|付款时间|支付时间|开始处理/u,
  ],
  ['order', /номер заказа|order (number|no|id)|订单号|订单编号/u],
  ['posting', /отправлени|posting|shipment (number|no|id)|货件|包裹编号|发货单号/u],
  ['status', /статус|состояние|status|state|状态/u],
  ['carrier', /способ доставки|служба доставки|метод доставки|перевозчик|доставка|delivery (method|service)|shipping (method|service)|carrier|logistics|物流方式|物流商|承运|配送方式|物流/u],
  ['sku', /^sku$|^ozon sku$|^ozon id$|^sku ozon$/u],
  ['offerId', /артикул|offer id|offer_id|article|vendor code|seller sku|货号|商家编码|商品编码|卖家sku/u],
  ['quantity', /количество|кол[- .]*во|qty|quantity|数量/u],
  ['price', /стоимость|цена|сумма|price|amount|cost|total|价格|金额|售价|总价/u],
  ['product', /товар|наименование|название|состав|product|item|goods|sku|商品|产品|货品|^name$|^名称$/u],
];

const fieldCache = new Map<string, Field | null>();

/** A header's words → the field it names; null when it names none we read. */
export function fieldOfHeader(text: string | null | undefined): Field | null {
  if (typeof text !== 'string') return null;
  if (text.length > 80) return null;
  const h = normHeader(text);
  if (!h || h.length > 60) return null;
  const hit = fieldCache.get(h);
  if (hit !== undefined) return hit;
  let out: Field | null = null;
  for (const [f, re] of RULES) {
    if (re.test(h)) {
      out = f;
      break;
    }
  }
  if (fieldCache.size < 2000) fieldCache.set(h, out);
  return out;
}

/** Column index → field; a header that names nothing we read is absent. */
export type ColumnMap = Map<number, Field>;

export interface GridHeader {
  /** The element the header words were read from (for cache validation). */
  el: Element;
  text: string;
  columns: ColumnMap;
  kind: 'table' | 'aria' | 'div';
  /** divCells(el).length and el's child count it was taken at (rows are matched against it one by one). */
  divCount?: [count: number, at: number];
}

function divCount(h: GridHeader): number {
  const at = h.el.childElementCount;
  const c = h.divCount;
  if (c && c[1] === at) return c[0];
  const n = divCells(h.el).length;
  h.divCount = [n, at];
  return n;
}

function textOf(el: Element, max = 200): string {
  const t = el.textContent ?? '';
  return t.length > max ? t.slice(0, max) : t;
}

/**
 * A header cell's field: its whole text, else its first words alone. Header
 * cells carry icons, sort arrows and tooltips ("Processed at" + a hidden
 * 90-character explanation) whose text would drown the name.
 */
function headerCellField(c: Element): Field | null {
  const whole = fieldOfHeader(textOf(c, 100));
  if (whole || c.childElementCount === 0) return whole;
  const w = c.ownerDocument.createTreeWalker(c, 4);
  for (let n = w.nextNode(), i = 0; n && i < 6; n = w.nextNode(), i++) {
    const t = (n as Text).data.trim();
    if (t) return fieldOfHeader(t);
  }
  return null;
}

function mapCells(cells: Element[]): ColumnMap {
  const map: ColumnMap = new Map();
  cells.forEach((c, i) => {
    const f = headerCellField(c);
    if (f && f !== 'ignore') map.set(i, f);
  });
  return map;
}

// ---------------------------------------------------------------- tables

/** A table row's cells, each repeated by its colspan so indexes line up with the header. */
export function tableCells(row: Element): Element[] {
  const out: Element[] = [];
  for (const c of Array.from(row.children)) {
    if (c.tagName !== 'TD' && c.tagName !== 'TH') continue;
    const span = Math.min(Math.max(parseInt(c.getAttribute('colspan') ?? '1', 10) || 1, 1), 50);
    for (let i = 0; i < span; i++) out.push(c);
  }
  return out;
}

function tableHeader(table: Element): GridHeader | null {
  // The header row: the last row of <thead> (multi-row heads put the leaf names last), else a first row of <th>.
  let head: Element | null = null;
  for (const child of Array.from(table.children)) {
    if (child.tagName === 'THEAD') {
      const rows = Array.from(child.children).filter((r) => r.tagName === 'TR');
      head = rows[rows.length - 1] ?? null;
      break;
    }
  }
  if (!head) {
    const body = Array.from(table.children).find((c) => c.tagName === 'TBODY') ?? table;
    const first = Array.from(body.children).find((r) => r.tagName === 'TR');
    if (first && first.children.length && Array.from(first.children).every((c) => c.tagName === 'TH')) head = first;
  }
  if (!head) return null;
  const columns = mapCells(tableCells(head));
  return columns.size ? { el: head, text: textOf(head, 2000), columns, kind: 'table' } : null;
}

// ---------------------------------------------------------------- ARIA grids

const CELL_ROLES = new Set(['cell', 'gridcell', 'rowheader', 'columnheader']);

/** An ARIA row's own cells (not those of a grid nested inside it), by aria-colindex where given. */
export function ariaCells(row: Element): Element[] {
  const found: Element[] = [];
  // Sibling pointers, not Array.from(children) per level: this runs for every row of an ARIA list.
  const walk = (el: Element, depth: number) => {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      const role = c.getAttribute('role');
      if (role && CELL_ROLES.has(role)) found.push(c);
      else if (role === 'row' || role === 'grid' || role === 'table' || role === 'treegrid') continue;
      else if (depth < 3 && c.firstElementChild) walk(c, depth + 1);
    }
  };
  walk(row, 0);
  return byColIndex(found);
}

function byColIndex(cells: Element[]): Element[] {
  if (!cells.some((c) => c.hasAttribute('aria-colindex'))) return cells;
  const out: Element[] = [];
  let next = 0;
  for (const c of cells) {
    const ci = parseInt(c.getAttribute('aria-colindex') ?? '', 10);
    const idx = Number.isFinite(ci) && ci >= 1 && ci <= 200 ? ci - 1 : next;
    out[idx] = c;
    next = idx + 1;
  }
  return out;
}

function ariaHeader(grid: Element): GridHeader | null {
  const heads = Array.from(grid.querySelectorAll('[role="columnheader"]')).filter((h) => closestWhere(h, isGridEl) === grid);
  if (!heads.length) return null;
  const headRow = closestWhere(heads[0]!, (e) => e.getAttribute('role') === 'row') ?? heads[0]!.parentElement ?? grid;
  const columns = mapCells(byColIndex(heads));
  return columns.size ? { el: headRow, text: textOf(headRow, 2000), columns, kind: 'aria' } : null;
}

// ---------------------------------------------------------------- div grids

/**
 * A row's cells in a div grid: its element children, descending through
 * single-child wrappers (a row often wraps its cells once).
 */
export function divCells(row: Element): Element[] {
  // Element pointers, not the live `children` collection (created and indexed per row, it showed in the bench).
  let el = row;
  for (let i = 0; i < 4 && el.childElementCount === 1; i++) el = el.firstElementChild!;
  const out: Element[] = [];
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) out.push(c);
  return out;
}

/** A div header row: ≥2 cells naming fields, no posting number. */
function asDivHeader(el: Element): GridHeader | null {
  const text = textOf(el, 1500);
  if (text.length >= 1500 || hasPostingNumber(text)) return null;
  const cells = divCells(el);
  if (cells.length < 2 || cells.length > 60) return null;
  const columns = mapCells(cells);
  return columns.size >= 2 ? { el, text, columns, kind: 'div' } : null;
}

function divHeader(row: Element): GridHeader | null {
  // The header is a sibling of the row or of one of its first two ancestors,
  // usually first in its container or right before the rows' container.
  let level: Element | null = row;
  for (let up = 0; up < 3 && level; up++) {
    const parent: Element | null = level.parentElement;
    if (!parent) break;
    let seen = 0;
    for (let c = parent.firstElementChild; c && seen < 4; c = c.nextElementSibling) {
      if (c === level) break;
      seen++;
      const h = asDivHeader(c);
      if (h) return h;
    }
    const prev = level.previousElementSibling;
    if (prev) {
      const h = asDivHeader(prev);
      if (h) return h;
    }
    level = parent;
  }
  return null;
}

/**
 * A header row beside a lone row (a one-row list): how many cells it has,
 * or null when none. The header is a div row or a row of
 * `role=columnheader` cells naming ≥2 fields, holding no posting number.
 */
export function headerBeside(row: Element): { cells: number } | null {
  const h = divHeader(row);
  return h ? { cells: divCells(h.el).length } : null;
}

// ---------------------------------------------------------------- lookup

/**
 * Header by container, validated by the header's own text, so 5,000 rows of
 * one list share one lookup and a header that re-renders in place (another
 * tab's columns) is re-read.
 */
const cache = new WeakMap<Element, GridHeader | null>();

function cached(key: Element, compute: () => GridHeader | null): GridHeader | null {
  const hit = cache.get(key);
  if (hit && hit.el.isConnected && textOf(hit.el, 2000) === hit.text) return hit;
  if (hit === null) {
    // A negative answer holds only while nothing was added before the rows.
    const stamp = negStamp.get(key);
    if (stamp === key.childElementCount) return null;
  }
  const h = compute();
  cache.set(key, h);
  if (!h) negStamp.set(key, key.childElementCount);
  return h;
}
const negStamp = new WeakMap<Element, number>();

export interface RowCells {
  cells: Element[];
  header: GridHeader | null;
}

/** The row's cells and the header that names them (null: no header, read by labels and content). */
export function rowCells(row: Element): RowCells {
  if (row.tagName === 'TR') {
    const table = closestWhere(row, (e) => e.tagName === 'TABLE');
    const header = table ? cached(table, () => tableHeader(table)) : null;
    return { cells: tableCells(row), header: header && header.el !== row ? header : null };
  }
  if (row.getAttribute('role') === 'row') {
    const grid = closestWhere(row, isGridEl);
    if (grid) {
      const header = cached(grid, () => ariaHeader(grid));
      return { cells: ariaCells(row), header: header && header.el !== row ? header : null };
    }
    // ARIA used half-way: rows (and maybe cells) with roles, no grid around them.
    // The header is then found as in a div grid, beside the rows.
    const aria = ariaCells(row);
    const cells = aria.length ? aria : divCells(row);
    const parent = row.parentElement;
    const header = parent ? cached(parent, () => divHeader(row)) : null;
    if (!header || header.el === row || divCount(header) !== cells.length) return { cells, header: null };
    return { cells, header };
  }
  const cells = divCells(row);
  const parent = row.parentElement;
  const header = parent ? cached(parent, () => divHeader(row)) : null;
  // Index alignment only holds when the row has as many cells as the header.
  if (header && header.kind === 'div' && divCount(header) !== cells.length) return { cells, header: null };
  return { cells, header };
}
