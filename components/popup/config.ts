/**
 * The rulebook and settings in force for the popup, from the one loader (storage/config.ts),
 * watched live so an edit in the options page re-computes the popup without reopening it.
 * The language is the one language loader's (lib/language.ts applyLanguage).
 */
import { loadConfig, watchConfig, type Config } from '../../storage/config';
import { normalizeSettings, rulebookFrom } from '../../storage/settings';
import type { ConfigSource } from './store';

export function storageConfig(): ConfigSource {
  // The popup store watches after its first load (components/popup/store.ts init); defaults until then.
  let current: Config = { settings: normalizeSettings(null), rulebook: rulebookFrom(null) };
  return {
    async load() {
      current = await loadConfig();
      return current;
    },
    watch(cb) {
      return watchConfig((c) => {
        current = c;
        cb(c);
      }, current);
    },
  };
}
