/**
 * The rules module's public face (docs/contract.md §2): pure TypeScript, no
 * DOM, no browser API, no clock — every function takes `now` explicitly.
 */
export * from './types';
export * from './rulebook';
export * from './status';
export * from './time';
export * from './panel-time';
export * from './zone-format';
export * from './reasons';
export * from './posting-number';
export * from './evaluate';
export * from './rulebook-cfg';
export * from './summarize';
export * from './official';
export * from './order-schema';
export * from './plain';
export * from './page-zone';
export * from './rulebook-check';
export * from './keys';
