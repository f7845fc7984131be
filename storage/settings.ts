/**
 * The seller's settings and rulebook overrides, persisted with @wxt-dev/storage
 * (versioned items: a future shape migrates, never crashes).
 *
 * Numbers of rules are NOT here: deadlines, reminder points (D5) and lines
 * live in the rulebook; the seller's edits of them are `rulebookOverrides`.
 */
import { storage } from 'wxt/utils/storage';
import { LANGS, type Lang } from '../lib/i18n';
import { defaultRulebook, withValues, type Rulebook } from '../rules';
import { parsePageZoneSetting } from '../rules';
import { isStoreId } from '../rules';
import { parseList, validateOverrides, type PathError, type ValidationError } from '../rules';

export interface SkuFlagLists {
  digital: string[];
  electronics: string[];
  preorder: string[];
}

export interface Settings {
  /** 'auto' follows the browser. */
  language: 'auto' | Lang;
  /** The second clock (T2): an IANA zone, or 'auto' for the browser's own. */
  secondZone: string;
  /**
   * T3: the zone the panel's zone-less times are read in: 'auto' (learned from
   * the page, else its cookie, else Moscow), 'moscow', 'local' (this
   * computer's zone) or a fixed offset such as "UTC+5:45" (rules/page-zone.ts).
   */
  pageZone: string;
  hour12: boolean;
  badgeDensity: 'compact' | 'detailed';
  badgeParts: { cancel: boolean; archive: boolean; countdown: boolean };
  /** D5 reminder points; the lead times themselves are rulebook values. */
  notifications: {
    enabled: boolean;
    atRisk: boolean;
    critical: boolean;
    overdue: boolean;
    /** D5: the reminder stays on screen until clicked (Chrome's requireInteraction; Firefox ignores it). */
    stayUntilClicked: boolean;
    /** D5: the system's notification sound (Chrome's `silent: false`); off = a silent notification. */
    sound: boolean;
  };
  /** C2 facts the page rarely shows, per store id. */
  autoConfirmShipment: Record<string, boolean>;
  skuFlags: Record<string, SkuFlagLists>;
}

/**
 * How long "Snooze" puts a reminder off (minutes): the default sellers expect
 * of a reminder button (a quarter of an hour is long enough to finish what
 * they are doing, short enough that the D5 critical point is not slept
 * through). A snoozed reminder comes back once (background/snooze.ts).
 */
export const SNOOZE_MINUTES_DEFAULT = 15;

export const defaultSettings: Settings = {
  language: 'auto',
  secondZone: 'auto',
  pageZone: 'auto',
  hour12: false,
  badgeDensity: 'compact',
  badgeParts: { cancel: true, archive: false, countdown: true }, // archive off: Ozon has no archive for postings (docs/rulebook.md A1–A3); the card and data-archive keep it
  // A reminder that can't be missed is the point of D5: it stays until clicked and rings by default.
  notifications: { enabled: true, atRisk: true, critical: true, overdue: true, stayUntilClicked: true, sound: true },
  autoConfirmShipment: {},
  skuFlags: {},
};

/**
 * Where the two items live. Every reader reads these keys without the
 * @wxt-dev/storage item machinery (storage/config.ts, the one loader); the writers use the
 * items below, so the keys and stored shapes are defined once, here.
 */
export const SETTINGS_KEY = 'local:settings';
export const OVERRIDES_KEY = 'local:rulebookOverrides';

// PURE: a bundle that only imports this module's helpers (the content script)
// can drop the items, and with them the storage library (the content-script size budget, docs/performance.md).
export const settingsItem = /* @__PURE__ */ storage.defineItem<Settings>(SETTINGS_KEY, {
  fallback: defaultSettings,
  version: 1,
});

/** The seller's edits of the rulebook: path → value, plus the chosen profile. */
export interface RulebookOverrides {
  profile: Rulebook['profile'];
  values: Record<string, number | string[]>;
}

/** What a missing overrides entry reads as: the seed profile, nothing edited. */
export const defaultOverrides: RulebookOverrides = { profile: 'seed', values: {} };

export const rulebookOverridesItem = /* @__PURE__ */ storage.defineItem<RulebookOverrides>(OVERRIDES_KEY, {
  fallback: defaultOverrides,
  version: 1,
});

/**
 * The rulebook in force: defaults with the seller's overrides applied.
 * Stored values are validated first (rules/rulebook-check.ts): a bad or unknown one
 * is dropped and its default stays in force, so a corrupted or hand-edited
 * storage entry can never break the badges.
 */
export function rulebookFrom(overrides: RulebookOverrides | null | undefined): Rulebook {
  if (!overrides) return defaultRulebook;
  return rulebookOfClean(validateOverrides(overrides).overrides);
}

/** The rulebook in force from overrides validateOverrides has already cleaned (where it ran: rulebookFrom, or the background for the page). */
export function rulebookOfClean(clean: RulebookOverrides): Rulebook {
  if (clean.profile === defaultRulebook.profile && Object.keys(clean.values).length === 0) return defaultRulebook;
  return withValues(defaultRulebook, clean.values, clean.profile);
}

/**
 * Whether a stored overrides value says "nothing edited" (missing, or the seed profile with no
 * values): rulebookFrom gives the default rulebook for it without needing the validator, so a
 * reader that does not carry rules/rulebook-check.ts (the page's overlay) validates only the rest.
 */
export function isUnedited(stored: unknown): boolean {
  if (stored === null || stored === undefined) return true;
  if (typeof stored !== 'object' || Array.isArray(stored)) return false;
  const { profile, values } = stored as { profile?: unknown; values?: unknown };
  const noValues = values === undefined || (!!values && typeof values === 'object' && !Array.isArray(values) && Object.keys(values).length === 0);
  return (profile === undefined || profile === defaultRulebook.profile) && noValues && Object.keys(stored).every((k) => k === 'profile' || k === 'values');
}

/** Merges a possibly partial / old stored settings object over the defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Settings>;
  return {
    ...defaultSettings,
    ...s,
    badgeParts: { ...defaultSettings.badgeParts, ...(s.badgeParts ?? {}) },
    notifications: { ...defaultSettings.notifications, ...(s.notifications ?? {}) },
    autoConfirmShipment: { ...(s.autoConfirmShipment ?? {}) },
    skuFlags: { ...(s.skuFlags ?? {}) },
  };
}

// ---------------------------------------------------------------------------
// Validation of settings values (the options page and anything loaded back).

/** Whether `zone` is an IANA time zone this browser knows. */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone.trim() || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone (the default second clock, T2). */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zone the second clock shows: the chosen one, or the browser's for 'auto'. */
export function secondZoneOf(settings: Pick<Settings, 'secondZone'>): string {
  return settings.secondZone && settings.secondZone !== 'auto' && isValidTimeZone(settings.secondZone)
    ? settings.secondZone
    : browserZone();
}

/** Zones offered in the options page before the free IANA field: where Ozon's sellers mostly are. */
export const COMMON_ZONES: readonly string[] = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Europe/Moscow',
  'Asia/Almaty',
  'Asia/Tashkent',
  'Asia/Yekaterinburg',
  'Asia/Novosibirsk',
  'Asia/Vladivostok',
  'Europe/Minsk',
  'Europe/Istanbul',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'UTC',
];

export type SettingResult<T> = { ok: true; value: T } | { ok: false; error: ValidationError };

/** The second clock's zone as typed: 'auto', or a valid IANA name (trimmed). */
export function validateZone(input: unknown): SettingResult<string> {
  if (input === 'auto') return { ok: true, value: 'auto' };
  if (typeof input === 'string' && isValidTimeZone(input)) return { ok: true, value: input.trim() };
  return { ok: false, error: { key: 'options_err_zone', subs: [String(input ?? '')] } };
}

/**
 * T3's setting as chosen or typed: 'auto', 'moscow', 'local', or a fixed
 * offset ("UTC+8", "+05:45", "GMT-3") stored in its canonical form ("UTC+5:45").
 * An offset outside UTC−12..+14 or not in whole quarter-hours is refused.
 */
export function validatePageZone(input: unknown): SettingResult<string> {
  const r = parsePageZoneSetting(input);
  if (r.ok) return { ok: true, value: r.value };
  return { ok: false, error: { key: 'options_err_page_zone', subs: [String(input ?? '').slice(0, 40)] } };
}

/** The most SKUs / offer ids one list holds (a store's catalogue, not unbounded). */
export const MAX_SKUS_PER_LIST = 5000;

/**
 * SKU / offer-id lists as typed or pasted: split on commas, whitespace,
 * newlines (and the Chinese comma), trimmed, deduped, in first-seen order.
 */
export function parseSkuList(input: unknown): string[] {
  return parseList(input, 'any').slice(0, MAX_SKUS_PER_LIST);
}

const LANGUAGE_CHOICES: readonly Settings['language'][] = ['auto', ...LANGS];

/**
 * Validates a whole settings object (stored, or imported): every field that is
 * missing or wrong falls back to its default and is reported, so a bad stored
 * value never breaks a page.
 */
export function validateSettings(raw: unknown): { settings: Settings; rejected: PathError[] } {
  const rejected: PathError[] = [];
  const bad = (path: string, value: unknown) =>
    rejected.push({ path, error: { key: 'options_err_bad_setting', subs: [path, safeText(value)] } });
  const s = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  if (raw !== undefined && raw !== null && s !== raw) bad('', raw);
  const out = normalizeSettings({});

  if ('language' in s) {
    if (LANGUAGE_CHOICES.includes(s.language as Settings['language'])) out.language = s.language as Settings['language'];
    else bad('language', s.language);
  }
  if ('secondZone' in s) {
    const z = validateZone(s.secondZone);
    if (z.ok) out.secondZone = z.value;
    else rejected.push({ path: 'secondZone', error: z.error });
  }
  if ('pageZone' in s) {
    const z = validatePageZone(s.pageZone);
    if (z.ok) out.pageZone = z.value;
    else rejected.push({ path: 'pageZone', error: z.error });
  }
  if ('hour12' in s) {
    if (typeof s.hour12 === 'boolean') out.hour12 = s.hour12;
    else bad('hour12', s.hour12);
  }
  if ('badgeDensity' in s) {
    if (s.badgeDensity === 'compact' || s.badgeDensity === 'detailed') out.badgeDensity = s.badgeDensity;
    else bad('badgeDensity', s.badgeDensity);
  }
  const bools = <K extends 'badgeParts' | 'notifications'>(key: K) => {
    const v = s[key];
    if (v === undefined) return;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return bad(key, v);
    for (const [k, b] of Object.entries(v as Record<string, unknown>)) {
      if (!(k in out[key])) bad(`${key}.${k}`, b);
      else if (typeof b !== 'boolean') bad(`${key}.${k}`, b);
      else (out[key] as Record<string, boolean>)[k] = b;
    }
  };
  bools('badgeParts');
  bools('notifications');
  if ('autoConfirmShipment' in s) {
    const v = s.autoConfirmShipment;
    if (!v || typeof v !== 'object' || Array.isArray(v)) bad('autoConfirmShipment', v);
    else
      for (const [store, b] of Object.entries(v as Record<string, unknown>)) {
        if (typeof b === 'boolean' && validStoreKey(store)) out.autoConfirmShipment[store] = b;
        else bad(`autoConfirmShipment.${store}`, b);
      }
  }
  if ('skuFlags' in s) {
    const v = s.skuFlags;
    if (!v || typeof v !== 'object' || Array.isArray(v)) bad('skuFlags', v);
    else
      for (const [store, lists] of Object.entries(v as Record<string, unknown>)) {
        if (!validStoreKey(store) || !lists || typeof lists !== 'object' || Array.isArray(lists)) {
          bad(`skuFlags.${store}`, lists);
          continue;
        }
        const l = lists as Record<string, unknown>;
        const entry: SkuFlagLists = { digital: [], electronics: [], preorder: [] };
        for (const tag of SKU_TAGS) {
          if (l[tag] === undefined) continue;
          if (Array.isArray(l[tag]) || typeof l[tag] === 'string') entry[tag] = parseSkuList(l[tag]);
          else bad(`skuFlags.${store}.${tag}`, l[tag]);
        }
        out.skuFlags[store] = entry;
      }
  }
  return { settings: out, rejected };
}

function safeText(v: unknown): string {
  try {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return (s ?? String(v)).slice(0, 60);
  } catch {
    return String(v).slice(0, 60);
  }
}

/**
 * A store key of the settings: a store id (rules/order-schema.ts isStoreId, which UNKNOWN_STORE
 * passes too) or '*' (SKU lists that apply in every store).
 */
export function validStoreKey(store: unknown): store is string {
  return store === ALL_STORES || isStoreId(store);
}
/** SKU lists under this key apply to every store's orders (the reader, panel/flags.ts, reads it too). */
export const ALL_STORES = '*';

export const SKU_TAGS = ['digital', 'electronics', 'preorder'] as const;
export type SkuTag = (typeof SKU_TAGS)[number];

export { NIGHT_HOURS } from '../lib/night'; // the seller's night (lib/when.ts): 23:00–07:00 own time
