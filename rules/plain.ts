/**
 * Type guards for plain JSON that crossed a trust boundary (the page, storage, a message, a
 * file): the one home of `isObj` for every runtime. Pure (docs/architecture.md: rules/ imports
 * nothing outside rules/), so the page side, storage and the background can all use it.
 */

export type Obj = Record<string, unknown>;

/** A plain object: not null, not an array (a value read from JSON or a message). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property only: never reads through the prototype chain (`__proto__`, `constructor`). */
export function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/**
 * Deep equality of plain data (what JSON can hold: primitives, arrays, plain objects), key order
 * ignored, `undefined`-valued keys equal to absent ones (JSON drops them too). "Changed or the
 * same?" for orders on the page's hot path: it allocates nothing and stops at the first
 * difference, where a JSON.stringify of each side cost ~1 KB of text per order and call
 * (docs/performance.md). NaN equals NaN. Own enumerable keys only: an inherited key is not data.
 */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b;
  }
  const aa = Array.isArray(a);
  if (aa !== Array.isArray(b)) return false;
  if (aa) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!samePlain(x[i], y[i])) return false;
    return true;
  }
  const x = a as Obj;
  const y = b as Obj;
  let nx = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
    const v = x[k];
    if (v === undefined) continue;
    nx++;
    if (!Object.prototype.hasOwnProperty.call(y, k) || !samePlain(v, y[k])) return false;
  }
  let ny = 0;
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k) && y[k] !== undefined) ny++;
  return nx === ny;
}
