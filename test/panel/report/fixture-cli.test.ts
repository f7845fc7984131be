/**
 * `npm run fixture -- report.json [out.html]` as a seller's report reaches us:
 * a JSON file in, a fixture page out on which the reader finds the rows the
 * report says it found; a file that is not a report gets a clear message and
 * a non-zero exit.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureByName } from '../../fixtures/panel';
import { buildPageReport } from '../../../panel/report';
import { readRows } from '../../../panel/rows';
import { NOW, ctxFor } from '../helpers';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'scripts/fixture.mjs');

describe('npm run fixture', () => {
  it('turns a saved report into a page the reader reads the same way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oog-fixture-'));
    try {
      const f = fixtureByName('zh-aria-crossborder');
      const doc = new DOMParser().parseFromString(f.html(NOW), 'text/html');
      const report = buildPageReport({ doc, url: f.url, ctx: { ...ctxFor(f.url, f.cookies), nowMs: NOW }, now: NOW, extensionVersion: '0.1.0', language: 'zh-CN', timeZone: 'Asia/Shanghai' });
      const file = path.join(dir, 'ozon-order-guard-report-2026-05-12.json');
      writeFileSync(file, JSON.stringify(report, null, 1));
      const out = execFileSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
      const html = path.join(dir, 'ozon-order-guard-report-2026-05-12.html');
      expect(existsSync(html)).toBe(true);
      expect(out).toContain(`wrote ${html}`);
      expect(out).toContain('serve it at https://seller.ozon.ru/app/postings/crossborder/fbs');
      const page = readFileSync(html, 'utf8');
      const rows = readRows(new DOMParser().parseFromString(page, 'text/html').body, { ...ctxFor(f.url), nowMs: NOW });
      const before = readRows(doc.body, { ...ctxFor(f.url, f.cookies), nowMs: NOW });
      expect(rows.length).toBe(before.length);
      expect(rows.map((r) => r.order.status)).toEqual(before.map((r) => r.order.status));
      // An explicit output path.
      const named = path.join(dir, 'named.html');
      execFileSync(process.execPath, [SCRIPT, file, named]);
      expect(readFileSync(named, 'utf8')).toBe(page);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a page report, with a clear message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oog-fixture-'));
    try {
      const bad = path.join(dir, 'x.json');
      writeFileSync(bad, '{"hello": 1}');
      const r = spawnSync(process.execPath, [SCRIPT, bad], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/not an Ozon Order Guard page report/);
      writeFileSync(bad, 'not json');
      expect(spawnSync(process.execPath, [SCRIPT, bad], { encoding: 'utf8' }).stderr).toMatch(/is not JSON/);
      expect(spawnSync(process.execPath, [SCRIPT, path.join(dir, 'missing.json')], { encoding: 'utf8' }).stderr).toMatch(/cannot read/);
      expect(spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' }).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
