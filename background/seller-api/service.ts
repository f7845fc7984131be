/**
 * The background side of the Seller API sync: one alarm, two messages, and
 * the resume of a run a stopped worker left unfinished. Registered by one
 * call in entrypoints/background.ts. Nothing here runs for a store whose
 * sync is off, and nothing at all when no store has it on: then no request
 * ever goes to an API host (test/e2e/api-sync.e2e.ts checks it).
 */
import { browser } from 'wxt/browser';
import { apiPost, ApiError } from './client';
import { hostPattern, isApiOrigin, READ_PATHS, type ApiOrigin } from './paths';
import { readKeys, readState, keysItem } from './store';
import { syncStore, type SyncDeps, type SyncOutcome } from './sync';
import { readRatingSummary } from './map';
import { loadConfig } from '../../storage/config';

export const SYNC_ALARM = 'oog:api-sync';
/** "Every few hours while the browser runs": often enough for a daily rate, rare enough for Ozon's rate limits. */
export const SYNC_PERIOD_MINUTES = 180;

export type ApiSyncMessage =
  /** Options → background: a cheap read with these (or the stored) credentials. Answer: CheckAnswer. */
  | { type: 'apiSync:check'; clientId: string; apiKey?: string; origin: ApiOrigin }
  /** Options / popup → background: sync now (one store, or every store with sync on). Answer: { started: string[] }. */
  | { type: 'apiSync:run'; storeId?: string };

export type CheckAnswer = { ok: true; ratings: number } | { ok: false; kind: string; status?: number; detail?: string };

export async function hasPermission(origin: string): Promise<boolean> {
  if (!isApiOrigin(origin)) return false;
  try {
    return await browser.permissions.contains({ origins: [hostPattern(origin)] });
  } catch {
    return false;
  }
}

async function deps(): Promise<SyncDeps> {
  const { rulebook } = await loadConfig();
  return { windowDays: rulebook.metrics.windowDays.value, hasPermission };
}

/** Syncs every store whose sync is on (or one), one after another; never throws. */
export async function syncAll(only?: string): Promise<SyncOutcome[]> {
  const keys = await readKeys();
  const out: SyncOutcome[] = [];
  const d = await deps();
  for (const id of Object.keys(keys)) {
    if (only !== undefined && id !== only) continue;
    if (!keys[id]!.enabled) continue;
    try {
      out.push(await syncStore(id, d));
    } catch (e) {
      console.warn('[ozon-order-guard] API sync failed', (e as Error)?.name);
    }
  }
  return out;
}

/** The one periodic alarm exists exactly while some store has sync on. */
export async function ensureSyncAlarm(): Promise<void> {
  const keys = await readKeys();
  const on = Object.values(keys).some((k) => k.enabled);
  const cur = await browser.alarms.get(SYNC_ALARM);
  if (!on) {
    if (cur) await browser.alarms.clear(SYNC_ALARM);
    return;
  }
  if (!cur || cur.periodInMinutes !== SYNC_PERIOD_MINUTES) {
    await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES, delayInMinutes: SYNC_PERIOD_MINUTES });
  }
}

/** Worker start: the alarm is right and a run a stopped worker left half-way goes on. */
export async function resumeSyncs(): Promise<void> {
  const [keys, state] = await Promise.all([readKeys(), readState()]);
  const d = await deps();
  for (const [id, s] of Object.entries(state)) {
    if (s.run && keys[id]?.enabled) await syncStore(id, d).catch(() => undefined);
  }
}

export async function checkKey(m: { clientId: unknown; apiKey?: unknown; origin: unknown }): Promise<CheckAnswer> {
  const clientId = typeof m.clientId === 'string' ? m.clientId.trim() : '';
  if (!isApiOrigin(m.origin)) return { ok: false, kind: 'refused' };
  let apiKey = typeof m.apiKey === 'string' ? m.apiKey.trim() : '';
  if (!apiKey) apiKey = (await readKeys())[clientId]?.apiKey ?? '';
  if (!(await hasPermission(m.origin))) return { ok: false, kind: 'permission' };
  try {
    const body = await apiPost({ clientId, apiKey, origin: m.origin }, READ_PATHS.ratingSummary, {}, { attempts: 2 });
    return { ok: true, ratings: readRatingSummary(body).items };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, kind: e.kind, ...(e.status && { status: e.status }), ...(e.detail && { detail: e.detail }) };
    return { ok: false, kind: 'network' };
  }
}

interface SenderLike {
  id?: string;
  url?: string;
}

function fromExtension(sender: SenderLike | undefined): boolean {
  if (!sender || (sender.id && sender.id !== browser.runtime.id)) return false;
  let own = '';
  try {
    own = browser.runtime.getURL('/');
  } catch {
    /* tests */
  }
  return typeof sender.url === 'string' && (own ? sender.url.startsWith(own) : !sender.url.startsWith('http'));
}

/** The answer to an apiSync message, or undefined when the message is not one. Extension pages only. */
export function handleApiSyncMessage(msg: unknown, sender?: SenderLike): Promise<unknown> | undefined {
  if (!msg || typeof msg !== 'object') return undefined;
  const m = msg as Record<string, unknown>;
  if (m.type !== 'apiSync:check' && m.type !== 'apiSync:run') return undefined;
  if (!fromExtension(sender)) return Promise.resolve({ error: `${m.type} only from the extension` });
  if (m.type === 'apiSync:check') return checkKey(m as { clientId: unknown; apiKey?: unknown; origin: unknown });
  const only = typeof m.storeId === 'string' ? m.storeId : undefined;
  return (async () => {
    const keys = await readKeys();
    const started = Object.keys(keys).filter((id) => keys[id]!.enabled && (only === undefined || id === only));
    // The run reports through storage (progress, errors); the answer only says it began.
    void syncAll(only).then(() => ensureSyncAlarm().catch(() => undefined));
    await ensureSyncAlarm().catch(() => undefined);
    return { started };
  })();
}

/** Wiring for entrypoints/background.ts: registered synchronously, like every other listener there. */
export function registerApiSync(): void {
  browser.runtime.onMessage.addListener((msg: unknown, sender, sendResponse: (r: unknown) => void) => {
    const answer = handleApiSyncMessage(msg, sender);
    if (!answer) return undefined;
    answer.then(sendResponse, () => sendResponse({ error: 'failed' }));
    return true;
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void syncAll();
  });
  keysItem.watch(() => void ensureSyncAlarm().catch(() => undefined));
  void ensureSyncAlarm()
    .catch(() => undefined)
    .then(() => resumeSyncs())
    .catch(() => undefined);
}
