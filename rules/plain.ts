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
