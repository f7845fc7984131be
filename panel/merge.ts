/**
 * One order from two readings: the row's text (DOM) and the panel's own JSON.
 * The JSON is the panel's data, the DOM its rendering of it, so:
 * - T3: an instant from JSON (ISO with a zone) beats a time read from text;
 * - P1: JSON `available_actions` beats any inference;
 * - P2: JSON `shipment_date` beats a ship-by read from text (and both beat
 *   the rulebook, downstream);
 * - the DOM fills every gap the JSON leaves (a column the JSON lacks).
 * A status the JSON does not know (`unknown`) never overrides the row's.
 */
import type { Cancellation, Order } from '../rules';

const JSON_FIRST = [
  'paidAt',
  'confirmedAt',
  'shipBy',
  'trackingNumber',
  'trackingUploadedAt',
  'carrier',
  'firstScanAt',
  'lastTrackingAt',
  'inCustoms',
  'cancelledAt',
  'deliveredAt',
  'availableActions',
  'items',
  'currency',
  'storeId',
] as const;

/** Every field the merge carries over from the JSON order (JSON_FIRST, the three it always sets, and the three it merges). */
const MERGED: ReadonlySet<string> = new Set<string>([...JSON_FIRST, 'postingNumber', 'scheme', 'status', 'cancellation', 'flags', 'flagSources']);
/** What a row read for nothing the JSON lacks holds (parse-row.ts, needOf: `any` false). */
const BARE: ReadonlySet<string> = new Set<string>(['postingNumber', 'scheme', 'status', 'storeId']);

/** Whether every field `o` has (a key holding undefined is no field) is one of `keys`. */
function onlyKeys(o: Order, keys: ReadonlySet<string>): boolean {
  const r = o as unknown as Record<string, unknown>;
  for (const k in r) if (r[k] !== undefined && !keys.has(k)) return false;
  return true;
}

function copy(o: Order): Order {
  const out: Order = { ...o };
  if (o.cancellation) out.cancellation = { ...o.cancellation };
  if (o.flags) out.flags = { ...o.flags };
  if (o.flagSources) out.flagSources = { ...o.flagSources };
  if (o.availableActions) out.availableActions = [...o.availableActions];
  if (o.items) out.items = o.items.map((i) => ({ ...i }));
  return out;
}

function mergeCancellation(dom: Cancellation | undefined, json: Cancellation | undefined): Cancellation | undefined {
  if (!json) return dom ? { ...dom } : undefined;
  if (!dom) return { ...json };
  const out: Cancellation = { ...dom, ...json };
  if (json.initiator === 'unknown') out.initiator = dom.initiator;
  if (json.reasonCode === undefined && dom.reasonCode !== undefined) out.reasonCode = dom.reasonCode;
  if (json.reasonText === undefined && dom.reasonText !== undefined) out.reasonText = dom.reasonText;
  if (json.affectsRating === undefined && dom.affectsRating !== undefined) out.affectsRating = dom.affectsRating;
  return out;
}

/**
 * Merges the DOM's and the JSON's reading of one posting. With only one of
 * them, a copy of it. If the two disagree on the posting number, the row's
 * reading is kept (the row is what gets the badge). When the row's reading
 * adds nothing to the JSON's, the JSON order itself (orders are never
 * changed in place after the reader).
 */
export function mergeOrder(dom: Order | undefined, json: Order | undefined): Order {
  if (!dom && !json) throw new TypeError('mergeOrder needs at least one order');
  if (!json) return copy(dom!);
  if (!dom) return copy(json);
  if (dom.postingNumber !== json.postingNumber) return copy(dom);
  // The row added nothing (a JSON-backed row is read only for what its JSON lacks, and here it
  // lacked nothing): the merge would be a field-by-field copy of the JSON order, so it is the JSON
  // order itself, shared like its arrays below (every row of a list the JSON describes came here).
  if (json.status !== 'unknown' && (json.storeId !== undefined || dom.storeId === undefined) && onlyKeys(dom, BARE) && onlyKeys(json, MERGED)) return json;
  const out = copy(dom);
  if (json.status !== 'unknown') out.status = json.status;
  // The JSON's scheme comes from the posting's own delivery_schema where it had one.
  out.scheme = json.scheme;
  const j = json as unknown as Record<string, unknown>;
  const o = out as unknown as Record<string, unknown>;
  // The JSON order's arrays (items, actions) are shared, not copied: orders are never changed in
  // place anywhere after the reader (flags, the badge, the sender and the card make new objects),
  // and the copy was a visible part of every JSON-backed row's cost (docs/performance.md). A test
  // holds the merged order and the JSON order unchanged through evaluation, drawing and sending.
  for (const k of JSON_FIRST) {
    const v = j[k];
    if (v !== undefined) o[k] = v;
  }
  const c = mergeCancellation(dom.cancellation, json.cancellation);
  if (c) out.cancellation = c;
  if (json.flags) out.flags = { ...(dom.flags ?? {}), ...json.flags };
  if (json.flagSources) out.flagSources = { ...(dom.flagSources ?? {}), ...json.flagSources };
  return out;
}

/** Merges by posting number: every DOM order, enriched from the JSON map where it has the posting. */
export function mergeAll(dom: readonly Order[], json: ReadonlyMap<string, Order>): Order[] {
  return dom.map((d) => mergeOrder(d, json.get(d.postingNumber)));
}
