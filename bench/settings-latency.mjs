#!/usr/bin/env node
/**
 * Diagnostics: how long a settings change takes to reach an open panel tab, not part of
 * `npm run bench`. The production build renders the bench's 1,000-row list (bench/lib/page.mjs),
 * then the language is switched (en ↔ ru) by a write to storage.local from the service worker, as
 * the options page writes it. The page records when the first and the last badge's words changed.
 * The path measured is the background's push (background/config-push.ts), the tab's message
 * (lib/config-messages.ts), its read of the stored config (storage/config.ts configRefresher) and
 * the redraw of every badge (docs/architecture.md); the longest script task meanwhile and the frame that follows (trace CPU).
 *
 *   node bench/settings-latency.mjs [--n 8] [--size 1000]
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { launchSide, median, sleep, waitForBadges } from './lib/browser.mjs';
import { LIST_URL } from './lib/page.mjs';
import { longestTaskParts, startTrace, stopTrace } from './lib/trace.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const N = opt('--n', 8);
const SIZE = opt('--size', 1000);
const EXT = path.resolve(import.meta.dirname, '..', process.env.OOG_OUT_DIR ?? '.output', 'chrome-mv3');

const side = await launchSide(EXT);
const first = [];
const last = [];
const longest = [];
const frames = [];
try {
  const page = await side.ctx.newPage();
  await page.goto(LIST_URL, { waitUntil: 'load' });
  await sleep(700);
  await page.evaluate((k) => window.__bench.render(k), SIZE);
  await waitForBadges(page, 15_000);
  await sleep(1500);
  // Every change of a badge's cancel words, timed in the page (Date.now: the same clock as the worker's).
  await page.evaluate(() => {
    window.__words = [];
    new MutationObserver((rs) => {
      const t = Date.now();
      for (const r of rs) if (r.attributeName === 'data-t-cx') window.__words.push(t);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-t-cx'] });
  });
  const [sw] = side.ctx.serviceWorkers();
  const cdp = await side.ctx.newCDPSession(page);
  for (let i = 0; i < N; i++) {
    // The browser's locale is ru-RU, so the default ('auto') is Russian already: English first.
    const lang = i % 2 ? 'ru' : 'en';
    await page.evaluate(() => (window.__words = []));
    await startTrace(cdp);
    const at = await sw.evaluate(async (l) => {
      const cur = (await chrome.storage.local.get('settings')).settings ?? {};
      const t = Date.now();
      await chrome.storage.local.set({ settings: { ...cur, language: l } });
      return t;
    }, lang);
    let words = [];
    for (let t = 0; t < 100; t++) {
      await sleep(50);
      words = await page.evaluate(() => window.__words.slice());
      if (words.length >= SIZE) break;
    }
    await sleep(300);
    words = await page.evaluate(() => window.__words.slice());
    // The page is idle meanwhile, so its longest task outside rendering is the tab's redraw (a promise
    // continuation, which has no FunctionCall event), against the 50 ms budget; the longest rendering is
    // the frame that lays out every badge's new words.
    const parts = longestTaskParts(await stopTrace(cdp));
    if (!words.length) {
      console.log(`change ${i + 1} (${lang}): no badge changed its words`);
      continue;
    }
    first.push(Math.min(...words) - at);
    last.push(Math.max(...words) - at);
    longest.push(parts.script);
    frames.push(parts.frame);
    console.log(`change ${i + 1} (${lang}): first badge after ${first.at(-1)} ms, all ${words.length} after ${last.at(-1)} ms; longest script task ${longest.at(-1).toFixed(1)} ms, rendering ${frames.at(-1).toFixed(0)} ms`);
  }
} finally {
  await side.ctx.close().catch(() => {});
  rmSync(side.userDir, { recursive: true, force: true });
}
console.log(
  `settings change → first badge redrawn: median ${median(first)} ms; → every badge (${SIZE}): median ${median(last)} ms; ` +
    `the longest script task meanwhile: median ${median(longest)?.toFixed(1)} ms, worst ${Math.max(...longest).toFixed(1)} ms; ` +
    `the frame that lays out the new words: median ${median(frames)?.toFixed(0)} ms (${first.length} changes)`,
);
