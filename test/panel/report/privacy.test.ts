/**
 * The page report holds no buyer data and no values: a page full of names,
 * phones, addresses, e-mails, prices, comments and posting numbers (in text,
 * links, inputs, data-* / aria-* / title / alt values, a textarea, a script,
 * the URL) gives a report in which none of those strings appears, nor any run
 * of their digits, while the panel's own words (headers, statuses) are kept.
 */
import { describe, expect, it } from 'vitest';
import { buildPageReport } from '../../../panel/report';
import { jsonKeys } from '../../../panel/report-json';
import { shapeText } from '../../../panel/shape';
import { ctxFor } from '../helpers';

const NOW = Date.UTC(2026, 4, 12, 9, 17, 23, 456);

const BUYERS = [
  { name: 'Иванов Пётр Сергеевич', phone: '+7 916 482-37-51', addr: 'г. Москва, ул. Складская, д. 17, кв. 243', mail: 'petr.ivanov@example.ru' },
  { name: 'Acosta Maria', phone: '+7 (903) 615-84-29', addr: '620014, Екатеринбург, пр. Ленина 38', mail: 'acosta.m@mail.example' },
  { name: '王秀英', phone: '+86 138 0571 6642', addr: '浙江省杭州市西湖区文三路 478 号', mail: 'wxy@example.cn' },
];
const POSTINGS = ['37819254-0187-1', '4817263590-0455-12', '05512873-0931-3'];
const PRICES = ['4 718,35 ₽', '12 399 ₽', '¥ 865.40'];
const PRODUCTS = ['Наушники Sony WH-7293XM4', 'Зарядка Anker 65W', 'Термос Stanley 750'];
const COMMENT = 'Позвоните за час, домофон 4791, собака злая';

function page(broken: boolean): string {
  const rows = BUYERS.map((b, i) => {
    const n = POSTINGS[i]!;
    const cells = `<div class="c_1"><a href="/app/postings/fbs?postingDetails=${n}" title="${b.name}">${n}</a></div>
      <div class="c_1">${broken ? '' : 'Ожидает сборки'}</div>
      <div class="c_1" data-buyer="${b.name}" aria-label="Покупатель ${b.name}">${b.name}</div>
      <div class="c_1"><a href="tel:${b.phone}">${b.phone}</a> <a href="mailto:${b.mail}">${b.mail}</a></div>
      <div class="c_1">${b.addr}</div>
      <div class="c_1">${PRODUCTS[i]} <img alt="${PRODUCTS[i]}" src="/img/${i}.png"></div>
      <div class="c_1">${PRICES[i]}</div>
      <div class="c_1"><input type="text" value="${b.name}" placeholder="${b.phone}"><textarea>${COMMENT}</textarea></div>`;
    // The "layout changed" page: each posting inside a sentence, no row structure.
    return broken
      ? `<p>Заказ ${n} покупателя ${b.name} (${b.phone}) на адрес ${b.addr} за ${PRICES[i]} ожидает сборки.</p>`
      : `<div class="r_x">${cells}</div>`;
  }).join('\n');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Заказ ${POSTINGS[0]} — ${BUYERS[0]!.name}</title>
<script>window.__state = ${JSON.stringify({ buyer: BUYERS[0], postings: POSTINGS })}</script><style>.c_1{color:red}</style></head>
<body><header>Ozon Seller · ${BUYERS[1]!.name}</header><main>
<div class="h_x"><div>Номер отправления</div><div>Статус</div><div>Покупатель</div><div>Телефон</div><div>Адрес доставки</div><div>Товары</div><div>Стоимость</div><div>Комментарий</div></div>
<div class="list">${rows}</div>
<dl><dt>Комментарий</dt><dd>${COMMENT}</dd></dl>
</main></body></html>`;
}

const SECRETS = [...BUYERS.flatMap((b) => [b.name, b.phone, b.addr, b.mail]), ...POSTINGS, ...PRICES, ...PRODUCTS, COMMENT, 'session-4f7a9c'];

function digitRuns(s: string): string[] {
  // Digits in sequence, separators ignored ("+7 916 482-37-51" → "7916482375"), and each run of 3+ digits alone.
  const all = s.replace(/\D/g, '');
  const runs = s.match(/\d{3,}/g) ?? [];
  return [...(all.length >= 3 ? [all] : []), ...runs];
}

function reportJson(html: string, url: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const report = buildPageReport({
    doc,
    url,
    ctx: { ...ctxFor(url, { sc_company_id: '2150370', session: 'session-4f7a9c' }), nowMs: NOW },
    now: NOW,
    extensionVersion: '0.1.0',
    language: 'ru-RU',
    timeZone: 'Europe/Moscow',
    apis: [{ path: '/api/postings/fbs/list', keys: jsonKeys({ postings: [{ posting_number: POSTINGS[0], customer: { name: BUYERS[0]!.name, phone: BUYERS[0]!.phone }, price: '4718.35' }], has_next: false }) }],
  });
  return JSON.stringify(report);
}

describe('page report: the zone the reader used (T3)', () => {
  const url = 'https://seller.ozon.ru/app/postings/fbs';
  const build = (extra: object, cookies: Record<string, string> = {}) =>
    buildPageReport({
      doc: new DOMParser().parseFromString('<main></main>', 'text/html'),
      url,
      ctx: { ...ctxFor(url, cookies), nowMs: NOW },
      now: NOW,
      extensionVersion: '0.1.0',
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      ...extra,
    }).reader;
  it('names the overlay\'s decision and its basis', () => {
    expect(build({ readerZone: { east: 480, basis: 'learned', rows: 12 } })).toEqual({ timeZone: 'UTC+08:00', source: 'learned', rows: 12 });
    expect(build({ readerZone: { east: 345, basis: 'set' } })).toEqual({ timeZone: 'UTC+05:45', source: 'set' });
    expect(build({ readerZone: { east: 180, basis: 'assumed' } })).toEqual({ timeZone: 'UTC+03:00', source: 'assumed' });
  });
  it('without the overlay: the cookie, else the rulebook default', () => {
    expect(build({}, { 'x-o3-timezone': '-300' })).toEqual({ timeZone: 'UTC+05:00', source: 'cookie' });
    expect(build({})).toEqual({ timeZone: 'Europe/Moscow', source: 'rulebook-default' });
  });
});

describe('page report privacy', () => {
  const url = `https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging&postingNumber=${POSTINGS[1]}&search=${encodeURIComponent(BUYERS[0]!.name)}&phone=79164823751`;
  for (const broken of [false, true]) {
    it(`holds none of the buyer strings nor their digits (${broken ? 'layout-changed page' : 'recognised rows'})`, () => {
      const json = reportJson(page(broken), url);
      for (const s of SECRETS) {
        expect(json.includes(s), s).toBe(false);
        // Each word of 4+ letters of a name, an address, a product, the comment.
        for (const w of s.split(/[\s,.()]+/).filter((x) => /^\p{L}{4,}$/u.test(x))) expect(json.includes(w), `${w} (of ${s})`).toBe(false);
        for (const d of digitRuns(s)) expect(json.includes(d), `${d} (digits of ${s})`).toBe(false);
      }
      for (const name of ['王秀英', '杭州', '西湖']) expect(json.includes(name), name).toBe(false);
      expect(json).not.toMatch(/session|cookie|sc_company|2150370/i);
      // The panel's words are kept: they are what tells a changed layout apart.
      expect(json).toContain('Номер отправления');
      expect(json).toContain('Стоимость');
      if (!broken) expect(json).toContain('Ожидает сборки');
    });
  }

  it('says what the reader concluded for each posting number, with the number shaped', () => {
    const good = JSON.parse(reportJson(page(false), url));
    expect(good.state).toMatchObject({ layoutChanged: false, rowsRecognised: 3 });
    expect(good.candidates.filter((c: { recognised: boolean }) => c.recognised)).toHaveLength(3);
    expect(good.candidates.map((c: { posting: string }) => c.posting)).toEqual(expect.arrayContaining(['99999999-9999-9', '9999999999-9999-99']));
    const bad = JSON.parse(reportJson(page(true), url));
    expect(bad.state).toMatchObject({ layoutChanged: true, rowsRecognised: 0 });
    const reasons = bad.candidates.map((c: { reason: string }) => c.reason);
    expect(reasons).toContain('inside-a-sentence');
    expect(reasons).not.toContain('recognised');
    // The URL: path and keys; a value only for the tab name, the filtered posting as its shape.
    expect(bad.url.path).toBe('/app/postings/fbs');
    expect(bad.url.query).toEqual([
      { key: 'tab', value: 'awaiting_packaging' },
      { key: 'postingNumber', value: '9999999999-9999-99', posting: expect.any(Number) },
      { key: 'search' },
      { key: 'phone' },
    ]);
    // API key structure: keys and types, no values.
    expect(bad.apis[0].keys).toEqual({
      postings: { '[]': 1, of: { posting_number: 'string', customer: { name: 'string', phone: 'string' }, price: 'string' } },
      has_next: 'boolean',
    });
  });
});

describe('shapeText', () => {
  it('turns digits, Latin, Cyrillic and CJK into 9, a, я, 汉 and keeps spacing and punctuation', () => {
    expect(shapeText('Иванов Ivan 王伟, +7 (916) 482-37-51 · 1 299,50 ₽')).toBe('яяяяяя aaaa 汉汉, +9 (999) 999-99-99 · 9 999,99 ₽');
    expect(shapeText('Ελένη ١٢٣')).toBe('aaaaa 999');
  });
  it('keeps the calendar words beside a date so a rebuilt page still reads as dates', () => {
    expect(shapeText('14 апреля 2026, 19:01')).toBe('99 апреля 9999, 99:99');
    expect(shapeText('Apr 14, 2026, 7:01 PM')).toBe('Apr 99, 9999, 9:99 PM');
    expect(shapeText('2026年4月14日 19:01')).toBe('9999年9月99日 99:99');
    // A month word not beside a number is a word like any other.
    expect(shapeText('May Smith')).toBe('aaa aaaaa');
  });
});
