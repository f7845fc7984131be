/**
 * Read-only access to stored settings for the content script.
 *
 * Why not `settingsItem.getValue()` / `.watch()`: defining a @wxt-dev/storage
 * item pulls the whole library into the bundle (drivers for four areas,
 * migrations, locks, deep-equal: ~8 KB of the content script; the size budget (docs/performance.md) sets
 * 20 KB gzip for all of it), and the page only ever reads and watches two
 * keys. The writers (options page, background, popup) keep the versioned
 * items in storage/settings.ts; this mirrors exactly what an item without
 * migrations or `init` does on read: the value stored under the key without
 * its area prefix (`local:settings` → `settings`; the `settings$` meta key
 * holds only the version), `null`/missing → the item's fallback, and a
 * change reported only when the value really changed.
 */
import { browser } from 'wxt/browser';

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
    // Stored values are JSON: equal text is an equal value (the library deep-compares).
    if (!c || JSON.stringify(c.newValue) === JSON.stringify(c.oldValue)) return;
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
