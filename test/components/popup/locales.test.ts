/**
 * Every popup string exists in all three languages, plural keys in every form
 * the language needs (en one/other, ru one/few/many/other, zh other).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadLocale } from '../../setup';

const DIR = path.resolve(process.cwd(), 'components/popup');
const sources = readdirSync(DIR)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => readFileSync(path.join(DIR, f), 'utf8'))
  .join('\n');

const simple = new Set<string>();
const plural = new Set<string>();
for (const m of sources.matchAll(/\b(tp?)\(\s*'(popup_[a-z0-9_]+)'/g)) (m[1] === 'tp' ? plural : simple).add(m[2]!);
// Keys built at run time from a known set of values.
for (const x of ['safe', 'warning', 'critical']) simple.add(`popup_tier_${x}`).add(`popup_tier_meaning_${x}`);
for (const x of ['none', 'ok', 'at_risk', 'critical', 'overdue']) simple.add(`popup_level_${x}`);
for (const x of ['confirm', 'ship', 'first_scan', 'transit_stall']) simple.add(`popup_deadline_${x}`);
for (const x of ['buyer', 'seller', 'system', 'other']) simple.add(`popup_who_${x}`);
for (const x of ['green', 'blue', 'yellow', 'orange', 'red']) simple.add(`popup_zone_${x}`);
for (const x of ['apparel', 'beauty', 'baby']) simple.add(`popup_cat_${x}`);

const FORMS = { en: ['one', 'other'], ru: ['one', 'few', 'many', 'other'], zh_CN: ['other'] } as const;

describe('popup strings', () => {
  it('found the keys in the sources', () => {
    expect(simple.size).toBeGreaterThan(80);
    expect(plural.size).toBeGreaterThan(10);
  });
  for (const lang of ['en', 'ru', 'zh_CN'] as const) {
    it(`${lang}: every key present and non-empty`, () => {
      const table = loadLocale(lang);
      const missing: string[] = [];
      for (const k of simple) if (!table[k]?.trim()) missing.push(k);
      for (const k of plural) for (const f of FORMS[lang]) if (!table[`${k}_${f}`]?.trim()) missing.push(`${k}_${f}`);
      expect(missing).toEqual([]);
    });
  }
  it('ru and zh are translations, not English copies', () => {
    const en = loadLocale('en');
    for (const lang of ['ru', 'zh_CN'] as const) {
      const table = loadLocale(lang);
      const same = [...simple].filter((k) => table[k] === en[k] && !/^(popup_title|popup_skus_sku|popup_fmt_\w+)$/.test(k));
      expect(same).toEqual([]);
    }
  });
});
