import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storageConfig } from '../../../components/popup/config';
import { useMessages } from '../../../lib/i18n';
import { settingsItem, rulebookOverridesItem, defaultSettings } from '../../../storage/settings';
import { loadLocale } from '../../setup';

beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  vi.unstubAllGlobals();
  useMessages('en', loadLocale('en'));
});

describe('popup config', () => {
  it('rulebook overrides and settings are read and watched live', async () => {
    const cfg = storageConfig();
    const first = await cfg.load();
    expect(first.rulebook.profile).toBe('seed');
    const seen: string[] = [];
    const stop = cfg.watch((c) => seen.push(`${c.rulebook.profile}:${c.rulebook.metrics.safeMaxPct.value}:${c.settings.hour12}`));
    await rulebookOverridesItem.setValue({ profile: 'official', values: { 'metrics.safeMaxPct': 2 } });
    await settingsItem.setValue({ ...defaultSettings, hour12: true });
    await vi.waitFor(() => expect(seen).toContain('official:2:true'));
    stop();
  });
});
