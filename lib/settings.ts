/**
 * The seller's settings and rulebook overrides, persisted with @wxt-dev/storage
 * (versioned items: a future shape migrates, never crashes).
 *
 * Numbers of rules are NOT here: deadlines, reminder points (D5) and lines
 * live in the rulebook; the seller's edits of them are `rulebookOverrides`.
 */
import { storage } from 'wxt/utils/storage';
import type { Lang } from './i18n';
import { defaultRulebook, withValues, type Rulebook } from '../rules/rulebook';

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
  hour12: boolean;
  badgeDensity: 'compact' | 'detailed';
  badgeParts: { cancel: boolean; archive: boolean; countdown: boolean };
  /** D5 reminder points; the lead times themselves are rulebook values. */
  notifications: { enabled: boolean; atRisk: boolean; critical: boolean; overdue: boolean };
  /** C2 facts the page rarely shows, per store id. */
  autoConfirmShipment: Record<string, boolean>;
  skuFlags: Record<string, SkuFlagLists>;
}

export const defaultSettings: Settings = {
  language: 'auto',
  secondZone: 'auto',
  hour12: false,
  badgeDensity: 'compact',
  badgeParts: { cancel: true, archive: true, countdown: true },
  notifications: { enabled: true, atRisk: true, critical: true, overdue: true },
  autoConfirmShipment: {},
  skuFlags: {},
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: defaultSettings,
  version: 1,
});

/** The seller's edits of the rulebook: path → value, plus the chosen profile. */
export interface RulebookOverrides {
  profile: Rulebook['profile'];
  values: Record<string, number | string[]>;
}

export const rulebookOverridesItem = storage.defineItem<RulebookOverrides>('local:rulebookOverrides', {
  fallback: { profile: 'seed', values: {} },
  version: 1,
});

/** The rulebook in force: defaults with the seller's overrides applied. */
export function rulebookFrom(overrides: RulebookOverrides | null | undefined): Rulebook {
  if (!overrides) return defaultRulebook;
  return withValues(defaultRulebook, overrides.values ?? {}, overrides.profile);
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
