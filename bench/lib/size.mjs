#!/usr/bin/env node
/**
 * What the content script is made of: `node bench/lib/size.mjs [--build] [--top N] [file.js …]`.
 * Builds the production config with source maps (bench/wxt.size.config.ts, into .output-size),
 * then for each script (default: the isolated-world content script and every chunk it loads)
 * attributes every minified byte to the source file the map names for it, and prints the
 * biggest contributors, with each file's share of the script and a gzip -9 estimate (the file's
 * minified bytes gzipped on their own: an upper bound, gzip shares context across files).
 * Unmapped bytes (the bundler's glue) are listed as "(unmapped)".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { SourceMapConsumer } from 'source-map-js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.resolve(ROOT, process.env.OOG_SIZE_OUT_DIR ?? '.output-size');
const argv = process.argv.slice(2);
const topArg = argv.indexOf('--top');
const TOP = topArg >= 0 ? Number(argv[topArg + 1]) || 25 : 25;
const files = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--top');

if (argv.includes('--build') || !existsSync(path.join(OUT, 'chrome-mv3/manifest.json'))) {
  const r = spawnSync('npx', ['wxt', 'build', '-c', 'bench/wxt.size.config.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OOG_SIZE_OUT_DIR: OUT } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const EXT = path.join(OUT, 'chrome-mv3');
const targets = files.length
  ? files.map((f) => path.resolve(f))
  : [path.join(EXT, 'content-scripts/content.js'), ...(existsSync(path.join(EXT, 'chunks')) ? readdirSync(path.join(EXT, 'chunks')).filter((f) => /^card|^lazy|content/i.test(f) && f.endsWith('.js')).map((f) => path.join(EXT, 'chunks', f)) : [])];

const short = (s) => s.replace(/^.*?node_modules\//, 'node_modules/').replace(/^(\.\.\/)+/, '').replace(/^webpack:\/\//, '');

for (const file of targets) {
  if (!existsSync(file) || !existsSync(`${file}.map`)) {
    console.log(`${path.relative(ROOT, file)}: no file or no source map`);
    continue;
  }
  const code = readFileSync(file, 'utf8');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  const lines = code.split('\n');
  const bytes = new Map();
  const text = new Map();
  // Every mapping covers its generated column up to the next mapping on the same line.
  const byLine = new Map();
  map.eachMapping((m) => {
    if (!byLine.has(m.generatedLine)) byLine.set(m.generatedLine, []);
    byLine.get(m.generatedLine).push(m);
  });
  let mapped = 0;
  for (let ln = 1; ln <= lines.length; ln++) {
    const line = lines[ln - 1];
    const ms = (byLine.get(ln) ?? []).sort((a, b) => a.generatedColumn - b.generatedColumn);
    let prevEnd = 0;
    const add = (src, from, to) => {
      if (to <= from) return;
      const piece = line.slice(from, to);
      const n = Buffer.byteLength(piece);
      bytes.set(src, (bytes.get(src) ?? 0) + n);
      text.set(src, (text.get(src) ?? '') + piece);
      if (src !== '(unmapped)') mapped += n;
    };
    if (ms.length) add('(unmapped)', 0, ms[0].generatedColumn);
    for (let i = 0; i < ms.length; i++) {
      const from = ms[i].generatedColumn;
      const to = i + 1 < ms.length ? ms[i + 1].generatedColumn : line.length;
      add(ms[i].source ? short(ms[i].source) : '(unmapped)', from, to);
      prevEnd = to;
    }
    if (!ms.length) add('(unmapped)', 0, line.length);
    else if (prevEnd < line.length) add('(unmapped)', prevEnd, line.length);
    bytes.set('(unmapped)', (bytes.get('(unmapped)') ?? 0) + 1); // the newline
  }
  const total = Buffer.byteLength(code);
  const gz = gzipSync(Buffer.from(code), { level: 9 }).length;
  console.log(`\n${path.relative(ROOT, file)}: ${(total / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip -9 (${((100 * mapped) / total).toFixed(0)} % mapped)`);
  const rows = [...bytes].sort((a, b) => b[1] - a[1]);
  const byDir = new Map();
  for (const [src, n] of rows) {
    const dir = src.startsWith('node_modules/') ? src.split('/').slice(0, src.split('/')[1]?.startsWith('@') ? 3 : 2).join('/') : src.includes('/') ? src.split('/')[0] : src;
    byDir.set(dir, (byDir.get(dir) ?? 0) + n);
  }
  console.log('  by folder / package:');
  for (const [d, n] of [...byDir].sort((a, b) => b[1] - a[1])) console.log(`    ${(n / 1024).toFixed(1).padStart(6)} KB  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${d}`);
  console.log(`  top ${TOP} files (minified bytes; gzip of the file's bytes alone):`);
  for (const [src, n] of rows.slice(0, TOP)) {
    const g = gzipSync(Buffer.from(text.get(src) ?? ''), { level: 9 }).length;
    console.log(`    ${(n / 1024).toFixed(1).padStart(6)} KB  ${((100 * n) / total).toFixed(1).padStart(5)} %  gz ${(g / 1024).toFixed(1).padStart(5)} KB  ${src}`);
  }
}
