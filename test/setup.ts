// Unit tests read strings in English through the same i18n layer the product uses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { useMessages, type MessageTable } from '../lib/i18n';

export function loadLocale(lang: 'en' | 'ru' | 'zh_CN'): MessageTable {
  const text = readFileSync(
    // A path, not `new URL(…)`: under happy-dom the global URL is the DOM's, which node:fs does not accept.
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'locales', `${lang}.yml`),
    'utf8',
  );
  const table: MessageTable = {};
  for (const m of parseMessagesText(text, 'YAML')) {
    if (m.type === 'simple') table[m.key.join('_')] = m.message;
  }
  return table;
}

useMessages('en', loadLocale('en'));
