/**
 * Popup → content script (`tabs.sendMessage` to the panel tab): the page
 * report (panel/report.ts). Kept apart from background/messages.ts, whose messages
 * go to the background: these are answered by the page itself, because only
 * the page has the DOM and what the reader concluded about it.
 */
import type { PageReport } from '../../panel/report';

export type ReportRequest =
  /** Is this tab a Seller Panel page, and is it in the "layout changed" state? Answer: ReportStatus. */
  | { type: 'report:status' }
  /** The page report of this tab now. Answer: ReportAnswer. */
  | { type: 'report:build' };

export interface ReportStatus {
  panel: true;
  /** An orders list (panel/page.ts isPostings). */
  postings: boolean;
  /** Posting numbers shown, no order row recognised (components/overlay/controller.ts checkLayout). */
  layoutChanged: boolean;
  /** How many order rows carry a badge now. */
  rows: number;
}

export type ReportAnswer = { report: PageReport; fileName: string } | { error: string };

export function isReportRequest(m: unknown): m is ReportRequest {
  if (!m || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  return t === 'report:status' || t === 'report:build';
}
