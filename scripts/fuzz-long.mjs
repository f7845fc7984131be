#!/usr/bin/env node
/**
 * `npm run fuzz:long`: the hostile suites with a fresh seed and far more
 * cases than the fixed-seed short run inside `npm test`.
 *
 *   node scripts/fuzz-long.mjs                 a random seed, 20× unit runs, 6,000 DOM mutations per fixture
 *   FUZZ_SEED=123 node scripts/fuzz-long.mjs   replay one seed
 *   FUZZ_SCALE=50 FUZZ_MUTATIONS=20000 …       longer still
 *
 * Builds the production extension into .output-fuzz (its own dir, so a
 * parallel build never collides), prints the seed first and the figures
 * last, exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const env = {
  ...process.env,
  FUZZ_SEED: seed,
  FUZZ_SCALE: process.env.FUZZ_SCALE ?? '20',
  FUZZ_MUTATIONS: process.env.FUZZ_MUTATIONS ?? '6000',
  OOG_OUT_DIR: process.env.OOG_OUT_DIR ?? '.output-fuzz',
};
console.log(`fuzz:long seed=${seed} scale=${env.FUZZ_SCALE} mutations/fixture=${env.FUZZ_MUTATIONS} (replay: FUZZ_SEED=${seed} npm run fuzz:long)`);

const run = (label, args) => {
  console.log(`\n── ${label}: npx ${args.join(' ')}`);
  return spawnSync('npx', args, { stdio: 'inherit', env }).status === 0;
};

let ok = run('hostile + security unit suites', ['vitest', 'run', 'test/hostile', 'test/security']);
if (run('production build', ['wxt', 'build'])) {
  ok = run('real-browser fuzz + security', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', 'test/e2e/fuzz.e2e.ts', 'test/e2e/security.e2e.ts']) && ok;
} else ok = false;
console.log(`\nfuzz:long seed=${seed}: ${ok ? 'PASSED' : 'FAILED'}`);
process.exit(ok ? 0 : 1);
