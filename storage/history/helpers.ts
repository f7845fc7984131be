/**
 * Small value helpers every part of the history (and the layout flags,
 * storage/layout.ts) shares: instants, which records keep as UTC ISO strings
 * (docs/contract.md §2) and compare as milliseconds.
 */

export const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : NaN);
export const maxIso = (a: string | undefined, b: string | undefined): string | undefined =>
  !a ? b : !b ? a : ms(a) >= ms(b) ? a : b;
export const minIso = (a: string | undefined, b: string | undefined): string | undefined =>
  !a ? b : !b ? a : ms(a) <= ms(b) ? a : b;


export function toMs(at: string | number | Date | undefined): number {
  if (at === undefined) return Date.now();
  const v = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(v) ? v : Date.now();
}

