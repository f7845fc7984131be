import { describe, expect, it } from 'vitest';
import { contentLang, ourLangOf, panelLang } from '../../panel/lang';

describe('panel language for "auto"', () => {
  it('maps the tags the panel uses to ours', () => {
    expect(ourLangOf('zh-Hans')).toBe('zh_CN');
    expect(ourLangOf('zh-CN')).toBe('zh_CN');
    expect(ourLangOf('zh')).toBe('zh_CN');
    expect(ourLangOf('ru-RU')).toBe('ru');
    expect(ourLangOf('ru')).toBe('ru');
    expect(ourLangOf('en')).toBe('en');
    expect(ourLangOf('EN-us')).toBe('en');
  });
  it('gives null for unknown or malformed tags', () => {
    expect(ourLangOf('kk')).toBeNull();
    expect(ourLangOf('de-DE')).toBeNull();
    expect(ourLangOf('')).toBeNull();
    expect(ourLangOf(undefined)).toBeNull();
    expect(ourLangOf('ru"><script>')).toBeNull();
  });
  it('prefers the cookie over <html lang>', () => {
    expect(panelLang('zh-Hans', 'ru')).toBe('zh_CN');
    expect(panelLang(undefined, 'ru')).toBe('ru');
    expect(panelLang('kk', 'en')).toBe('en');
    expect(panelLang('kk', 'kk')).toBeNull();
    expect(panelLang(null, null)).toBeNull();
  });
  it('an explicit setting wins; auto follows the panel, else the browser (null)', () => {
    expect(contentLang('en', 'zh-Hans', 'ru')).toBe('en');
    expect(contentLang('ru', 'en', 'en')).toBe('ru');
    expect(contentLang('auto', 'zh-Hans', 'ru')).toBe('zh_CN');
    expect(contentLang('auto', undefined, 'ru-RU')).toBe('ru');
    expect(contentLang('auto', undefined, 'de')).toBeNull();
  });
});
