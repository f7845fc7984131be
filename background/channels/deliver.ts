/**
 * The delivery queue: messages wait in a persisted outbox, are sent from the
 * background, retried with backoff on network errors, 429 and 5xx (never on
 * 4xx), and recorded in a persisted sent-log keyed by posting + moment +
 * channel, so a restarted worker or browser never sends one twice.
 *
 * Channels are independent: each one's sends run in parallel with the
 * others', a slow or failing channel holds up only itself, and nothing here
 * runs before the desktop notification (background/reminders.ts hands the moments over
 * after showing it).
 */
import { createMutex } from '../../storage/mutex';
import { CHANNEL_IDS, channelProblem, normalizeChannels, type ChannelId, type ChannelsConfig } from './config';
import { sendOne, FETCH_TIMEOUT_MS, type FetchLike } from './send';
import { channelsItem, outboxItem, sentItem, statusItem, type OutboxEntry } from './store';
import type { Message } from './transport';

/** First retry after this, doubling each time, at most RETRY_MAX_MS; given up after MAX_ATTEMPTS. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 30 * 60_000;
export const MAX_ATTEMPTS = 6;
/** A send not finished by then (worker stopped mid-request) may be tried again. */
export const LEASE_MS = FETCH_TIMEOUT_MS + 45_000;
/** The sent-log keeps a key this long (beyond any reminder's life) and at most this many. */
export const SENT_TTL_MS = 14 * 24 * 3_600_000;
export const MAX_SENT = 5_000;
/** The outbox never holds more than this (a channel down for days cannot grow it without end). */
export const MAX_OUTBOX = 200;

export interface Deps {
  fetch: FetchLike;
  now(): number;
  /** Whether the browser granted the channel's host (optional_host_permissions). */
  hasHost(id: ChannelId, cfg: ChannelsConfig): Promise<boolean>;
}

/** Backoff before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped; a service's own wait wins when longer. */
export function backoffMs(attempts: number, retryAfterMs?: number): number {
  const exp = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
  return Math.max(exp, Math.min(retryAfterMs ?? 0, RETRY_MAX_MS));
}

export function sentKey(key: string, channel: ChannelId): string {
  return `${key}|${channel}`;
}

export function pruneSent(sent: Record<string, number>, now: number): Record<string, number> {
  const entries = Object.entries(sent).filter(([, at]) => typeof at === 'number' && now - at < SENT_TTL_MS);
  entries.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries.slice(0, MAX_SENT));
}

/** The channels that may send now: on, configured. (The host permission is checked at send time.) */
export function activeChannels(cfg: ChannelsConfig, purpose: 'reminder' | 'summary'): ChannelId[] {
  return CHANNEL_IDS.filter((id) => cfg[id].enabled && !channelProblem(id, cfg) && (purpose === 'reminder' || cfg[id].summary));
}

const outboxLock = createMutex();
const drainLock = createMutex();

let seq = 0;
function newId(now: number): string {
  seq = (seq + 1) % 1_000_000;
  return `${now.toString(36)}-${seq.toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/**
 * Puts one message per channel in the outbox for the keys not yet sent nor
 * waiting on that channel. `compose` gets only those keys (one message per
 * order per moment; several orders due together in one message). Returns how
 * many entries were added.
 */
export function enqueue(
  channels: readonly ChannelId[],
  keys: readonly string[],
  compose: (keys: string[]) => Message,
  now: number,
): Promise<number> {
  if (!channels.length || !keys.length) return Promise.resolve(0);
  return outboxLock.run(async () => {
    const sent = pruneSent((await sentItem.getValue()) ?? {}, now);
    // A copy: the item's fallback is one shared array that must never be mutated.
    let outbox = [...((await outboxItem.getValue()) ?? [])];
    let added = 0;
    for (const ch of channels) {
      const waiting = new Set(outbox.filter((e) => e.channel === ch).flatMap((e) => e.keys));
      const fresh = keys.filter((k) => sent[sentKey(k, ch)] === undefined && !waiting.has(k));
      if (!fresh.length) continue;
      const msg = compose(fresh);
      outbox.push({ id: newId(now), channel: ch, keys: fresh, text: msg.text, ...(msg.markdown && { markdown: msg.markdown }), createdAt: now, attempts: 0, nextAt: now });
      added++;
    }
    if (outbox.length > MAX_OUTBOX) outbox = outbox.slice(outbox.length - MAX_OUTBOX);
    await outboxItem.setValue(outbox);
    return added;
  });
}

async function setStatus(ch: ChannelId, patch: { ok: true; at: number } | { ok: false; at: number; text: string; retrying: boolean }) {
  const all = { ...((await statusItem.getValue()) ?? {}) };
  const cur = { ...(all[ch] ?? {}) };
  if (patch.ok) cur.lastOkAt = patch.at;
  else cur.lastError = { at: patch.at, text: patch.text, retrying: patch.retrying };
  all[ch] = cur;
  await statusItem.setValue(all);
}

export interface DrainReport {
  sent: { channel: ChannelId; keys: string[] }[];
  failed: { channel: ChannelId; error: string; retry: boolean }[];
}

/**
 * Sends what is due in the outbox. One drain at a time; the outbox is only
 * locked while it is read and written, never during a request.
 */
export function drainOutbox(deps: Deps): Promise<DrainReport> {
  return drainLock.run(async () => {
    const report: DrainReport = { sent: [], failed: [] };
    const cfg = normalizeChannels(await channelsItem.getValue());
    const now = deps.now();
    // Pick and lease what is due; drop what belongs to a channel turned off or unconfigured.
    const picked = await outboxLock.run(async () => {
      const outbox = (await outboxItem.getValue()) ?? [];
      const keep: OutboxEntry[] = [];
      const due: OutboxEntry[] = [];
      for (const e of outbox) {
        if (!CHANNEL_IDS.includes(e.channel) || !cfg[e.channel].enabled || channelProblem(e.channel, cfg)) continue;
        if (e.nextAt <= now && !(e.leaseUntil !== undefined && e.leaseUntil > now)) {
          const leased = { ...e, leaseUntil: now + LEASE_MS };
          due.push(leased);
          keep.push(leased);
        } else keep.push(e);
      }
      if (due.length || keep.length !== outbox.length) await outboxItem.setValue(keep);
      return due;
    });
    if (!picked.length) return report;

    const byChannel = new Map<ChannelId, OutboxEntry[]>();
    for (const e of picked) byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e]);

    await Promise.allSettled(
      [...byChannel.entries()].map(async ([ch, entries]) => {
        const allowed = await deps.hasHost(ch, cfg).catch(() => false);
        for (const e of entries) {
          const at = deps.now();
          const out = allowed
            ? await sendOne(ch, cfg, { text: e.text, ...(e.markdown && { markdown: e.markdown }) }, at, deps.fetch)
            : ({ ok: false, error: 'host permission not granted', retry: false } as const);
          await outboxLock.run(async () => {
            const outbox = [...((await outboxItem.getValue()) ?? [])];
            const i = outbox.findIndex((x) => x.id === e.id);
            if (out.ok) {
              if (i >= 0) outbox.splice(i, 1);
              const sent = pruneSent((await sentItem.getValue()) ?? {}, at);
              for (const k of e.keys) sent[sentKey(k, ch)] = at;
              // Sent-log first, then the outbox without the entry: a stop in between leaves a logged key, never a resend.
              await sentItem.setValue(sent);
              await outboxItem.setValue(outbox);
              return;
            }
            const attempts = e.attempts + 1;
            if (i >= 0) {
              if (out.retry && attempts < MAX_ATTEMPTS) {
                const { leaseUntil: _done, ...rest } = e;
                outbox[i] = { ...rest, attempts, nextAt: at + backoffMs(attempts, out.retryAfterMs), lastError: out.error };
              } else outbox.splice(i, 1);
              await outboxItem.setValue(outbox);
            }
          });
          if (out.ok) {
            report.sent.push({ channel: ch, keys: e.keys });
            await setStatus(ch, { ok: true, at });
          } else {
            const retrying = out.retry && e.attempts + 1 < MAX_ATTEMPTS;
            report.failed.push({ channel: ch, error: out.error, retry: retrying });
            await setStatus(ch, { ok: false, at, text: out.error, retrying });
            // A channel that is down gets no more requests this run; the others are not held up by it.
            if (out.retry) break;
          }
        }
      }),
    );
    return report;
  });
}

/** The options page's test button: one message now, outside the queue; the channel's status records it. */
export async function sendTest(id: ChannelId, cfg: ChannelsConfig, msg: Message, deps: Omit<Deps, 'hasHost'>): Promise<{ ok: true } | { ok: false; error: string }> {
  const at = deps.now();
  const out = await sendOne(id, cfg, msg, at, deps.fetch);
  await setStatus(id, out.ok ? { ok: true, at } : { ok: false, at, text: out.error, retrying: false });
  return out.ok ? { ok: true } : { ok: false, error: out.error };
}

/** Forget every key: secrets emptied, channels off, nothing waiting (the options page's one click). */
export async function forgetSecrets(withoutSecrets: (c: ChannelsConfig) => ChannelsConfig): Promise<ChannelsConfig> {
  const next = withoutSecrets(normalizeChannels(await channelsItem.getValue()));
  await outboxLock.run(async () => {
    await outboxItem.setValue([]);
    await channelsItem.setValue(next);
  });
  return next;
}
