/**
 * The one loader of the seller's settings and the rulebook in force, for every runtime: the
 * content script, the popup, the options page and the background (docs/architecture.md).
 * `loadConfig` reads both, `watchConfig` follows them live (the content script is told of a change
 * by the background instead, `configRefresher`); the options page, which reports
 * what it refused, reads the stored values as they are (`readStoredConfig`, `watchStored`).
 *
 * Why it reads the keys itself instead of `settingsItem.getValue()` / `.watch()`: defining a
 * @wxt-dev/storage item pulls the whole library into a bundle (drivers for four areas,
 * migrations, locks, deep-equal: ~8 KB of the content script; the size budget,
 * docs/performance.md), and readers only ever read and watch two keys. The writers (options
 * page, popup) keep the versioned items in storage/settings.ts; this mirrors exactly what an
 * item without migrations or `init` does on read: the value stored under the key without its
 * area prefix (`local:settings` → `settings`; the `settings$` meta key holds only the version),
 * `null`/missing → the item's fallback, and a change reported only when the value really changed.
 */
import { browser } from 'wxt/browser';
import { defaultRulebook, samePlain, type Rulebook } from '../rules';
import {
  defaultOverrides,
  defaultSettings,
  normalizeSettings,
  OVERRIDES_KEY,
  rulebookFrom,
  SETTINGS_KEY,
  type RulebookOverrides,
  type Settings,
} from './settings';

/** An item key as storage/settings.ts defines it (SETTINGS_KEY, OVERRIDES_KEY): `local:…`. */
export type LocalKey = `local:${string}`;

function bare(key: LocalKey): string {
  return key.slice(key.indexOf(':') + 1);
}

/** The stored value, or `fallback` when none is stored (as `item.getValue()`). */
export async function readStored<T>(key: LocalKey, fallback: T): Promise<T> {
  const k = bare(key);
  const got = (await browser.storage.local.get(k)) as Record<string, unknown>;
  return (got[k] ?? fallback) as T;
}

/**
 * Calls `cb` with the new value (or `fallback` once removed) whenever `key`
 * changes, as `item.watch()` does; returns the unwatch function.
 */
export function watchStored<T>(key: LocalKey, fallback: T, cb: (value: T) => void): () => void {
  const k = bare(key);
  const area = browser.storage.local;
  const listener = (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) => {
    const c = changes[k];
    // Stored values are plain JSON data: compared as such (the library deep-compares too).
    if (!c || samePlain(c.newValue, c.oldValue)) return;
    cb((c.newValue ?? fallback) as T);
  };
  area.onChanged.addListener(listener);
  return () => {
    // Unwatching runs from ctx.onInvalidated after an extension update, when Chrome throws "Extension context
    // invalidated" on removeListener; uncaught there it becomes a page error. The listener died with the context.
    try {
      area.onChanged.removeListener(listener);
    } catch {
      /* context already gone */
    }
  };
}

/** The settings and the rulebook in force. */
export interface Config {
  settings: Settings;
  rulebook: Rulebook;
}

/** Both stored values as they are (missing → the items' fallbacks), for a reader that validates them itself. */
export async function readStoredConfig(): Promise<{ settings: unknown; overrides: unknown }> {
  const [settings, overrides] = await Promise.all([readStored<unknown>(SETTINGS_KEY, defaultSettings), readStored<unknown>(OVERRIDES_KEY, defaultOverrides)]);
  return { settings, overrides };
}

/** The rulebook from the stored overrides, validated in this bundle (everywhere but the page's overlay: RulebookOf). */
const validatedHere = (stored: unknown): Rulebook => rulebookFrom(stored as RulebookOverrides | null);

/**
 * The settings (merged over the defaults) and the rulebook in force (defaults with the seller's
 * valid overrides). Never throws: a value that can't be read stays at its default, so badges and
 * reminders still follow the rulebook; `onError` hears why.
 */
export function loadConfig(onError?: (e: unknown) => void): Promise<Config> {
  return loadConfigWith(validatedHere, onError);
}

/**
 * Calls `cb` with the whole config whenever the settings or the overrides change (an edit in
 * the options page re-renders badges and the popup without a reload). `current` is the config
 * loaded before (loadConfig). Returns the unwatch.
 */
export function watchConfig(cb: (config: Config) => void, current: Config): () => void {
  let now = current;
  const u1 = watchStored<unknown>(SETTINGS_KEY, defaultSettings, (v) => cb((now = { ...now, settings: normalizeSettings(v) })));
  const u2 = watchStored<unknown>(OVERRIDES_KEY, defaultOverrides, (v) => cb((now = { ...now, rulebook: validatedHere(v) })));
  return () => {
    u1();
    u2();
  };
}

/**
 * How a reader turns the stored overrides into the rulebook in force. Everywhere but the page:
 * rulebookFrom, validating them (rules/rulebook-check.ts) in this bundle. The page's overlay
 * (components/overlay/start.ts) keeps the validator out of what a postings page loads: it
 * validates only an edited rulebook, and has the background do it.
 */
export type RulebookOf = (stored: unknown) => Rulebook | Promise<Rulebook>;


/** loadConfig with the reader's own RulebookOf; a rulebook that cannot be had stays the default (`onError` hears why). */
export async function loadConfigWith(rulebookOf: RulebookOf, onError?: (e: unknown) => void): Promise<Config> {
  const read = (key: LocalKey, fallback: unknown) => readStored(key, fallback).catch((e: unknown) => (onError?.(e), fallback));
  const [s, o] = await Promise.all([read(SETTINGS_KEY, defaultSettings), read(OVERRIDES_KEY, defaultOverrides)]);
  let rulebook: Rulebook;
  try {
    rulebook = await rulebookOf(o);
  } catch (e) {
    onError?.(e);
    rulebook = defaultRulebook;
  }
  return { settings: normalizeSettings(s), rulebook };
}

/**
 * For a reader that is told "the settings may have changed" instead of watching storage: the
 * content script, which hears it from the background (background/config-push.ts). A reader that
 * listens to `storage.local.onChanged` is handed every change of every key in that area, old and
 * new value; on the panel that meant the whole order history, a megabyte or more per write and
 * several writes per list, copied into every panel tab on the page's own main thread
 * (docs/performance.md "Eleventh pass").
 *
 * Each call of the returned function reads both keys again. `cb` gets the config when it differs
 * from the one in force, and only the latest call's answer counts (an older one that arrives late
 * is dropped). A read that fails, or a rulebook that cannot be had, keeps what is in force;
 * `onError` hears why.
 */
export function configRefresher(rulebookOf: RulebookOf, cb: (config: Config) => void, current: Config, onError?: (e: unknown) => void): () => void {
  let now = current;
  let seq = 0;
  const refresh = async (mine: number): Promise<void> => {
    const stored = await readStoredConfig();
    if (mine !== seq) return;
    const settings = normalizeSettings(stored.settings);
    let rulebook = now.rulebook;
    try {
      rulebook = await rulebookOf(stored.overrides);
    } catch (e) {
      onError?.(e);
    }
    if (mine !== seq) return;
    if (samePlain(settings, now.settings) && samePlain(rulebook, now.rulebook)) return;
    cb((now = { settings, rulebook }));
  };
  return () => {
    const mine = ++seq;
    refresh(mine).catch((e: unknown) => onError?.(e));
  };
}

/** Calls `cb` when the settings or the overrides change, for a reader that loads them when it runs (the background). */
export function onConfigChange(cb: () => void): () => void {
  const u1 = watchStored<unknown>(SETTINGS_KEY, null, cb);
  const u2 = watchStored<unknown>(OVERRIDES_KEY, null, cb);
  return () => {
    u1();
    u2();
  };
}
