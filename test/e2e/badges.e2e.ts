/**
 * Badges in a real browser: the PRODUCTION build in Debian Chromium, every
 * panel fixture served under its real panel URL, on its own origin (the
 * shipped match pattern is what runs the content script).
 *
 * For every fixture (and every step: SPA tab switch, paging, scrolling,
 * re-render) each order row carries exactly one badge whose contract §3
 * attributes equal what evaluateOrder says for the fixture's expected order;
 * unrecognised rows get nothing; no page or console error; nothing leaves
 * the browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, panelCookies, type Harness, type Routes } from './harness';
import { badgeAttrs, contractAttrs, norm, until, type Attrs } from './badge-contract';
import type { ExpectedOrder, PanelFixture } from '../fixtures/panel/types';
import * as fixtureModule from '../fixtures/panel/index';

const mod = fixtureModule as unknown as Record<string, unknown>;
const isFixture = (x: unknown): x is PanelFixture =>
  !!x && typeof x === 'object' && typeof (x as PanelFixture).html === 'function' && typeof (x as PanelFixture).url === 'string';
const FIXTURES: PanelFixture[] = (() => {
  for (const k of ['fixtures', 'panelFixtures', 'default']) {
    const v = mod[k];
    if (Array.isArray(v) && v.every(isFixture)) return v;
  }
  return Object.values(mod).filter(isFixture);
})();


/** Every expected row has exactly one badge, with the contract's attributes; nothing else is badged. */
async function expectBadges(page: Page, expected: ExpectedOrder[], label: string, domRows = expected.length): Promise<void> {
  await until(async () => {
    const got = (await badgeAttrs(page)).map(norm);
    const now = Date.now();
    const want = expected.map((o) => contractAttrs(o, now));
    const byPosting = new Map<string, Attrs[]>();
    for (const g of got) byPosting.set(g.posting!, [...(byPosting.get(g.posting!) ?? []), g]);
    for (const w of want) {
      const list = byPosting.get(w.posting!) ?? [];
      // A posting can show in two rows (the list and its open drawer): each carries one correct badge.
      expect(list.length, `${label}: badges for ${w.posting}`).toBeGreaterThanOrEqual(1);
      for (const g of list) expect(g, `${label}: attributes of ${w.posting}`).toEqual(w);
    }
    expect(got.length, `${label}: badges in total (postings ${got.map((g) => g.posting).join(', ')})`).toBe(domRows);
    // One per row: a cell never holds two of our hosts.
    const crowded = await page.$$eval('[data-ozon-guard]', (els) =>
      els.filter((e) => (e.parentElement?.querySelectorAll(':scope > [data-ozon-guard]').length ?? 0) > 1).length,
    );
    expect(crowded, `${label}: cells holding two badges`).toBe(0);
  }, 12_000);
}

function routesFor(f: PanelFixture, now: number): Routes {
  const routes: Routes = { [new URL(f.url).pathname]: f.html(now) };
  for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  for (const s of f.steps ?? []) {
    if (s.url) {
      const p = new URL(s.url).pathname;
      routes[p] ??= f.html(now);
    }
  }
  return routes;
}

describe('badges on every panel fixture (production build, real URLs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has fixtures to run', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(8);
  });

  for (const f of FIXTURES) {
    it(`${f.name}: one correct badge per row (contract §3, D1–D4, C1–C4, A1/A2, P1/P2)`, async () => {
      h.errors.length = 0;
      h.strayRequests.length = 0;
      await h.ctx.clearCookies();
      if (f.cookies) {
        // A page's cookies are its own origin's (the fixture may be on any panel origin).
        await h.ctx.addCookies(panelCookies(f.cookies, [new URL(f.url).origin]));
      }
      const now = Date.now();
      h.serve(routesFor(f, now));
      const page = await h.open(f.url);
      try {
        const expected = f.expected(now);
        await expectBadges(page, expected, f.name, f.domRows);
        // A badge that re-renders stays single: give the page's own scripts and our ticker a moment.
        await page.waitForTimeout(400);
        await expectBadges(page, expected, `${f.name} (settled)`, f.domRows);
        await h.screenshot(page, `badges-${f.name}`);
        for (const s of f.steps ?? []) {
          await page.evaluate(s.run);
          await expectBadges(page, s.expected(now), `${f.name} → ${s.name}`);
        }
        // Nothing of ours is outside a recognised row except the chip and the card.
        const ui = await page.$$eval('ozon-guard-chip,ozon-guard-card', (els) => els.map((e) => e.parentElement?.tagName));
        for (const p of ui) expect(p).toBe('BODY');
        expect(h.errors, 'page / console errors').toEqual([]);
        expect(h.strayRequests, 'requests leaving the fixture').toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
