#!/usr/bin/env node
/**
 * Diagnostics: the extension's functions by INCLUSIVE time in a dumped CPU
 * profile (OOG_BENCH_DUMP=dir node bench/run.mjs …), i.e. what a call and
 * everything under it cost.  node bench/lib/inclusive.mjs file.cpuprofile [n]
 */
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < p.samples.length; i++) {
  const dt = p.timeDeltas[i + 1] ?? 0;
  self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
}
const incl = new Map();
const selfBy = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  let cur = id;
  const leaf = byId.get(id).callFrame;
  const lk = `${leaf.functionName || '(anon)'} ${leaf.url.split('/').pop()}:${leaf.lineNumber + 1}`;
  selfBy.set(lk, (selfBy.get(lk) ?? 0) + t);
  while (cur !== undefined) {
    const cf = byId.get(cur).callFrame;
    if (cf.url.startsWith('chrome-extension://')) {
      const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + t);
      }
    }
    cur = parent.get(cur);
  }
}
const n = Number(nArg ?? 30);
console.log('inclusive (extension frames):');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
console.log('self (any frame):');
for (const [k, v] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
