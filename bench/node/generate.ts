/**
 * Deterministic generators for the off-page part of the bench: varied orders
 * (every status, scheme and the fields that steer the rules) and an Ozon FBS
 * orders export in the panel's own CSV form (docs/ozon-domain.md §3).
 */
import type { Order, Scheme, Status, Initiator } from '../../rules/types';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const STATUSES: Status[] = [
  'created',
  'awaiting_confirmation',
  'awaiting_packaging',
  'awaiting_packaging',
  'awaiting_packaging',
  'awaiting_shipment',
  'awaiting_shipment',
  'picked_up',
  'in_transit',
  'in_transit',
  'delivered',
  'delivered',
  'delivered',
  'cancelled',
  'returned',
  'failed_to_deliver',
  'disputed',
  'unknown',
];
const SCHEMES: Scheme[] = ['FBS', 'FBS', 'FBS', 'rFBS', 'FBO'];
const INITIATORS: Initiator[] = ['buyer', 'buyer', 'seller', 'system', 'ozon', 'delivery', 'unknown'];
const REASONS = ['C03', 'C07', 'C11', '352', '400', '401', '402', '665', '666', '667', undefined];

const iso = (ms: number) => new Date(ms).toISOString();

/** `n` varied orders paid within the 40 days before `nowMs` (some outside the 30-day window). */
export function genOrders(n: number, nowMs: number, seed = 1): Order[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: Order[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick(STATUSES);
    const scheme = pick(SCHEMES);
    const paid = nowMs - r() * 40 * 24 * HOUR;
    const o: Order = {
      postingNumber: `${10_000_000 + Math.floor(r() * 89_999_999)}-${String(i % 10_000).padStart(4, '0')}-1`,
      scheme,
      status,
    };
    if (r() < 0.95) o.paidAt = iso(paid);
    if (r() < 0.5) o.confirmedAt = iso(paid + r() * 20 * HOUR);
    if (r() < 0.6) o.shipBy = iso(nowMs + (r() * 80 - 8) * HOUR);
    if (status !== 'awaiting_confirmation' && status !== 'created' && r() < 0.5) {
      o.trackingNumber = `RU${Math.floor(r() * 1e9)}CN`;
      o.trackingUploadedAt = iso(paid + 30 * HOUR);
      if (r() < 0.5) o.firstScanAt = iso(paid + 40 * HOUR);
      if (r() < 0.7) o.lastTrackingAt = iso(nowMs - r() * 10 * 24 * HOUR);
      o.carrier = pick(['Ozon Логистика', 'CDEK', 'Почта России', 'Unknown Express']);
    }
    if (status === 'in_transit' && r() < 0.1) o.inCustoms = true;
    if (status === 'cancelled') {
      o.cancelledAt = iso(paid + r() * 48 * HOUR);
      if (r() < 0.9) {
        const reasonCode = pick(REASONS);
        o.cancellation = { initiator: pick(INITIATORS), ...(reasonCode ? { reasonCode } : {}) };
      }
    }
    if (r() < 0.15) {
      o.flags = { digital: r() < 0.2, electronics: r() < 0.3, preorder: r() < 0.1, autoConfirmShipment: r() < 0.2, delayApproved: r() < 0.3 };
    }
    if (r() < 0.2) o.availableActions = r() < 0.5 ? ['cancel', 'ship'] : ['arbitration'];
    const k = r() < 0.8 ? 1 : 2 + Math.floor(r() * 3);
    o.items = [];
    for (let j = 0; j < k; j++) {
      o.items.push({ sku: String(100_000 + Math.floor(r() * 400)), offerId: `ART-${j}`, quantity: 1 + Math.floor(r() * 3), price: 100 + Math.floor(r() * 5000) });
    }
    o.currency = 'RUB';
    out.push(o);
  }
  return out;
}

const HEADERS = [
  'Номер заказа', 'Номер отправления', 'Принят в обработку', 'Дата отгрузки', 'Дата отгрузки без просрочки', 'Статус',
  'Дата доставки', 'Фактическая дата передачи в доставку', 'Дата отмены', 'Сумма отправления', 'Код валюты отправления',
  'Название товара', 'Цвет товара', 'Размер товара', 'SKU', 'Артикул', 'Ваша цена', 'Код валюты товара', 'Оплачено покупателем',
  'Код валюты покупателя', 'Количество', 'Стоимость доставки', 'Связанные отправления', 'Выкуп товара', 'Цена товара до скидок',
  'Скидка %', 'Скидка руб', 'Акции', 'Подъем на этаж',
];
const CSV_STATUSES = ['Ожидает сборки', 'Ожидает отгрузки', 'Доставляется', 'Доставлен', 'Доставлен', 'Доставлен', 'Отменён', 'Отменено', 'Арбитраж'];
const NAMES = [
  'Чехол силиконовый для iPhone 15 Pro; прозрачный',
  'Кабель USB-C "Быстрая зарядка" 100 Вт, 2 м',
  'Органайзер для косметики вращающийся',
  'Наушники беспроводные TWS',
  '儿童磁力积木 64 件套',
];

/** Moscow wall clock in the panel download's form: 14.04.2026 19:01. */
function panelDate(ms: number): string {
  const d = new Date(ms + 3 * HOUR);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
/** 1 234,50 with a non-breaking-space thousands separator. */
function rub(v: number): string {
  const [i, f] = v.toFixed(2).split('.');
  return `${i!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${f}`;
}
const q = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** An FBS export of exactly `lines` data lines (one per product; ~20 % of postings have 2–3), UTF-8 with BOM, `;`. */
export function genCsv(lines: number, nowMs: number, seed = 3): string {
  const r = rng(seed);
  const rows: string[] = [HEADERS.join(';')];
  let posting = 0;
  while (rows.length - 1 < lines) {
    posting++;
    const order = `${30_000_000 + posting}-${String(posting % 10_000).padStart(4, '0')}`;
    const pn = `${order}-1`;
    const paid = nowMs - r() * 35 * 24 * HOUR;
    const status = CSV_STATUSES[Math.floor(r() * CSV_STATUSES.length)]!;
    const k = r() < 0.8 ? 1 : 2 + Math.floor(r() * 2);
    for (let j = 0; j < k && rows.length - 1 < lines; j++) {
      const price = 99 + Math.floor(r() * 20_000) + 0.5;
      const qty = 1 + Math.floor(r() * 3);
      const cancelled = status.startsWith('Отмен');
      rows.push(
        [
          order, pn, panelDate(paid), panelDate(paid + 48 * HOUR), panelDate(paid + 48 * HOUR), status,
          status === 'Доставлен' ? panelDate(paid + 6 * 24 * HOUR) : '', status === 'Доставляется' || status === 'Доставлен' ? panelDate(paid + 40 * HOUR) : '',
          cancelled ? panelDate(paid + 10 * HOUR) : '', rub(price * qty), 'RUB',
          NAMES[Math.floor(r() * NAMES.length)]!, 'чёрный', '', String(100_000_000 + Math.floor(r() * 9e8)), `ART-${Math.floor(r() * 9999)}`,
          rub(price), 'RUB', rub(price * qty), 'RUB', String(qty), '0', '', 'нет', rub(price * 1.3), '23', rub(price * 0.3), '', 'нет',
        ]
          .map(q)
          .join(';'),
      );
    }
  }
  return '\ufeff' + rows.join('\r\n') + '\r\n';
}
