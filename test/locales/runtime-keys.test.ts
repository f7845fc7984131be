/**
 * No raw key can reach the screen: every i18n key the code BUILDS at run time
 * (`status_${s}`, `note_${key}`, `next_${key}` …) is enumerated here from the
 * very lists the code draws its words from (rules/keys.ts, rules/types.ts,
 * rules/reasons.ts, the rulebook's rule ids, lib/action.ts, storage/settings.ts …)
 * and looked up in every language, with every plural form that language needs.
 *
 * A second check scans components/, entrypoints/ and lib/ for template-literal
 * keys (`prefix_${…}`): a prefix this file does not enumerate fails, so a new
 * run-time key family cannot slip past (the literal-key test in
 * completeness.test.ts cannot see these).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { LANG_TAG, LANGS, type Lang } from '../../lib/i18n';
import { DEADLINE_KINDS, LEVELS, NEXT_KEYS, NOTE_KEYS } from '../../rules/keys';
import { INITIATORS, STATUSES, type Order, type Verdict } from '../../rules/types';
import { REASONS } from '../../rules/reasons';
import { defaultRulebook, paramsOf } from '../../rules/rulebook';
import { evaluateOrder } from '../../rules/evaluate';
import { ACTIONS, actionOf, dueKey, stepKey } from '../../lib/action';
import { defaultSettings, SKU_TAGS } from '../../storage/settings';
import { RULE_GROUPS } from '../../components/options/format';
import { nextStepKey } from '../../components/badge/card';
import { CHANNEL_IDS } from '../../background/channels/config';
import { RATING_DIRECTIONS, RATING_STATUSES } from '../../background/seller-api/map';
import { SCHEME_SOURCES } from '../../csv';
import type { PageZoneChoice } from '../../rules/page-zone';
import { sourceFiles } from '../helpers/source-files';

const ROOT = path.resolve(import.meta.dirname, '../..');

function load(l: Lang): Map<string, string> {
  const text = readFileSync(path.join(ROOT, 'locales', `${l}.yml`), 'utf8');
  const out = new Map<string, string>();
  for (const m of parseMessagesText(text, 'YAML')) out.set(m.key.join('_'), m.type === 'simple' ? m.message : JSON.stringify(m));
  return out;
}
const tables = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<Lang, Map<string, string>>;
const categories = (l: Lang) => new Intl.PluralRules(LANG_TAG[l]).resolvedOptions().pluralCategories as string[];

/** Every problem with one key in every language: missing or empty, or (a plural base) a form missing. */
function problems(key: string): string[] {
  const out: string[] = [];
  const plural = LANGS.some((l) => tables[l].has(`${key}_other`) && tables[l].has(`${key}_one`));
  for (const l of LANGS) {
    if (plural) {
      for (const c of categories(l)) if (!tables[l].get(`${key}_${c}`)?.trim()) out.push(`${l}: ${key}_${c}`);
    } else if (!tables[l].get(key)?.trim()) out.push(`${l}: ${key}`);
  }
  return out;
}

/** Every rule id the code can cite: the rulebook's params, the rule groups, and whatever evaluateOrder emits. */
function ruleIds(): string[] {
  const ids = new Set<string>(paramsOf(defaultRulebook).map((e) => e.param.rule));
  for (const g of RULE_GROUPS) for (const r of g.rules) ids.add(r);
  for (const v of sampleVerdicts()) {
    for (const r of v.rules) ids.add(r);
    ids.add(v.cancel.rule);
    ids.add(v.archive.rule);
    for (const n of v.notes ?? []) ids.add(n.rule);
  }
  return [...ids];
}

/** Verdicts for every status × scheme, with and without times, tracking and flags. */
function sampleVerdicts(): Verdict[] {
  const now = Date.UTC(2026, 10, 22, 9, 0, 0);
  const iso = (h: number) => new Date(now + h * 3_600_000).toISOString();
  const out: Verdict[] = [];
  for (const status of STATUSES)
    for (const scheme of ['FBS', 'FBO', 'rFBS'] as const)
      for (const extra of [
        {},
        { paidAt: iso(-0.05), confirmedAt: iso(-1), shipBy: iso(1) },
        { paidAt: iso(-30), trackingNumber: 'X', trackingUploadedAt: iso(-25), carrier: 'Nobody Post', inCustoms: true },
        { lastTrackingAt: iso(-24 * 8), cancelRequestedAt: iso(-1), flags: { electronics: true }, availableActions: ['cancel'] },
        { items: [{ sku: '1', quantity: 1, weightKg: 1 }], firstScanAt: iso(-2) },
        { items: [{ sku: '1', quantity: 1, weightKg: 30 }], availableActions: [] },
      ]) {
        const o = { postingNumber: '16965409-0014-1', scheme, status, ...extra } as Order;
        out.push(evaluateOrder(o, now));
      }
  return out;
}

/** Every key built at run time, by the family that builds it. */
function runtimeKeys(): Map<string, string[]> {
  const fam = new Map<string, string[]>();
  const add = (prefix: string, list: readonly string[], suffix = '') => fam.set(prefix + suffix, list.map((x) => `${prefix}${x}${suffix}`));
  add('status_', STATUSES);
  add('level_', LEVELS);
  add('popup_level_', LEVELS);
  add('deadline_', DEADLINE_KINDS);
  add('popup_deadline_', DEADLINE_KINDS);
  add('notif_kind_', DEADLINE_KINDS);
  add('notif_act_', ACTIONS);
  add('note_', NOTE_KEYS);
  add('next_', NEXT_KEYS);
  add('initiator_', INITIATORS);
  add('reason_', [...Object.keys(REASONS), 'unknown']);
  add('rule_', ruleIds());
  fam.set('action_due_', ACTIONS.map(dueKey));
  const steps = new Set<string>(ACTIONS.map(stepKey));
  // nextStepKey for every status × deadline kind (or none) × archive / cancel shape.
  for (const status of STATUSES)
    for (const kind of [...DEADLINE_KINDS, undefined])
      for (const archive of [true, false])
        for (const rule of ['C1', 'C3', 'L1']) {
          const v = {
            postingNumber: 'x',
            cancel: { allowed: false, rule },
            archive: { allowed: archive, rule: 'A1' },
            level: 'ok',
            rules: [],
            ...(kind ? { deadline: { kind, dueAt: '2026-01-01T00:00:00Z', msLeft: 1, rule: 'D1', source: 'page' } } : {}),
          } as Verdict;
          steps.add(nextStepKey({ postingNumber: 'x', scheme: 'FBS', status } as Order, v));
          if (kind) steps.add(stepKey(actionOf(status, kind)));
        }
  fam.set('card_step_', [...steps]);
  add('card_flag_', ['digital', 'electronics', 'preorder', 'autoConfirmShipment', 'delayApproved']);
  add('card_flagsrc_', ['page', 'sku_list', 'store_setting']);
  add('popup_tier_', ['safe', 'warning', 'critical']);
  add('popup_tier_meaning_', ['safe', 'warning', 'critical']);
  add('popup_zone_', ['green', 'blue', 'yellow', 'orange', 'red']);
  add('popup_who_', ['buyer', 'seller', 'system', 'other']);
  add('popup_cat_', Object.keys(defaultRulebook.metrics.categoryBaselines));
  add('options_tag_', SKU_TAGS);
  add('options_part_', Object.keys(defaultSettings.badgeParts));
  add('options_density_', ['compact', 'detailed']);
  add('options_density_', ['compact', 'detailed'], '_desc');
  add('options_group_', RULE_GROUPS.map((g) => g.id));
  add('options_profile_', ['seed', 'official']);
  add('options_profile_', ['seed', 'official'], '_desc');
  add('options_seed_', [...new Set(paramsOf(defaultRulebook).map((e) => e.param.seed))]);
  // T3: the card names the seller's page-zone choice (every kind but 'auto', which is never "set").
  add('card_pz_set_', ['moscow', 'local', 'fixed'] satisfies readonly Exclude<PageZoneChoice['kind'], 'auto'>[]);
  add('ch_name_', CHANNEL_IDS);
  add('apisync_popup_status_', RATING_STATUSES);
  add('apisync_popup_dir_', RATING_DIRECTIONS);
  add('csv_sum_scheme_', SCHEME_SOURCES);
  // The line-issue codes are written where the lines are read (csv/import.ts); every file of csv/ is read so none is missed.
  const csv = readdirSync(path.join(ROOT, 'csv')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(ROOT, 'csv', f), 'utf8')).join('\n');
  add('csv_skip_', [...new Set([...csv.matchAll(/\bissue\([^,]+,\s*'([a-z_]+)'/g)].map((m) => m[1]!))]);
  return fam;
}

describe('run-time i18n keys', () => {
  const fam = runtimeKeys();

  it('the source lists are not empty (the enumeration really enumerates)', () => {
    expect(fam.get('note_')).toHaveLength(NOTE_KEYS.length);
    expect(NOTE_KEYS.length).toBeGreaterThanOrEqual(8);
    expect(fam.get('status_')!.length).toBe(STATUSES.length);
    expect(fam.get('rule_')!.length).toBeGreaterThan(30);
    expect(fam.get('csv_skip_')!.length).toBeGreaterThanOrEqual(7);
  });

  it('every note key evaluateOrder can emit is in NOTE_KEYS', () => {
    const src = readFileSync(path.join(ROOT, 'rules/evaluate.ts'), 'utf8');
    const emitted = [...src.matchAll(/addNote\(\{[^}]*\bkey:\s*'([a-z_]+)'/g)].map((m) => m[1]!);
    expect(emitted.length).toBeGreaterThanOrEqual(8);
    for (const k of emitted) expect(NOTE_KEYS as readonly string[]).toContain(k);
    const seen = new Set(sampleVerdicts().flatMap((v) => (v.notes ?? []).map((n) => n.key)));
    for (const k of seen) expect(NOTE_KEYS as readonly string[]).toContain(k);
  });

  it('every run-time key exists, non-empty, in en, ru and zh_CN (every plural form)', () => {
    const missing: string[] = [];
    for (const keys of fam.values()) for (const k of keys) missing.push(...problems(k));
    expect(missing).toEqual([]);
  });

  it('every template-literal key prefix in the source is enumerated above', () => {
    const files = sourceFiles(['components', 'entrypoints', 'lib']);
    const unknown: string[] = [];
    let seen = 0;
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/`([a-z][A-Za-z0-9]*_[A-Za-z0-9_]*)\$\{[^}]*\}([A-Za-z0-9_]*)`/g)) {
        const fullPrefix = m[1]! + (m[2] ? `|${m[2]}` : '');
        seen++;
        const known = m[2] ? fam.has(m[1]! + m[2]) : fam.has(m[1]!);
        if (!known) unknown.push(`${path.relative(ROOT, f)}: \`${m[1]}\${…}${m[2] ?? ''}\` (${fullPrefix})`);
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });
});
