// @vitest-environment node
// Every reader (content script, popup, options, background) reads settings without
// @wxt-dev/storage (storage/config.ts, the one loader); the writers keep the library's versioned items. These pin that both sides agree
// on keys, stored shape, fallbacks and change events.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import {
  defaultOverrides,
  defaultSettings,
  isUnedited,
  normalizeSettings,
  OVERRIDES_KEY,
  rulebookFrom,
  rulebookOfClean,
  rulebookOverridesItem,
  SETTINGS_KEY,
  settingsItem,
  type RulebookOverrides,
  type Settings,
} from '../../storage/settings';
import { configRefresher, loadConfig, loadConfigWith, readStored, watchConfig, watchStored, type Config, type RulebookOf } from '../../storage/config';
import { validateOverrides } from '../../rules';
import { defaultRulebook } from '../../rules/rulebook';

beforeEach(() => fakeBrowser.reset());

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('read-only settings access (content script)', () => {
  it('reads the fallbacks when nothing is stored, as the items do', async () => {
    expect(await readStored(SETTINGS_KEY, defaultSettings)).toEqual(await settingsItem.getValue());
    expect(await readStored(OVERRIDES_KEY, defaultOverrides)).toEqual(await rulebookOverridesItem.getValue());
  });

  it('reads exactly what the options page wrote through the versioned items', async () => {
    const s: Settings = { ...defaultSettings, language: 'zh_CN', secondZone: 'Asia/Shanghai', badgeDensity: 'detailed' };
    const o: RulebookOverrides = { profile: 'official', values: { 'deadlines.confirmHours': 24 } };
    await settingsItem.setValue(s);
    await rulebookOverridesItem.setValue(o);
    expect(await readStored(SETTINGS_KEY, defaultSettings)).toEqual(await settingsItem.getValue());
    expect(await readStored(OVERRIDES_KEY, defaultOverrides)).toEqual(o);
    // The library's layout: the value under the bare key, the version under `key$`.
    const raw = await browser.storage.local.get(null);
    expect(raw.settings).toEqual(s);
    expect(raw.rulebookOverrides).toEqual(o);
  });

  it('hands a partial or old stored object to normalizeSettings like before', async () => {
    await browser.storage.local.set({ settings: { hour12: true } });
    const read = await readStored<Settings>(SETTINGS_KEY, defaultSettings);
    expect(normalizeSettings(read)).toEqual(normalizeSettings(await settingsItem.getValue()));
    expect(normalizeSettings(read).hour12).toBe(true);
  });

  it('watch reports a written value, a removal as the fallback, and not an unchanged write', async () => {
    const seen: unknown[] = [];
    const lib: unknown[] = [];
    const stop = watchStored<Settings>(SETTINGS_KEY, defaultSettings, (v) => seen.push(v));
    const stopLib = settingsItem.watch((v) => lib.push(v));
    const s = { ...defaultSettings, hour12: true };
    await settingsItem.setValue(s);
    await tick();
    await settingsItem.setValue({ ...s });
    await tick();
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.confirmHours': 30 } });
    await tick();
    await settingsItem.removeValue();
    await tick();
    expect(seen).toEqual([s, defaultSettings]);
    expect(seen).toEqual(lib);
    stop();
    stopLib();
    await settingsItem.setValue({ ...s, hour12: false });
    await tick();
    expect(seen).toHaveLength(2);
  });
});

describe('the one loader: loadConfig / watchConfig', () => {
  it('nothing stored: the default settings and the default rulebook', async () => {
    const c = await loadConfig();
    expect(c.settings).toEqual(normalizeSettings(null));
    expect(c.rulebook).toBe(defaultRulebook);
  });

  it('stored values: settings merged over the defaults, overrides applied, a bad override dropped', async () => {
    await settingsItem.setValue({ ...defaultSettings, hour12: true });
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 6, 'no.such.param': 1 } });
    const c = await loadConfig();
    expect(c.settings.hour12).toBe(true);
    expect(c.rulebook.deadlines.atRiskHours.value).toBe(6);
  });

  it('a failed read keeps the defaults and says why', async () => {
    const errors: unknown[] = [];
    const get = browser.storage.local.get;
    browser.storage.local.get = (() => Promise.reject(new Error('Extension context invalidated'))) as typeof get;
    try {
      const c = await loadConfig((e) => errors.push(e));
      expect(c.settings).toEqual(normalizeSettings(null));
      expect(c.rulebook).toBe(defaultRulebook);
      expect(errors).toHaveLength(2);
    } finally {
      browser.storage.local.get = get;
    }
  });

  it('watchConfig hands over the whole config on either change', async () => {
    const seen: Config[] = [];
    const stop = watchConfig((c) => seen.push(c), await loadConfig());
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 5 } });
    await tick();
    await settingsItem.setValue({ ...defaultSettings, hour12: true });
    await tick();
    expect(seen.map((c) => [c.rulebook.deadlines.atRiskHours.value, c.settings.hour12])).toEqual([
      [5, false],
      [5, true],
    ]);
    stop();
  });
});

describe('a reader that does not carry the validator (the page overlay: loadConfigWith; its live part is configRefresher below)', () => {
  // What the background answers to `rulebook:clean` (background/router.ts), asked only for an edited rulebook.
  const viaBackground = (asked: unknown[]): RulebookOf => async (stored) => {
    if (isUnedited(stored)) return defaultRulebook;
    asked.push(stored);
    await tick();
    return rulebookOfClean(validateOverrides(stored).overrides);
  };

  it('an unedited rulebook needs no validation: exactly when rulebookFrom gives the default for it without one', () => {
    for (const v of [null, undefined, defaultOverrides, { profile: 'seed', values: {} }, { profile: 'seed' }, { values: {} }, {}]) {
      expect(isUnedited(v), JSON.stringify(v)).toBe(true);
      expect(rulebookFrom(v as RulebookOverrides)).toBe(defaultRulebook);
    }
    for (const v of [{ profile: 'official', values: {} }, { profile: 'seed', values: { 'deadlines.atRiskHours': 6 } }, { profile: 'seed', values: [] }, { profile: 'x' }, { profile: 'seed', values: {}, extra: 1 }, [], 'seed', 0]) {
      expect(isUnedited(v), JSON.stringify(v)).toBe(false);
    }
  });

  it('gives the same config as loadConfig; the validator is asked only for an edited rulebook', async () => {
    const asked: unknown[] = [];
    expect(await loadConfigWith(viaBackground(asked))).toEqual(await loadConfig());
    expect(asked).toEqual([]);
    const edited = { profile: 'official', values: { 'deadlines.atRiskHours': 6, 'no.such.param': 1, 'deadlines.confirmHours': 'x' } };
    await rulebookOverridesItem.setValue(edited as unknown as RulebookOverrides);
    const c = await loadConfigWith(viaBackground(asked));
    expect(c).toEqual(await loadConfig());
    expect(c.rulebook.deadlines.atRiskHours.value).toBe(6);
    expect(asked).toEqual([edited]);
  });

  it('a validator that cannot answer keeps the default rulebook and says why', async () => {
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 6 } });
    const errors: unknown[] = [];
    const c = await loadConfigWith(() => Promise.reject(new Error('no background')), (e) => errors.push(e));
    expect(c.rulebook).toBe(defaultRulebook);
    expect(String(errors[0])).toMatch(/no background/);
  });
});

describe('configRefresher: the content script reads the settings again when told (storage/config.ts)', () => {
  /** One "settings changed" from the background, and what its re-read hands over settled. */
  const told = async (refresh: () => void) => {
    refresh();
    await tick();
    await tick();
  };

  it('hands over the config only when it differs from the one in force', async () => {
    const seen: Config[] = [];
    const refresh = configRefresher((o) => rulebookFrom(o as RulebookOverrides), (c) => seen.push(c), await loadConfig());
    await told(refresh);
    expect(seen).toEqual([]); // nothing changed
    await settingsItem.setValue({ ...defaultSettings, badgeDensity: 'detailed' });
    await told(refresh);
    expect(seen.map((c) => c.settings.badgeDensity)).toEqual(['detailed']);
    await told(refresh);
    expect(seen).toHaveLength(1); // the same again: nothing
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 6 } });
    await told(refresh);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.rulebook.deadlines.atRiskHours.value).toBe(6);
    expect(seen[1]!.settings.badgeDensity).toBe('detailed');
  });

  it('only the latest call counts; a rulebook that cannot be had keeps the one in force; a failed read keeps everything', async () => {
    const seen: Config[] = [];
    const errors: unknown[] = [];
    const answers: (() => void)[] = [];
    let fail = false;
    const slow: RulebookOf = (stored) =>
      fail ? Promise.reject(new Error('gone')) : new Promise((resolve) => answers.push(() => resolve(rulebookFrom(stored as RulebookOverrides))));
    const start = await loadConfig();
    const refresh = configRefresher(slow, (c) => seen.push(c), start, (e) => errors.push(e));
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 5 } });
    await told(refresh);
    await rulebookOverridesItem.setValue({ profile: 'seed', values: { 'deadlines.atRiskHours': 7 } });
    await told(refresh);
    expect(answers).toHaveLength(2);
    answers[1]!();
    await tick();
    answers[0]!(); // older: dropped
    await tick();
    expect(seen.map((c) => c.rulebook.deadlines.atRiskHours.value)).toEqual([7]);
    // The rulebook cannot be had: the settings change still comes, with the rulebook in force.
    fail = true;
    await settingsItem.setValue({ ...defaultSettings, badgeDensity: 'detailed' });
    await told(refresh);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.rulebook.deadlines.atRiskHours.value).toBe(7);
    expect(seen[1]!.settings.badgeDensity).toBe('detailed');
    expect(String(errors[0])).toMatch(/gone/);
    // Storage cannot be read: nothing changes, and it is said.
    const get = browser.storage.local.get;
    browser.storage.local.get = (() => Promise.reject(new Error('storage gone'))) as typeof get;
    try {
      await told(refresh);
    } finally {
      browser.storage.local.get = get;
    }
    expect(seen).toHaveLength(2);
    expect(errors.map(String).join()).toMatch(/storage gone/);
  });
});
