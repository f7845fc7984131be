/**
 * DOM fuzzing in the real browser: the production build in Debian Chromium,
 * panel fixtures served under their real URLs, and a seeded fuzzer inside the
 * page (test/e2e/fuzz-page.ts) mutating the order list the way a single-page
 * app would — thousands of inserts, removals, replacements, text edits,
 * moves and attribute changes per run.
 *
 * After every burst, once the extension's batch has settled: no error reached
 * the page, every recognisable row has exactly one badge carrying its own
 * posting number, no badge is left outside a row, the page's own markup is
 * exactly what the fuzzer left (our hosts excluded), and the extension made
 * no request.
 *
 *   FUZZ_SEED=<n>        replay a run (the seed is printed)
 *   FUZZ_MUTATIONS=<n>   mutations per fixture (default 480; npm run fuzz:long uses many more)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launch, OUT, PANEL, type Harness, type Routes } from './harness';
import { panelFixtures, type PanelFixture } from '../fixtures/panel/index';
import { installFuzzer, type FuzzCheck } from './fuzz-page';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : 20260414;
const PER_FIXTURE = Math.max(50, Number(process.env.FUZZ_MUTATIONS) || 480);
const BURST = 60;
const FIXTURES = panelFixtures.filter((f) => /^(ru-divgrid|en-table|zh-aria|fbo-en-cards|ru-cancelled)/.test(f.name));

function routesFor(f: PanelFixture, now: number): Routes {
  const routes: Routes = { [new URL(f.url).pathname]: f.html(now) };
  for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  return routes;
}

/** Polls until the in-page check passes and stays passing (the extension's batch settled), or gives up. */
async function settled(page: Page, timeoutMs = 6000): Promise<FuzzCheck> {
  const end = Date.now() + timeoutMs;
  let last: FuzzCheck | undefined;
  let passes = 0;
  for (;;) {
    await page.waitForTimeout(passes ? 150 : 120);
    last = await page.evaluate(() => window.__oogFuzz!.check());
    // The page's markup never "settles into" correctness: a change there is final, no need to wait.
    if (last.pageChanged) return last;
    passes = last.ok ? passes + 1 : 0;
    if (passes >= 2 || Date.now() > end) return last;
  }
}

export interface FuzzTally {
  seed: number;
  fixtures: { name: string; mutations: number; bursts: number; maxRows: number; checks: number; kinds: Record<string, number> }[];
  pageErrors: number;
  duplicateBadges: number;
  wrongBadges: number;
  orphanBadges: number;
  pageChanged: number;
  strayRequests: number;
}

describe(`DOM fuzzing on panel fixtures (seed ${SEED}, ${PER_FIXTURE} mutations per fixture)`, () => {
  let h: Harness;
  const tally: FuzzTally = { seed: SEED, fixtures: [], pageErrors: 0, duplicateBadges: 0, wrongBadges: 0, orphanBadges: 0, pageChanged: 0, strayRequests: 0 };

  beforeAll(async () => {
    console.log(`[fuzz] seed=${SEED} (replay: FUZZ_SEED=${SEED}) mutations/fixture=${PER_FIXTURE}`);
    h = await launch();
  });
  afterAll(async () => {
    await h?.close();
    const total = tally.fixtures.reduce((a, f) => a + f.mutations, 0);
    console.log(`[fuzz] ${JSON.stringify({ ...tally, totalMutations: total })}`);
    try {
      mkdirSync(OUT, { recursive: true });
      writeFileSync(path.join(OUT, `fuzz-${SEED}.json`), JSON.stringify({ ...tally, totalMutations: total }, null, 2));
    } catch {
      /* the figures are in the log too */
    }
  });

  it('has fixtures to fuzz', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(3);
  });

  FIXTURES.forEach((f, fi) => {
    it(`${f.name}: one correct badge per row through every burst, nothing of the page changed, no error`, async () => {
      h.errors.length = 0;
      h.strayRequests.length = 0;
      await h.ctx.clearCookies();
      if (f.cookies) await h.ctx.addCookies(Object.entries(f.cookies).map(([name, value]) => ({ name, value, url: PANEL })));
      const now = Date.now();
      h.serve(routesFor(f, now));
      const page = await h.open(f.url);
      const seed = (SEED + fi * 7919) >>> 0;
      const record = { name: f.name, mutations: 0, bursts: 0, maxRows: 0, checks: 0, kinds: {} as Record<string, number> };
      tally.fixtures.push(record);
      try {
        // Wait for the first badges, then hand the page to the fuzzer.
        await page.waitForFunction(() => document.querySelectorAll('[data-ozon-guard]').length >= 2, undefined, { timeout: 15_000 });
        await page.waitForTimeout(300);
        const rows = await page.evaluate(installFuzzer, seed);
        expect(rows, 'rows found on load').toBeGreaterThanOrEqual(2);
        let first = await settled(page);
        expect(first.problems, 'before any mutation').toEqual([]);
        // The oracle is not vacuous: a second host in a row, a wrong posting and a page edit behind the fuzzer's
        // back are each caught (done and undone synchronously, before the extension can react).
        const selfTest = await page.evaluate(() => {
          const host = document.querySelector('[data-ozon-guard]')!;
          const twin = host.cloneNode() as Element;
          host.parentElement!.appendChild(twin);
          const dup = window.__oogFuzz!.check().problems;
          twin.remove();
          const was = host.getAttribute('data-posting')!;
          host.setAttribute('data-posting', '00000000-0000-0');
          const wrong = window.__oogFuzz!.check().problems;
          host.setAttribute('data-posting', was);
          const cell = host.parentElement!;
          const marker = document.createTextNode('!');
          cell.appendChild(marker);
          const changed = window.__oogFuzz!.check().pageChanged;
          marker.remove();
          return { dup: dup.length, wrong: wrong.length, changed, clean: window.__oogFuzz!.check().ok };
        });
        expect(selfTest).toEqual({ dup: 1, wrong: 1, changed: true, clean: true });
        let burst = 0;
        while (record.mutations < PER_FIXTURE) {
          // Every third burst yields to the extension mid-way (half-finished re-renders).
          const yieldEvery = burst % 3 === 2 ? 8 : 0;
          const r = await page.evaluate(([n, y]) => window.__oogFuzz!.burst(n, y), [BURST, yieldEvery] as const);
          record.mutations += r.done;
          burst++;
          const c = await settled(page);
          record.checks++;
          record.maxRows = Math.max(record.maxRows, c.rows);
          if (!c.ok) {
            tally.duplicateBadges += c.problems.filter((p) => / [2-9]\d* badges/.test(p)).length;
            tally.wrongBadges += c.problems.filter((p) => /badge says| 0 badges|without/.test(p)).length;
            tally.orphanBadges += c.problems.filter((p) => /orphan/.test(p)).length;
            tally.pageChanged += c.pageChanged ? 1 : 0;
            await h.screenshot(page, `fuzz-fail-${f.name}-${seed}-${burst}`);
          }
          expect(c.problems, `${f.name} seed ${seed} after burst ${burst} (${record.mutations} mutations)`).toEqual([]);
          expect(h.errors, `page / console errors after burst ${burst} (seed ${seed})`).toEqual([]);
        }
        record.bursts = burst;
        record.kinds = await page.evaluate(() => window.__oogFuzz!.stats());
        // A last look after the ticker and any late batch had their turn.
        await page.waitForTimeout(600);
        first = await settled(page);
        expect(first.problems, 'after the last burst').toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        await h.screenshot(page, `fuzz-${f.name}`);
      } finally {
        tally.pageErrors += h.errors.length;
        tally.strayRequests += h.strayRequests.length;
        await page.close();
      }
      expect(h.errors, 'page / console errors').toEqual([]);
      expect(h.strayRequests, 'requests made by the extension (or leaving the fixture)').toEqual([]);
    }, 240_000);
  });
});
