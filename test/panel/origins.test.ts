// @vitest-environment node
/**
 * Every origin the panel is served from (panel/origins.ts): the stored order
 * remembers the one it was last seen on, every link opens there, and a store
 * is the same store on any of them (the key is the company id alone).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Order } from '../../rules/types';
import {
  DEFAULT_PANEL_ORIGIN,
  isPanelOrigin,
  panelOriginOf,
  PANEL_MATCHES,
  PANEL_ORIGINS,
  postingsListUrl,
  postingUrl,
} from '../../panel/origins';
import { _resetHistoryForTests, exportAll, importAll, listStores, loadAllOrders, loadHistory, mergeOrders, sanitizeStore } from '../../storage/history';
import { handleMessage } from '../../background/router';
import { planReminders } from '../../background/reminders';
import { notificationId, urlOfNotification } from '../../background/notifications';
import { withPostingLinks } from '../../csv/export-links';
import { historySource } from '../../components/popup/historySource';
import { useMessages } from '../../lib/i18n';
import { loadLocale } from '../setup';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const RU = 'https://seller.ozon.ru';
const CN = 'https://seller.ozonru.cn';
const KZ = 'https://seller.ozon.kz';
const ext = 'test-extension-id';
const tab = (origin: string, path = '/app/postings/fbs?tab=all', id = 1) => ({ id: ext, url: `${origin}${path}`, tab: { id, url: `${origin}${path}` } });

function order(n: string, extra: Partial<Order> = {}): Order {
  return { postingNumber: n, scheme: 'FBS', status: 'awaiting_packaging', paidAt: iso(Date.now() - H), ...extra };
}

beforeEach(() => {
  fakeBrowser.reset();
  _resetHistoryForTests();
  vi.restoreAllMocks();
  useMessages('en', loadLocale('en'));
});

describe('the one origin list', () => {
  it('is the three panel origins, as match patterns too', () => {
    expect([...PANEL_ORIGINS]).toEqual([RU, CN, KZ]);
    expect(PANEL_MATCHES).toEqual([`${RU}/*`, `${CN}/*`, `${KZ}/*`]);
    expect(DEFAULT_PANEL_ORIGIN).toBe(RU);
  });

  it('recognises exactly those origins and nothing that looks like them', () => {
    for (const o of PANEL_ORIGINS) {
      expect(isPanelOrigin(o)).toBe(true);
      expect(panelOriginOf(`${o}/app/postings/fbs?tab=all`)).toBe(o);
    }
    for (const u of [
      'https://seller.ozon.ru.evil.example/app',
      'http://seller.ozon.ru/app',
      'https://seller.ozon.ru:8443/app',
      'https://evil.example/?u=https://seller.ozon.ru/',
      'https://ozon.ru/app',
      'https://seller.ozon.com/app',
      'chrome-extension://x/popup.html',
      '',
      'not a url',
    ]) {
      expect(panelOriginOf(u), u).toBeUndefined();
    }
    expect(isPanelOrigin(`${RU}/`)).toBe(false);
    expect(panelOriginOf(42)).toBeUndefined();
  });

  it('postingUrl builds every link on the origin given, the default for anything else', () => {
    const fbs = { postingNumber: '16965409-0014-1', scheme: 'FBS' as const };
    expect(postingUrl(fbs, { origin: CN })).toBe(`${CN}/app/postings/fbs?postingDetails=16965409-0014-1`);
    expect(postingUrl({ ...fbs, scheme: 'FBO' }, { origin: KZ })).toBe(`${KZ}/app/postings/fbo/16965409-0014-1`);
    expect(postingUrl(fbs, { origin: CN, crossborder: true })).toBe(
      `${CN}/app/postings/crossborder/fbs?tab=all&postingNumber=16965409-0014-1&postingDetails=16965409-0014-1`,
    );
    expect(postingUrl(fbs, { origin: 'https://evil.example' })).toBe(`${RU}/app/postings/fbs?postingDetails=16965409-0014-1`);
    expect(postingUrl(fbs)).toBe(`${RU}/app/postings/fbs?postingDetails=16965409-0014-1`);
    expect(postingsListUrl({ origin: CN, crossborder: true })).toBe(`${CN}/app/postings/crossborder/fbs`);
  });
});

describe('history remembers where each order was seen', () => {
  it('a content script on each origin is accepted; its tab URL, not the page data, gives the origin', async () => {
    for (const [o, n] of [[CN, '10000001-0001-1'], [KZ, '10000002-0001-1']] as const) {
      const r = await handleMessage(
        // A page could put anything in its payload: an `origin` there is ignored.
        { type: 'orders:seen', storeId: '42', orders: [{ ...order(n), origin: 'https://evil.example' }], url: `${o}/app/postings/fbs` },
        tab(o),
      );
      expect(r).toMatchObject({ storeId: '42', added: 1 });
    }
    const recs = await loadHistory('42');
    expect(Object.fromEntries(recs.map((r) => [r.order.postingNumber, r.origin]))).toEqual({ '10000001-0001-1': CN, '10000002-0001-1': KZ });
    expect(JSON.stringify(recs)).not.toContain('evil');
    // A look-alike origin is refused outright.
    expect(await handleMessage({ type: 'orders:seen', storeId: '42', orders: [order('10000003-0001-1')], url: '' }, tab('https://seller.ozon.ru.evil.example'))).toMatchObject({
      error: expect.stringMatching(/Seller Panel/),
    });
  });

  it('same company id seen on .ru then .cn is ONE store; the order and the store move to .cn', async () => {
    await handleMessage({ type: 'orders:seen', storeId: '2706897', orders: [order('20000001-0001-1')], url: `${RU}/app/postings/fbs`, storeLabel: 'Shop' }, tab(RU));
    vi.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ['Date'] });
    try {
      await handleMessage({ type: 'orders:seen', storeId: '2706897', orders: [order('20000001-0001-1'), order('20000002-0001-1')], url: `${CN}/app/postings/fbs` }, tab(CN));
    } finally {
      vi.useRealTimers();
    }
    const stores = await listStores();
    expect(stores).toHaveLength(1);
    expect(stores[0]).toMatchObject({ id: '2706897', label: 'Shop', orders: 2, origin: CN });
    const recs = await loadHistory('2706897');
    expect(recs.map((r) => r.origin)).toEqual([CN, CN]);
  });

  it('an older observation fills a missing origin but never moves a newer one; a CSV import keeps it', async () => {
    const t0 = Date.now();
    await mergeOrders('9', [order('30000001-0001-1')], 'page', t0, { origin: CN });
    await mergeOrders('9', [order('30000001-0001-1')], 'page', t0 - H, { origin: RU });
    expect((await loadHistory('9'))[0]!.origin).toBe(CN);
    await mergeOrders('9', [order('30000001-0001-1', { status: 'cancelled' })], 'csv', t0 + H);
    expect((await loadHistory('9'))[0]!.origin).toBe(CN);
    // A record first known from a CSV has no origin of its own (its link uses the store's, else the default).
    await mergeOrders('9', [order('30000002-0001-1')], 'csv', t0);
    expect((await loadHistory('9')).find((r) => r.order.postingNumber === '30000002-0001-1')!.origin).toBeUndefined();
  });

  it('stored data from before origins, or with a foreign origin, reads back without one (links: the default)', () => {
    const { data, report } = sanitizeStore(
      {
        orders: {
          a: { order: order('40000001-0001-1'), firstSeen: iso(0), lastSeen: iso(0), observedAt: iso(0), statusHistory: [], source: 'page' },
          b: { order: order('40000002-0001-1'), firstSeen: iso(0), lastSeen: iso(0), observedAt: iso(0), statusHistory: [], source: 'page', origin: 'https://evil.example' },
          c: { order: order('40000003-0001-1'), firstSeen: iso(0), lastSeen: iso(0), observedAt: iso(0), statusHistory: [], source: 'page', origin: KZ },
        },
      },
      's',
      Date.now(),
    );
    expect(data.orders['40000001-0001-1']!.origin).toBeUndefined();
    expect(data.orders['40000002-0001-1']!.origin).toBeUndefined();
    expect(data.orders['40000003-0001-1']!.origin).toBe(KZ);
    expect(report.repaired).toBeGreaterThanOrEqual(1);
  });

  it('a backup keeps each order\'s origin through export and import', async () => {
    await mergeOrders('77', [order('50000001-0001-1')], 'page', Date.now(), { origin: KZ });
    const backup = await exportAll();
    fakeBrowser.reset();
    _resetHistoryForTests();
    await importAll(JSON.parse(JSON.stringify(backup)));
    expect((await loadHistory('77'))[0]!.origin).toBe(KZ);
  });
});

describe('every link opens the order on the origin it was seen on', () => {
  it('reminders (desktop notifications) link to the order\'s origin, else the store\'s', async () => {
    const due = Date.now() + 90 * 60_000;
    const mk = (n: string) => order(n, { status: 'awaiting_packaging', shipBy: iso(due) });
    await mergeOrders('1', [mk('60000001-0001-1')], 'page', Date.now(), { origin: CN });
    await mergeOrders('1', [mk('60000002-0001-1')], 'csv', Date.now());
    const stores = await loadAllOrders();
    expect(stores[0]).toMatchObject({ storeId: '1', origin: CN, origins: { '60000001-0001-1': CN } });
    const plan = planReminders({
      stores,
      now: Date.now(),
      notifications: { enabled: true, atRisk: true, critical: true, overdue: true },
      notified: {},
    } as Parameters<typeof planReminders>[0]);
    expect(plan.due.map((r) => r.url).sort()).toEqual([
      `${CN}/app/postings/fbs?postingDetails=60000001-0001-1`,
      `${CN}/app/postings/fbs?postingDetails=60000002-0001-1`,
    ]);
    for (const r of plan.due) expect(urlOfNotification(notificationId(r))).toBe(r.url);
    expect(urlOfNotification(`oog|critical|x|${KZ}/app/postings/fbs?postingDetails=1`)).toBe(`${KZ}/app/postings/fbs?postingDetails=1`);
    expect(urlOfNotification('oog|critical|x|https://seller.ozon.ru.evil.example/app')).toBeUndefined();
  });

  it('the popup\'s at-risk links and both CSV exports use the origin each order was seen on', async () => {
    const now = Date.now();
    const soon = iso(now + 30 * 60_000);
    await mergeOrders('3', [order('70000001-0001-1', { shipBy: soon })], 'page', now, { origin: KZ });
    await mergeOrders('3', [order('70000002-0001-1', { shipBy: soon })], 'page', now, { origin: RU });
    await mergeOrders('3', [order('70000003-0001-1', { status: 'cancelled', cancelledAt: iso(now - H) })], 'page', now, { origin: CN });
    const src = historySource();
    await src.listStores();
    const orders = await src.loadOrders('3');
    const byN = Object.fromEntries(orders.map((o) => [o.postingNumber, o]));
    expect(src.postingUrl(byN['70000001-0001-1']!)).toBe(`${KZ}/app/postings/fbs?postingDetails=70000001-0001-1`);
    expect(src.postingUrl(byN['70000002-0001-1']!)).toBe(`${RU}/app/postings/fbs?postingDetails=70000002-0001-1`);

    const { defaultRulebook } = await import('../../rules/rulebook');
    const atRisk = src.exportAtRiskCsv(orders, now, defaultRulebook).replace(/^\ufeff/, '').split('\r\n');
    expect(atRisk[0]!.endsWith(';Link')).toBe(true);
    const line1 = atRisk.find((l) => l.startsWith('70000001-0001-1;'))!;
    expect(line1.endsWith(`;${KZ}/app/postings/fbs?postingDetails=70000001-0001-1`)).toBe(true);
    const line2 = atRisk.find((l) => l.startsWith('70000002-0001-1;'))!;
    expect(line2.endsWith(`;${RU}/app/postings/fbs?postingDetails=70000002-0001-1`)).toBe(true);
    const canc = src.exportCancellationsCsv(orders, now, defaultRulebook).replace(/^\ufeff/, '').split('\r\n');
    expect(canc.find((l) => l.startsWith('70000003-0001-1;'))!.endsWith(`;${CN}/app/postings/fbs?postingDetails=70000003-0001-1`)).toBe(true);
  });

  it('the link column survives quoted cells with separators, quotes and line breaks', () => {
    const csv = '\ufeffPosting;Product\r\n12345678-0001-1;"Носки ""Капитан"";\r\nАмерика"\r\n87654321-0001-2;plain\r\n';
    const orders = [order('12345678-0001-1'), order('87654321-0001-2')];
    const out = withPostingLinks(csv, orders, (o) => postingUrl(o, { origin: CN }));
    expect(out).toBe(
      '\ufeffPosting;Product;Link\r\n' +
        `12345678-0001-1;"Носки ""Капитан"";\r\nАмерика";${CN}/app/postings/fbs?postingDetails=12345678-0001-1\r\n` +
        `87654321-0001-2;plain;${CN}/app/postings/fbs?postingDetails=87654321-0001-2\r\n`,
    );
  });
});
