/**
 * Cancellation reasons and initiators (docs/ozon-domain.md §1.6, rulebook M2/M5).
 *
 * Two code systems meet here: the seeds' reason families (C03 out of stock,
 * C07 logistics delay, C11 description mismatch — S2's M2 weights and M5
 * playbook) and Ozon's own numeric reason ids. An order keeps the code it came
 * with as `reasonCode` (the contract's byReason and M2 weights key on it); the
 * family is only used to pick M5 advice for Ozon ids.
 */
import type { Cancellation, Initiator } from './types';
import { foldWords } from './words';

export type ReasonFamily = 'C03' | 'C07' | 'C11' | 'other';

export interface ReasonInfo {
  /** As stored in `cancellation.reasonCode`: 'C03' or Ozon's id as text ('352'). */
  code: string;
  family: ReasonFamily;
  /** Who the reason's type says is at fault (Ozon's `type_id`), where known. */
  initiator?: Initiator;
  /** Whether the reason is the seller's fault (counts against the seller's rating). */
  sellerFault?: boolean;
  title: { ru: string; en: string; zh: string };
}

/** Every reason the rules know, by code. */
export const REASONS: Readonly<Record<string, ReasonInfo>> = {
  C03: {
    code: 'C03',
    family: 'C03',
    initiator: 'seller',
    sellerFault: true,
    title: { ru: 'Нет в наличии', en: 'Out of stock', zh: '缺货' },
  },
  C07: {
    code: 'C07',
    family: 'C07',
    title: { ru: 'Задержка доставки', en: 'Logistics delay', zh: '物流延误' },
  },
  C11: {
    code: 'C11',
    family: 'C11',
    title: { ru: 'Товар не соответствует описанию', en: 'Description mismatch', zh: '描述不符' },
  },
  '352': {
    code: '352',
    family: 'C03',
    initiator: 'seller',
    sellerFault: true,
    title: {
      ru: 'Товар закончился на складе продавца',
      en: "Out of stock at the seller's warehouse",
      zh: '卖家仓库缺货',
    },
  },
  '400': {
    code: '400',
    family: 'C03',
    initiator: 'seller',
    sellerFault: true,
    title: { ru: 'Остался только бракованный товар', en: 'Only defective items left', zh: '仅剩残次品' },
  },
  '401': {
    code: '401',
    family: 'other',
    initiator: 'seller',
    sellerFault: true,
    title: { ru: 'Продавец отклонил арбитраж', en: 'Seller rejected the arbitration', zh: '卖家拒绝仲裁' },
  },
  '402': {
    code: '402',
    family: 'other',
    initiator: 'seller',
    sellerFault: true,
    title: { ru: 'Другое (вина продавца)', en: "Other (seller's fault)", zh: '其他（卖家责任）' },
  },
  '665': {
    code: '665',
    family: 'other',
    initiator: 'buyer',
    sellerFault: false,
    title: { ru: 'Покупатель не забрал заказ', en: 'The buyer did not pick up the order', zh: '买家未取件' },
  },
  '666': {
    code: '666',
    family: 'C07',
    initiator: 'delivery',
    sellerFault: false,
    title: {
      ru: 'Возврат из службы доставки: нет доставки в указанный регион',
      en: 'Returned by the delivery service: no delivery to the region',
      zh: '物流退回：无法配送至指定地区',
    },
  },
  '667': {
    code: '667',
    family: 'C07',
    initiator: 'delivery',
    sellerFault: false,
    title: { ru: 'Заказ утерян службой доставки', en: 'Order lost by the delivery service', zh: '订单被物流丢失' },
  },
};

/** The reason's info by code ('352', 352, 'c03' …); undefined when unknown. */
export function reasonInfo(code: string | number | null | undefined): ReasonInfo | undefined {
  const k = normalizeReasonCode(code);
  return k ? REASONS[k] : undefined;
}

/**
 * A reason code as the rest of the module keys on it: trimmed, seed codes
 * upper-cased ('c3' → 'C03'), numbers as text; undefined for empty / 0 (the
 * API sends `cancel_reason_id: 0` for a live posting).
 */
export function normalizeReasonCode(code: unknown): string | undefined {
  if (typeof code === 'number') return Number.isFinite(code) && code > 0 ? String(Math.trunc(code)) : undefined;
  if (typeof code !== 'string') return undefined;
  const t = code.trim();
  if (!t || t === '0') return undefined;
  const seed = /^c0*(\d{1,2})$/i.exec(t);
  if (seed) return `C${seed[1]!.padStart(2, '0')}`;
  return t;
}

/** M5: which playbook a code belongs to (C03 delist / C07 switch logistics / C11 rewrite listing). */
export function reasonFamily(code: string | number | null | undefined): ReasonFamily {
  const k = normalizeReasonCode(code);
  if (!k) return 'other';
  const info = REASONS[k];
  if (info) return info.family;
  return 'other';
}

/** Lower-cased words, ё as е (rules/words.ts). */
function norm(s: string): string {
  return foldWords(s).replace(/ё/g, 'е');
}

const TITLE_INDEX = new Map<string, string>();
for (const info of Object.values(REASONS)) {
  for (const t of [info.title.ru, info.title.en, info.title.zh]) TITLE_INDEX.set(norm(t), info.code);
}
// Wordings the API / CSV / panel are known to use besides our titles.
for (const [text, code] of [
  ['Товар закончился', '352'],
  ['Закончился товар', '352'],
  ['Out of stock at seller warehouse', '352'],
  ['Product is out of stock', '352'],
  ['Only defective product left', '400'],
  ['Seller rejected arbitration', '401'],
  ['Other seller fault', '402'],
  ['Customer did not pick up the order', '665'],
  ["Customer didn't pick up the order", '665'],
  ['Buyer did not pick up the order', '665'],
  ['Return from delivery service no delivery to the specified region', '666'],
  ['Нет доставки в указанный регион', '666'],
  ['Order lost by delivery service', '667'],
  ['Утерян службой доставки', '667'],
] as const) {
  TITLE_INDEX.set(norm(text), code);
}

/** Keyword families for free text that matches no title exactly (seed codes only: never a guessed Ozon id). */
const FAMILY_KEYWORDS: [ReasonFamily, RegExp][] = [
  ['C03', /(out of stock|no stock|нет в наличии|нет на складе|закончил|缺货|无库存|库存不足)/u],
  ['C07', /(logistic|delivery delay|shipping delay|late delivery|задержк|опоздан|物流延误|延迟|延误|发货超时)/u],
  ['C11', /(description|not as described|mismatch|не соответств|описани|描述不符|与描述不符|货不对版)/u],
];

/**
 * A reason's text → its code: an exact (normalised) title match gives the
 * Ozon id ('352'); otherwise a clear keyword gives the seed family ('C03',
 * 'C07', 'C11'); otherwise undefined.
 */
export function reasonCodeFromText(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const k = norm(text);
  if (!k) return undefined;
  const exact = TITLE_INDEX.get(k);
  if (exact) return exact;
  for (const [family, re] of FAMILY_KEYWORDS) if (re.test(k)) return family;
  return undefined;
}

/** The reason's title in a language ('ru' | 'en' | 'zh'…); the raw code when unknown. */
export function reasonTitle(code: string | number | null | undefined, lang = 'en'): string {
  const info = reasonInfo(code);
  if (!info) return code == null ? '' : String(code);
  const l = lang.toLowerCase();
  return l.startsWith('ru') ? info.title.ru : l.startsWith('zh') ? info.title.zh : info.title.en;
}

const INITIATOR_WORDS: [Initiator, string[]][] = [
  ['seller', ['seller', 'merchant', 'vendor', 'продавец', 'продавца', 'продавцом', 'вина продавца', '卖家', '商家', '卖方']],
  ['buyer', ['buyer', 'client', 'customer', 'клиент или покупатель', 'клиент', 'клиента', 'клиентом', 'покупатель', 'покупателя', 'покупателем', '买家', '客户', '顾客', '买方']],
  ['system', ['system', 'auto', 'automatic', 'система', 'системы', 'системой', 'автоматически', 'автоотмена', '系统', '自动', '系统自动']],
  ['ozon', ['ozon', 'озон', 'platform', 'marketplace', '平台', 'ozon平台']],
  [
    'delivery',
    ['delivery', 'carrier', 'courier', 'logistics', 'delivery service', 'служба доставки', 'службой доставки', 'службы доставки', 'доставка', 'перевозчик', 'курьер', '物流', '快递', '承运商', '配送服务', '物流公司'],
  ],
];
const INITIATOR_INDEX = new Map<string, Initiator>();
for (const [who, words] of INITIATOR_WORDS) for (const w of words) INITIATOR_INDEX.set(norm(w), who);
for (const who of ['buyer', 'seller', 'system', 'ozon', 'delivery', 'unknown'] as const) INITIATOR_INDEX.set(who, who);

/**
 * The API's `cancellation_type` (seller | client | customer | ozon | system |
 * delivery), the Russian `cancellation_initiator` («Продавец», «Клиент»,
 * «Покупатель», «Ozon», «Система», «Служба доставки») and the English /
 * Chinese words → Initiator; `unknown` for anything else.
 */
export function mapInitiator(x: string | null | undefined): Initiator {
  if (typeof x !== 'string') return 'unknown';
  const direct = INITIATOR_INDEX.get(x);
  if (direct) return direct;
  const k = norm(x);
  return (k && INITIATOR_INDEX.get(k)) || 'unknown';
}

/** The Seller API's `cancellation` object, as much of it as the reader saw. */
export interface ApiCancellation {
  cancel_reason_id?: number | string | null;
  cancel_reason?: string | null;
  cancellation_type?: string | null;
  cancellation_initiator?: string | null;
  affect_cancellation_rating?: boolean | null;
}

/**
 * The API's cancellation object → the contract's Cancellation; undefined for
 * the empty object a live posting carries (`cancel_reason_id: 0`, empty type).
 * The initiator comes from `cancellation_type`, else the display string,
 * else the reason's own type.
 */
export function cancellationFromApi(c: ApiCancellation | null | undefined): Cancellation | undefined {
  if (!c || typeof c !== 'object') return undefined;
  const text = typeof c.cancel_reason === 'string' && c.cancel_reason.trim() ? c.cancel_reason.trim() : undefined;
  const code = normalizeReasonCode(c.cancel_reason_id) ?? reasonCodeFromText(text);
  let initiator = mapInitiator(c.cancellation_type);
  if (initiator === 'unknown') initiator = mapInitiator(c.cancellation_initiator);
  if (initiator === 'unknown' && code) initiator = REASONS[code]?.initiator ?? 'unknown';
  const affects = typeof c.affect_cancellation_rating === 'boolean' ? c.affect_cancellation_rating : undefined;
  if (!code && !text && initiator === 'unknown') return undefined;
  const out: Cancellation = { initiator };
  if (code) out.reasonCode = code;
  if (text) out.reasonText = text;
  if (affects !== undefined) out.affectsRating = affects;
  return out;
}

/**
 * A posting's cancellation record, read with its status (L1, M1): only a
 * cancelled posting — or one whose status is not known — carries one. The
 * Seller API sends a `cancellation` object on every FBS posting, empty on a
 * live one, and FBO postings a top-level `cancel_reason_id` that Ozon's own
 * example sets (7) on a delivered posting (SOURCES.md §5 of the real
 * samples): neither makes the posting a cancellation, and a record on a
 * delivered / in-transit posting would put a reason into figures it does not
 * belong to.
 */
export function postingCancellation(status: string, c: ApiCancellation | null | undefined): Cancellation | undefined {
  if (status !== 'cancelled' && status !== 'unknown') return undefined;
  return cancellationFromApi(c);
}
