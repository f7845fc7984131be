import { launchSide } from './lib/browser.mjs';
import { LIST_URL } from './lib/page.mjs';
import { rmSync } from 'node:fs';
const variants = process.argv.slice(3);
const rounds = Number(process.argv[2]);
const side = await launchSide('/tmp/xw/ext');
const out = {};
try {
for (let round = 0; round < rounds; round++) {
  for (const v of round % 2 ? [...variants].reverse() : variants) {
    const p = await side.ctx.newPage();
    await p.goto(LIST_URL + '#' + v);
    await p.waitForFunction(() => document.documentElement.hasAttribute('data-x'), null, { timeout: 20000 });
    const r = JSON.parse(await p.evaluate(() => document.documentElement.getAttribute('data-x')));
    if (r.err) throw new Error(r.err);
    (out[v] ??= []).push(r);
    await p.close();
  }
}
} finally { await side.ctx.close(); rmSync(side.userDir, { recursive: true, force: true }); }
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const [v, rs] of Object.entries(out)) console.log(v, 'a', med(rs.map((r) => r.enc)).toFixed(2), 'b', med(rs.map((r) => r.send)).toFixed(2), 'sum', med(rs.map((r) => r.enc + r.send)).toFixed(2), 'n', rs[0].bytes);
if (variants.length === 2) { const [x, y] = variants; const d = out[x].map((r, i) => out[y][i].enc - r.enc); console.log(`${y}-${x} paired median`, med(d).toFixed(2), 'cheaper in', d.filter((v) => v < 0).length, 'of', d.length); }
