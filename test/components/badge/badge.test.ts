import { afterEach, describe, expect, it } from 'vitest';
import { badgeOf, badgeText, createBadge, createRenderedBadge, HOST_TAG, renderBadge, tickBadge, type BadgeView } from '../../../components/badge/badge';
import { resetStyleCache } from '../../../components/badge/styles';
import type { Order, Verdict } from '../../../rules/types';
import { defaultRulebook, evaluateFacts, evaluateOrder } from '../../../rules/index';

const H = 3_600_000;
const M = 60_000;
const now = Date.UTC(2026, 10, 22, 9, 0, 0);
const lines = { atRiskMs: 2 * H, criticalMs: 30 * M };
const compact: BadgeView = { density: 'compact', parts: { cancel: true, archive: true, countdown: true } };

const order: Order = { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging', paidAt: '2026-11-22T08:00:00Z' };
const verdict = (dueMs: number, allowed = true): Verdict => ({
  postingNumber: order.postingNumber,
  cancel: { allowed, rule: 'C1' },
  archive: { allowed: false, rule: 'A2' },
  deadline: { kind: 'confirm', dueAt: new Date(dueMs).toISOString(), autoCancelAt: new Date(dueMs + H).toISOString(), msLeft: dueMs - now, rule: 'D1', source: 'rulebook' },
  level: 'ok',
  rules: ['C1', 'A2', 'D1'],
});

/** What the badge shows (its pills are drawn from attributes by the document's sheet). */
const shownText = (host: Element) => badgeText(host);

describe('badge host', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    resetStyleCache();
  });

  it('carries the contract §3 attributes on ONE light unregistered custom element (no shadow root)', () => {
    const b = createBadge();
    renderBadge(b, order, verdict(now + 23 * H + 12 * M), compact, now, lines);
    const h = b.host;
    expect(h.tagName.toLowerCase()).toBe(HOST_TAG);
    expect(customElements.get(HOST_TAG)).toBeUndefined();
    expect(h.hasAttribute('data-ozon-guard')).toBe(true);
    expect(h.getAttribute('data-posting')).toBe('16965409-0014-1');
    expect(h.getAttribute('data-status')).toBe('awaiting_packaging');
    expect(h.getAttribute('data-cancel')).toBe('allowed');
    expect(h.getAttribute('data-archive')).toBe('blocked');
    expect(h.getAttribute('data-deadline')).toBe('confirm');
    expect(h.getAttribute('data-due')).toBe(new Date(now + 23 * H + 12 * M).toISOString());
    expect(h.getAttribute('data-level')).toBe('ok');
    expect(h.shadowRoot).toBeNull();
    expect(h.tabIndex).toBe(0);
    expect(h.getAttribute('aria-label')).toContain('16965409-0014-1');
    expect(shownText(h)).toContain('23h 12m');
    expect(badgeOf(h)).toBe(b);
  });

  it('has no data-due and level none without a deadline', () => {
    const b = createBadge();
    const v: Verdict = { ...verdict(now), deadline: undefined, level: 'none' };
    renderBadge(b, { ...order, status: 'delivered' }, v, compact, now, lines);
    expect(b.host.hasAttribute('data-due')).toBe(false);
    expect(b.host.getAttribute('data-deadline')).toBe('none');
    expect(b.host.getAttribute('data-level')).toBe('none');
  });

  it('re-rendering updates in place (a recycled row showing another posting)', () => {
    const b = createBadge();
    document.body.append(b.host);
    renderBadge(b, order, verdict(now + 5 * H), compact, now, lines);
    renderBadge(b, { ...order, postingNumber: '11111111-0001-1' }, verdict(now + 5 * H, false), compact, now, lines);
    expect(document.querySelectorAll('[data-ozon-guard]')).toHaveLength(1);
    expect(b.host.getAttribute('data-posting')).toBe('11111111-0001-1');
    expect(b.host.getAttribute('data-cancel')).toBe('blocked');
  });

  it('D5: a tick crossing 2 h turns the badge amber without a re-render, and shows seconds in the last hour', () => {
    const b = createBadge();
    renderBadge(b, order, verdict(now + 2 * H + 30_000), compact, now, lines);
    expect(b.host.getAttribute('data-level')).toBe('ok');
    expect(tickBadge(b, now + 31_000, lines)).toBe(true);
    expect(b.host.getAttribute('data-level')).toBe('at_risk');
    // The sheet colours the badge from data-level: nothing else carries the level.
    expect(b.host.className).toBe('');
    tickBadge(b, now + 2 * H + 30_000 - 8 * M - 5_000, lines);
    expect(shownText(b.host)).toContain('8m 05s');
    expect(b.host.getAttribute('data-level')).toBe('critical');
    tickBadge(b, now + 2 * H + 30_000 + 12 * M, lines);
    expect(b.host.getAttribute('data-level')).toBe('overdue');
    expect(shownText(b.host)).toContain('overdue 12m');
  });

  it('a tick writes text only when it changes, and skips badges off screen', () => {
    const b = createBadge();
    renderBadge(b, order, verdict(now + 5 * H + 30_000), compact, now, lines);
    let writes = 0;
    // Count writes of the countdown's text (the data-t-cd attribute the sheet draws).
    const set = b.host.setAttribute.bind(b.host);
    b.host.setAttribute = (name: string, value: string) => {
      if (name === 'data-t-cd') writes++;
      set(name, value);
    };
    tickBadge(b, now + 10_000, lines);
    tickBadge(b, now + 20_000, lines);
    expect(writes).toBe(0);
    tickBadge(b, now + 61_000, lines);
    expect(writes).toBe(1);
    b.visible = false;
    tickBadge(b, now + 10 * M, lines);
    expect(writes).toBe(1);
  });

  it('detailed density names the deadline and the verdicts in words; parts can be switched off', () => {
    const b = createBadge();
    renderBadge(b, order, verdict(now + 5 * H), { density: 'detailed', parts: { cancel: true, archive: false, countdown: true } }, now, lines);
    const txt = shownText(b.host);
    // Awaiting packaging: the panel's action is «Собрать» by its «Отгрузить до» time, named so (lib/action.ts).
    expect(txt).toContain('Ship by');
    expect(txt).toContain('Can cancel');
    expect(b.host.textContent).toBe('');
    renderBadge(b, order, verdict(now + 5 * H), { density: 'compact', parts: { cancel: false, archive: false, countdown: false } }, now, lines);
    expect(b.host.hasAttribute('data-dot')).toBe(true);
    expect(shownText(b.host)).toBe('');
  });

  it('falls back to ONE <style> in the head where adoptedStyleSheets is unavailable (Firefox content scripts)', () => {
    resetStyleCache('style');
    createBadge();
    createBadge();
    const styles = document.querySelectorAll('style[data-ozon-guard-ui="badge-style"]');
    expect(styles).toHaveLength(1);
    expect(styles[0]!.parentNode).toBe(document.head);
    expect(styles[0]!.textContent).toContain('ozon-guard-badge');
    resetStyleCache();
    expect(document.querySelectorAll('style[data-ozon-guard-ui="badge-style"]')).toHaveLength(0);
  });

  it('page-derived text is set as text, never parsed as markup', () => {
    const b = createBadge();
    const evil = { ...order, postingNumber: '<img src=x onerror=alert(1)>' };
    renderBadge(b, evil, verdict(now + 5 * H), compact, now, lines);
    expect(b.host.querySelector('img')).toBeNull();
    expect(b.host.childElementCount).toBe(0);
    expect(b.host.getAttribute('data-posting')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('badge DOM size (thousands of rows)', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });
  const countNodes = (n: Node): number => {
    let c = 1;
    for (let k = n.firstChild; k; k = k.nextSibling) c += countNodes(k);
    return c;
  };

  it('a compact badge is ONE element and one text node; the deadline name is part of the countdown pill', () => {
    const b = createBadge();
    renderBadge(b, order, verdict(now + 5 * H), compact, now, lines);
    // The element and its one text node (the archive verdict); the other pills are drawn from attributes.
    expect(countNodes(b.host)).toBe(2);
    expect(b.host.shadowRoot).toBeNull();
    expect(b.host.hasAttribute('data-dot')).toBe(false);
    expect(shownText(b.host)).toBe("5h 00mCan cancelCan't archive");

    renderBadge(b, order, verdict(now + 5 * H), { density: 'detailed', parts: compact.parts }, now, lines);
    expect(b.host.hasAttribute('data-detailed')).toBe(true);
    // The name comes before the countdown, one space between them.
    expect(b.host.getAttribute('data-t-cd')).toBe('Ship by 5h 00m');

    renderBadge(b, order, verdict(now + 5 * H), compact, now, lines);
    expect(b.host.hasAttribute('data-detailed')).toBe(false);
    expect(b.host.getAttribute('data-t-cd')).toBe('5h 00m');
    expect(countNodes(b.host)).toBe(2);
  });
});

describe('a new badge made from a prepared host (the rows\' hot path)', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    resetStyleCache();
  });

  const attrs = (e: Element) => Object.fromEntries([...e.attributes].map((a) => [a.name, a.value]).sort());
  const views: BadgeView[] = [
    compact,
    { density: 'detailed', parts: { cancel: true, archive: true, countdown: true } },
    { density: 'compact', parts: { cancel: false, archive: true, countdown: false } },
    { density: 'compact', parts: { cancel: false, archive: false, countdown: false } },
    { density: 'compact', parts: { cancel: true, archive: false, countdown: true } },
  ];
  const orders: Order[] = [order, { ...order, scheme: 'FBO' }, { ...order, status: 'delivered' }, { ...order, postingNumber: '11111111-0001-1', status: 'cancelled' }];
  const verdicts = [verdict(now + 23 * H), verdict(now + 20 * M, false), verdict(now - 5 * M), { ...verdict(now), deadline: undefined, level: 'none' } as Verdict];

  it('is the same element, attribute for attribute and word for word, as createBadge + renderBadge', () => {
    let n = 0;
    for (const v of views)
      for (const o of orders)
        for (const vd of verdicts) {
          const a = createBadge();
          renderBadge(a, o, vd, v, now, lines);
          const b = createRenderedBadge(o, vd, v, now, lines);
          expect(attrs(b.host)).toEqual(attrs(a.host));
          expect(b.host.textContent).toBe(a.host.textContent);
          expect(b.host.childNodes.length).toBe(a.host.childNodes.length);
          expect([b.level, b.dueMs, b.posting]).toEqual([a.level, a.dueMs, a.posting]);
          expect(badgeOf(b.host)).toBe(b);
          n++;
        }
    expect(n).toBe(80);
  });

  it('later renders and ticks update it like any badge; two badges from one prepared host are independent', () => {
    const b1 = createRenderedBadge(order, verdict(now + 3 * H), compact, now, lines);
    const b2 = createRenderedBadge({ ...order, postingNumber: '22222222-0001-1' }, verdict(now + 3 * H), compact, now, lines);
    expect(b1.host).not.toBe(b2.host);
    expect(b2.host.getAttribute('data-posting')).toBe('22222222-0001-1');
    expect(b1.host.getAttribute('data-posting')).toBe(order.postingNumber);
    tickBadge(b1, now + 2 * H + 40 * M, lines);
    expect(b1.host.getAttribute('data-level')).toBe('critical');
    expect(b2.host.getAttribute('data-level')).toBe('ok');
    renderBadge(b2, { ...order, postingNumber: '22222222-0001-1', status: 'delivered' }, verdict(now + 3 * H, false), compact, now, lines);
    expect(b2.host.getAttribute('data-status')).toBe('delivered');
    expect(b2.host.getAttribute('data-cancel')).toBe('blocked');
    expect(b1.host.getAttribute('data-cancel')).toBe('allowed');
  });

  it('drawn from the facts alone (evaluateFacts), its whole verdict is evaluateOrder\'s at the render\'s instant and rulebook, made once when asked', () => {
    const rb = { ...defaultRulebook, deadlines: { ...defaultRulebook.deadlines, confirmHours: { ...defaultRulebook.deadlines.confirmHours, value: 5 } } };
    const o: Order = { ...order, status: 'awaiting_confirmation', carrier: 'Some Post' };
    const a = createBadge();
    renderBadge(a, o, evaluateOrder(o, now, rb), compact, now, lines, rb);
    const b = createRenderedBadge(o, evaluateFacts(o, now, rb), compact, now, lines, document, rb);
    // Same element either way (the facts are all a badge shows) …
    expect(attrs(b.host)).toEqual(attrs(a.host));
    // … and the card's verdict, with its notes and advice, is the one evaluateOrder gives for that render.
    const whole = b.verdict;
    expect(whole).toEqual(evaluateOrder(o, now, rb));
    expect(whole?.notes?.length).toBeGreaterThan(0);
    expect(b.verdict).toBe(whole);
    // A later render replaces it; a whole verdict given is kept as it is.
    const later = now + 3 * H;
    renderBadge(b, o, evaluateFacts(o, later, rb), compact, later, lines, rb);
    expect(b.verdict).toEqual(evaluateOrder(o, later, rb));
    const given = evaluateOrder(o, later, rb);
    renderBadge(b, o, given, compact, later, lines, rb);
    expect(b.verdict).toBe(given);
  });
});
