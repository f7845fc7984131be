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
export { evaluateOrder, levelOf, nextText, rulebookCfg, rawDeadline, instantMs, readStatus, readScheme, normalizeCarrier } from './evaluate';
export type { RulebookCfg, RawDeadline } from './evaluate';
export { summarizeStore, categoryBaselineKey } from './summarize';
export { summarizeOfficial } from './official';
export type { OfficialSummary, OfficialThresholds, OfficialWindow, ErrorZone } from './official';
