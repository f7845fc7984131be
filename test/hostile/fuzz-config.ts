/**
 * One seed and one size for every hostile unit suite, so `npm test` is a
 * fixed short run and `npm run fuzz:long` (scripts/fuzz-long.mjs) the same
 * code with more runs and a fresh seed. A failure prints the seed and fast-check's
 * replay path; `FUZZ_SEED=<n> npx vitest run test/hostile` replays it.
 */
import { vi } from 'vitest';

export const FUZZ_SEED = Number.isFinite(Number(process.env.FUZZ_SEED)) && process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20260414;
/** Multiplies every property's run count (FUZZ_SCALE=20 in the long run). */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE) || 1);

export const runs = (n: number) => Math.round(n * FUZZ_SCALE);

// A scaled run (FUZZ_SCALE=20) does 20× the work per test: its time budget scales with it, so
// the long run reports real failures, not vitest's 5 s default running out.
vi.setConfig({ testTimeout: 5_000 * FUZZ_SCALE });

/** fast-check parameters: the shared seed, a per-property offset so properties do not draw the same values. */
export function params(n: number, offset = 0) {
  return { seed: (FUZZ_SEED + offset) | 0, numRuns: runs(n), endOnFailure: true } as const;
}

/**
 * Counts of hostile inputs tried, per suite; printed at the end of each suite
 * (the figures of docs/reliability.md come from these lines).
 */
const tally = new Map<string, number>();
export function count(suite: string, n = 1): void {
  tally.set(suite, (tally.get(suite) ?? 0) + n);
}
export function report(file: string): void {
  const lines = [...tally.entries()].map(([k, v]) => `${k}=${v}`);
  console.log(`[hostile] ${file} seed=${FUZZ_SEED} scale=${FUZZ_SCALE} ${lines.join(' ')}`);
}
