/**
 * Every key in every language: a key present in one locale and missing or
 * empty in another fails here, as does a t('…') / tp('…') key used in the
 * source that English lacks, and a plural key missing a form its language
 * needs (Intl.PluralRules: en one/other, ru one/few/many/other, zh other).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { defaultRulebook, paramsOf } from '../../rules/rulebook';
import { LANG_TAG, LANGS, type Lang } from '../../lib/i18n';
import { paramLabelKey, unitKey } from '../../rules/rulebook-check';
import { sourceFiles } from '../helpers/source-files';

const ROOT = path.resolve(import.meta.dirname, '../..');

function load(l: Lang): Map<string, string> {
  const text = readFileSync(path.join(ROOT, 'locales', `${l}.yml`), 'utf8');
  const out = new Map<string, string>();
  for (const m of parseMessagesText(text, 'YAML')) {
    const key = m.key.join('_');
    if (key.startsWith('@@')) continue;
    out.set(key, m.type === 'simple' ? m.message : JSON.stringify(m));
  }
  return out;
}

const tables = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<Lang, Map<string, string>>;
const FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const PLURAL_RE = new RegExp(`^(.+)_(${FORMS.join('|')})$`);

/**
 * Plural base keys: an `_other` form plus a `_one` form in some language.
 * (`_other` alone is an ordinary key like `popup_reason_other`, "other reason".)
 */
function pluralBases(): Set<string> {
  const others = new Set<string>();
  const ones = new Set<string>();
  for (const t of Object.values(tables))
    for (const k of t.keys()) {
      if (k.endsWith('_other')) others.add(k.slice(0, -6));
      if (k.endsWith('_one')) ones.add(k.slice(0, -4));
    }
  return new Set([...others].filter((b) => ones.has(b)));
}
const BASES = pluralBases();
const isPluralForm = (k: string) => {
  const m = k.match(PLURAL_RE);
  return !!m && BASES.has(m[1]!);
};

function categories(l: Lang): string[] {
  return new Intl.PluralRules(LANG_TAG[l]).resolvedOptions().pluralCategories as string[];
}

describe('i18n completeness', () => {
  it('Intl.PluralRules reports the expected categories', () => {
    expect(categories('en').sort()).toEqual(['one', 'other']);
    expect(categories('ru').sort()).toEqual(['few', 'many', 'one', 'other']);
    expect(categories('zh_CN')).toEqual(['other']);
  });

  it('every non-plural key exists, non-empty, in every language', () => {
    const all = new Set<string>();
    for (const t of Object.values(tables)) for (const k of t.keys()) if (!isPluralForm(k)) all.add(k);
    const missing: string[] = [];
    for (const k of all) {
      for (const l of LANGS) {
        const v = tables[l].get(k);
        if (v === undefined || v.trim() === '') missing.push(`${l}: ${k}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every plural key has exactly the forms each language needs, non-empty', () => {
    const problems: string[] = [];
    for (const base of BASES) {
      for (const l of LANGS) {
        for (const c of categories(l)) {
          const v = tables[l].get(`${base}_${c}`);
          if (v === undefined || v.trim() === '') problems.push(`${l}: ${base}_${c} missing`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('substitutions ($1 …) agree across languages', () => {
    const subs = (s: string) => [...new Set(s.match(/\$\d/g) ?? [])].sort().join(',');
    const problems: string[] = [];
    for (const [k, en] of tables.en) {
      if (isPluralForm(k)) continue;
      for (const l of LANGS) {
        const v = tables[l].get(k);
        if (v !== undefined && subs(v) !== subs(en)) problems.push(`${l}: ${k} has ${subs(v)} but en has ${subs(en)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('message names are valid for browser.i18n (letters, digits, _) and unique ignoring case', () => {
    for (const l of LANGS) {
      const seen = new Map<string, string>();
      for (const k of tables[l].keys()) {
        expect(k, `${l}: ${k}`).toMatch(/^[A-Za-z0-9_]+$/);
        const lower = k.toLowerCase();
        expect(seen.get(lower), `${l}: ${k} clashes with ${seen.get(lower)}`).toBeUndefined();
        seen.set(lower, k);
      }
    }
  });

  it('the manifest name and description exist in all three languages', () => {
    for (const l of LANGS) {
      expect(tables[l].get('extName')).toBeTruthy();
      expect(tables[l].get('extDescription')).toBeTruthy();
    }
  });

  it('every rule id in the rulebook has its one sentence (rule_<ID>), and every param its label', () => {
    const rules = new Set(paramsOf(defaultRulebook).map((e) => e.param.rule));
    for (const id of rules) expect(tables.en.get(`rule_${id}`), `rule_${id}`).toBeTruthy();
    for (const { path: p, param } of paramsOf(defaultRulebook)) {
      expect(tables.en.get(paramLabelKey(p)), paramLabelKey(p)).toBeTruthy();
      expect(tables.en.get(unitKey(param.unit)), unitKey(param.unit)).toBeTruthy();
    }
    // The rulebook document's rules without a number (and the official profile) too.
    const ids = ['T1', 'T2', 'T3', 'P1', 'P2', 'L1', 'L2', 'L3', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `D${n}`),
      ...[1, 2, 3, 4, 5].map((n) => `C${n}`), 'A1', 'A2', 'A3', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `M${n}`), 'O1', 'O2', 'O3'];
    for (const id of ids) expect(tables.en.get(`rule_${id}`), `rule_${id}`).toBeTruthy();
  });

  it('every t(…) / tp(…) literal key used in components/, entrypoints/, lib/ exists in English', () => {
    const files = sourceFiles(['components', 'entrypoints', 'lib']);
    const missing: string[] = [];
    let seen = 0;
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\b(t|tp)\(\s*(['"])([A-Za-z0-9_.]+)\2/g)) {
        seen++;
        const key = m[3]!.replace(/\./g, '_');
        const want = m[1] === 'tp' ? `${key}_other` : key;
        if (!tables.en.has(want)) missing.push(`${path.relative(ROOT, f)}: ${m[1]}('${m[3]}')`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
