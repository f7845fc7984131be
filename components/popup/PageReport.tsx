/**
 * "Save page report": when the panel's markup changes, the seller sends us
 * the page's structure (panel/report.ts: shapes, panel words, what the reader
 * concluded — no buyer data, no values, no cookies) so the reader can be
 * fixed on a layout nobody on the team can see (scripts/fixture.mjs turns the
 * file back into a fixture page).
 *
 * Shown only when a Seller Panel tab answers (its content script runs only on
 * the panel's origins, so no origin list is repeated here): a quiet line with
 * an explanation normally, a prominent card when that page is in the
 * "layout changed" state. The file is saved with an `<a download>` blob link:
 * no `downloads` permission.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import type { ReportAnswer, ReportRequest, ReportStatus } from '../overlay/report-messages';
import { saveFile } from './save-file';

export interface ReportTarget {
  tabId: number;
  status: ReportStatus;
}

/** How the popup reaches the panel tab (the browser by default; tests pass a fake). */
export interface ReportProbe {
  /** The panel tab to report on: the active tab, else the most recently used panel tab (the popup opened in a tab). */
  find(): Promise<ReportTarget | null>;
  build(tabId: number): Promise<ReportAnswer>;
  /** Saves the text as a file. */
  save(text: string, fileName: string): void;
}

function isStatus(x: unknown): x is ReportStatus {
  return !!x && typeof x === 'object' && (x as ReportStatus).panel === true;
}

async function ask(tabId: number, msg: ReportRequest): Promise<unknown> {
  try {
    return await browser.tabs.sendMessage(tabId, msg);
  } catch {
    return undefined; // no content script there: not a panel tab (or it was reloaded)
  }
}

export { saveFile };

export const browserProbe: ReportProbe = {
  async find() {
    const [active] = await browser.tabs.query({ active: true, currentWindow: true }).catch(() => []);
    if (active?.id !== undefined) {
      const s = await ask(active.id, { type: 'report:status' });
      if (isStatus(s)) return { tabId: active.id, status: s };
    }
    // The popup in its own tab: the panel tabs the extension may see (its content-script origins).
    const patterns = (browser.runtime.getManifest().content_scripts ?? []).flatMap((c) => c.matches ?? []);
    if (!patterns.length) return null;
    const tabs = await browser.tabs.query({ url: patterns }).catch(() => []);
    tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
    let found: ReportTarget | null = null;
    for (const tab of tabs.slice(0, 10)) {
      if (tab.id === undefined) continue;
      const s = await ask(tab.id, { type: 'report:status' });
      if (!isStatus(s)) continue;
      if (s.layoutChanged) return { tabId: tab.id, status: s };
      found ??= { tabId: tab.id, status: s };
    }
    return found;
  },
  async build(tabId) {
    const a = await ask(tabId, { type: 'report:build' });
    if (a && typeof a === 'object' && ('report' in a || 'error' in a)) return a as ReportAnswer;
    return { error: t('report_no_answer') };
  },
  save: saveFile,
};

type Outcome = { saved: string } | { failed: string } | null;

export function PageReport({ probe = browserProbe }: { probe?: ReportProbe }) {
  const [target, setTarget] = useState<ReportTarget | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    let live = true;
    probe
      .find()
      .then((x) => live && setTarget(x))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [probe]);

  if (!target) return null;
  const prominent = target.status.layoutChanged;

  const onSave = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const a = await probe.build(target.tabId);
      if ('error' in a) setOutcome({ failed: a.error });
      else {
        probe.save(JSON.stringify(a.report, null, 1), a.fileName);
        setOutcome({ saved: a.fileName });
      }
    } catch (e) {
      setOutcome({ failed: String((e as Error)?.message ?? e) });
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <button type="button" class={`btn ${prominent ? 'page-report-primary' : ''}`} onClick={() => void onSave()} disabled={busy} data-report-save="">
      {busy ? t('report_saving') : t('report_save')}
    </button>
  );
  const what = (
    <details class="page-report-what">
      <summary>{t('report_what_title')}</summary>
      <p>{t('report_what_in')}</p>
      <p>{t('report_what_out')}</p>
      <p>{t('report_how_send')}</p>
    </details>
  );
  const result =
    outcome && 'saved' in outcome ? (
      <p class="small page-report-result" role="status" data-report-saved={outcome.saved}>
        {t('report_saved', outcome.saved)}
      </p>
    ) : outcome ? (
      <p class="alert alert-crit" role="alert" data-report-failed="">
        {t('report_failed', outcome.failed)}
      </p>
    ) : null;

  if (prominent) {
    return (
      <section class="card page-report page-report-prominent" data-page-report="prominent" aria-labelledby="page-report-title">
        <h2 id="page-report-title" class="card-title">
          {t('report_broken_title')}
        </h2>
        <p class="small">{t('report_broken_text')}</p>
        {button}
        {result}
        {what}
      </section>
    );
  }
  return (
    <section class="page-report page-report-quiet" data-page-report="quiet">
      <p class="small muted">
        {t('report_quiet_text')} {button}
      </p>
      {result}
      {what}
    </section>
  );
}
