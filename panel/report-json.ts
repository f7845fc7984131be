/**
 * The KEY structure of the panel's own JSON, for the page report
 * (panel/report.ts): which keys its API answers have, nested, with every
 * value replaced by its type. When the panel renames a field the report shows
 * it; no value ever leaves the page this way.
 *
 * Isolated world only: the body arrives as text over the order bridge
 * (panel/bridge.ts), is parsed there once (`parseBridgeBody`, shared with the
 * order feed), and `ApiKeysLog` takes the first parsed body of each API path
 * and keeps its `jsonKeys`, bounded. A big body the order feed sends to its
 * worker is not parsed on the page at all: the worker runs `jsonKeys` and the
 * log keeps what it answers (`addShape`). The body is page data (any script on the
 * page can post one): `jsonKeys` keeps only shaped key names and type names,
 * capped, whatever it is given.
 *
 * Pure.
 */

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
  // Digits 9, letters a: a value used as a key never reaches the report as it was.
  return k.slice(0, KEYS_LIMITS.keyLength).replace(/\p{N}/gu, '9').replace(/\p{L}/gu, 'a');
}

function merge(a: KeyShape, b: KeyShape): KeyShape {
  if (a === b) return a;
  if (typeof a === 'object' && typeof b === 'object' && !('[]' in a) && !('[]' in b)) {
    const out: Record<string, KeyShape> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Object.prototype.hasOwnProperty.call(out, k) ? merge(out[k]!, v) : v;
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
      // Page data: an own `__proto__` key (JSON.parse makes one) must not become this object's prototype.
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
      let child: unknown;
      try {
        child = (v as Record<string, unknown>)[k];
      } catch {
        child = undefined;
      }
      const key = safeKey(k);
      const s = walk(child, depth + 1);
      // Own keys only: `toString` in a body is a field, not Object.prototype's function.
      out[key] = Object.prototype.hasOwnProperty.call(out, key) ? merge(out[key]!, s) : s;
    }
    return out;
  };
  try {
    return walk(value, 0);
  } catch {
    return '…';
  }
}

/** The API paths a page answered, with their key structure: bounded (KEYS_LIMITS.paths), first answer per path kept. */
export class ApiKeysLog {
  private readonly paths = new Map<string, KeyShape>();

  /** Whether a body for `path` would be kept (asked before parsing one: later answers of a path are not needed). */
  wants(path: string): boolean {
    return !this.paths.has(path) && this.paths.size < KEYS_LIMITS.paths && path.length <= KEYS_LIMITS.sourceLength;
  }

  /** The first parsed body of an API path: its key structure is kept, never a value. */
  add(path: string, body: unknown): void {
    // Asked first: the structure of a body not wanted is never worked out.
    if (this.wants(path)) this.addShape(path, jsonKeys(body));
  }

  /**
   * The same, for a body whose key structure was made elsewhere (the JSON worker,
   * components/overlay/json-offload.ts, runs `jsonKeys` itself): kept as given. The worker is our
   * own code, running the same `jsonKeys` on the same page data.
   */
  addShape(path: string, shape: KeyShape): void {
    if (!this.wants(path)) return;
    this.paths.set(path, shape);
  }

  list(): { path: string; keys: KeyShape }[] {
    return [...this.paths].map(([path, keys]) => ({ path, keys }));
  }
}
