/**
 * Bridge messages as the MAIN world posts them (panel/bridge-message.ts): the
 * body TEXT of a panel `/api/` answer. Tests that used to post walked orders
 * post the Seller API postings those orders come from.
 */
import { BRIDGE_NS, BRIDGE_VERSION } from '../../panel/bridge';

export const LIST_PATH = '/api/posting-service/seller-ui/fbs/posting/list';

/** A panel answer's text as the bridge carries it. */
export function bodyMessage(body: unknown, path = LIST_PATH): { ns: string; v: number; kind: 'body'; path: string; text: string } {
  return { ns: BRIDGE_NS, v: BRIDGE_VERSION, kind: 'body', path, text: typeof body === 'string' ? body : JSON.stringify(body) };
}

export interface PostingIn {
  postingNumber: string;
  status?: string;
  shipBy?: string;
  availableActions?: string[];
}

/** `{ result: { postings } }` (the v3 list's wrapping, docs/ozon-domain.md §1.2) for orders given by their Order field names. */
export function postingsBody(orders: PostingIn[]): { result: { postings: Record<string, unknown>[] } } {
  return {
    result: {
      postings: orders.map((o) => ({
        posting_number: o.postingNumber,
        status: o.status ?? 'awaiting_packaging',
        ...(o.shipBy ? { shipment_date: o.shipBy } : {}),
        ...(o.availableActions ? { available_actions: o.availableActions } : {}),
      })),
    },
  };
}

/** A window `message` event from this window, as the isolated listener gets it. */
export function messageEvent(data: unknown, source: unknown = window, origin?: string): MessageEvent {
  return new MessageEvent('message', { data, source: source as MessageEventSource, ...(origin !== undefined ? { origin } : {}) });
}
