/**
 * The column tables of the panel's order exports (docs/real-panel.md): the
 * 2020 layout, the ~2025 FBS layout of 29 columns and FBO layout of 25, in
 * Russian or English. Columns are found by NAME (normalised, with synonyms),
 * never by position, because the column set varies by scheme, language and date.
 */
import type { Scheme } from '../rules';

export type Col =
  | 'orderNumber'
  | 'postingNumber'
  | 'processedAt'
  | 'createdAt'
  | 'shipBy'
  | 'shipByNoDelay'
  | 'status'
  | 'deliveredAt'
  | 'handedOverAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'cancelInitiator'
  | 'postingAmount'
  | 'postingCurrency'
  | 'productName'
  | 'sku'
  | 'offerId'
  | 'price'
  | 'itemCurrency'
  | 'paidByCustomer'
  | 'customerCurrency'
  | 'quantity'
  | 'trackingNumber'
  | 'deliveryMethod'
  | 'scheme';

/** Lower-case, ё → е, punctuation and any whitespace → one space. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}

const SYNONYMS: Record<Col, string[]> = {
  orderNumber: ['номер заказа', 'order number', 'order id'],
  postingNumber: ['номер отправления', 'posting number', 'posting', 'shipment number', 'номер отправления ozon'],
  processedAt: ['принят в обработку', 'processed at', 'accepted for processing', 'in process at', 'дата принятия в обработку', 'processing date'],
  // The older exports (2020) have no processing date, only the order's creation date (docs/real-panel.md).
  createdAt: ['дата создания заказа', 'дата создания', 'дата заказа', 'order created at', 'order creation date', 'order date', 'created at', 'creation date'],
  shipBy: ['дата отгрузки', 'shipment date', 'shipping date', 'ship by', 'отгрузить до'],
  shipByNoDelay: ['дата отгрузки без просрочки', 'shipment date without delay', 'shipment date without delays'],
  status: ['статус', 'status', 'статус отправления', 'posting status'],
  deliveredAt: ['дата доставки', 'delivery date', 'delivered at', 'date of delivery'],
  handedOverAt: [
    'фактическая дата передачи в доставку',
    'actual date of transfer to delivery',
    'actual delivery transfer date',
    'actual shipment date',
    'date of transfer to delivery',
  ],
  cancelledAt: ['дата отмены', 'cancellation date', 'cancelled at', 'canceled at', 'cancel date'],
  cancelReason: ['причина отмены', 'cancellation reason', 'cancel reason', 'reason for cancellation'],
  cancelInitiator: ['инициатор отмены', 'cancellation initiator', 'cancelled by', 'canceled by', 'cancel initiator'],
  postingAmount: ['сумма отправления', 'posting amount', 'shipment amount', 'posting total'],
  postingCurrency: ['код валюты отправления', 'posting currency code', 'shipment currency code', 'posting currency'],
  productName: ['название товара', 'наименование товара', 'product name', 'product', 'item name', 'товар'],
  sku: ['sku', 'ozon sku', 'ozon id', 'sku ozon'],
  offerId: ['артикул', 'offer id', 'article', 'артикул продавца', 'seller article', 'article number', 'item code'],
  // «Итоговая стоимость товара» (2020 layout) is per unit: «Сумма отправления» = it × «Количество» on every line.
  price: ['ваша цена', 'your price', 'price', 'цена', 'итоговая стоимость товара', 'final product price'],
  itemCurrency: ['код валюты товара', 'product currency code', 'item currency code', 'currency code'],
  paidByCustomer: ['оплачено покупателем', 'paid by customer', 'paid by buyer', 'стоимость товара для покупателя', 'customer paid'],
  customerCurrency: ['код валюты покупателя', 'customer currency code', 'buyer currency code'],
  quantity: ['количество', 'quantity', 'qty', 'кол во', 'количество товара'],
  trackingNumber: ['трек номер', 'tracking number', 'трек номер отправления', 'track number', 'tracking'],
  deliveryMethod: ['способ доставки', 'delivery method', 'служба доставки', 'delivery service', 'shipping method'],
  scheme: ['схема', 'схема доставки', 'схема работы', 'delivery schema', 'delivery scheme', 'scheme', 'fulfillment scheme'],
};
const HEADER_INDEX = new Map<string, Col>();
for (const [col, names] of Object.entries(SYNONYMS) as [Col, string[]][]) for (const n of names) HEADER_INDEX.set(normalizeHeader(n), col);

/**
 * Columns only one scheme's export has (docs/real-panel.md: the ~2025 FBS
 * layout of 29 columns and FBO layout of 25). A column being PRESENT tells
 * the scheme; one being absent never does (older and trimmed exports lack
 * optional columns of either kind).
 */
const FBO_MARKERS = ['кластер отгрузки', 'объемный вес товаров кг', 'склад отгрузки', 'кластер доставки'].map(normalizeHeader);
const FBS_MARKERS = ['дата отгрузки без просрочки', 'shipment date without delay', 'подъем на этаж'].map(normalizeHeader);

export const DATE_COLS = ['processedAt', 'createdAt', 'shipBy', 'shipByNoDelay', 'deliveredAt', 'handedOverAt', 'cancelledAt'] as const;

/** The header's own words for a column, for messages ("bad date in «Принят в обработку»"). */
export type ColMap = Partial<Record<Col, { index: number; title: string }>>;

/**
 * The header's columns, by our name (the first of a repeated one wins), and
 * the normalised header words for the scheme markers.
 */
export function mapColumns(headerFields: string[]): { cols: ColMap; normHeaders: string[] } {
  const cols: ColMap = {};
  const normHeaders = headerFields.map(normalizeHeader);
  normHeaders.forEach((h, index) => {
    const col = HEADER_INDEX.get(h);
    if (col && !cols[col]) cols[col] = { index, title: headerFields[index]!.replace(/^\ufeff/, '').trim() };
  });
  return { cols, normHeaders };
}

/** The scheme the column set tells (a marker of one scheme only), else undefined. */
export function schemeFromColumns(normHeaders: string[]): Scheme | undefined {
  const fbo = normHeaders.some((h) => FBO_MARKERS.includes(h));
  const fbs = normHeaders.some((h) => FBS_MARKERS.includes(h));
  return fbo === fbs ? undefined : fbo ? 'FBO' : 'FBS';
}
