#!/usr/bin/env node
/**
 * `npm test`: typecheck, lint, unit tests, the production build, the Firefox lint,
 * and the real-browser tests, in that order. Prints one closing line
 * "N passed, M failed" (vitest's own summary is not what CI reads) and exits
 * non-zero when anything failed. Installs nothing.
 *
 *   node scripts/test.mjs            everything
 *   node scripts/test.mjs --unit     typecheck + unit only
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { findChromium, NO_CHROMIUM } from './browsers.mjs';

const unitOnly = process.argv.includes('--unit');
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n── ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(label, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

function vitest(label, config, jsonFile, env = {}) {
  rmSync(jsonFile, { force: true });
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`];
  if (config) args.push('--config', config);
  const ok = run(label, 'npx', args, env);
  if (!existsSync(jsonFile)) {
    check(`${label} (no report)`, false);
    return;
  }
  const r = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (r.numFailedTests) failures.push(`${label}: ${r.numFailedTests} failed`);
  // A suite that fails to load counts as a failure even with no failed test.
  const broken = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'));
  for (const f of broken) check(`${label}: suite failed to run: ${f.name}`, false);
  if (!ok && !r.numFailedTests && !broken.length) check(`${label}: vitest exited non-zero`, false);
}

check('typecheck', run('typecheck', 'npx', ['tsc', '--noEmit']));
check('lint (ESLint, typescript-eslint): 0 problems', run('lint', 'npx', ['eslint', '.']));
// Build first: the security suite also checks the shipped bundles and manifests.
let built = false;
if (!unitOnly) {
  built = run('build', 'npm', ['run', 'build', '--silent']);
  check('production build (chrome-mv3, firefox-mv3, zips)', built);
}
// Time rules must not depend on the machine's zone (T1–T3): the unit suite runs under three zones.
vitest('unit (TZ=UTC)', null, '.vitest.json', { TZ: 'UTC' });
for (const tz of ['Asia/Shanghai', 'America/New_York']) {
  rmSync('.vitest-tz.json', { force: true });
  const ok = run(`time tests (TZ=${tz})`, 'npx', ['vitest', 'run', 'test/rules', '--reporter=json', '--outputFile.json=.vitest-tz.json', '--silent'], { TZ: tz });
  if (existsSync('.vitest-tz.json')) {
    const r = JSON.parse(readFileSync('.vitest-tz.json', 'utf8'));
    check(`rules suite under TZ=${tz} (${r.numPassedTests} tests)`, ok && r.numFailedTests === 0);
  } else check(`rules suite under TZ=${tz}`, false);
}

if (built) {
  check('web-ext lint (firefox): 0 errors', run('lint', 'npx', ['web-ext', 'lint', '-s', '.output/firefox-mv3', '--self-hosted']));
  // One clear line instead of a stack trace per test where no browser is installed.
  if (findChromium()) vitest('real browser', 'vitest.e2e.config.ts', '.e2e.json');
  else {
    console.log(`\n${NO_CHROMIUM}`);
    check('real-browser tests: a Chromium-family browser', false);
  }
}

if (failures.length) console.log(`\nFailed:\n  - ${failures.join('\n  - ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
