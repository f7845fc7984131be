/**
 * The panel's JSON as it really comes, in a real browser: a list page whose
 * rows are rendered from XMLHttpRequest responses carrying real Seller API
 * bodies (the shared real-samples api/ folder, served byte for byte), each
 * request made in another of the ways a page can make it — responseType
 * 'json' with addEventListener('load'), '' with onreadystatechange, 'text'
 * with onload — and a fetch. The rows print the posting number and status
 * only: every `data-due` can only have come from the JSON's shipment_date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch, PANEL, type Harness } from './harness';
import { badgeAttrs, norm, until } from './badge-contract';
import { REAL_SAMPLES, realApiFiles } from '../real/samples';

const body = (file: string) => readFileSync(resolve(REAL_SAMPLES, 'api', file), 'utf8');

const CALLS = [
  { path: '/api/posting-service/seller-ui/fbs/posting/list', file: 'v4_posting_fbs_list__ozon_swagger_2026.json', style: 'json-listener' },
  { path: '/api/posting-service/seller-ui/fbs/posting/unfulfilled/list', file: 'v4_posting_fbs_unfulfilled_list__ozon_swagger_2026.json', style: 'empty-readystate' },
  { path: '/api/posting-service/v3/fbs/posting/list', file: 'v3_posting_fbs_list__ozon_swagger_2025-09.json', style: 'text-onload' },
  { path: '/api/posting-service/v3/fbs/posting/get', file: 'v3_posting_fbs_get__diphantxm_2023.json', style: 'fetch' },
] as const;

const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Отправления FBS — Ozon Seller</title></head>
<body><h1>Отправления</h1>
<table class="tbl"><thead><tr><th>Номер отправления</th><th>Статус</th><th>Товар</th></tr></thead><tbody id="rows"></tbody></table>
<script>
(function () {
  var LABEL = { awaiting_packaging: 'Ожидает сборки', awaiting_deliver: 'Ожидает отгрузки' };
  function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;'); }
  function postingsOf(b) { return b.postings || (b.result && (b.result.postings || (b.result.posting_number ? [b.result] : b.result))) || []; }
  function render(b) {
    var out = '';
    postingsOf(b).forEach(function (p) {
      out += '<tr><td>' + esc(p.posting_number) + '</td><td>' + esc(LABEL[p.status] || p.status) + '</td><td>' + esc(p.products[0].name) + '</td></tr>';
    });
    document.getElementById('rows').insertAdjacentHTML('beforeend', out);
  }
  var calls = ${JSON.stringify(CALLS.map(({ path, style }) => ({ path, style })))};
  calls.forEach(function (c) {
    if (c.style === 'fetch') {
      fetch(c.path, { method: 'POST', body: '{}' }).then(function (r) { return r.json(); }).then(render);
      return;
    }
    var x = new XMLHttpRequest();
    x.open('POST', c.path);
    x.setRequestHeader('content-type', 'application/json');
    if (c.style === 'json-listener') {
      x.responseType = 'json';
      x.addEventListener('load', function () { render(x.response); });
    } else if (c.style === 'empty-readystate') {
      x.onreadystatechange = function () { if (x.readyState === 4) render(JSON.parse(x.responseText)); };
    } else {
      x.responseType = 'text';
      x.onload = function () { render(JSON.parse(x.response)); };
    }
    x.send('{"filter":{},"limit":100}');
  });
})();
</script></body></html>`;

describe('real Seller API bodies by XHR and fetch (production build, Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    expect(realApiFiles().length).toBeGreaterThan(0);
    h = await launch({ locale: 'ru' });
    const routes: Record<string, string | { body: string; contentType: string }> = { '/app/postings/fbs': html };
    for (const c of CALLS) routes[c.path] = { body: body(c.file), contentType: 'application/json; charset=utf-8' };
    h.serve(routes);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('every row gets one badge whose data-due is the JSON shipment_date', async () => {
    const page = await h.open(`${PANEL}/app/postings/fbs?tab=all`);
    // Read from the files by hand: posting, canonical status, deadline kind and shipment_date.
    const want = [
      { posting: '0208245774-0029-1', status: 'awaiting_packaging', deadline: 'confirm', due: '2026-05-18T12:00:00.000Z', cancel: 'allowed' },
      { posting: '41517061-0214-1', status: 'awaiting_shipment', deadline: 'ship', due: '2026-05-05T06:44:37.000Z', cancel: 'allowed' },
      { posting: '05708065-0029-1', status: 'awaiting_shipment', deadline: 'ship', due: '2022-05-13T10:00:00.000Z', cancel: 'blocked' },
      { posting: '57195475-0050-3', status: 'awaiting_packaging', deadline: 'confirm', due: '2021-11-23T10:00:00.000Z', cancel: 'allowed' },
    ];
    await until(async () => {
      const got = (await badgeAttrs(page)).map(norm);
      expect(got.map((g) => g.posting).sort()).toEqual(want.map((w) => w.posting).sort());
      for (const w of want) {
        const g = got.find((x) => x.posting === w.posting)!;
        expect({ status: g.status, deadline: g.deadline, due: g.due, cancel: g.cancel, archive: g.archive, level: g.level }, w.posting).toEqual({
          status: w.status,
          deadline: w.deadline,
          due: w.due,
          cancel: w.cancel,
          archive: 'blocked',
          // Every shipment_date of the samples is in the past.
          level: 'overdue',
        });
      }
    }, 15_000);
    await h.screenshot(page, 'real-json-xhr');
    expect(h.errors).toEqual([]);
    expect(h.strayRequests).toEqual([]);
  }, 60_000);
});
