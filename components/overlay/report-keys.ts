/**
 * The page report's always-on part (components/overlay/report.ts builds the report itself, in the
 * lazily loaded chunk, components/overlay/lazy.ts): collecting the key structure of the panel's
 * JSON answers from the body text the MAIN-world script posts (panel/bridge.ts), and the popup's
 * cheap `report:status`.
 */
import { ApiKeysLog } from '../../panel/report-json';
import { bodyClaimed, bridgeBodyOf, parseBridgeBody } from '../../panel/bridge';
import type { ReportStatus } from './report-messages';
import type { BadgeController } from './controller';

/**
 * A window `message` event: maybe a body from our MAIN-world script (checked as untrusted). Only
 * the first body of each API path is kept (ApiKeysLog), so only that one is parsed, and with the
 * order feed's parse of the same event (parseBridgeBody: once per event), not a second time.
 */
export function collectReportKeys(e: MessageEvent, win: Window, apis: ApiKeysLog): void {
  // A body the order feed sent to its worker: its key structure comes from there (json-feed.ts, addShape).
  if (bodyClaimed(e)) return;
  const body = bridgeBodyOf(e, win);
  if (!body || !apis.wants(body.path)) return;
  const parsed = parseBridgeBody(e, body);
  if (parsed !== null && typeof parsed === 'object') apis.add(body.path, parsed);
}

/** The answer to `report:status`. */
export function reportStatus(c: Pick<BadgeController, 'page' | 'layoutChanged' | 'badges'>): ReportStatus {
  return { panel: true, postings: !!c.page?.isPostings, layoutChanged: c.layoutChanged, rows: c.badges.size };
}

export { ApiKeysLog };
