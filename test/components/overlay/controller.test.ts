import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BadgeController, type ControllerEnv } from '../../../components/overlay/controller';
import { badgeText } from '../../../components/badge/badge';
import type { Message } from '../../../background/messages';
import { bodyMessage, messageEvent, postingsBody } from '../../helpers/bridge';
import { H, NOW, URL_LIST, rowHtml as row, tableHtml as table } from '../../helpers/overlay-page';
import { controllerEnv, fakeClockEach } from '../../helpers/overlay-env';


/** The usual environment, recording what the controller sends and warns. */
function makeEnv(sent: Message[], warns: string[]): ControllerEnv {
  return controllerEnv({
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
    warn: (m) => warns.push(m),
  });
}

const hosts = () => [...document.querySelectorAll('[data-ozon-guard]')];

describe('BadgeController', () => {
  let c: BadgeController;
  let sent: Message[];
  let warns: string[];
  // performance.now faked too: the JSON feed's slices end by it (json-feed.ts FEED_SLICE_MS), and a loaded machine must not split a body a test awaits whole.
  fakeClockEach(NOW, { performance: true });
  beforeEach(() => {
    sent = [];
    warns = [];
    document.body.innerHTML = table([row('12345678-0001-1', NOW + 5 * H), row('12345678-0002-1', NOW + 90 * 60_000)]);
    c = new BadgeController(makeEnv(sent, warns));
  });
  afterEach(() => c.destroy());

  it('puts exactly one badge in each recognised row; a second scan adds none (idempotent)', () => {
    c.navigate(URL_LIST);
    expect(hosts()).toHaveLength(2);
    for (const tr of document.querySelectorAll('tbody tr')) expect(tr.querySelectorAll('[data-ozon-guard]')).toHaveLength(1);
    c.fullScan();
    c.fullScan();
    expect(hosts()).toHaveLength(2);
    expect(hosts()[1]!.getAttribute('data-level')).toBe('at_risk');
  });

  it('does nothing off the postings pages and removes its badges when the SPA leaves them', () => {
    c.navigate('https://seller.ozon.ru/app/dashboard');
    expect(hosts()).toHaveLength(0);
    c.navigate(URL_LIST);
    expect(hosts()).toHaveLength(2);
    c.navigate('https://seller.ozon.ru/app/dashboard');
    expect(hosts()).toHaveLength(0);
  });

  it('a re-render that wipes the cell gets its badge back; a recycled row is updated in place', async () => {
    c.navigate(URL_LIST);
    const td = document.querySelector('tbody tr td')!;
    td.innerHTML = td.innerHTML.replace(/<ozon-guard-badge[^>]*><\/ozon-guard-badge>/, '');
    td.innerHTML = `<a href="/app/postings/fbs?postingDetails=12345678-0009-1">12345678-0009-1</a>`;
    await vi.advanceTimersByTimeAsync(200);
    expect(hosts()).toHaveLength(2);
    expect(hosts().map((h) => h.getAttribute('data-posting')).sort()).toEqual(['12345678-0002-1', '12345678-0009-1']);
    for (const tr of document.querySelectorAll('tbody tr')) expect(tr.querySelectorAll('[data-ozon-guard]')).toHaveLength(1);
  });

  it('a host another row left behind (moved by the page) is removed, its own row gets one back', async () => {
    c.navigate(URL_LIST);
    const [a, b] = [...document.querySelectorAll('tbody tr')];
    const hostB = b!.querySelector('[data-ozon-guard]')!;
    a!.querySelector('td:nth-child(2)')!.append(hostB); // the page moved B's host into A
    await vi.advanceTimersByTimeAsync(300);
    expect(a!.querySelectorAll('[data-ozon-guard]')).toHaveLength(1);
    expect(a!.querySelector('[data-ozon-guard]')!.getAttribute('data-posting')).toBe('12345678-0001-1');
    expect(b!.querySelectorAll('[data-ozon-guard]')).toHaveLength(1);
    expect(b!.querySelector('[data-ozon-guard]')!.getAttribute('data-posting')).toBe('12345678-0002-1');
  });

  it('P1/P2: orders from the panel JSON (the bridged body, parsed and checked here) win over the DOM read', () => {
    c.navigate(URL_LIST);
    const body = postingsBody([{ postingNumber: '12345678-0001-1', status: 'awaiting_packaging', availableActions: ['ship'], shipBy: new Date(NOW + 10 * H).toISOString() }]);
    c.onBridgeMessage(messageEvent(bodyMessage(body)));
    vi.advanceTimersByTime(0); // the feed parses and walks in a task of its own (json-feed.ts)
    const h = document.querySelector('[data-posting="12345678-0001-1"]')!;
    expect(h.getAttribute('data-cancel')).toBe('blocked');
    expect(h.getAttribute('data-due')).toBe(new Date(NOW + 10 * H).toISOString());
    // A forged / malformed message changes nothing.
    c.onBridgeMessage(messageEvent({ ...bodyMessage(body), text: { result: 'x' } }));
    c.onBridgeMessage(messageEvent(bodyMessage('{"result":{"postings":[{"posting_number":"12345678-0001-1","status":"delivered"')));
    c.onBridgeMessage(messageEvent(bodyMessage(postingsBody([{ postingNumber: '12345678-0001-1', status: 'delivered' }])), {}));
    vi.advanceTimersByTime(0);
    expect(h.getAttribute('data-cancel')).toBe('blocked');
    expect(c.jsonOrder('12345678-0001-1')!.status).toBe('awaiting_packaging');
  });

  it('sends the read orders to the background once, batched, and only again when they change', async () => {
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(1100);
    const seen = sent.filter((m) => m.type === 'orders:seen');
    expect(seen).toHaveLength(1);
    // The orders themselves, copied by the browser for the background (background/messages.ts): no JSON text, no table.
    const msg = structuredClone(seen[0]!);
    expect(msg.type === 'orders:seen' && msg.ordersJson).toBeUndefined();
    expect(msg.type === 'orders:seen' && msg.texts).toBeUndefined();
    const orders = msg.type === 'orders:seen' ? (msg.orders as { postingNumber: string; items?: { name?: unknown }[] }[]) : [];
    for (const o of orders) for (const it of o.items ?? []) if ('name' in it) expect(typeof it.name).toBe('string');
    expect(orders.map((o) => o.postingNumber).sort()).toEqual(['12345678-0001-1', '12345678-0002-1']);
    c.fullScan();
    await vi.advanceTimersByTimeAsync(1100);
    expect(sent.filter((m) => m.type === 'orders:seen')).toHaveLength(1);
  });

  it('says once, loudly, when posting numbers are shown but no row is recognised, and recovers', async () => {
    document.body.innerHTML = '<p>Отправление 12345678-0001-1 и 12345678-0002-1</p>';
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(3500);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatch(/no order rows recognised/);
    expect(sent.some((m) => m.type === 'layout:status' && m.broken)).toBe(true);
    document.body.innerHTML = table([row('12345678-0001-1', NOW + 5 * H)]);
    await vi.advanceTimersByTimeAsync(200);
    expect(hosts()).toHaveLength(1);
    expect(sent.some((m) => m.type === 'layout:status' && !m.broken)).toBe(true);
    expect(warns).toHaveLength(1);
  });

  it('numbers glued to neighbouring digits in the page text still count as "numbers shown" (cells with no whitespace)', async () => {
    // A paragraph per "row", nothing recognisable as a row: the page's text reads 1 + number + date, glued.
    document.body.innerHTML = '<p>112345678-0001-12026-12-04</p><p>212345678-0002-12026-12-04</p>';
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(3500);
    expect(warns).toHaveLength(1);
    expect(sent.some((m) => m.type === 'layout:status' && m.broken)).toBe(true);
  });

  it('an empty tab (no posting numbers anywhere) is not a broken layout', async () => {
    document.body.innerHTML = '<p>Нет заказов</p>';
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(3500);
    expect(warns).toHaveLength(0);
  });

  it('destroy() (extension update/reload) removes every badge, the chip and the card', () => {
    c.navigate(URL_LIST);
    expect(document.querySelector('ozon-guard-chip')).not.toBeNull();
    c.destroy();
    expect(document.querySelectorAll('ozon-guard-badge,ozon-guard-chip,ozon-guard-card')).toHaveLength(0);
    expect(() => c.fullScan()).not.toThrow();
  });

  it('settings apply live: detailed density re-renders every badge', () => {
    c.navigate(URL_LIST);
    c.configure({ ...c.settings, badgeDensity: 'detailed' }, c.rulebook);
    expect(badgeText(hosts()[0]!)).toContain('Can cancel');
  });

  it('on a long list a settings change redraws in slices, the first at once; a second change before the last slice wins; destroy leaves none pending', async () => {
    c.destroy();
    const n = 300;
    document.body.innerHTML = table(Array.from({ length: n }, (_, i) => row(`1234${String(5000 + i).padStart(4, '0')}-0001-1`, NOW + 5 * H + i * 60_000)));
    c = new BadgeController(makeEnv(sent, warns));
    c.navigate(URL_LIST);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hosts()).toHaveLength(n);
    const detailed = () => hosts().filter((h) => h.hasAttribute('data-detailed')).length;
    expect(detailed()).toBe(0);
    // Every reading of the clock is 1 ms after the last: a slice ends once it has its minimum of badges.
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (t += 1));
    try {
      c.configure({ ...c.settings, badgeDensity: 'detailed' }, c.rulebook);
      const first = detailed();
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThan(n);
      // The first slice is the top of the list (no badge is known off screen here: all count as in view).
      expect(hosts()[0]!.hasAttribute('data-detailed')).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(detailed()).toBeGreaterThan(first);
      // Back to compact before the last slice: the newer settings reach every badge, none is left detailed.
      c.configure({ ...c.settings, badgeDensity: 'compact' }, c.rulebook);
      await vi.advanceTimersByTimeAsync(100);
      expect(detailed()).toBe(0);
      // A change, then destroy mid-way: nothing pending, no timer fires on a destroyed run.
      c.configure({ ...c.settings, badgeDensity: 'detailed' }, c.rulebook);
      c.destroy();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('BadgeController on a page that never stops changing', () => {
  it('still reports a broken layout 10 s after navigation', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    document.body.innerHTML = '<p id="clock">0</p><p>Отправление 12345678-0001-1 и 12345678-0002-1</p>';
    const sent: Message[] = [];
    const warns: string[] = [];
    const c = new BadgeController(makeEnv(sent, warns));
    c.navigate(URL_LIST);
    const iv = setInterval(() => {
      document.getElementById('clock')!.textContent = String(Date.now());
    }, 500);
    await vi.advanceTimersByTimeAsync(11_000);
    clearInterval(iv);
    expect(warns).toHaveLength(1);
    c.destroy();
    vi.useRealTimers();
    document.body.innerHTML = '';
  });
});
