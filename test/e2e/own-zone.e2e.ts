/**
 * First run in a Moscow-set browser (lib/own-zone.ts): the options page asks for
 * the seller's own zone, the popup hints at it; the answer is the second clock's
 * zone and the question does not come back. Also: a bad free zone is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Harness } from './harness';
import { until } from './badge-contract';

describe('own zone asked in a Moscow-set browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch({ locale: 'en-US', timezoneId: 'Europe/Moscow' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('popup hints, options asks; a bad zone is refused; Beijing is stored and confirmed', async () => {
    const popup = await h.openExtensionPage('popup.html');
    await popup.locator('[data-own-zone-hint]').waitFor();
    expect(await popup.locator('[data-own-zone-hint]').textContent()).toContain('Moscow');
    await popup.close();

    const o = await h.openExtensionPage('options.html');
    const prompt = o.locator('[data-own-zone-prompt]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('I am in Moscow');
    await h.screenshot(o, 'own-zone-prompt');

    await o.fill('#own-zone-custom', 'Mars/Olympus');
    await o.press('#own-zone-custom', 'Enter');
    await o.locator('[data-error-for="ownZone"]').waitFor();
    expect(await prompt.isVisible()).toBe(true);

    await o.click('[data-own-zone="Asia/Shanghai"]');
    await until(async () => expect(await o.locator('[data-own-zone-prompt]').count()).toBe(0));
    const [sw] = h.ctx.serviceWorkers();
    const stored = await sw!.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string[]): Promise<Record<string, unknown>> } } } }).chrome;
      return api.storage.local.get(['settings', 'ownZoneConfirmed']);
    });
    expect((stored.settings as { secondZone?: string }).secondZone).toBe('Asia/Shanghai');
    expect(stored.ownZoneConfirmed).toBe(true);
    await o.reload();
    await o.locator('[data-ozon-guard-options][data-status="ready"], #settings').first().waitFor();
    expect(await o.locator('[data-own-zone-prompt]').count()).toBe(0);
    await o.close();

    const p2 = await h.openExtensionPage('popup.html');
    await p2.waitForTimeout(500);
    expect(await p2.locator('[data-own-zone-hint]').count()).toBe(0);
    await p2.close();
  });
});
