import { afterEach, describe, expect, it } from 'vitest';
import { createHoverCard, nextStepKey, renderCard, type CardData } from '../../../components/badge/card';
import { defaultRulebook } from '../../../rules/rulebook';
import type { Order, Verdict } from '../../../rules/types';

const now = Date.UTC(2026, 10, 22, 9, 0, 0);
const order: Order = {
  postingNumber: '16965409-0014-1',
  scheme: 'FBS',
  status: 'awaiting_packaging',
  carrier: '<b>Cainiao</b>',
  flags: { electronics: true },
  flagSources: { electronics: 'sku_list' },
};
const verdict: Verdict = {
  postingNumber: order.postingNumber,
  cancel: { allowed: false, rule: 'C2', nextKey: 'return_or_refuse' } as Verdict['cancel'],
  archive: { allowed: false, rule: 'A2' },
  deadline: {
    kind: 'ship',
    dueAt: '2026-11-22T11:00:00.000Z',
    autoCancelAt: '2026-11-22T12:00:00.000Z',
    msLeft: 2 * 3600_000,
    rule: 'D2',
    source: 'page',
  },
  level: 'at_risk',
  rules: ['C2', 'A2', 'D2', 'P2'],
};
const data: CardData = { order, verdict, now, rulebook: defaultRulebook, ownZone: 'Asia/Shanghai', hour12: false };

describe('hover card', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('T2: the deadline in Moscow time and in the own zone, the auto-cancel time, the rule and its source (P2)', () => {
    const el = renderCard(data);
    const txt = el.textContent ?? '';
    expect(el.querySelector('[data-zone="moscow"]')!.textContent).toBe('22 Nov, 14:00 MSK'); // one date-time form per language (lib/when.ts)
    expect(el.querySelector('[data-zone="own"]')!.textContent).toContain('22 Nov, 19:00');
    expect(el.querySelector('[data-zone="own"]')!.textContent).toContain('Beijing time'); // the own zone as people say it
    expect(txt).toContain('The system cancels it at 22 Nov, 15:00 MSK');
    expect(txt).toContain('Rule D2');
    expect(txt).toContain('(P2)');
    expect(txt).toContain('2h 00m left');
  });

  it('C2: the cancel verdict with its rule, the next step and where the flag came from', () => {
    const txt = renderCard(data).textContent ?? '';
    expect(txt).toContain('Cancel: not allowed');
    expect(txt).toContain('Rule C2');
    expect(txt).toContain('electronics (your SKU list)');
    expect(txt).toContain('Next step: Pack it and hand it to the carrier');
  });

  it('next steps: ship, archive, return, buyer', () => {
    expect(nextStepKey(order, verdict)).toBe('card_step_ship');
    const noDl = { ...verdict, deadline: undefined };
    expect(nextStepKey({ ...order, status: 'delivered' }, { ...noDl, archive: { allowed: true, rule: 'A1' } })).toBe('card_step_archive');
    expect(nextStepKey({ ...order, status: 'in_transit' }, { ...noDl, cancel: { allowed: false, rule: 'C3' } })).toBe('card_step_return');
    expect(nextStepKey({ ...order, status: 'created' }, { ...noDl, cancel: { allowed: false, rule: 'C4' } })).toBe('card_step_buyer');
  });

  it('ONE card for the page, positioned next to its badge, text never parsed as markup', () => {
    const badge = document.createElement('span');
    document.body.append(badge);
    const card = createHoverCard();
    const evil = { ...data, order: { ...order, postingNumber: '<img src=x onerror=alert(1)>' } };
    card.show(badge, evil);
    card.show(badge, data);
    expect(document.querySelectorAll('ozon-guard-card')).toHaveLength(1);
    expect(card.host.shadowRoot!.querySelector('img')).toBeNull();
    expect(card.anchor).toBe(badge);
    card.hide();
    expect(card.anchor).toBeNull();
    card.destroy();
    expect(document.querySelectorAll('ozon-guard-card')).toHaveLength(0);
  });
});
