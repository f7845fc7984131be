#!/usr/bin/env node
/**
 * Firefox smoke test of the FIREFOX build's content script, on the real URL.
 *
 * Why WebDriver BiDi and not `web-ext run` (toolchain.md §6): web-ext can only
 * open a start URL, and the production content script matches
 * https://seller.ozon.ru/* alone, so a local fixture page would never get it.
 * Firefox ESR's built-in WebDriver BiDi (no driver, no patched build) can
 * install the extension temporarily (webExtension.install), intercept every
 * request to https://seller.ozon.ru/ and answer it with the fixture
 * (network.provideResponse, nothing goes to the network), and read the DOM
 * (script.evaluate) — the same "real URL" check Chromium's tests make.
 *
 * Usage: node --experimental-websocket test/e2e/firefox-smoke.mjs <extension dir>
 * Prints one JSON line: {ok, skipped?, reason?, badges, attrs, styled, mainWorld, card, json, bodyWay, worker, near, quiet, heard, leaks}.
 * Exit 0 on ok or skip, 1 on failure.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { findFirefox } from '../../scripts/browsers.mjs';
import { logPageMessages } from './page-messages.mjs';

const EXT = path.resolve(process.argv[2] ?? '.output/firefox-mv3');
const FIREFOX = findFirefox() ?? '/usr/bin/firefox-esr';
const URL_LIST = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';

const out = (o) => console.log(JSON.stringify(o));

if (!existsSync(FIREFOX)) {
  out({ ok: true, skipped: true, reason: `no Firefox at ${FIREFOX}` });
  process.exit(0);
}
if (typeof WebSocket === 'undefined') {
  out({ ok: true, skipped: true, reason: 'this node has no WebSocket (run with --experimental-websocket)' });
  process.exit(0);
}
if (!existsSync(path.join(EXT, 'manifest.json'))) {
  out({ ok: false, reason: `no Firefox build at ${EXT}` });
  process.exit(1);
}

const H = 3_600_000;
function msk(ms) {
  const d = new Date(ms + 3 * H);
  const p = (x) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
const now = Date.now();
const ROWS = [
  ['41000001-0001-1', 'Ожидает сборки', msk(now + 5 * H)],
  ['41000002-0001-1', 'Ожидает сборки', msk(now + 90 * 60_000)],
  ['41000003-0001-1', 'Доставлен', ''],
];
const HTML = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Заказы</title></head><body>
<table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead><tbody>
${ROWS.map(([n, s, d]) => `<tr><td><a href="/app/postings/fbs?postingDetails=${n}">${n}</a></td><td>${s}</td><td>${d}</td><td>Товар</td></tr>`).join('\n')}
</tbody></table></body></html>`;

/**
 * The panel's own list call (docs/real-panel.md §1.4), answered with a body in which the first
 * posting may no longer be cancelled (P1: its available_actions lack `cancel`). The badge saying
 * so shows that the body reached the overlay in Firefox: page-world interceptor → the hand-over
 * (or its postMessage fallback) → the isolated world's feed.
 */
const LIST_API = '/api/posting-service/seller-ui/fbs/posting/list';
/**
 * Padded with 800 postings of other orders (no row shows them): the body is then big enough for
 * the overlay to hand it to its JSON worker (components/overlay/json-offload.ts OFFLOAD_MIN_CHARS),
 * so the badge following it shows that a big body reaches the badges in Firefox, by the worker or,
 * where Firefox refuses a content script's worker, on the page's thread.
 */
const PADDING = Array.from({ length: 800 }, (_, i) => ({
  posting_number: `${60_000_000 + i}-0001-1`,
  status: 'awaiting_packaging',
  in_process_at: new Date(now - H).toISOString(),
  shipment_date: new Date(now + 30 * H).toISOString(),
  products: [{ sku: 100_000 + i, offer_id: `ART-${i}`, name: 'Товар', quantity: 1, price: '100.00' }],
}));
const LIST_BODY = JSON.stringify({
  result: {
    postings: [{ posting_number: ROWS[0][0], status: 'awaiting_packaging', available_actions: ['ship'], in_process_at: new Date(now - H).toISOString(), shipment_date: new Date(now + 5 * H).toISOString() }, ...PADDING],
    has_next: false,
  },
});

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const profile = mkdtempSync(path.join(tmpdir(), 'oog-ff-'));
  // Quiet, offline-friendly profile: no updates, no telemetry, no first-run pages.
  writeFileSync(
    path.join(profile, 'user.js'),
    [
      'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("app.update.enabled", false);',
      'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
      'user_pref("toolkit.telemetry.enabled", false);',
      'user_pref("browser.startup.homepage_override.mstone", "ignore");',
      'user_pref("extensions.autoDisableScopes", 0);',
      'user_pref("network.captive-portal-service.enabled", false);',
      'user_pref("network.connectivity-service.enabled", false);',
      'user_pref("browser.safebrowsing.malware.enabled", false);',
      'user_pref("browser.safebrowsing.phishing.enabled", false);',
      'user_pref("remote.prefs.recommended", true);',
    ].join('\n'),
  );
  const port = await freePort();
  const ff = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, `--remote-debugging-port=${port}`, 'about:blank'], {
    env: { ...process.env, MOZ_HEADLESS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  ff.stderr.on('data', (d) => (stderr += d));
  const cleanup = () => {
    try {
      process.kill(-ff.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(profile, { recursive: true, force: true });
  };

  try {
    let ws;
    for (let i = 0; i < 100 && !ws; i++) {
      await sleep(200);
      if (!/WebDriver BiDi listening/.test(stderr)) continue;
      ws = await new Promise((resolve) => {
        const s = new WebSocket(`ws://127.0.0.1:${port}/session`);
        s.onopen = () => resolve(s);
        s.onerror = () => resolve(undefined);
      });
    }
    if (!ws) throw new Error(`Firefox BiDi did not come up: ${stderr.slice(-500)}`);

    let id = 0;
    const pending = new Map();
    const listeners = [];
    ws.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data));
      if (m.id !== undefined && pending.has(m.id)) {
        const { resolve, reject } = pending.get(m.id);
        pending.delete(m.id);
        if (m.type === 'error') reject(new Error(`${m.error}: ${m.message}`));
        else resolve(m.result);
      } else if (m.type === 'event') for (const l of listeners) l(m);
    };
    const send = (method, params = {}) =>
      new Promise((resolve, reject) => {
        const i = ++id;
        pending.set(i, { resolve, reject });
        ws.send(JSON.stringify({ id: i, method, params }));
      });

    await send('session.new', { capabilities: {} });
    await send('webExtension.install', { extensionData: { type: 'path', path: EXT } });
    // The page's own message listener from its first line on (page-messages.mjs; the Chromium
    // counterpart is test/e2e/security.e2e.ts): a preload script runs before any of the page's own.
    await send('script.addPreloadScript', { functionDeclaration: String(logPageMessages) });
    const tree = await send('browsingContext.getTree', {});
    const context = tree.contexts[0].context;
    await send('session.subscribe', { events: ['network.beforeRequestSent'] });
    const stray = [];
    listeners.push((m) => {
      if (m.method !== 'network.beforeRequestSent' || !m.params.isBlocked) return;
      const url = m.params.request.url;
      const req = m.params.request.request;
      const { pathname } = new URL(url);
      const isPage = pathname === '/app/postings/fbs';
      // The page's own list call (made below, from the page) is the page's, not a stray request.
      const isApi = pathname === LIST_API;
      // The browser's own favicon probe is not the extension's doing.
      if (!isPage && !isApi && pathname !== '/favicon.ico') stray.push(url);
      send('network.provideResponse', {
        request: req,
        statusCode: isPage || isApi ? 200 : 404,
        reasonPhrase: isPage || isApi ? 'OK' : 'Not Found',
        headers: [{ name: 'content-type', value: { type: 'string', value: isApi ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8' } }],
        body: { type: 'string', value: isPage ? HTML : isApi ? LIST_BODY : 'not in fixture' },
      }).catch(() => {});
    });
    await send('network.addIntercept', { phases: ['beforeRequestSent'], urlPatterns: [{ type: 'pattern', protocol: 'https', hostname: 'seller.ozon.ru' }] });
    await send('browsingContext.navigate', { context, url: URL_LIST, wait: 'complete' });

    const evaluate = async (expression) => {
      const r = await send('script.evaluate', { expression, target: { context }, awaitPromise: true });
      if (r.type === 'exception') throw new Error(r.exceptionDetails?.text ?? 'exception');
      return r.result?.value;
    };
    let badges = 0;
    for (let i = 0; i < 50 && badges < ROWS.length; i++) {
      await sleep(200);
      badges = Number(await evaluate(`document.querySelectorAll('[data-ozon-guard]').length`));
    }
    const attrs = JSON.parse(
      await evaluate(
        `JSON.stringify([...document.querySelectorAll('[data-ozon-guard]')].map(e => [e.getAttribute('data-posting'), e.getAttribute('data-status'), e.getAttribute('data-cancel'), e.getAttribute('data-archive'), e.getAttribute('data-deadline'), e.getAttribute('data-level')].join(' ')))`,
      ),
    );
    // The document's badge sheet or its <style> fallback really styles the badge (Firefox content scripts, bugzilla 1770592).
    const styled = await evaluate(
      `(() => { const h = document.querySelector('[data-ozon-guard]'); return !!h && getComputedStyle(h).borderTopLeftRadius === '10px'; })()`,
    );
    // The MAIN-world JSON observer (entrypoints/interceptor.content.ts) must be installed in the
    // page's own realm: script.evaluate runs there. Firefox honours world: "MAIN" only in MV3.
    const mainWorld = await evaluate(`!!window[Symbol.for('ozon-order-guard.interceptor')]`);
    // The hover/focus card is loaded on first use (components/overlay/lazy.ts: a dynamic import of
    // the extension's own overlay-ui.js into the content script's world): hovering a
    // badge must open it with the order's facts in Firefox too. A real pointer move (BiDi input):
    // a script's focus() does not fire focus events in a window without system focus.
    const rect = JSON.parse(await evaluate(`JSON.stringify(document.querySelector('[data-ozon-guard][data-posting="41000002-0001-1"]').getBoundingClientRect())`));
    const at = { x: Math.round(rect.x + rect.width / 2), y: Math.round(rect.y + rect.height / 2) };
    await send('input.performActions', {
      context,
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', ...at, duration: 0 }] }],
    });
    let card = '';
    for (let i = 0; i < 50 && !card.includes('41000002-0001-1'); i++) {
      await sleep(100);
      card = String(await evaluate(`(() => { const c = document.querySelector('ozon-guard-card:not([hidden])'); return c ? (c.shadowRoot ? c.shadowRoot.textContent : 'NO-SHADOW ' + c.textContent) : ''; })()`));
    }
    const cardOk = card.includes('41000002-0001-1');
    // Which way the body crossed (said, not required: the postMessage fallback is by design): the
    // DOM hand-over (our event, cancelled by the isolated side) or the message.
    await evaluate(
      `(window.__oogWay = []) && window.addEventListener('ozon-order-guard:body', (e) => window.__oogWay.push(e.defaultPrevented ? 'hand-over' : 'not taken')) === undefined && window.addEventListener('message', (e) => { if (e.data && e.data.kind === 'body') window.__oogWay.push('message'); }) === undefined`,
    );
    // The page calls its list API (as the panel's app does); the badge follows the JSON (P1).
    await evaluate(
      `fetch('${LIST_API}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"limit":50,"offset":0}' }).then((r) => r.json()).then(() => true)`,
    );
    let cancel = '';
    for (let i = 0; i < 50 && cancel !== 'blocked'; i++) {
      await sleep(100);
      cancel = String(await evaluate(`document.querySelector('[data-ozon-guard][data-posting="${ROWS[0][0]}"]')?.getAttribute('data-cancel')`));
    }
    const json = cancel === 'blocked';
    const bodyWay = String(await evaluate(`window.__oogWay.join(',')`));
    // Whether Firefox runs the overlay's JSON worker (components/overlay/json-offload.ts: a blob: worker of
    // the panel's origin, started with the overlay) or the bodies are walked on the page: BiDi lists a
    // dedicated worker as a realm of its own. A worker that failed on the body is ended at once (the
    // body then walked on the page), so one still listed after the JSON landed is the path taken.
    const realms = await send('script.getRealms', {}).catch(() => ({ realms: [] }));
    const worker = (realms.realms ?? []).some((r) => r.type === 'dedicated-worker' && String(r.origin).startsWith('blob:https://seller.ozon.ru/'));
    // A long list (components/overlay/clock.ts DRAW_AT_ONCE): 150 more rows; the last one's badge has
    // every contract attribute but no pills until it is near the viewport; scrolled to, it is drawn.
    await evaluate(
      `(() => { const tb = document.querySelector('tbody'); for (let i = 0; i < 150; i++) { const n = '4200' + String(1000 + i) + '-0001-1'; tb.insertAdjacentHTML('beforeend', '<tr><td><a href="/app/postings/fbs?postingDetails=' + n + '">' + n + '</a></td><td>Ожидает сборки</td><td>${msk(now + 7 * H)}</td><td>Товар</td></tr>'); } return true; })()`,
    );
    const lastSel = `[data-ozon-guard][data-posting="42001149-0001-1"]`;
    const lastState = async () =>
      JSON.parse(await evaluate(`JSON.stringify((() => { const e = document.querySelector('${lastSel}'); return e ? { level: e.getAttribute('data-level'), cd: e.getAttribute('data-t-cd'), bare: e.hasAttribute('data-b') } : null; })())`));
    let last = null;
    for (let i = 0; i < 50 && !last; i++) {
      await sleep(100);
      last = await lastState();
    }
    await sleep(500);
    const before = await lastState();
    await evaluate(`document.querySelector('${lastSel}').scrollIntoView({ block: 'center' }) === undefined`);
    let after = before;
    for (let i = 0; i < 30 && after?.bare; i++) {
      await sleep(100);
      after = await lastState();
    }
    const near = !!before && before.level === 'ok' && before.bare && !before.cd && !!after && !after.bare && !!after.cd;
    // A second postings page by SPA navigation, and a while for anything late; then what the page heard.
    await evaluate(`history.pushState({}, '', location.pathname + '?tab=awaiting_deliver') === undefined`);
    await sleep(1000);
    const heard = JSON.parse(await evaluate(`JSON.stringify(window.__oogHeard ?? null)`));
    const leaks = Array.isArray(heard) ? heard.filter((m) => /ozon-order-guard@|moz-extension:|wxt:|content-script-started/.test(m)).map((m) => m.slice(0, 200)) : ['(the page listener never ran)'];
    const quiet = leaks.length === 0;
    const want = [
      '41000001-0001-1 awaiting_packaging allowed blocked confirm ok',
      '41000002-0001-1 awaiting_packaging allowed blocked confirm at_risk',
      '41000003-0001-1 delivered blocked allowed none none',
    ];
    const ok = badges === ROWS.length && JSON.stringify(attrs) === JSON.stringify(want) && styled === true && stray.length === 0 && mainWorld === true && cardOk && json && quiet;
    out({ ok, badges, attrs, styled, mainWorld, card: cardOk, json, bodyWay, worker, near, stray, quiet, heard: Array.isArray(heard) ? heard.length : null, leaks, ...(ok ? {} : { want, cardText: card.slice(0, 200), cancelAfterJson: cancel }) });
    ws.close();
    return ok;
  } finally {
    cleanup();
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    out({ ok: false, reason: String(e?.message ?? e) });
    process.exit(1);
  },
);
