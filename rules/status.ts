/**
 * L3: every status word the panel, its CSV export or the Seller API can show
 * maps onto the one lifecycle of docs/contract.md §2; anything else is
 * `unknown`, never a guess (a wrong status would show a wrong cancel badge,
 * which is worse than none).
 *
 * Sources: docs/ozon-domain.md §1.3 (API codes, their Russian descriptions and the
 * push `posting_*` substatuses), §2.2 (tab labels RU / EN / ZH), §3 (CSV
 * `Статус` values), and the seeds' own English lifecycle words (L1, L2).
 *
 * One file on purpose, though over 400 lines: ~300 of them are the one table of
 * status words (WORDS), and the functions below are its only readers.
 */
import { STATUSES, type Status } from './types';
import { foldWords } from './words';

/**
 * Lower-cases, folds ё → е, turns `_ - / . , : ; « » ( ) " '` and every run
 * of whitespace (NBSP included) into one space, drops zero-width characters
 * and a trailing count ("Ожидают сборки (12)" is a tab with its badge count).
 */
export function normalizeStatusText(input: string): string {
  // Zero-width characters are dropped, not separators; any other character that is not a letter or a
  // number (CJK included) becomes one (rules/words.ts). ё is a letter, so folding it after is the same.
  const s = foldWords(input.replace(/[\u200b-\u200d\u2060\ufeff]/g, '')).replace(/ё/g, 'е');
  // A tab label often carries its count: "Ожидают сборки 12" → "ожидают сборки".
  return s.replace(/(?:\s\d+)+$/, '');
}

/** Word table: canonical status → the words (any case / punctuation) that mean it. */
const WORDS: Record<Exclude<Status, 'unknown'>, string[]> = {
  created: [
    // API
    'awaiting_verification',
    'posting_awaiting_verification',
    // RU: the API describes awaiting_verification as «создано»
    'Создан',
    'Создано',
    'Создана',
    'Созданы',
    'Ожидает оплаты',
    'Ожидают оплаты',
    // EN (L1 "Created", C4 "Created / pending")
    'Created',
    'Pending',
    'Awaiting payment',
    'Awaiting verification',
    // ZH
    '已创建',
    '已创建订单',
    '待付款',
    '等待付款',
    '待支付',
    '等待验证',
  ],
  awaiting_confirmation: [
    'awaiting_approve',
    'awaiting_approval',
    'awaiting_confirmation',
    'Ожидает подтверждения',
    'Ожидают подтверждения',
    'Ожидающие подтверждения',
    'Не подтвержден',
    'Не подтверждено',
    'Awaiting confirmation',
    'Awaiting approval',
    'Awaiting approve',
    'Unconfirmed',
    '等待确认',
    '待确认',
    '等待审核',
    '待审核',
  ],
  awaiting_packaging: [
    'awaiting_packaging',
    'Ожидает сборки',
    'Ожидают сборки',
    'Ожидающие сборки',
    'Ожидает упаковки',
    'Ожидают упаковки',
    'Ожидающие упаковки',
    'Awaiting packaging',
    'Awaiting packing',
    'Awaiting assembly',
    // L1: "Paid" = paid, no waybill yet.
    'Paid',
    'Оплачен',
    'Оплачено',
    'Оплачены',
    '等待包装',
    '待打包',
    '待包装',
    '等待配货',
    '待配货',
    '等待打包',
    '已付款',
    '已支付',
  ],
  awaiting_shipment: [
    'awaiting_deliver',
    'awaiting_delivery',
    'awaiting_shipment',
    'awaiting_registration',
    'acceptance_in_progress',
    'posting_awaiting_registration',
    'posting_registration_error',
    'posting_transferring_to_delivery',
    'posting_in_carriage',
    'posting_not_in_carriage',
    'Ожидает отгрузки',
    'Ожидают отгрузки',
    'Ожидающие отгрузки',
    'Ожидает регистрации',
    'Ожидают регистрации',
    'Идет приемка',
    'Готов к отгрузке',
    'Готовы к отгрузке',
    'Готово к отгрузке',
    'Передается курьеру',
    'Передается в доставку',
    'Awaiting shipment',
    'Awaiting shipping',
    'Awaiting deliver',
    'Awaiting dispatch',
    'Awaiting registration',
    'Acceptance in progress',
    'Ready to ship',
    'Ready for shipping',
    'Ready for shipment',
    // L1: "Processing" = waybill generated.
    'Processing',
    '等待装运',
    '待装运',
    '待发货',
    '等待发货',
    '等待发运',
    '等待登记',
    '等待注册',
    '验收中',
    '正在验收',
  ],
  picked_up: [
    'driver_pickup',
    'sent_by_seller',
    'posting_driver_pick_up',
    'У водителя',
    'Отправлено продавцом',
    'Отправлен продавцом',
    'Отправлены продавцом',
    'Передано водителю',
    'Передан водителю',
    'Picked up',
    'Driver pickup',
    'With the driver',
    'With driver',
    'Sent by seller',
    '司机已取件',
    '司机取件',
    '已取件',
    '已揽收',
    '卖家已发货',
    '卖家已发出',
  ],
  in_transit: [
    'delivering',
    'in_transit',
    'posting_on_way_to_city',
    'posting_in_courier_service',
    'posting_in_pickup_point',
    'posting_conditionally_delivered',
    'Доставляется',
    'Доставляются',
    'В доставке',
    'В пути',
    'Передан в доставку',
    'Передано в доставку',
    'Переданы в доставку',
    'Передана в доставку',
    // Still `delivering` in the API (push docs); it cannot be cancelled either.
    'Условно доставлен',
    'Условно доставлено',
    'Условно доставлены',
    'In transit',
    'Delivering',
    'Shipped',
    'Out for delivery',
    'Conditionally delivered',
    '运输中',
    '配送中',
    '派送中',
    '已发货',
    '在途',
    '物流中',
  ],
  delivered: [
    'delivered',
    'posting_delivered',
    'Доставлен',
    'Доставлено',
    'Доставлена',
    'Доставлены',
    'Получен',
    'Получено',
    'Получен покупателем',
    'Delivered',
    '已送达',
    '已签收',
    '已妥投',
    '已交付',
    '已收货',
  ],
  cancelled: [
    'cancelled',
    'canceled',
    'cancelled_from_split_pending',
    'posting_canceled',
    'posting_cancelled',
    'Отменен',
    'Отменено',
    'Отменена',
    'Отменены',
    'Отмененные',
    'Отменен продавцом',
    'Отменено продавцом',
    'Отменен покупателем',
    'Отменено покупателем',
    'Отменен клиентом',
    'Отменено клиентом',
    'Отменен системой',
    'Отменено системой',
    'Отменен Ozon',
    'Отменено Ozon',
    'Отменен службой доставки',
    'Отменено службой доставки',
    'Отменен из за разделения отправления',
    'Отменено из за разделения отправления',
    'Canceled',
    'Cancelled',
    'Canceled by seller',
    'Cancelled by seller',
    'Canceled by customer',
    'Cancelled by customer',
    'Canceled by buyer',
    'Cancelled by buyer',
    'Canceled by system',
    'Cancelled by system',
    '已取消',
    '已撤销',
    '卖家取消',
    '买家取消',
    '系统取消',
  ],
  returned: [
    'returned',
    'returned_to_seller',
    'posting_returned_to_warehouse',
    'Возвращен',
    'Возвращено',
    'Возвращена',
    'Возвращены',
    'Возвращен продавцу',
    'Возвращено продавцу',
    'Returned',
    'Returned to seller',
    '已退货',
    '已退回',
    '退货完成',
    '已退款退货',
  ],
  failed_to_deliver: [
    'failed_to_deliver',
    'not_delivered',
    'delivery_failed',
    'undelivered',
    'Не доставлен',
    'Не доставлено',
    'Не доставлена',
    'Не доставлены',
    'Недоставлен',
    'Недоставлено',
    'Доставка не удалась',
    'Failed to deliver',
    'Failed delivery',
    'Delivery failed',
    'Not delivered',
    'Undelivered',
    '投递失败',
    '配送失败',
    '派送失败',
    '未送达',
    '妥投失败',
  ],
  disputed: [
    'arbitration',
    'client_arbitration',
    'not_accepted',
    'posting_not_in_sort_center',
    'disputed',
    'Спорные',
    'Спорный',
    'Спорное',
    'Спорная',
    'Арбитраж',
    'Клиентский арбитраж',
    'Клиентский арбитраж доставки',
    'Не принят на сортировочном центре',
    'Не принято на сортировочном центре',
    'Не принят на СЦ',
    'Не принято на СЦ',
    'Disputed',
    'Dispute',
    'Arbitration',
    'Client arbitration',
    'Customer arbitration',
    'Not accepted',
    'Not accepted at sorting center',
    'Not accepted at the sorting center',
    'Not accepted at sorting centre',
    'Not accepted at the sorting centre',
    '仲裁',
    '仲裁中',
    '客户仲裁',
    '买家仲裁',
    '有争议',
    '争议',
    '争议订单',
    '分拣中心未接受',
    '分拣中心未接收',
  ],
};

const TABLE = new Map<string, Status>();
for (const [status, words] of Object.entries(WORDS) as [Status, string[]][]) {
  for (const w of words) {
    const key = normalizeStatusText(w);
    const prev = TABLE.get(key);
    // A word listed under two statuses would be a guess: fail loudly at load, in tests.
    if (prev && prev !== status) throw new Error(`status word "${w}" maps to both ${prev} and ${status}`);
    TABLE.set(key, status);
    // Hot path: exact raw spellings (API codes, canonical ids) skip normalisation.
    TABLE.set(w, status);
  }
}
// The canonical ids themselves map onto themselves.
for (const s of ['created', 'awaiting_confirmation', 'awaiting_packaging', 'awaiting_shipment', 'picked_up', 'in_transit', 'delivered', 'cancelled', 'returned', 'failed_to_deliver', 'disputed'] as const) {
  TABLE.set(s, s);
  TABLE.set(normalizeStatusText(s), s);
}

/** L3: any status word or code → the canonical Status; `unknown` when not recognised. */
export function mapStatus(input: string | null | undefined): Status {
  if (typeof input !== 'string' || input.length === 0 || input.length > 200) return 'unknown';
  const exact = TABLE.get(input);
  if (exact) return exact;
  const key = normalizeStatusText(input);
  if (!key) return 'unknown';
  return TABLE.get(key) ?? 'unknown';
}

/** Whether a piece of page text is one of the status words the table knows (for the reader). */
export function isStatusWord(text: string | null | undefined): boolean {
  return mapStatus(text) !== 'unknown';
}

/** Every known spelling for a status, as written (not normalised), e.g. for the reader's hints. */
export function statusWords(status: Status): readonly string[] {
  return status === 'unknown' ? [] : WORDS[status];
}

/** Statuses where the order's life is over (L1 terminal): Delivered, Cancelled, Returned, Failed to deliver. */
export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(['delivered', 'cancelled', 'returned', 'failed_to_deliver']);

const CANONICAL: ReadonlySet<string> = new Set<string>(STATUSES);

/** Whether a value is already a canonical Status id. */
export function isStatus(x: unknown): x is Status {
  return typeof x === 'string' && CANONICAL.has(x);
}

/**
 * The Seller API's `substatus` codes (docs/real-panel.md; SOURCES.md §4 of
 * the real samples) that the word table above does not list, each to the
 * stage it belongs to. Codes that name no stage of their own
 * (posting_created — set on postings still awaiting approval too —,
 * posting_awaiting_passport_data, posting_split_pending, ship_failed …) are
 * left out: they never refine.
 */
const SUBSTATUS_STAGE: Readonly<Record<string, Status>> = {
  posting_packing: 'awaiting_packaging',
  posting_registered: 'awaiting_shipment',
  posting_acceptance_in_progress: 'awaiting_shipment',
  posting_transferred_to_courier_service: 'in_transit',
  posting_on_way_to_pickup_point: 'in_transit',
  posting_received: 'delivered',
  posting_in_arbitration: 'disputed',
  posting_in_client_arbitration: 'disputed',
};

/** The open stages in the order a posting moves through them (L1). */
const FORWARD: readonly Status[] = ['created', 'awaiting_confirmation', 'awaiting_packaging', 'awaiting_shipment', 'picked_up', 'in_transit', 'delivered'];

/** A substatus code → its stage; `unknown` when it names none. */
export function mapSubstatus(input: string | null | undefined): Status {
  if (typeof input !== 'string') return 'unknown';
  // The API's codes come trimmed and in lower case: found as they are, without the two copies below.
  if (Object.prototype.hasOwnProperty.call(SUBSTATUS_STAGE, input)) return SUBSTATUS_STAGE[input]!;
  // A body repeats a handful of codes over its thousand postings, most of them not stages
  // (posting_created): each is worked out once. Bounded, and only short inputs are kept.
  const known = SUBSTATUS_SEEN.get(input);
  if (known !== undefined) return known;
  const r = substatusOf(input);
  if (input.length <= 64) {
    if (SUBSTATUS_SEEN.size >= SUBSTATUS_SEEN_MAX) SUBSTATUS_SEEN.clear();
    SUBSTATUS_SEEN.set(input, r);
  }
  return r;
}

/** mapSubstatus's answers by input (a cache: the answer depends on the input alone). */
const SUBSTATUS_SEEN = new Map<string, Status>();
const SUBSTATUS_SEEN_MAX = 256;

function substatusOf(input: string): Status {
  const code = input.trim().toLowerCase();
  const own = Object.prototype.hasOwnProperty.call(SUBSTATUS_STAGE, code) ? SUBSTATUS_STAGE[code] : undefined;
  if (own) return own;
  // Substatuses are codes: only snake_case codes go through the word table (never free text).
  if (!/^[a-z_]+$/.test(code)) return 'unknown';
  // What normalizeStatusText makes of a snake_case code, without its general Unicode passes: the underscores become spaces.
  return TABLE.get(code) ?? TABLE.get(code.replace(/_+/g, ' ').trim()) ?? 'unknown';
}

/**
 * L3 for a posting of the Seller API / the panel's JSON: its `status`,
 * refined by its `substatus` where the substatus is further along the same
 * open path (awaiting_deliver + posting_driver_pick_up → picked_up,
 * delivering + posting_received → delivered) or names a dispute of an open
 * posting. A substatus never moves a posting backwards, never overrides a
 * final status (a cancelled posting stays cancelled, a delivered one
 * delivered) and never turns an open one into a cancellation: the status
 * field is the authority, the substatus only its detail. With no usable
 * status, the substatus (or `status_alias`) decides.
 */
export function postingStatus(status: string | null | undefined, substatus?: string | null, alias?: string | null): Status {
  let s = mapStatus(status);
  if (s === 'unknown') s = mapStatus(alias);
  const sub = mapSubstatus(substatus);
  if (sub === 'unknown' || sub === s) return s;
  if (s === 'unknown') return sub;
  const from = FORWARD.indexOf(s);
  if (from < 0 || s === 'delivered') return s;
  if (sub === 'disputed') return 'disputed';
  const to = FORWARD.indexOf(sub);
  return to > from ? sub : s;
}
