/**
 * T3: the card always says which zone it read the page's times in and why,
 * in every language; the setting is validated like every other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pageZoneText, renderCard, type CardData } from '../../../components/badge/card';
import { defaultRulebook } from '../../../rules/rulebook';
import type { Order, Verdict } from '../../../rules/types';
import { useMessages } from '../../../lib/i18n';
import { defaultSettings, validatePageZone, validateSettings } from '../../../storage/settings';
import { loadLocale } from '../../setup';

const order: Order = { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging', shipBy: '2026-11-22T11:00:00.000Z' };
const verdict: Verdict = {
  postingNumber: order.postingNumber,
  cancel: { allowed: true, rule: 'C1' },
  archive: { allowed: false, rule: 'A2' },
  level: 'ok',
  rules: ['C1', 'A2'],
};
const base: CardData = { order, verdict, now: Date.UTC(2026, 10, 22, 9), rulebook: defaultRulebook, ownZone: 'Asia/Shanghai', hour12: false };

describe('the card\'s page-zone line', () => {
  afterEach(() => useMessages('en', loadLocale('en')));

  it('names the zone and its basis in English', () => {
    useMessages('en', loadLocale('en'));
    const el = renderCard({ ...base, pageZone: { east: 480, basis: 'learned', rows: 12 } });
    const line = el.querySelector('[data-part="page-zone"]')!;
    expect(line.getAttribute('data-basis')).toBe('learned');
    expect(line.textContent).toBe('Page times read as UTC+8 — learned from 12 rows');
    expect(pageZoneText({ east: 480, basis: 'learned', rows: 1 })).toBe('Page times read as UTC+8 — learned from 1 row');
    expect(pageZoneText({ east: 180, basis: 'assumed' })).toBe('Page times read as UTC+3 — assumed: Moscow (nothing on the page to learn from yet)');
    expect(pageZoneText({ east: 345, basis: 'set', choice: 'fixed' })).toBe('Page times read as UTC+5:45 — set by you: a fixed offset');
    expect(pageZoneText({ east: -300, basis: 'set', choice: 'local' })).toBe('Page times read as UTC-5 — set by you: this computer’s zone');
    expect(pageZoneText({ east: 480, basis: 'cookie', rows: 0 })).toBe('Page times read as UTC+8 — the panel’s x-o3-timezone cookie');
    expect(pageZoneText({ east: 480, basis: 'cookie', rows: 3 })).toBe('Page times read as UTC+8 — the panel’s x-o3-timezone cookie, confirmed by 3 rows');
    // No decision passed (an old caller): no line rather than a wrong one.
    expect(renderCard(base).querySelector('[data-part="page-zone"]')).toBeNull();
  });

  it('Russian (with its plural forms) and Chinese', () => {
    useMessages('ru', loadLocale('ru'));
    expect(pageZoneText({ east: 480, basis: 'learned', rows: 12 })).toBe('Время на странице прочитано как UTC+8 — определено по 12 строкам');
    expect(pageZoneText({ east: 480, basis: 'learned', rows: 21 })).toBe('Время на странице прочитано как UTC+8 — определено по 21 строке');
    expect(pageZoneText({ east: 180, basis: 'set', choice: 'moscow' })).toBe('Время на странице прочитано как UTC+3 — задано вами: Москва');
    useMessages('zh_CN', loadLocale('zh_CN'));
    expect(pageZoneText({ east: 480, basis: 'learned', rows: 12 })).toBe('页面时间按 UTC+8 读取 — 根据 12 行推断');
    expect(pageZoneText({ east: 300, basis: 'learned', rows: 4, overruledCookie: 480 })).toBe('页面时间按 UTC+5 读取 — 根据 4 行推断 （面板 cookie 为 UTC+8）');
  });
});

describe('the pageZone setting', () => {
  it('defaults to auto; valid values are stored canonically; a bad one is refused and the default kept', () => {
    expect(defaultSettings.pageZone).toBe('auto');
    expect(validatePageZone('+05:45')).toEqual({ ok: true, value: 'UTC+5:45' });
    expect(validatePageZone('local')).toEqual({ ok: true, value: 'local' });
    expect(validatePageZone('UTC+15')).toEqual({ ok: false, error: { key: 'options_err_page_zone', subs: ['UTC+15'] } });
    const r = validateSettings({ pageZone: 'Mars/Olympus' });
    expect(r.settings.pageZone).toBe('auto');
    expect(r.rejected.map((x) => x.path)).toEqual(['pageZone']);
    expect(validateSettings({ pageZone: 'moscow' }).settings.pageZone).toBe('moscow');
  });
});
