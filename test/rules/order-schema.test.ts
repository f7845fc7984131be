/**
 * parseScheme (rules/order-schema.ts): a fulfilment scheme as written anywhere. The canonical names
 * take a shortcut before the folding (every stored and bridged order carries them); these tests hold
 * the shortcut to what the folding answers, for every string.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScheme } from '../../rules/order-schema';

/** The folding alone, as parseScheme was before its shortcut. */
function folded(x: unknown): string | undefined {
  if (typeof x !== 'string') return undefined;
  const s = x.toLowerCase().replace(/\s+/g, '');
  if (s === 'fbs') return 'FBS';
  if (s === 'fbo') return 'FBO';
  if (s === 'rfbs' || s === 'realfbs' || s === 'erfbs') return 'rFBS';
  return undefined;
}

describe('parseScheme', () => {
  it('reads every name of the three schemes, in any case and spacing; nothing else', () => {
    for (const [input, want] of [
      ['FBS', 'FBS'],
      ['fbs', 'FBS'],
      [' F B S ', 'FBS'],
      ['FBO', 'FBO'],
      ['fbo\n', 'FBO'],
      ['rFBS', 'rFBS'],
      ['RFBS', 'rFBS'],
      ['realFBS', 'rFBS'],
      ['real FBS', 'rFBS'],
      ['erFBS', 'rFBS'],
      ['FBS+', undefined],
      ['', undefined],
      ['crossborder', undefined],
    ] as const) {
      expect(parseScheme(input), JSON.stringify(input)).toBe(want);
    }
    for (const x of [undefined, null, 1, {}, ['FBS'], new String('FBS')]) expect(parseScheme(x)).toBeUndefined();
  });

  it('the shortcut answers exactly what the folding does, for any string and for strings built from the names', () => {
    fc.assert(fc.property(fc.string(), (x) => parseScheme(x) === folded(x)), { numRuns: 2000 });
    const piece = fc.constantFrom('f', 'F', 'b', 'B', 's', 'S', 'o', 'O', 'r', 'R', 'e', 'E', 'real', ' ', '\t', 'FBS', 'FBO', 'rFBS');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const x = parts.join('');
        return parseScheme(x) === folded(x);
      }),
      { numRuns: 5000 },
    );
  });
});
