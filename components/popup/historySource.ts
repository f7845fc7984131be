/**
 * The popup's PopupSource over the real layers: storage/history (reads), the
 * background (the single writer: CSV imports go there as `orders:import`),
 * csv/ (parse / export) and background/reminders (posting links).
 */
import { browser } from 'wxt/browser';
import {
  listStores,
  readStore,
  coverage as historyCoverage,
  watchHistory,
} from '../../storage/history';
import { watchLayout, getLayoutFlags } from '../../storage/layout';
import { storeOfTab } from '../../storage/tab-stores';
import { parseOrdersCsv, importSummary, exportAtRiskCsv, exportCancellationsCsv, type CsvReport } from '../../csv';

import { postingUrl, panelOriginOf, type PanelOrigin } from '../../panel/origins';
import { withPostingLinks } from '../../csv/export-links';
import { pageInfo } from '../../panel/page';
import type { Scheme } from '../../rules';
import type { PopupSource, HistoryFlags, ImportOutcome } from './source';
import type { Order } from '../../rules';
import type { Message, MergeAnswer, ErrorAnswer } from '../../background/messages';
import { UNKNOWN_STORE } from '../../rules';

export function historySource(): PopupSource {
  // Cross-border stores' postings live under /app/postings/crossborder/…: links must go there.
  const crossborder = new Map<string, boolean>();
  // Links open where the order was seen: its own origin, else its store's (panel/origins.ts).
  const storeOrigin = new Map<string, PanelOrigin>();
  const orderOrigin = new Map<string, Map<string, PanelOrigin>>();
  const link = (order: Order): string =>
    postingUrl(order, {
      crossborder: !!(order.storeId && crossborder.get(order.storeId)),
      origin:
        orderOrigin.get(order.storeId ?? UNKNOWN_STORE)?.get(order.postingNumber) ??
        (order.storeId ? storeOrigin.get(order.storeId) : undefined),
    });
  return {
    async listStores() {
      const stores = await listStores();
      for (const s of stores) {
        crossborder.set(s.id, !!s.crossborder);
        if (s.origin) storeOrigin.set(s.id, s.origin);
        else storeOrigin.delete(s.id);
      }
      return stores.map((s) => ({ id: s.id, name: s.label, lastSeenAt: s.lastSeen }));
    },
    async loadOrders(storeId) {
      const { records } = await readStore(storeId);
      const origins = new Map<string, PanelOrigin>();
      for (const r of records) if (r.origin) origins.set(r.order.postingNumber, r.origin);
      orderOrigin.set(storeId, origins);
      return records.map((r) => r.order);
    },
    async coverage(storeId) {
      const c = await historyCoverage(storeId);
      // What the figures rest on is when the orders were paid (the window counts by paidAt);
      // first-seen is the fallback for orders read before their payment time was known.
      const range = c.paidAt ?? c.firstSeen;
      return { count: c.count, from: range?.from, to: range?.to };
    },
    async activeStore() {
      // The company-id cookie is not readable from here. The background remembers which
      // store each panel tab reported (storage/tab-stores.ts); failing that, the
      // store the content script reported most recently is the one being looked at.
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const url = tab?.url ? safeUrl(tab.url) : undefined;
      if (!url || !panelOriginOf(url.href)) return null;
      const known = await storeOfTab(tab?.id);
      if (known) return known;
      const stores = await listStores();
      return stores[0]?.id ?? null;
    },
    async flags(): Promise<HistoryFlags> {
      const [layout, stores] = await Promise.all([getLayoutFlags(), listStores()]);
      const broken = Object.entries(layout).sort((a, b) => (a[1].at < b[1].at ? 1 : -1))[0];
      const prunedCount = stores.reduce((a, s) => a + (s.pruned?.count ?? 0), 0);
      const prunedAt = stores.map((s) => s.pruned?.at).filter(Boolean).sort().pop();
      return {
        layoutChanged: broken ? { storeId: broken[0], url: broken[1].url, detail: broken[1].detail, at: broken[1].at } : null,
        pruned: prunedCount > 0 ? { count: prunedCount, at: prunedAt } : null,
      };
    },
    watch(cb) {
      const u1 = watchHistory(() => cb());
      const u2 = watchLayout(() => cb());
      return () => {
        u1();
        u2();
      };
    },
    async importCsv(file, storeId, scheme): Promise<ImportOutcome> {
      const target = storeId ?? UNKNOWN_STORE;
      // The panel's order list open in the active tab is where the seller exported from.
      const pageScheme = scheme ? undefined : await activePageScheme();
      const { orders, report } = parseOrdersCsv(file.bytes, {
        storeId: storeId ?? undefined,
        ...(scheme && { scheme }),
        ...(pageScheme && { pageScheme }),
      });
      if (report.error) throw new Error(report.error);
      // Never a guessed scheme (C2 turns on it): nothing is kept until the seller says.
      if (report.needsScheme) {
        return {
          storeId: target,
          summary: importSummary(report),
          postings: report.postings,
          added: 0,
          updated: 0,
          skipped: report.skipped.map((x) => ({ line: x.line, reason: x.reason })),
          needsScheme: true,
        };
      }
      // The export's own time stamps the facts, so an old file never rolls back what the page showed since.
      const observedAt = file.lastModified ? new Date(file.lastModified).toISOString() : report.latestInstant;
      const msg: Message = {
        type: 'orders:import',
        storeId: target,
        orders,
        ...(observedAt && { observedAt }),
        ...(report.latestInstant && { report: { latestInstant: report.latestInstant } }),
      };
      const merge = (await browser.runtime.sendMessage(msg)) as MergeAnswer | ErrorAnswer | undefined;
      if (merge && 'error' in merge) throw new Error(merge.error);
      if (!merge || typeof merge.added !== 'number') throw new Error('the background did not answer');
      return outcomeFrom(report, merge);
    },
    // Each exported posting carries its link, on the origin it was seen on.
    exportAtRiskCsv: (orders, now, rulebook, zone) => withPostingLinks(exportAtRiskCsv(orders, now, rulebook, undefined, zone), orders, link),
    exportCancellationsCsv: (orders, now, rulebook, zone) => withPostingLinks(exportCancellationsCsv(orders, now, rulebook, zone), orders, link),
    postingUrl: link,
    async openTab(url) {
      await browser.tabs.create({ url });
    },
  };
}

/** The scheme of the Seller Panel order list in the active tab, if that is one. */
async function activePageScheme(): Promise<Scheme | undefined> {
  try {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    const url = tab?.url ? safeUrl(tab.url) : undefined;
    if (!url || !panelOriginOf(url.href)) return undefined;
    const info = pageInfo(url.href);
    return info.isPostings ? info.scheme : undefined;
  } catch {
    return undefined;
  }
}

function safeUrl(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}

/** The importer's report and the background's merge result, as the popup shows them. */
export function outcomeFrom(report: CsvReport, merge: MergeAnswer): ImportOutcome {
  return {
    storeId: merge.storeId,
    summary: importSummary(report, merge),
    postings: report.postings,
    added: merge.added,
    updated: merge.updated,
    skipped: report.skipped.map((x) => ({ line: x.line, reason: x.reason })),
    placedByCreation: report.placedBy.created,
    undated: report.undated,
  };
}
