/**
 * The BLIND panel fixtures (test/fixtures/panel/blind) in a real browser:
 * the PRODUCTION build in Debian Chromium, each page served under its real
 * https://seller.ozon.ru/… URL. Each recognised row carries exactly one
 * badge whose contract §3 attributes equal evaluateOrder on the fixture's
 * expected order; decoys (banners, toasts, sub-rows, day groups, header
 * rows, shadow roots, iframes) carry none; no page or console error; no
 * request leaves the fixture.
 *
 * Run: OOG_OUT_DIR=.output-<name> npx wxt build, then
 * OOG_OUT_DIR=.output-<name> npx vitest run --config vitest.e2e.config.ts test/e2e/blind.e2e.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, PANEL, type Harness, type Routes } from './harness';
import { badgeAttrs, contractAttrs, norm, until } from './badge-contract';
import type { ExpectedOrder, PanelFixture } from '../fixtures/panel/types';
import { blindFixtures } from '../fixtures/panel/blind';


/** Elements that must never hold a badge, whatever the fixture. */
const DECOYS = '[role=alert],[role=status],[aria-live],.Notice_n__1,.Row_sub__Zz0,tr.grp,.W_head,[role=columnheader],thead';

async function expectBadges(page: Page, expected: ExpectedOrder[], label: string): Promise<void> {
  await until(async () => {
    const got = (await badgeAttrs(page)).map(norm);
    const now = Date.now();
    // One badge per expected posting, in document order, each with the contract's attributes.
    expect(got.map((g) => g.posting), `${label}: badged postings`).toEqual(expected.map((o) => o.postingNumber));
    expected.forEach((o, i) => expect(got[i], `${label}: attributes of ${o.postingNumber}`).toEqual(contractAttrs(o, now)));
    const placement = await page.evaluate((decoys) => {
      const hosts = Array.from(document.querySelectorAll('[data-ozon-guard]'));
      return {
        inDecoy: hosts.filter((h) => h.parentElement?.closest(decoys)).length,
        inLink: hosts.filter((h) => h.parentElement?.closest('a,button')).length,
        // Two hosts in one cell, or a host whose nearest multi-cell ancestor also holds another host.
        crowded: hosts.filter((h) => (h.parentElement?.querySelectorAll(':scope > [data-ozon-guard]').length ?? 0) > 1).length,
      };
    }, DECOYS);
    expect(placement, `${label}: badge placement`).toEqual({ inDecoy: 0, inLink: 0, crowded: 0 });
  }, 12_000);
}

function routesFor(f: PanelFixture, now: number): Routes {
  const routes: Routes = { [new URL(f.url).pathname]: f.html(now) };
  for (const [p, body] of Object.entries(f.api ?? {})) routes[p] = { body: body(now), contentType: 'application/json' };
  return routes;
}

describe('blind fixtures: badges in a real browser (production build, real URLs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ timezoneId: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has at least 10 blind fixtures', () => {
    expect(blindFixtures.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of blindFixtures) {
    it(`${f.name}: one correct badge per recognised row, none elsewhere (contract §3, D1–D4, C1–C4, A1/A2)`, async () => {
      h.errors.length = 0;
      h.strayRequests.length = 0;
      await h.ctx.clearCookies();
      if (f.cookies) await h.ctx.addCookies(Object.entries(f.cookies).map(([name, value]) => ({ name, value, url: PANEL })));
      const now = Date.now();
      h.serve(routesFor(f, now));
      const page = await h.open(f.url);
      try {
        const expected = f.expected(now);
        if (expected.length === 0) {
          // Nothing to badge: give the content script time to scan and settle, then check it added nothing.
          await page.waitForTimeout(1500);
          expect(await page.$$eval('[data-ozon-guard]', (els) => els.length), `${f.name}: badges`).toBe(0);
        } else {
          await expectBadges(page, expected, f.name);
          await page.waitForTimeout(400);
          await expectBadges(page, expected, `${f.name} (settled)`);
        }
        await h.screenshot(page, `blind-${f.name}`);
        for (const s of f.steps ?? []) {
          await page.evaluate(s.run);
          await expectBadges(page, s.expected(now), `${f.name} → ${s.name}`);
        }
        expect(h.errors, 'page / console errors').toEqual([]);
        expect(h.strayRequests, 'requests leaving the fixture').toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
