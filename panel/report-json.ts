/**
 * The KEY structure of the panel's own JSON, for the page report
 * (panel/report.ts): which keys its API answers have, nested, with every
 * value replaced by its type. When the panel renames a field the report shows
 * it; no value ever leaves the page this way.
 *
 * Two halves, like the order bridge (panel/bridge.ts):
 * - MAIN world: `jsonKeys` (once per API path, capped) and `keysPoster`,
 *   which posts `{ns, v, kind: 'keys', source, keys}` to the page's own origin;
 * - isolated world: `validateKeysMessage` re-checks that message as untrusted
 *   (any script on the page can post one) and `ApiKeysLog` keeps a bounded
 *   list of what was seen.
 *
 * Pure apart from `keysPoster`'s postMessage.
 */
import { BRIDGE_NS, BRIDGE_VERSION } from './bridge';

/** A value's type, or a nested structure. Arrays are summarised: their length and the union of their first elements' keys. */
export type KeyShape = 'string' | 'number' | 'boolean' | 'null' | '…' | { [key: string]: KeyShape } | ArrayShape;
export interface ArrayShape {
  '[]': number;
  of?: KeyShape;
}

/**
 * Caps (why: a 5,000-posting body must cost the page nothing noticeable, and a
 * report stays a few hundred kilobytes at most): 8 levels deep, 300 keys per
 * answer, 3 elements sampled per array, 40 distinct API paths per page.
 */
export const KEYS_LIMITS = { depth: 8, keys: 300, sample: 3, paths: 40, keyLength: 64, sourceLength: 300 } as const;

/** A key as it may appear in a report: a field name; anything else (a posting number, a name used as a key) is shaped. */
const FIELD_KEY = /^[A-Za-z_$][\w$.-]{0,63}$/;

export function safeKey(k: string): string {
  if (FIELD_KEY.test(k) && !/\d{3}/.test(k)) return k;
  // Shaped like text in panel/shape.ts, inlined for the MAIN-world bundle's size: digits 9, letters a.
  return k.slice(0, KEYS_LIMITS.keyLength).replace(/\p{N}/gu, '9').replace(/\p{L}/gu, 'a');
}

function merge(a: KeyShape, b: KeyShape): KeyShape {
  if (a === b) return a;
  if (typeof a === 'object' && typeof b === 'object' && !('[]' in a) && !('[]' in b)) {
    const out: Record<string, KeyShape> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k]!, v) : v;
    return out;
  }
  if (typeof a === 'object' && typeof b === 'object' && '[]' in a && '[]' in b) {
    const x = a as ArrayShape;
    const y = b as ArrayShape;
    const of = x.of && y.of ? merge(x.of, y.of) : (x.of ?? y.of);
    const n = Math.max(x['[]'], y['[]']);
    return of ? { '[]': n, of } : { '[]': n };
  }
  // Mixed types (null in one posting, a string in the next): the non-null one.
  if (a === 'null') return b;
  if (b === 'null') return a;
  return a;
}

/** The key structure of a parsed JSON value. Never throws. */
export function jsonKeys(value: unknown): KeyShape {
  let budget: number = KEYS_LIMITS.keys;
  const walk = (v: unknown, depth: number): KeyShape => {
    if (v === null) return 'null';
    const t = typeof v;
    if (t === 'string') return 'string';
    if (t === 'number' || t === 'bigint') return 'number';
    if (t === 'boolean') return 'boolean';
    if (t !== 'object' || depth >= KEYS_LIMITS.depth || budget <= 0) return '…';
    if (Array.isArray(v)) {
      let of: KeyShape | undefined;
      for (let i = 0; i < v.length && i < KEYS_LIMITS.sample; i++) {
        const s = walk(v[i], depth + 1);
        of = of === undefined ? s : merge(of, s);
      }
      return of === undefined ? { '[]': v.length } : { '[]': v.length, of };
    }
    const out: Record<string, KeyShape> = {};
    for (const k of Object.keys(v as object)) {
      if (budget-- <= 0) {
        out['…'] = '…';
        break;
      }
      let child: unknown;
      try {
        child = (v as Record<string, unknown>)[k];
      } catch {
        child = undefined;
      }
      const key = safeKey(k);
      const s = walk(child, depth + 1);
      out[key] = key in out ? merge(out[key]!, s) : s;
    }
    return out;
  };
  try {
    return walk(value, 0);
  } catch {
    return '…';
  }
}

/** What travels from the MAIN world. */
export interface KeysMessage {
  ns: typeof BRIDGE_NS;
  v: typeof BRIDGE_VERSION;
  kind: 'keys';
  source: string;
  keys: KeyShape;
}

/**
 * The MAIN side: `installInterceptor(win, post, { onJson: keysPoster(win) })`.
 * One message per API path (the first answer's keys), at most KEYS_LIMITS.paths
 * paths per page: the set never grows past that.
 */
export function keysPoster(win: Window): (path: string, body: unknown) => void {
  const seen = new Set<string>();
  return (path, body) => {
    if (seen.has(path) || seen.size >= KEYS_LIMITS.paths) return;
    seen.add(path);
    try {
      const msg: KeysMessage = { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'keys', source: path.slice(0, KEYS_LIMITS.sourceLength), keys: jsonKeys(body) };
      win.postMessage(msg, win.location.origin);
    } catch {
      /* a detached window: nothing to tell */
    }
  };
}

const TYPE_NAMES = new Set(['string', 'number', 'boolean', 'null', '…']);

/** Re-checks a key structure from the page: only type names, capped objects and array summaries survive. */
function cleanShape(v: unknown, depth: number, budget: { n: number }): KeyShape {
  if (typeof v === 'string') return TYPE_NAMES.has(v) ? (v as KeyShape) : '…';
  if (!v || typeof v !== 'object' || Array.isArray(v) || depth > KEYS_LIMITS.depth || budget.n <= 0) return '…';
  const o = v as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(o, '[]')) {
    const n = o['[]'];
    const len = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? Math.min(n, 1e9) : 0;
    return Object.prototype.hasOwnProperty.call(o, 'of') ? { '[]': len, of: cleanShape(o.of, depth + 1, budget) } : { '[]': len };
  }
  const out: Record<string, KeyShape> = Object.create(null) as Record<string, KeyShape>;
  for (const k of Object.keys(o)) {
    if (budget.n-- <= 0) break;
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[safeKey(k)] = cleanShape(o[k], depth + 1, budget);
  }
  return { ...out };
}

/** The isolated side's check of a `message` event's data; null for anything not a well-formed keys message. Never throws. */
export function validateKeysMessage(data: unknown): { source: string; keys: KeyShape } | null {
  try {
    if (!data || typeof data !== 'object') return null;
    const d = data as Record<string, unknown>;
    if (d.ns !== BRIDGE_NS || d.v !== BRIDGE_VERSION || d.kind !== 'keys') return null;
    const source = typeof d.source === 'string' ? d.source : '';
    if (!source || source.length > KEYS_LIMITS.sourceLength || !/^\/[\w\-./~%]*$/.test(source)) return null;
    return { source, keys: cleanShape(d.keys, 0, { n: KEYS_LIMITS.keys }) };
  } catch {
    return null;
  }
}

/** The API paths a page answered, with their key structure: bounded (KEYS_LIMITS.paths), first answer per path kept. */
export class ApiKeysLog {
  private readonly paths = new Map<string, KeyShape>();

  add(source: string, keys: KeyShape): void {
    if (this.paths.has(source) || this.paths.size >= KEYS_LIMITS.paths) return;
    this.paths.set(source, keys);
  }

  list(): { path: string; keys: KeyShape }[] {
    return [...this.paths].map(([path, keys]) => ({ path, keys }));
  }
}
