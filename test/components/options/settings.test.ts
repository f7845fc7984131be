import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  defaultSettings,
  isValidTimeZone,
  parseSkuList,
  secondZoneOf,
  validateSettings,
  validateZone,
} from '../../../storage/settings';
import { useMessages } from '../../../lib/i18n';
import { loadLocale } from '../../setup';

beforeEach(() => {
  fakeBrowser.reset();
  useMessages('en', loadLocale('en'));
});

describe('settings validation', () => {
  it('T2: IANA zones are checked with Intl; a bad zone is refused', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Europe/Moscow')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(validateZone(' Asia/Almaty ')).toEqual({ ok: true, value: 'Asia/Almaty' });
    expect(validateZone('auto')).toEqual({ ok: true, value: 'auto' });
    expect(validateZone('Nowhere/City')).toEqual({ ok: false, error: { key: 'options_err_zone', subs: ['Nowhere/City'] } });
  });

  it('T2: the second clock defaults to the browser’s zone', () => {
    expect(secondZoneOf({ secondZone: 'auto' })).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(secondZoneOf({ secondZone: 'Asia/Yekaterinburg' })).toBe('Asia/Yekaterinburg');
    expect(secondZoneOf({ secondZone: 'Bad/Zone' })).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('keeps valid values, replaces bad ones with defaults and reports them', () => {
    const { settings, rejected } = validateSettings({
      language: 'ru',
      secondZone: 'Mars/Olympus',
      hour12: 'yes',
      badgeDensity: 'detailed',
      badgeParts: { cancel: false, bogus: true },
      notifications: { enabled: false, atRisk: 1 },
      autoConfirmShipment: { '123456': true, 'bad id!': true, '42': 'on' },
      skuFlags: { '123456': { digital: 'A1, A2\nA1', electronics: ['E1', ' E1 '], preorder: 7 } },
    });
    expect(settings.language).toBe('ru');
    expect(settings.secondZone).toBe('auto');
    expect(settings.hour12).toBe(false);
    expect(settings.badgeDensity).toBe('detailed');
    expect(settings.badgeParts).toEqual({ cancel: false, archive: false, countdown: true }); // archive's default is off
    expect(settings.notifications).toEqual({ ...defaultSettings.notifications, enabled: false });
    expect(settings.autoConfirmShipment).toEqual({ '123456': true });
    expect(settings.skuFlags).toEqual({ '123456': { digital: ['A1', 'A2'], electronics: ['E1'], preorder: [] } });
    expect(rejected.map((r) => r.path).sort()).toEqual(
      [
        'autoConfirmShipment.42',
        'autoConfirmShipment.bad id!',
        'badgeParts.bogus',
        'hour12',
        'notifications.atRisk',
        'secondZone',
        'skuFlags.123456.preorder',
      ].sort(),
    );
  });

  it('never throws on garbage and returns the defaults', () => {
    for (const raw of [null, undefined, 42, 'x', [], { language: {} }]) {
      expect(validateSettings(raw).settings).toEqual({ ...defaultSettings, badgeParts: { ...defaultSettings.badgeParts }, notifications: { ...defaultSettings.notifications } });
    }
  });
});

describe('SKU lists (C2)', () => {
  it('split on commas, whitespace, newlines; trimmed; deduped', () => {
    expect(parseSkuList('  1001, 1002\n1003\t1001 ,, \r\n OFFER-7 ')).toEqual(['1001', '1002', '1003', 'OFFER-7']);
    expect(parseSkuList('1，2、3；4')).toEqual(['1', '2', '3', '4']);
    expect(parseSkuList(['a', ' a', 'b', 5 as unknown as string])).toEqual(['a', 'b', '5']);
    expect(parseSkuList('')).toEqual([]);
  });
});
