// @vitest-environment node
// The rules are pure (no DOM): the node environment is faster and closest to the bench.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isStatus, isStatusWord, mapStatus, mapSubstatus, normalizeStatusText, statusWords, TERMINAL_STATUSES } from '../../rules/status';
import { STATUSES, type Status } from '../../rules/types';

const TABLE: [string, Status][] = [
  // Seller API codes (ozon-domain §1.3)
  ['awaiting_registration', 'awaiting_shipment'],
  ['acceptance_in_progress', 'awaiting_shipment'],
  ['awaiting_approve', 'awaiting_confirmation'],
  ['awaiting_verification', 'created'],
  ['awaiting_packaging', 'awaiting_packaging'],
  ['awaiting_deliver', 'awaiting_shipment'],
  ['arbitration', 'disputed'],
  ['client_arbitration', 'disputed'],
  ['delivering', 'in_transit'],
  ['driver_pickup', 'picked_up'],
  ['delivered', 'delivered'],
  ['cancelled', 'cancelled'],
  ['cancelled_from_split_pending', 'cancelled'],
  ['not_accepted', 'disputed'],
  ['sent_by_seller', 'picked_up'],
  ['returned', 'returned'],
  ['failed_to_deliver', 'failed_to_deliver'],
  ['posting_canceled', 'cancelled'],
  ['posting_driver_pick_up', 'picked_up'],
  ['posting_conditionally_delivered', 'in_transit'],
  // Russian tabs and statuses, inflected (§2.2, §3)
  ['Ожидает сборки', 'awaiting_packaging'],
  ['Ожидают сборки', 'awaiting_packaging'],
  ['Ожидает упаковки', 'awaiting_packaging'],
  ['Ожидает отгрузки', 'awaiting_shipment'],
  ['Ожидают отгрузки', 'awaiting_shipment'],
  ['Доставляется', 'in_transit'],
  ['Доставляются', 'in_transit'],
  ['Передан в доставку', 'in_transit'],
  ['Доставлен', 'delivered'],
  ['Доставлено', 'delivered'],
  ['Доставлены', 'delivered'],
  ['Отменён', 'cancelled'],
  ['Отменен', 'cancelled'],
  ['Отменено', 'cancelled'],
  ['Отменены', 'cancelled'],
  ['Отменена', 'cancelled'],
  ['Спорные', 'disputed'],
  ['Арбитраж', 'disputed'],
  ['Не принят на сортировочном центре', 'disputed'],
  ['Ожидает регистрации', 'awaiting_shipment'],
  ['Идёт приёмка', 'awaiting_shipment'],
  ['Ожидает подтверждения', 'awaiting_confirmation'],
  ['Создан', 'created'],
  ['Создано', 'created'],
  ['У водителя', 'picked_up'],
  ['Отправлено продавцом', 'picked_up'],
  ['Возвращён', 'returned'],
  ['Возвращено', 'returned'],
  ['Не доставлен', 'failed_to_deliver'],
  ['Не доставлено', 'failed_to_deliver'],
  // English (§2.2, the seeds' L1/L2 words)
  ['Awaiting packaging', 'awaiting_packaging'],
  ['Awaiting shipment', 'awaiting_shipment'],
  ['Awaiting shipping', 'awaiting_shipment'],
  ['In transit', 'in_transit'],
  ['Delivering', 'in_transit'],
  ['Disputed', 'disputed'],
  ['Delivered', 'delivered'],
  ['Canceled', 'cancelled'],
  ['Cancelled', 'cancelled'],
  ['Awaiting confirmation', 'awaiting_confirmation'],
  ['Returned', 'returned'],
  ['Failed to deliver', 'failed_to_deliver'],
  ['Failed to Deliver', 'failed_to_deliver'],
  ['Paid', 'awaiting_packaging'],
  ['Processing', 'awaiting_shipment'],
  ['Created', 'created'],
  ['Picked up', 'picked_up'],
  // Chinese
  ['等待包装', 'awaiting_packaging'],
  ['待打包', 'awaiting_packaging'],
  ['等待配货', 'awaiting_packaging'],
  ['等待装运', 'awaiting_shipment'],
  ['待发货', 'awaiting_shipment'],
  ['运输中', 'in_transit'],
  ['配送中', 'in_transit'],
  ['仲裁', 'disputed'],
  ['分拣中心未接受', 'disputed'],
  ['已送达', 'delivered'],
  ['已签收', 'delivered'],
  ['已取消', 'cancelled'],
  ['等待确认', 'awaiting_confirmation'],
  ['已退货', 'returned'],
  ['投递失败', 'failed_to_deliver'],
];

describe('mapStatus (L3)', () => {
  it.each(TABLE)('L3 maps %j → %s', (word, status) => {
    expect(mapStatus(word)).toBe(status);
  });

  it('L3 normalises case, whitespace, ё/е, punctuation and a tab count', () => {
    expect(mapStatus('  ОТМЕНЁН  ')).toBe('cancelled');
    expect(mapStatus('ожидают\u00a0сборки')).toBe('awaiting_packaging');
    expect(mapStatus('«Доставляются»')).toBe('in_transit');
    expect(mapStatus('Ожидают сборки (12)')).toBe('awaiting_packaging');
    expect(mapStatus('Ожидают сборки 3')).toBe('awaiting_packaging');
    expect(mapStatus('AWAITING-PACKAGING')).toBe('awaiting_packaging');
    expect(mapStatus('Awaiting  shipment.')).toBe('awaiting_shipment');
    expect(mapStatus('Отменено из-за разделения отправления')).toBe('cancelled');
    expect(mapStatus('\u200bДоставлен')).toBe('delivered');
  });

  it('L3 canonical ids map onto themselves', () => {
    for (const s of STATUSES) expect(mapStatus(s)).toBe(s);
  });

  it.each([
    'Все',
    'All',
    '全部',
    '',
    '   ',
    'Отменить',
    'Cancel',
    '取消',
    'awaiting',
    'Доставка',
    'posting_created',
    'Ожидает',
    '12',
    'Отгрузить до',
    'delivered yesterday',
  ])('L3 never guesses: %j → unknown', (word) => {
    expect(mapStatus(word)).toBe('unknown');
  });

  it('L3 non-strings are unknown, never a throw', () => {
    expect(mapStatus(null)).toBe('unknown');
    expect(mapStatus(undefined)).toBe('unknown');
    expect(mapStatus(42 as unknown as string)).toBe('unknown');
    expect(mapStatus({} as unknown as string)).toBe('unknown');
    expect(mapStatus('x'.repeat(10_000))).toBe('unknown');
  });

  it('L3 isStatusWord / statusWords / isStatus helpers', () => {
    expect(isStatusWord('Доставляются')).toBe(true);
    expect(isStatusWord('Номер отправления')).toBe(false);
    expect(statusWords('cancelled')).toContain('Отменены');
    expect(statusWords('unknown')).toEqual([]);
    for (const s of STATUSES) expect(statusWords(s).every((w) => s === 'unknown' || mapStatus(w) === s)).toBe(true);
    expect(isStatus('in_transit')).toBe(true);
    expect(isStatus('delivering')).toBe(false);
    expect(normalizeStatusText(' Отменён, «ok» ')).toBe('отменен ok');
  });

  it('L1 terminal statuses are exactly delivered, cancelled, returned, failed_to_deliver', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'delivered', 'failed_to_deliver', 'returned']);
  });

  it('L3 a snake_case substatus code reads as its words would (the short path equals the word table)', () => {
    // Substatus codes the stage table does not list fall through to the word table: through a
    // shortcut for snake_case codes that must agree with the general normalisation.
    const words = STATUSES.flatMap((st) => statusWords(st)).filter((w) => /^[a-z_ ]+$/.test(w));
    const codes = [...words.map((w) => w.replace(/ /g, '_')), 'posting_created', 'delivered_', '_in_transit__', 'sent_by_seller', 'x'];
    const general = (c: string) => {
      const stage = mapSubstatus(c);
      return stage === mapStatus(c) ? stage : `${stage}|${mapStatus(c)}`;
    };
    for (const c of codes) expect(general(c), c).not.toContain('|');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_]{1,24}$/), (c) => {
        expect(general(c)).not.toContain('|');
      }),
      { numRuns: 2000 },
    );
  });

  it('L3 a substatus asked again answers as the first time, whatever came between (its answers are kept, bounded)', () => {
    const code = fc.oneof(
      fc.constantFrom('posting_created', 'posting_received', ' POSTING_RECEIVED ', 'posting_in_arbitration', 'Доставлен', 'delivered'),
      fc.string({ maxLength: 80 }),
      fc.stringMatching(/^[a-zA-Z_ ]{1,100}$/),
    );
    fc.assert(
      fc.property(fc.array(code, { minLength: 1, maxLength: 400 }), (codes) => {
        const first = codes.map((c) => mapSubstatus(c));
        const again = [...codes].reverse().map((c) => mapSubstatus(c)).reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: 200 },
    );
    expect(mapSubstatus('posting_created')).toBe(mapSubstatus(' Posting_Created '));
    expect(mapSubstatus('POSTING_RECEIVED')).toBe('delivered');
  });
});
