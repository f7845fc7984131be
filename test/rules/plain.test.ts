import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { samePlain } from '../../rules/plain';

/** JSON text with keys sorted and undefined-valued keys dropped: the equality samePlain stands for. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().filter((k) => x[k] !== undefined).map((k) => [k, x[k]])) : x,
  );
}

describe('samePlain (rules/plain.ts): equality of plain data without serialising it', () => {
  it('agrees with comparing canonical JSON text, for any two JSON values', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(fc.property(json, json, (a, b) => samePlain(a, b) === (canon(a) === canon(b))));
  });

  it('a value equals its deep copy, in any key order; one changed leaf makes it differ', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.string(), (o, k) => {
        const copy = Object.fromEntries(Object.entries(structuredClone(o)).reverse());
        expect(samePlain(o, copy)).toBe(true);
        const changed = { ...copy, [k]: { __changed: [o[k] ?? null] } };
        expect(samePlain(o, changed)).toBe(false);
      }),
    );
  });

  it('absent and undefined-valued keys are the same (JSON drops both); arrays and objects never are', () => {
    expect(samePlain({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(samePlain({ a: 1 }, { a: 1, c: undefined })).toBe(true);
    expect(samePlain([], {})).toBe(false);
    expect(samePlain({ 0: 'x' }, ['x'])).toBe(false);
    expect(samePlain([1, [2, { x: 3 }]], [1, [2, { x: 3 }]])).toBe(true);
    expect(samePlain([1, 2], [1, 2, undefined])).toBe(false);
    expect(samePlain(NaN, NaN)).toBe(true);
    expect(samePlain(null, undefined)).toBe(false);
    expect(samePlain('1', 1)).toBe(false);
  });

  it('reads own keys only: an inherited key is not data', () => {
    const proto = { evil: 1 };
    const a = Object.create(proto) as Record<string, unknown>;
    a.x = 1;
    expect(samePlain(a, { x: 1 })).toBe(true);
    expect(samePlain(a, { x: 1, evil: 1 })).toBe(false);
    expect(samePlain(JSON.parse('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":1}}'))).toBe(true);
    expect(samePlain(JSON.parse('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":2}}'))).toBe(false);
  });
});
