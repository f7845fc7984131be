import { launchSide } from './lib/browser.mjs';
import { LIST_URL } from './lib/page.mjs';
import { rmSync } from 'node:fs';
const v = process.argv[2];
const side = await launchSide('/tmp/xw/ext');
const agg = new Map();
const R = 8;
try {
for (let round = 0; round < R; round++) {
  const p = await side.ctx.newPage();
  const cdp = await side.ctx.newCDPSession(p);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
  await p.goto(LIST_URL + '#' + v);
  await cdp.send('Profiler.start');
  await p.waitForFunction(() => document.documentElement.hasAttribute('data-x'), null, { timeout: 20000, polling: 50 });
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    agg.set(key, (agg.get(key) ?? 0) + dt / R);
  }
  await p.close();
}
} finally { await side.ctx.close(); rmSync(side.userDir, { recursive: true, force: true }); }
for (const [k, ms] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(ms.toFixed(2).padStart(7), k);
