/**
 * T3 on a page: rows the panel's JSON describes teach the controller the
 * page's zone; rows without JSON are then read in it (their data-due is the
 * instant the page meant). Cookie, setting and re-learning on a change.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BadgeController } from '../../../components/overlay/controller';
import { PageZoneTracker, ZONE_WINDOW } from '../../../components/overlay/page-zone';
import { bodyMessage, messageEvent, postingsBody } from '../../helpers/bridge';
import { controllerEnv, fakeClockEach } from '../../helpers/overlay-env';
import { defaultSettings } from '../../../storage/settings';
import { defaultRulebook } from '../../../rules/rulebook';
import { pageZoneText } from '../../../components/badge/card';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2026, 11, 4, 9, 0, 30);
const URL_LIST = 'https://seller.ozon.ru/app/postings/fbs?tab=awaiting_packaging';

/** The wall clock `east` minutes east of UTC, as the panel prints it. */
function wall(ms: number, east: number): string {
  const d = new Date(ms + east * MIN);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const num = (i: number) => `1234567${i % 10}-${String(1000 + i).slice(-4)}-1`;
/** Deadlines on whole minutes plus seconds the page does not print. */
const due = (i: number) => NOW + (5 + i) * H + 17 * MIN + 40_000;

function page(n: number, east: number): string {
  const rows = Array.from(
    { length: n },
    (_, i) => `<tr><td><a href="/app/postings/fbs?postingDetails=${num(i)}">${num(i)}</a></td><td>Ожидает сборки</td><td>${wall(due(i), east)}</td><td>Товар</td></tr>`,
  );
  return `<table><thead><tr><th>Номер отправления</th><th>Статус</th><th>Отгрузить до</th><th>Товары</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function bridge(c: BadgeController, idx: number[], shift = 0): void {
  const orders = idx.map((i) => ({ postingNumber: num(i), status: 'awaiting_packaging', shipBy: new Date(due(i) + shift).toISOString() }));
  c.onBridgeMessage(messageEvent(bodyMessage(postingsBody(orders))));
}

const dueOf = (i: number) => document.querySelector(`[data-posting="${num(i)}"]`)?.getAttribute('data-due');
/** The instant the page meant, as the badge states it (evaluateOrder keeps whole seconds). */
const meant = (i: number, shift = 0) => new Date(Math.floor((due(i) + shift) / MIN) * MIN).toISOString();

describe('the page zone on a live page (T3)', () => {
  let c: BadgeController;
  fakeClockEach(NOW);
  afterEach(() => {
    c?.destroy();
    document.cookie = 'x-o3-timezone=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('Beijing page: rows with JSON teach +8, rows without JSON get the instant the page meant', async () => {
    document.body.innerHTML = page(8, 480);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    // Before any JSON: the rulebook default, Moscow (5 h off for this page).
    expect(c.zone.zone).toEqual({ east: 180, basis: 'assumed' });
    expect(dueOf(6)).toBe(new Date(Date.parse(meant(6)) + 5 * H).toISOString());
    bridge(c, [0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toEqual({ east: 480, basis: 'learned', rows: 4 });
    for (const i of [4, 5, 6, 7]) expect(dueOf(i), `row ${i}`).toBe(meant(i));
    for (const i of [0, 1, 2, 3]) expect(dueOf(i)).toBe(new Date(due(i)).toISOString());
    expect(pageZoneText(c.zone.zone)).toBe('Page times read as UTC+8 — learned from 4 rows');
  });

  it('UTC+5 page, and a stale row that disagrees does not move it', async () => {
    document.body.innerHTML = page(8, 300);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    bridge(c, [0, 1, 2]);
    bridge(c, [3], 3 * H); // the JSON moved this deadline; the row still prints the old one
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toMatchObject({ east: 300, basis: 'learned', rows: 3 });
    for (const i of [4, 5, 6, 7]) expect(dueOf(i)).toBe(meant(i));
  });

  it('Moscow page: learned as Moscow; nothing changes for rows read before', async () => {
    document.body.innerHTML = page(6, 180);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    const before = [3, 4, 5].map(dueOf);
    bridge(c, [0, 1, 2]);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toEqual({ east: 180, basis: 'learned', rows: 3 });
    expect([3, 4, 5].map(dueOf)).toEqual(before);
    expect(before[0]).toBe(meant(3));
  });

  it('the cookie counts with no JSON; rows that clearly disagree overrule it', async () => {
    document.cookie = 'x-o3-timezone=-300';
    document.body.innerHTML = page(8, 480);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    expect(c.zone.zone).toEqual({ east: 300, basis: 'cookie', rows: 0 });
    expect(dueOf(5)).toBe(new Date(Date.parse(meant(5)) + 3 * H).toISOString());
    bridge(c, [0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toEqual({ east: 480, basis: 'learned', rows: 4, overruledCookie: 300 });
    expect(dueOf(5)).toBe(meant(5));
    expect(pageZoneText(c.zone.zone)).toBe('Page times read as UTC+8 — learned from 4 rows (the panel’s cookie said UTC+5)');
  });

  it('the seller\'s setting wins and applies live; back to auto re-reads in the learned zone', async () => {
    document.body.innerHTML = page(6, 480);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    bridge(c, [0, 1, 2]);
    await vi.advanceTimersByTimeAsync(50);
    expect(dueOf(4)).toBe(meant(4));
    c.configure({ ...defaultSettings, pageZone: 'UTC+5:45' }, defaultRulebook);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toEqual({ east: 345, basis: 'set', choice: 'fixed' });
    expect(dueOf(4)).toBe(new Date(Date.parse(meant(4)) + (480 - 345) * MIN).toISOString());
    c.configure({ ...defaultSettings, pageZone: 'moscow' }, defaultRulebook);
    await vi.advanceTimersByTimeAsync(50);
    expect(pageZoneText(c.zone.zone)).toBe('Page times read as UTC+3 — set by you: Moscow');
    // A bad stored value reads as auto.
    c.configure({ ...defaultSettings, pageZone: 'UTC+99' }, defaultRulebook);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone.basis).toBe('learned');
    expect(dueOf(4)).toBe(meant(4));
  });

  it('re-learns when the panel starts printing another zone (a re-render after the seller changed it)', async () => {
    document.body.innerHTML = page(10, 180);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    bridge(c, [0, 1, 2, 3, 4, 5]);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone.east).toBe(180);
    document.querySelectorAll('tbody tr').forEach((tr, i) => (tr.children[2]!.textContent = wall(due(i), 480)));
    await vi.advanceTimersByTimeAsync(300);
    expect(c.zone.zone).toMatchObject({ east: 480, basis: 'learned' });
    for (const i of [6, 7, 8, 9]) expect(dueOf(i)).toBe(meant(i));
  });
});

describe('the page zone across SPA navigation (T3)', () => {
  let c: BadgeController;
  fakeClockEach(NOW);
  afterEach(() => c?.destroy());

  it('keeps what it learned on the next list, and follows that list where its rows say otherwise', async () => {
    document.body.innerHTML = page(6, 180);
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    bridge(c, [0, 1, 2, 3, 4, 5]);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toMatchObject({ east: 180, basis: 'learned', rows: 6 });
    // Another list, no JSON yet: still read in what the panel was seen to print.
    document.body.innerHTML = page(20, 480).replace(/1234567/g, '7654321');
    c.navigate('https://seller.ozon.ru/app/postings/fbs?tab=awaiting_deliver');
    expect(c.zone.zone).toMatchObject({ east: 180, basis: 'learned' });
    const orders = Array.from({ length: 10 }, (_, i) => ({
      postingNumber: num(i).replace('1234567', '7654321'),
      status: 'awaiting_packaging',
      shipBy: new Date(due(i)).toISOString(),
    }));
    c.onBridgeMessage(messageEvent(bodyMessage(postingsBody(orders))));
    await vi.advanceTimersByTimeAsync(50);
    expect(c.zone.zone).toMatchObject({ east: 480, basis: 'learned', rows: 10 });
    for (const i of [12, 15, 19]) {
      expect(document.querySelector(`[data-posting="${num(i).replace('1234567', '7654321')}"]`)!.getAttribute('data-due')).toBe(meant(i));
    }
  });
});

describe('witnesses are read only when the zone is wanted (T3, docs/performance.md)', () => {
  let c: BadgeController;
  fakeClockEach(NOW);
  afterEach(() => {
    c?.destroy();
    vi.restoreAllMocks();
  });

  /** The panel's JSON for rows `idx`, paid-at and ship-by both given (so no time of theirs is read from the page). */
  function fullBody(idx: number[]): unknown {
    const iso = (ms: number) => new Date(ms).toISOString();
    return { result: { postings: idx.map((i) => ({ posting_number: num(i), status: 'awaiting_packaging', in_process_at: iso(due(i) - 30 * H), shipment_date: iso(due(i)) })) } };
  }
  /** The list's page is open and the panel's JSON for rows 0–5 is in before any row renders. */
  async function jsonFirst(): Promise<void> {
    document.body.innerHTML = '<div id="root"></div>';
    c = new BadgeController(controllerEnv());
    c.navigate(URL_LIST);
    c.onBridgeMessage(messageEvent(bodyMessage(fullBody([0, 1, 2, 3, 4, 5]))));
    await vi.advanceTimersByTimeAsync(50);
  }
  const readSpy = () => vi.spyOn(PageZoneTracker.prototype as unknown as { read(key: string, p: unknown): void }, 'read');

  it('a list the JSON describes whole reads no printed time until the card or the report asks for the zone', async () => {
    await jsonFirst();
    const read = readSpy();
    document.querySelector('#root')!.innerHTML = page(6, 480);
    await vi.advanceTimersByTimeAsync(300);
    for (let i = 0; i < 6; i++) expect(dueOf(i), `row ${i}`).toBe(new Date(due(i)).toISOString());
    expect(c.zone.noted).toBe(6);
    expect(read).not.toHaveBeenCalled();
    // Asked for (the card's page-zone line, the page report): the noted rows are read then, all of them.
    expect(c.zone.zone).toEqual({ east: 480, basis: 'learned', rows: 6 });
    expect(read).toHaveBeenCalledTimes(6);
    expect(c.zone.noted).toBe(0);
  });

  it('a row the JSON does not describe makes them count at once: it is read in the zone they teach', async () => {
    await jsonFirst();
    const read = readSpy();
    document.querySelector('#root')!.innerHTML = page(8, 480);
    await vi.advanceTimersByTimeAsync(300);
    expect(read).toHaveBeenCalledTimes(6);
    expect(c.zone.noted).toBe(0);
    expect(c.zone.zone).toEqual({ east: 480, basis: 'learned', rows: 6 });
    for (const i of [6, 7]) expect(dueOf(i), `row ${i}`).toBe(meant(i));
  });

  it('a noted row that shows another posting by the time it is read is no witness (a virtualised list re-used it)', async () => {
    await jsonFirst();
    document.querySelector('#root')!.innerHTML = page(6, 480);
    await vi.advanceTimersByTimeAsync(300);
    expect(c.zone.noted).toBe(6);
    // The list scrolls: the first row element now shows posting 9, which the JSON does not describe, in the same zone.
    const first = document.querySelector('tbody tr')!;
    first.innerHTML = page(10, 480).match(/<tr><td><a[^]*?<\/tr>/g)![9]!.replace(/^<tr>|<\/tr>$/g, '');
    await vi.advanceTimersByTimeAsync(300);
    expect(c.zone.zone).toEqual({ east: 480, basis: 'learned', rows: 5 });
    expect(dueOf(9)).toBe(meant(9));
  });
});

describe('PageZoneTracker memory', () => {
  it('keeps at most ZONE_WINDOW witnesses, one per posting, however many rows pass', () => {
    document.body.innerHTML = page(1, 480);
    const row = document.querySelector('tbody tr')!;
    const t = new PageZoneTracker(() => 0, () => NOW);
    for (let i = 0; i < 500; i++) {
      t.observe(row, { postingNumber: `9999${i}-0001-1`, scheme: 'FBS', status: 'awaiting_packaging', shipBy: new Date(due(0)).toISOString() });
    }
    expect(t.size).toBe(ZONE_WINDOW);
    expect(t.zone).toMatchObject({ east: 480, basis: 'learned', rows: ZONE_WINDOW });
    document.body.innerHTML = '';
  });

  it('decides once per question, not once per witness, and each answer holds every witness so far', () => {
    document.body.innerHTML = page(1, 480);
    const row = document.querySelector('tbody tr')!;
    const t = new PageZoneTracker(() => 0, () => NOW);
    const decide = vi.spyOn(t as unknown as { decide(): unknown }, 'decide');
    for (let i = 0; i < 40; i++) t.observe(row, { postingNumber: `8888${i}-0001-1`, scheme: 'FBS', status: 'awaiting_packaging', shipBy: new Date(due(0)).toISOString() });
    expect(decide).not.toHaveBeenCalled();
    expect(t.zone).toMatchObject({ east: 480, basis: 'learned', rows: ZONE_WINDOW });
    expect(t.tzOffset()).toBe(-480);
    expect(decide).toHaveBeenCalledTimes(1);
    // Witnesses from another zone after a navigation (which decides at once, and samples afresh): the next question sees them.
    t.navigate(undefined);
    expect(decide).toHaveBeenCalledTimes(2);
    document.body.innerHTML = page(1, 300);
    const other = document.querySelector('tbody tr')!;
    for (let i = 0; i < ZONE_WINDOW; i++) t.observe(other, { postingNumber: `7777${i}-0001-1`, scheme: 'FBS', status: 'awaiting_packaging', shipBy: new Date(due(0)).toISOString() });
    expect(t.zone).toMatchObject({ east: 300, basis: 'learned' });
    expect(t.zone).toMatchObject({ east: 300, basis: 'learned' });
    expect(decide).toHaveBeenCalledTimes(3);
    document.body.innerHTML = '';
  });
});

describe('PageZoneTracker under hostile input', () => {
  it('never throws, never holds more than ZONE_WINDOW, and decides only real offsets', async () => {
    const fc = (await import('fast-check')).default;
    document.body.innerHTML = page(1, 480);
    const row = document.querySelector('tbody tr')!;
    const t = new PageZoneTracker(() => 0, () => NOW);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            n: fc.integer({ min: 0, max: 60 }),
            ship: fc.oneof(fc.constant(undefined), fc.string(), fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString())),
            paid: fc.oneof(fc.constant(undefined), fc.constant('0001-01-01T00:00:00Z'), fc.constant('9999-12-31T23:59:59.999999900Z')),
            setting: fc.oneof(fc.constant('auto'), fc.string(), fc.constant(null), fc.constant('UTC+5:45')),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          for (const s of steps) {
            if (s.n === 0) t.configure(s.setting, defaultRulebook);
            else if (s.n === 1) t.navigate(s.n % 2 ? undefined : -480);
            t.observe(row, { postingNumber: `1000000${s.n}-0001-1`, scheme: 'FBS', status: 'awaiting_packaging', ...(s.ship ? { shipBy: s.ship } : {}), ...(s.paid ? { paidAt: s.paid } : {}) });
            expect(t.size).toBeLessThanOrEqual(ZONE_WINDOW);
            expect(t.zone.east % 15).toBe(0);
            expect(t.zone.east).toBeGreaterThanOrEqual(-12 * 60);
            expect(t.zone.east).toBeLessThanOrEqual(14 * 60);
          }
        },
      ),
      { numRuns: 150 },
    );
    document.body.innerHTML = '';
  });
});
