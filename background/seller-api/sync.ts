/**
 * The Seller API sync of one store: every posting of the metric window (M1,
 * the rulebook's windowDays) plus those older ones still open, for FBS/rFBS
 * and FBO, page by page to the end of each list, merged into the store's
 * history as JSON facts (storage/history/ mergeOrders with source 'json': API
 * instants win over text, exactly like the panel's own JSON).
 *
 * A state machine persisted in storage (background/seller-api/store.ts): after each
 * batch of pages is merged, the cursor / offset of every scheme is written,
 * so an MV3 worker stopped mid-way resumes from the last merged page (a page
 * merged twice changes nothing: the merge is idempotent).
 *
 * Methods: FBS `/v4/posting/fbs/list` (cursor), falling back to
 * `/v3/posting/fbs/list` (offset) when Ozon refuses v4; FBO
 * `/v3/posting/fbo/list` (cursor) falling back to `/v2/posting/fbo/list`
 * (offset). Shapes: ../shared/real-samples/SOURCES.md §1.
 */
import { apiPost, ApiError, type ApiCreds, type ClientOptions } from './client';
import { MAX_OFFSET, PAGE_LIMIT, READ_PATHS } from './paths';
import { ordersOfPage, readListPage, readRatingSummary, readReasonTitles, type ListPage } from './map';
import { readKeys, readState, stateItem, type Pass, type SchemeKey, type SchemeRun, type StoreSyncState, type SyncError, type SyncRun } from './store';
import { createMutex } from '../../storage/mutex';
import { mergeOrders, RETENTION_DAYS } from '../../storage/history';
import type { Order } from '../../rules';
import { MS_DAY } from '../../rules';

type Method = NonNullable<SchemeRun['method']>;

const PRIMARY: Record<SchemeKey, Method> = { FBS: 'fbsListV4', FBO: 'fboListV3' };
const FALLBACK: Partial<Record<Method, Method>> = { fbsListV4: 'fbsListV3', fboListV3: 'fboListV2' };
const OFFSET_METHODS = new Set<Method>(['fbsListV3', 'fboListV2']);

/**
 * Statuses of a posting that is not finished (SOURCES.md §4): older postings
 * in one of them still matter (deadlines, reminders), so a second pass reaches
 * back to the history's retention for them.
 */
export const OPEN_STATUSES: Record<SchemeKey, string[]> = {
  FBS: [
    'awaiting_registration',
    'acceptance_in_progress',
    'awaiting_approve',
    'awaiting_packaging',
    'awaiting_deliver',
    'awaiting_verification',
    'arbitration',
    'client_arbitration',
    'driver_pickup',
    'delivering',
    'sent_by_seller',
    'not_accepted',
  ],
  FBO: ['awaiting_packaging', 'awaiting_deliver', 'delivering'],
};

/** A run older than this is started afresh instead of resumed (its window has moved on). */
export const RUN_STALE_MS = 12 * 3_600_000;
/** Postings merged per history write (each write rewrites the store's item). */
export const MERGE_BATCH = 2_000;

export interface SyncDeps extends ClientOptions {
  now?: () => number;
  /** The metric window in days (the rulebook's M1). */
  windowDays: number;
  /** Whether the host permission for the origin is granted (default: assume yes; the background passes the real check). */
  hasPermission?: (origin: string) => Promise<boolean>;
  /** Where orders go (default: the history, as JSON facts). */
  merge?: (storeId: string, orders: Order[], at: number) => Promise<unknown>;
  batch?: number;
}

export type SyncOutcome =
  | { status: 'done'; postings: number }
  | { status: 'off' }
  | { status: 'busy' }
  | { status: 'error'; error: SyncError };

const stateLock = createMutex();

/** Read-modify-write of one store's sync state (several stores may sync at once). */
export function updateState(storeId: string, fn: (s: StoreSyncState) => StoreSyncState | undefined): Promise<StoreSyncState | undefined> {
  return stateLock.run(async () => {
    const all = { ...(await readState()) };
    const next = fn({ ...(all[storeId] ?? {}) });
    if (next && Object.keys(next).length) all[storeId] = next;
    else delete all[storeId];
    await stateItem.setValue(all);
    return next;
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The passes of one scheme: the whole window, then the older postings still open. */
export function planPasses(scheme: SchemeKey, since: string, to: string, now: number): Pass[] {
  const oldest = iso(now - RETENTION_DAYS * MS_DAY);
  return [
    { since, to },
    { since: oldest, to: since, statuses: [...OPEN_STATUSES[scheme]] },
  ];
}

/** Offset methods take one status per request: a pass with several becomes one per status. */
function passesFor(method: Method, passes: Pass[]): Pass[] {
  if (!OFFSET_METHODS.has(method)) return passes;
  return passes.flatMap((p) => (p.statuses && p.statuses.length > 1 ? p.statuses.map((s) => ({ ...p, statuses: [s] })) : [p]));
}

export function newRun(now: number, windowDays: number): SyncRun {
  const to = iso(now);
  const since = iso(now - windowDays * MS_DAY);
  const scheme = (k: SchemeKey): SchemeRun => ({ method: PRIMARY[k], passes: planPasses(k, since, to, now), pass: 0, done: false });
  return { startedAt: iso(now), since, to, postings: 0, schemes: { FBS: scheme('FBS'), FBO: scheme('FBO') } };
}

/** The request body of one page (SOURCES.md §1 request shapes). */
export function requestBody(method: Method, pass: Pass, s: Pick<SchemeRun, 'cursor' | 'offset'>): Record<string, unknown> {
  const limit = PAGE_LIMIT[method];
  if (OFFSET_METHODS.has(method)) {
    const filter: Record<string, unknown> = { since: pass.since, to: pass.to };
    if (pass.statuses?.[0]) filter.status = pass.statuses[0];
    return { dir: 'ASC', filter, limit, offset: s.offset ?? 0 };
  }
  const filter: Record<string, unknown> = { since: pass.since, to: pass.to };
  if (pass.statuses?.length) filter.statuses = pass.statuses;
  return { ...(s.cursor && { cursor: s.cursor }), filter, limit, sort_dir: 'ASC' };
}

function latestInProcess(page: ListPage): string | undefined {
  let best: string | undefined;
  for (const p of page.postings) {
    const v = p.in_process_at ?? p.created_at;
    if (typeof v === 'string' && Number.isFinite(Date.parse(v)) && (!best || Date.parse(v) > Date.parse(best))) best = v;
  }
  return best;
}

/**
 * Moves a scheme's position past one page; whether the scheme's current pass ended.
 * Cursor methods follow `cursor` while `has_next`; offset methods step by the
 * limit until a short page (v2 FBO says nothing else) or `has_next: false`. At
 * Ozon's offset ceiling the pass restarts from the newest posting seen
 * (ascending order), so a very large store is still read to the end.
 */
export function advance(s: SchemeRun, page: ListPage): boolean {
  const method = s.method!;
  const limit = PAGE_LIMIT[method];
  if (OFFSET_METHODS.has(method)) {
    const more = page.hasNext ?? page.postings.length >= limit;
    if (!more || page.postings.length === 0) return endPass(s);
    const next = (s.offset ?? 0) + limit;
    if (next > MAX_OFFSET) {
      const pass = s.passes[s.pass]!;
      const from = latestInProcess(page);
      if (!from || Date.parse(from) <= Date.parse(pass.since)) return endPass(s);
      s.passes = s.passes.map((p, i) => (i === s.pass ? { ...p, since: from } : p));
      s.offset = 0;
      return false;
    }
    s.offset = next;
    return false;
  }
  if (page.hasNext && page.cursor && page.cursor !== s.cursor && page.postings.length > 0) {
    s.cursor = page.cursor;
    return false;
  }
  return endPass(s);
}

function endPass(s: SchemeRun): boolean {
  s.pass++;
  delete s.cursor;
  delete s.offset;
  if (s.pass >= s.passes.length) s.done = true;
  return true;
}

function errorOf(e: unknown, now: number): SyncError {
  if (e instanceof ApiError) {
    return { kind: e.kind, at: iso(now), path: e.path, ...(e.status && { status: e.status }), ...(e.detail && { detail: e.detail }) };
  }
  return { kind: 'network', at: iso(now), detail: String((e as Error)?.message ?? e).slice(0, 200) };
}

const running = new Map<string, Promise<SyncOutcome>>();

/** Syncs one store (resuming a run in progress). Concurrent calls for the same store share one run. */
export function syncStore(storeId: string, deps: SyncDeps): Promise<SyncOutcome> {
  const cur = running.get(storeId);
  if (cur) return cur;
  const p = runSync(storeId, deps).finally(() => running.delete(storeId));
  running.set(storeId, p);
  return p;
}

async function runSync(storeId: string, deps: SyncDeps): Promise<SyncOutcome> {
  const now = deps.now ?? Date.now;
  const entry = (await readKeys())[storeId];
  if (!entry || !entry.enabled) return { status: 'off' };
  const creds: ApiCreds = { clientId: entry.clientId, apiKey: entry.apiKey, origin: entry.origin };
  if (deps.hasPermission && !(await deps.hasPermission(entry.origin))) {
    const error: SyncError = { kind: 'permission', at: iso(now()) };
    await updateState(storeId, (s) => ({ ...s, error }));
    return { status: 'error', error };
  }
  const merge = deps.merge ?? ((id: string, orders: Order[], at: number) => mergeOrders(id, orders, 'json', at));
  const batch = deps.batch ?? MERGE_BATCH;

  const prev = (await readState())[storeId];
  const run: SyncRun =
    prev?.run && now() - Date.parse(prev.run.startedAt) < RUN_STALE_MS ? structuredClone(prev.run) : newRun(now(), deps.windowDays);
  /** The position whose pages are all merged: what a resume may start from. */
  let committed = structuredClone(run);
  const save = (extra: Partial<StoreSyncState> = {}) => {
    committed = structuredClone(run);
    return updateState(storeId, (s) => ({ ...s, run: structuredClone(committed), ...extra }));
  };
  await save();

  let buffer: Order[] = [];
  const flush = async () => {
    if (buffer.length) {
      await merge(storeId, buffer, now());
      run.postings += buffer.length;
      buffer = [];
    }
    await save();
  };

  try {
    // The rating first: the cheapest call, and a bad key fails here before any list.
    if (!run.ratingDone) {
      try {
        const summary = readRatingSummary(await apiPost(creds, READ_PATHS.ratingSummary, {}, deps));
        run.ratingDone = true;
        await save({ rating: { at: iso(now()), summary } });
      } catch (e) {
        // A key whose role cannot read ratings may still read postings: only a bad key stops here.
        if (!(e instanceof ApiError) || e.kind === 'auth' || e.kind === 'network') throw e;
        run.ratingDone = true;
        await save();
      }
    }
    if (!run.reasonTitles) {
      const titles: NonNullable<SyncRun['reasonTitles']> = {};
      for (const [key, path] of [
        ['FBS', READ_PATHS.fbsCancelReasons],
        ['FBO', READ_PATHS.fboCancelReasons],
      ] as const) {
        try {
          titles[key] = readReasonTitles(await apiPost(creds, path, {}, deps));
        } catch (e) {
          if (!(e instanceof ApiError) || e.kind === 'auth') throw e;
          // Titles only fill texts; a list Ozon will not give is not worth stopping for.
        }
      }
      run.reasonTitles = titles;
      await save();
    }
    for (const key of ['FBS', 'FBO'] as SchemeKey[]) {
      const s = run.schemes[key];
      s.method ??= PRIMARY[key];
      while (!s.done) {
        // Turned off (or the key removed) mid-run: stop before the next request, keep the position.
        if (!(await readKeys())[storeId]?.enabled) {
          await flush();
          return { status: 'off' };
        }
        const pass = s.passes[s.pass]!;
        const method: Method = s.method ?? PRIMARY[key];
        let body: unknown;
        try {
          body = await apiPost(creds, READ_PATHS[method], requestBody(method, pass, s), deps);
        } catch (e) {
          const fb: Method | undefined = FALLBACK[method];
          if (e instanceof ApiError && e.kind === 'not_found' && fb) {
            // Ozon retired (or never had) this version here: the older method, from the start of the scheme.
            await flush();
            s.method = fb;
            s.passes = passesFor(fb, planPasses(key, run.since, run.to, Date.parse(run.startedAt)));
            s.pass = 0;
            delete s.cursor;
            delete s.offset;
            continue;
          }
          throw e;
        }
        const page = readListPage(body);
        buffer.push(...ordersOfPage(page, key, storeId, run.reasonTitles?.[key]));
        const passEnded = advance(s, page);
        if (buffer.length >= batch || passEnded) await flush();
      }
    }
    await flush();
    const done = { at: iso(now()), since: run.since, to: run.to, postings: run.postings };
    await updateState(storeId, (s) => {
      const next: StoreSyncState = { ...s, last: done };
      delete next.run;
      delete next.error;
      return next;
    });
    return { status: 'done', postings: run.postings };
  } catch (e) {
    const error = errorOf(e, now());
    // What was fetched is merged and the position kept: the next run resumes there.
    // If even that merge fails, the position of the last merged page is kept instead.
    try {
      if (buffer.length) await merge(storeId, buffer, now());
      run.postings += buffer.length;
      buffer = [];
      committed = structuredClone(run);
    } catch {
      /* the pages after `committed` are fetched again on resume */
    }
    await updateState(storeId, (s) => ({ ...s, run: structuredClone(committed), error }));
    return { status: 'error', error };
  }
}
