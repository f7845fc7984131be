/** The reading layer: Seller Panel pages → `Order`s. The rules never see the DOM; this layer never decides a rule. */
export * from './types';
export { pageInfo, tabStatusOf } from './page';
export { cookieValue, readPanelCookies, readContext, type PanelCookies } from './cookies';
export { findRows, readRows, readRow, badgeAnchor } from './rows';
export { primaryPosting, stillFound, postingNumbersIn, MAX_ANCHOR_TEXT } from './anchors';
export { fieldOfHeader, rowCells, normHeader, type Field, type GridHeader, type ColumnMap } from './columns';
export { parseRow } from './parse-row';
export { timeFromText, extractDateTime } from './dates';
export { priceFrom } from './values';
export { ordersFromJson, orderFromPosting, isoInstant, type JsonOptions } from './json';
export {
  BRIDGE_NS,
  BRIDGE_VERSION,
  BRIDGE_LIMITS,
  BRIDGE_TEXT_MAX,
  validateBridgeMessage,
  validateOrder,
  bodyPoster,
  bridgeBodyOf,
  parseBridgeBody,
  claimBody,
  bodyClaimed,
  fromThisWindow,
  type BridgeMessage,
  type BridgeBody,
} from './bridge';
export { jsonWalk, type JsonWalk } from './json';
export { installInterceptor, apiPath, type InterceptorOptions } from './interceptor';
export { mergeOrder, mergeAll } from './merge';
export { applySellerFlags } from './flags';
