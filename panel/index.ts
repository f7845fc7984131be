/** The reading layer: Seller Panel pages → `Order`s. The rules never see the DOM; this layer never decides a rule. */
export * from './types';
export { pageInfo, tabStatusOf } from './page';
export { cookieValue, readPanelCookies, readContext, type PanelCookies } from './cookies';
export { findRows, readRows, readRow, primaryPosting, badgeAnchor, postingNumbersIn, MAX_ANCHOR_TEXT } from './rows';
export { fieldOfHeader, rowCells, normHeader, type Field, type GridHeader, type ColumnMap } from './columns';
export { parseRow, timeFromText, extractDateTime, priceFrom } from './parse-row';
export { ordersFromJson, orderFromPosting, isoInstant, type JsonOptions } from './json';
export {
  BRIDGE_NS,
  BRIDGE_VERSION,
  BRIDGE_LIMITS,
  validateBridgeMessage,
  validateOrder,
  toBridgeMessages,
  bridgePoster,
  bridgeBatchOf,
  fromThisWindow,
  type BridgeMessage,
} from './bridge';
export { installInterceptor, apiPath, type InterceptorOptions } from './interceptor';
export { mergeOrder, mergeAll } from './merge';
export { applySellerFlags } from './flags';
