/**
 * Where the real third-party samples live (docs/real-panel.md; the shared
 * folder's SOURCES.md has their provenance). Tests read them in place and
 * never copy or edit them; a checkout without the shared folder fails these
 * tests loudly instead of skipping them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/**
 * OOG_REAL_SAMPLES, else `../shared/real-samples` beside the checkout (or one
 * level further up, for a checkout in a worktree folder).
 */
export const REAL_SAMPLES =
  process.env.OOG_REAL_SAMPLES ??
  [resolve(ROOT, '../shared/real-samples'), resolve(ROOT, '../../shared/real-samples')].find((d) => existsSync(d)) ??
  resolve(ROOT, '../shared/real-samples');

function must(dir: string): string {
  if (!existsSync(dir)) {
    throw new Error(
      `The real samples are missing: ${dir} does not exist. These tests read Ozon's real bodies and export from ` +
        `../shared/real-samples (set OOG_REAL_SAMPLES to its path); they must not be skipped.`,
    );
  }
  return dir;
}

/** The folder of the real API bodies (fails loudly where the shared folder is missing). */
export function realApiDir(): string {
  return must(resolve(REAL_SAMPLES, 'api'));
}

export function realApiFiles(): string[] {
  return readdirSync(must(resolve(REAL_SAMPLES, 'api')))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readRealApi(file: string): unknown {
  return JSON.parse(readFileSync(resolve(must(resolve(REAL_SAMPLES, 'api')), file), 'utf8'));
}

export function readRealCsv(file: string): Uint8Array<ArrayBuffer> {
  const buf = readFileSync(resolve(must(resolve(REAL_SAMPLES, 'csv')), file));
  // A copy in a plain ArrayBuffer (a Blob part, and never Node's shared pool).
  const out = new Uint8Array(new ArrayBuffer(buf.byteLength));
  out.set(buf);
  return out;
}
