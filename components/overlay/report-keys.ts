/**
 * The page report's always-on part (components/overlay/report.ts builds the report itself, in the
 * lazily loaded chunk, components/overlay/lazy.ts): collecting the key structure of the panel's
 * JSON answers as the MAIN-world script posts them, and the popup's cheap `report:status`.
 */
import { ApiKeysLog, validateKeysMessage } from '../../panel/report-json';
import { fromThisWindow } from '../../panel/bridge';
import type { ReportStatus } from './report-messages';
import type { BadgeController } from './controller';

/** A window `message` event: maybe a keys message from our MAIN-world script (validated as untrusted). */
export function collectReportKeys(e: MessageEvent, win: Window, apis: ApiKeysLog): void {
  if (!fromThisWindow(e, win)) return;
  const m = validateKeysMessage(e.data);
  if (m) apis.add(m.source, m.keys);
}

/** The answer to `report:status`. */
export function reportStatus(c: Pick<BadgeController, 'page' | 'layoutChanged' | 'badges'>): ReportStatus {
  return { panel: true, postings: !!c.page?.isPostings, layoutChanged: c.layoutChanged, rows: c.badges.size };
}

export { ApiKeysLog };
