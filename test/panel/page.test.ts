import { describe, expect, it } from 'vitest';
import { isPostingsUrl, pageInfo, tabStatusOf } from '../../panel/page';
import { cookieValue, readContext, readPanelCookies } from '../../panel/cookies';

const P = 'https://seller.ozon.ru';

describe('pageInfo', () => {
  it.each([
    ['/app/postings/fbs', 'FBS', false],
    ['/app/postings/fbs/', 'FBS', false],
    ['/app/postings/fbo', 'FBO', false],
    ['/app/postings/crossborder/fbs', 'rFBS', true],
    ['/app/postings/crossborder/fbo', 'FBO', true],
  ] as const)('%s → scheme %s', (path, scheme, crossborder) => {
    const p = pageInfo(P + path);
    expect(p).toEqual({ isPostings: true, scheme, crossborder });
  });

  it.each([
    ['awaiting_packaging', 'awaiting_packaging'],
    ['awaiting_deliver', 'awaiting_shipment'],
    ['delivering', 'in_transit'],
    ['arbitration', 'disputed'],
    ['delivered', 'delivered'],
    ['cancelled', 'cancelled'],
    ['awaiting_approve', 'awaiting_confirmation'],
  ] as const)('tab=%s implies %s', (tab, status) => {
    const p = pageInfo(`${P}/app/postings/fbs?tab=${tab}`);
    expect(p.tab).toBe(tab);
    expect(p.tabStatus).toBe(status);
  });

  it('tab=all and unknown tabs imply no status (L3: never a guess)', () => {
    expect(pageInfo(`${P}/app/postings/fbs?tab=all`)).toEqual({ isPostings: true, scheme: 'FBS', crossborder: false, tab: 'all' });
    expect(pageInfo(`${P}/app/postings/fbs?tab=something_new`).tabStatus).toBeUndefined();
    expect(tabStatusOf(undefined)).toBeUndefined();
    expect(tabStatusOf('__proto__')).toBeUndefined();
    expect(tabStatusOf('constructor')).toBeUndefined();
  });

  it('reads the drawer (postingDetails=) and the postingNumber filter', () => {
    const p = pageInfo(`${P}/app/postings/fbs?tab=all&postingNumber=16965409-0014-1&postingDetails=16965409-0014-2`);
    expect(p.detailsPosting).toBe('16965409-0014-2');
    expect(p.filterPosting).toBe('16965409-0014-1');
    expect(pageInfo(`${P}/app/postings/fbs?postingDetails=not-a-number`).detailsPosting).toBeUndefined();
    expect(pageInfo(`${P}/app/postings/fbs?postingDetails=16965409%2D0014%2D1`).detailsPosting).toBe('16965409-0014-1');
  });

  it('reads detail pages /fbo/<n>, /fbs/<n> and /crossborder/fbo/<n>', () => {
    expect(pageInfo(`${P}/app/postings/fbo/0100169990-0103-1`)).toEqual({
      isPostings: true,
      scheme: 'FBO',
      crossborder: false,
      detailsPosting: '0100169990-0103-1',
    });
    expect(pageInfo(`${P}/app/postings/fbs/16965409-0014-1`).detailsPosting).toBe('16965409-0014-1');
    expect(pageInfo(`${P}/app/postings/crossborder/fbo/0128619527-0157-1`)).toMatchObject({ scheme: 'FBO', crossborder: true, detailsPosting: '0128619527-0157-1' });
  });

  it('everything else is not an orders page', () => {
    for (const u of [
      `${P}/app/dashboard/main`,
      `${P}/app/returns/common`,
      `${P}/app/postings`,
      `${P}/app/postings/fbs/settings`,
      `${P}/app/postings/fbsx`,
      `${P}/app/rating`,
      'https://example.com/app/postings/fbs?x',
      'not a url at all ::',
      '',
    ]) {
      const p = pageInfo(u);
      if (u.startsWith('https://example.com')) {
        // Only the path matters here; the content scripts run on the panel origins alone (manifest, panel/origins.ts).
        expect(p.isPostings).toBe(true);
        continue;
      }
      expect(p.isPostings, u).toBe(false);
    }
  });

  it('accepts relative URLs and never throws', () => {
    expect(pageInfo('/app/postings/fbo?tab=delivered').tabStatus).toBe('delivered');
    expect(() => pageInfo(String.fromCharCode(0xd800))).not.toThrow();
  });

  it('isPostingsUrl (the content script bootstrap\'s test) says exactly what pageInfo().isPostings says', () => {
    const urls = [
      ...['/app/postings/fbs', '/app/postings/fbs/', '/app/postings/FBO?tab=delivered', '/app/postings/crossborder/fbs', '/app/postings/crossborder/fbo/0128619527-0157-1'],
      ...['/app/postings/fbo/0100169990-0103-1', '/app/postings/fbs/16965409%2D0014%2D1', '/app/postings/fbs?postingDetails=16965409-0014-1'],
      ...['/app/dashboard/main', '/app/postings', '/app/postings/fbs/settings', '/app/postings/fbsx', '/app/postings/fbs/1/2', '/app/products'],
    ].map((u) => P + u);
    for (const u of [...urls, '/app/postings/fbs', 'not a url at all ::', '', String.fromCharCode(0xd800)]) {
      expect(isPostingsUrl(u), u).toBe(pageInfo(u).isPostings);
    }
    expect(urls.filter(isPostingsUrl)).toHaveLength(8);
  });
});

describe('cookies (T3)', () => {
  it('reads x-o3-timezone, sc_company_id, x-o3-language', () => {
    const c = 'foo=1; x-o3-timezone=-480; sc_company_id=2150370; x-o3-language=zh-Hans; bar=baz';
    expect(readPanelCookies(c)).toEqual({ tzOffsetMinutes: -480, storeId: '2150370', language: 'zh-Hans' });
  });

  it('decodes encoded values and ignores bad ones', () => {
    expect(readPanelCookies('x-o3-timezone=%2D180').tzOffsetMinutes).toBe(-180);
    expect(readPanelCookies('x-o3-timezone=abc; sc_company_id=12a; x-o3-language=<script>')).toEqual({});
    expect(readPanelCookies('x-o3-timezone=99999')).toEqual({});
    expect(readPanelCookies('')).toEqual({});
    expect(readPanelCookies(undefined)).toEqual({});
    expect(cookieValue('a=%E0%A4%A', 'a')).toBe('%E0%A4%A');
    expect(cookieValue('xx-o3-timezone=1; x-o3-timezone=0', 'x-o3-timezone')).toBe('0');
  });

  it('no cookie: no offset (Moscow time downstream, T1)', () => {
    const ctx = readContext(pageInfo(`${P}/app/postings/fbs`), 'sc_company_id=5');
    expect(ctx.tzOffsetMinutes).toBeUndefined();
    expect(ctx.storeId).toBe('5');
  });
});
