/**
 * The repository's own TypeScript sources, for the locale tests that scan the code for the
 * i18n keys it uses (literal t('…') keys, template-literal key prefixes).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every .ts / .tsx file (declaration files left out) below the given top-level folders, in directory order. */
export function sourceFiles(dirs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const f = path.join(dir, name);
      if (statSync(f).isDirectory()) walk(f);
      else if (/\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name)) files.push(f);
    }
  };
  for (const d of dirs) walk(path.join(ROOT, d));
  return files;
}
