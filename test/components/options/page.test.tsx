import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { rulebookOverridesItem, settingsItem } from '../../../storage/settings';
import { defaultRulebook, paramsOf } from '../../../rules/rulebook';
import { renderOptions, typeAndCommit } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

const field = (c: Element, path: string) =>
  c.querySelector<HTMLInputElement>(`#param-${path.replace(/\./g, '-')}`)!;
const row = (c: Element, path: string) => c.querySelector<HTMLElement>(`[data-param="${path}"]`)!;

describe('options page: the rulebook', () => {
  it('lists every param, grouped as the rulebook is, with rule id, sentence, seed, default and value in force', async () => {
    const { c } = await renderOptions();
    for (const { path, param } of paramsOf(defaultRulebook)) {
      const r = row(c, path);
      expect(r, path).not.toBeNull();
      expect(field(c, path), path).not.toBeNull();
      // The row sits in its rule's card, which carries the rule's sentence.
      const card = r.closest('[data-rule]') as HTMLElement;
      expect(card.dataset.rule).toBe(param.rule);
      expect(card.querySelector('.rule__text')!.textContent!.length).toBeGreaterThan(30);
      expect(r.querySelector('.seed')!.textContent).toBe(param.seed);
    }
    expect([...c.querySelectorAll('[data-group]')].map((g) => (g as HTMLElement).dataset.group)).toEqual([
      'time', 'lifecycle', 'deadlines', 'eligibility', 'metrics', 'official',
    ]);
    // Rules without a number are listed too (T2, P1, L1, C1, A1 …).
    for (const id of ['T2', 'P1', 'L1', 'C1', 'A1']) expect(c.querySelector(`[data-rule="${id}"] .rule__fixed`), id).not.toBeNull();
    const d1 = row(c, 'deadlines.confirmHours');
    expect(d1.textContent).toContain('Time to confirm');
    expect(d1.textContent).toContain('Default: 24 h');
    expect(d1.textContent).toContain('In force: 24 h');
    expect(c.querySelector('[data-rule="D1"] .rule__text')!.textContent).toContain('24 h of payment');
  });

  it('no message key shows through untranslated', async () => {
    const { c } = await renderOptions();
    const text = c.textContent!;
    expect(text.match(/\b(options|rule|param|unit|status|level)_[A-Za-z]\w*/g)).toBeNull();
  });

  it('D5: a valid edit is stored and shown in force', async () => {
    const { c } = await renderOptions();
    typeAndCommit(field(c, 'deadlines.atRiskHours'), '4');
    await waitFor(async () =>
      expect(await rulebookOverridesItem.getValue()).toEqual({ profile: 'seed', values: { 'deadlines.atRiskHours': 4 } }),
    );
    await waitFor(() => expect(row(c, 'deadlines.atRiskHours').textContent).toContain('In force: 4 h'));
    expect(row(c, 'deadlines.atRiskHours').dataset.overridden).toBe('true');
    // Only non-default values are stored: going back to 2 removes the entry.
    typeAndCommit(field(c, 'deadlines.atRiskHours'), '2');
    await waitFor(async () => expect((await rulebookOverridesItem.getValue()).values).toEqual({}));
  });

  it('D5: a bad value (−1) is refused next to the field; storage unchanged; previous value kept', async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 3 } });
    const { c } = await renderOptions();
    const input = field(c, 'deadlines.atRiskHours');
    typeAndCommit(input, '-1');
    const err = await waitFor(() => {
      const e = c.querySelector<HTMLElement>('[data-error-for="deadlines.atRiskHours"]');
      expect(e).not.toBeNull();
      return e!;
    });
    expect(err.textContent).toContain('A duration must be greater than 0.');
    expect(err.textContent).toContain('The value in force stays 3 h.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')!.split(' ')).toContain(err.id);
    // The error sits inside the field's own row.
    expect(row(c, 'deadlines.atRiskHours').contains(err)).toBe(true);
    expect(input.value).toBe('-1');
    expect(await rulebookOverridesItem.getValue()).toEqual({ profile: 'seed', values: { 'deadlines.atRiskHours': 3 } });
    expect(row(c, 'deadlines.atRiskHours').textContent).toContain('In force: 3 h');
  });

  const refused: [string, string, string][] = [
    ['deadlines.confirmHours', '0', 'A duration must be greater than 0.'],
    ['deadlines.criticalMinutes', '', 'Enter a value.'],
    ['metrics.platformAvgPct', '120', 'Must be between 0 and 100.'],
    ['metrics.acrSpikePp', '-3', 'Must be between 0 and 100.'],
    ['metrics.reasonWeights.C07', '-1', 'Must not be negative.'],
    ['metrics.penaltyMinRub', '-100', 'Must not be negative.'],
    ['metrics.topSkuCount', '2.5', 'Enter a whole number.'],
    ['metrics.safeMaxPct', '4.5', 'Must be below “Warning up to (critical above)” (4 %).'],
    ['deadlines.criticalMinutes', '180', 'Must be below “At risk when time left is at most” (120 min).'],
    ['metrics.sellerRankPct', '6', 'Must be below “Seller cancellations: no Ozon Day above” (5 %).'],
    ['metrics.acrRankPct', '5', 'Must be below “Auto-cancellations: traffic limited above” (5 %).'],
    ['official.errorZoneYellowMaxPct', '8', 'Must be above “Blue zone up to” (10 %).'],
    ['deadlines.confirmDelayApprovedHours', '12', 'Must be at least “Time to confirm” (24 h).'],
  ];
  for (const [path, value, message] of refused) {
    it(`refuses ${path} = ${value}: "${message}"`, async () => {
      const { c } = await renderOptions();
      typeAndCommit(field(c, path), value);
      await waitFor(() => expect(c.querySelector(`[data-error-for="${path}"]`)?.textContent).toContain(message));
      expect(field(c, path).getAttribute('aria-invalid')).toBe('true');
      expect((await rulebookOverridesItem.getValue()).values).toEqual({});
    });
  }

  it('D3: the carrier whitelist is edited as a textarea, one per line, trimmed and deduped', async () => {
    const { c } = await renderOptions();
    const ta = field(c, 'deadlines.carrierWhitelist');
    expect(ta.tagName).toBe('TEXTAREA');
    typeAndCommit(ta, 'Ozon Logistics\n  CDEK  \n\ncdek\nDPD Russia');
    await waitFor(async () =>
      expect((await rulebookOverridesItem.getValue()).values).toEqual({
        'deadlines.carrierWhitelist': ['Ozon Logistics', 'CDEK', 'DPD Russia'],
      }),
    );
    typeAndCommit(ta, '  \n ');
    await waitFor(() => expect(c.querySelector('[data-error-for="deadlines.carrierWhitelist"]')?.textContent).toContain('at least one'));
    expect((await rulebookOverridesItem.getValue()).values['deadlines.carrierWhitelist']).toEqual(['Ozon Logistics', 'CDEK', 'DPD Russia']);
  });

  it('fixing a refused value clears the message', async () => {
    const { c } = await renderOptions();
    typeAndCommit(field(c, 'deadlines.atRiskHours'), '-1');
    await waitFor(() => expect(c.querySelector('[data-error-for="deadlines.atRiskHours"]')).not.toBeNull());
    typeAndCommit(field(c, 'deadlines.atRiskHours'), '5');
    await waitFor(() => expect(c.querySelector('[data-error-for="deadlines.atRiskHours"]')).toBeNull());
    expect(field(c, 'deadlines.atRiskHours').getAttribute('aria-invalid')).toBe('false');
    expect((await rulebookOverridesItem.getValue()).values).toEqual({ 'deadlines.atRiskHours': 5 });
  });

  it('reset one value back to its default', async () => {
    await rulebookOverridesItem.setValue({
      profile: 'seed',
      values: { 'deadlines.atRiskHours': 4, 'metrics.safeMaxPct': 2 },
    });
    const { c } = await renderOptions();
    fireEvent.click(c.querySelector('[data-reset="deadlines.atRiskHours"]')!);
    await waitFor(async () => expect((await rulebookOverridesItem.getValue()).values).toEqual({ 'metrics.safeMaxPct': 2 }));
    await waitFor(() => expect(row(c, 'deadlines.atRiskHours').textContent).toContain('In force: 2 h'));
    expect(field(c, 'deadlines.atRiskHours').value).toBe('2');
    // A default value has nothing to reset.
    expect(c.querySelector<HTMLButtonElement>('[data-reset="deadlines.confirmHours"]')!.disabled).toBe(true);
  });

  it('reset all asks first, then restores every default (profile kept)', async () => {
    await rulebookOverridesItem.setValue({
      profile: 'official',
      values: { 'deadlines.atRiskHours': 4, 'metrics.safeMaxPct': 2, 'metrics.reasonWeights.C11': 2 },
    });
    const { c } = await renderOptions();
    expect(c.querySelector('[data-changed-count]')!.textContent).toBe('3 values changed');
    fireEvent.click(c.querySelector('[data-reset-all-ask]')!);
    expect(c.textContent).toContain('Reset all 3 changed values?');
    // Nothing happens until confirmed.
    expect((await rulebookOverridesItem.getValue()).values).not.toEqual({});
    fireEvent.click(c.querySelector('[data-reset-all-yes]')!);
    await waitFor(async () => expect(await rulebookOverridesItem.getValue()).toEqual({ profile: 'official', values: {} }));
    await waitFor(() => expect(c.querySelector('[data-changed-count]')!.textContent).toBe('All values are the defaults.'));
  });

  it('shows and ignores bad values found in storage on load', async () => {
    await rulebookOverridesItem.setValue({
      profile: 'seed',
      values: { 'deadlines.atRiskHours': -4, 'gone.param': 1 } as Record<string, number>,
    });
    const { c, store } = await renderOptions();
    expect(store.getState().rulebook.deadlines.atRiskHours.value).toBe(2);
    expect(c.querySelector('[data-rejected-on-load="2"]')!.textContent).toContain('2 stored values were invalid');
  });

  it('follows a storage change made elsewhere (another tab) without a reload', async () => {
    const { c } = await renderOptions();
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.confirmHours': 30 } });
    await waitFor(() => expect(row(c, 'deadlines.confirmHours').textContent).toContain('In force: 30 h'));
  });
});

describe('options page: profile', () => {
  it('switching to Ozon’s own metrics is persisted, and back', async () => {
    const { c } = await renderOptions();
    const official = c.querySelector<HTMLInputElement>('[data-profile="official"]')!;
    expect(c.querySelector<HTMLInputElement>('[data-profile="seed"]')!.checked).toBe(true);
    fireEvent.click(official);
    await waitFor(async () => expect((await rulebookOverridesItem.getValue()).profile).toBe('official'));
    expect(official.checked).toBe(true);
    fireEvent.click(c.querySelector('[data-profile="seed"]')!);
    await waitFor(async () => expect((await rulebookOverridesItem.getValue()).profile).toBe('seed'));
    expect(c.textContent).toContain('7 days without today and yesterday');
  });
});

describe('options page: settings', () => {
  it('a bad zone is refused next to the field; a valid one is saved', async () => {
    const { c } = await renderOptions();
    const select = c.querySelector<HTMLSelectElement>('#zone-select')!;
    fireEvent.change(select, { target: { value: 'custom' } });
    const input = await waitFor(() => c.querySelector<HTMLInputElement>('#zone-custom')!);
    fireEvent.input(input, { target: { value: 'Mars/Olympus' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(c.querySelector('[data-error-for="secondZone"]')?.textContent).toContain('“Mars/Olympus” is not a time zone'));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect((await settingsItem.getValue()).secondZone).toBe('auto');
    fireEvent.input(input, { target: { value: 'Asia/Urumqi' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(async () => expect((await settingsItem.getValue()).secondZone).toBe('Asia/Urumqi'));
    expect(c.querySelector('[data-error-for="secondZone"]')).toBeNull();
    fireEvent.change(select, { target: { value: 'Europe/Moscow' } });
    await waitFor(async () => expect((await settingsItem.getValue()).secondZone).toBe('Europe/Moscow'));
  });

  it('24-hour format, density, parts and notification points are saved', async () => {
    const { c } = await renderOptions();
    fireEvent.click(c.querySelector('[data-setting="hour24"] input')!);
    await waitFor(async () => expect((await settingsItem.getValue()).hour12).toBe(true));
    fireEvent.click(c.querySelectorAll<HTMLInputElement>('input[name="density"]')[1]!);
    await waitFor(async () => expect((await settingsItem.getValue()).badgeDensity).toBe('detailed'));
    fireEvent.click(c.querySelector('[data-setting="part-archive"] input')!);
    // Archive is off by default: the click turns it on.
    await waitFor(async () => expect((await settingsItem.getValue()).badgeParts).toEqual({ cancel: true, archive: true, countdown: true }));
    fireEvent.click(c.querySelector('[data-setting="notif-enabled"] input')!);
    await waitFor(async () => expect((await settingsItem.getValue()).notifications.enabled).toBe(false));
    // The reminder lead times are D5 values, linked to the rulebook.
    const link = c.querySelector<HTMLAnchorElement>('a[href="#param-deadlines-atRiskHours"]')!;
    expect(link.textContent).toContain('D5');
    expect(link.closest('label')!.textContent).toContain('2 h before');
  });

  it('the language applies to the page at once', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseMessagesText } = await import('@wxt-dev/i18n/build');
    const json = (l: string) => {
      const out: Record<string, { message: string }> = {};
      for (const m of parseMessagesText(readFileSync(`locales/${l}.yml`, 'utf8'), 'YAML'))
        if (m.type === 'simple') out[m.key.join('_')] = { message: m.message };
      return out;
    };
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      const l = /_locales\/(\w+)\/messages\.json/.exec(String(url))?.[1];
      return { ok: !!l, json: async () => json(l!) };
    }) as unknown as typeof fetch;
    try {
      const { c } = await renderOptions();
      fireEvent.change(c.querySelector('#lang-select')!, { target: { value: 'ru' } });
      await waitFor(() => expect(c.querySelector('#rulebook-h')!.textContent).toBe('Правила'));
      expect((await settingsItem.getValue()).language).toBe('ru');
      expect(document.documentElement.lang).toBe('ru');
      expect(row(c, 'deadlines.confirmHours').textContent).toContain('24 ч');
      fireEvent.change(c.querySelector('#lang-select')!, { target: { value: 'zh_CN' } });
      await waitFor(() => expect(c.querySelector('#rulebook-h')!.textContent).toBe('规则手册'));
      expect(c.textContent!.match(/\b(options|rule|param|unit)_[A-Za-z]\w*/g)).toBeNull();
    } finally {
      globalThis.fetch = realFetch;
      const { useMessages } = await import('../../../lib/i18n');
      const { loadLocale } = await import('../../setup');
      useMessages('en', loadLocale('en'));
    }
  });
});
