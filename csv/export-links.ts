/**
 * Every exported posting carries its link, opening the order on the panel
 * origin it was seen on (panel/origins.ts): a last column added to the CSV
 * exports of csv/export.ts, whose rows start with the posting number.
 *
 * Kept apart from csv/export.ts on purpose: the exports' own columns stay as
 * they are, and the link is built by the one function that builds every
 * posting link (postingUrl), with what only the caller knows (which origin
 * each order was seen on).
 */
import type { Order } from '../rules';
import { csvCell } from './export';
import { t } from '../lib/i18n';

/** The CSV's records (quoted fields may hold `;`, `"` and line breaks), each as its raw text. */
function records(body: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && c === 13 /* \r */ && body.charCodeAt(i + 1) === 10) {
      out.push(body.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  if (start < body.length) out.push(body.slice(start));
  return out;
}

/** A record's first field, unquoted. */
function firstField(rec: string): string {
  if (rec.startsWith('"')) {
    let v = '';
    for (let i = 1; i < rec.length; i++) {
      if (rec[i] === '"') {
        if (rec[i + 1] === '"') {
          v += '"';
          i++;
        } else break;
      } else v += rec[i];
    }
    return v;
  }
  const semi = rec.indexOf(';');
  return semi < 0 ? rec : rec.slice(0, semi);
}

/**
 * `csv` (an export whose first column is the posting number) with a link
 * column: each row's posting, found among `orders`, linked by `linkOf`.
 * A row whose posting is not among them gets an empty cell.
 */
export function withPostingLinks(csv: string, orders: Order[], linkOf: (o: Order) => string): string {
  const bom = csv.startsWith('\ufeff') ? '\ufeff' : '';
  const body = csv.slice(bom.length);
  const recs = records(body);
  if (!recs.length) return csv;
  const byNumber = new Map<string, Order>();
  for (const o of orders) if (!byNumber.has(o.postingNumber)) byNumber.set(o.postingNumber, o);
  const lines = recs.map((rec, i) => {
    if (i === 0) return `${rec};${csvCell(t('csv_col_link'))}`;
    const o = byNumber.get(firstField(rec));
    return `${rec};${o ? csvCell(linkOf(o)) : ''}`;
  });
  return bom + lines.join('\r\n') + (body.endsWith('\r\n') ? '\r\n' : '');
}
