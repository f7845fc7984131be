/**
 * The content script's side of the page report: it keeps the key structure of
 * the panel's JSON answers (the body text the MAIN-world interceptor posts,
 * parsed here, panel/report-json.ts) and answers the popup's `report:status` /
 * `report:build` (components/overlay/report-messages.ts) with panel/report.ts over the live
 * page and the overlay's own state. Nothing leaves the tab unless the seller
 * saves the file from the popup.
 */
import { buildPageReport, reportFileName } from '../../panel/report';
import { ApiKeysLog } from '../../panel/report-json';
import { pageInfo } from '../../panel/page';
import { readContext } from '../../panel/cookies';
import { tzOffsetOf } from '../../rules';
import { collectReportKeys, reportStatus } from './report-keys';
import type { ReportAnswer, ReportRequest, ReportStatus } from './report-messages';
import type { BadgeController } from './controller';

export interface ReporterEnv {
  controller: BadgeController;
  doc: Document;
  win: Window;
  now(): number;
  /** The extension's version (manifest). */
  version: string;
}

export class PageReporter {
  private readonly env: ReporterEnv;
  /** Bounded (KEYS_LIMITS.paths): never grows with time. */
  readonly apis: ApiKeysLog;

  /** `apis`: the log the content script kept before this (lazily loaded) reporter existed. */
  constructor(env: ReporterEnv, apis: ApiKeysLog = new ApiKeysLog()) {
    this.env = env;
    this.apis = apis;
  }

  /** A window `message` event: maybe a body from our MAIN-world script (checked as untrusted; its keys, never its values, are kept). */
  onWindowMessage(e: MessageEvent): void {
    collectReportKeys(e, this.env.win, this.apis);
  }

  status(): ReportStatus {
    return reportStatus(this.env.controller);
  }

  build(): ReportAnswer {
    try {
      const { controller: c, doc, win } = this.env;
      const url = win.location?.href ?? '';
      // The zone first: asking for it may read noted witnesses and decide anew (page-zone.ts), and the report's reader uses it.
      const pz = c.zone.zone;
      const ctx = c.rctx ? { ...c.rctx, tzOffsetMinutes: tzOffsetOf(pz) } : readContext(pageInfo(url), '');
      const now = this.env.now();
      const nav = win.navigator;
      let zone = 'UTC';
      try {
        zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      } catch {
        /* keep UTC */
      }
      const report = buildPageReport({
        doc,
        url,
        ctx: { ...ctx, nowMs: now },
        now,
        extensionVersion: this.env.version,
        language: nav?.language ?? '',
        timeZone: zone,
        layoutChanged: c.layoutChanged,
        apis: this.apis.list(),
        jsonFor: (p) => c.jsonOrder(p),
        readerZone: { east: pz.east, basis: pz.basis, ...(pz.rows !== undefined && { rows: pz.rows }) },
      });
      return { report, fileName: reportFileName(now) };
    } catch (e) {
      return { error: String((e as Error)?.message ?? e) };
    }
  }

  /** The answer to a popup request (the entrypoint has checked it is one, from this extension). */
  handle(msg: ReportRequest): ReportStatus | ReportAnswer {
    return msg.type === 'report:status' ? this.status() : this.build();
  }
}
