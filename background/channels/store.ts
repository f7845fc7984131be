/**
 * Where the channels keep their state (storage.local, so an MV3 worker that
 * is stopped, or a browser that restarts, picks up exactly where it was):
 * the config (with the secrets), the outbox, the sent-log and each channel's
 * last delivery / last error. Every list here is bounded and pruned.
 */
import { storage } from 'wxt/utils/storage';
import { defaultChannels, type ChannelId, type ChannelsConfig } from './config';

export const CHANNELS_KEY = 'channels';

export const channelsItem = storage.defineItem<ChannelsConfig>(`local:${CHANNELS_KEY}`, { fallback: defaultChannels, version: 1 });

export interface OutboxEntry {
  id: string;
  channel: ChannelId;
  /** Sent-log keys this message covers (posting|kind|moment, or the summary's day). */
  keys: string[];
  text: string;
  markdown?: string;
  createdAt: number;
  attempts: number;
  /** Not before (ms): the backoff. */
  nextAt: number;
  /** A send under way until then (a worker stopped mid-request leaves it; it is retried after). */
  leaseUntil?: number;
  lastError?: string;
}

export const outboxItem = storage.defineItem<OutboxEntry[]>('local:channels:outbox', { fallback: [] });
/** `${key}|${channel}` → when it was delivered (ms). */
export const sentItem = storage.defineItem<Record<string, number>>('local:channels:sent', { fallback: {} });

export interface ChannelStatus {
  lastOkAt?: number;
  lastError?: { at: number; text: string; retrying: boolean };
}
export const statusItem = storage.defineItem<Partial<Record<ChannelId, ChannelStatus>>>('local:channels:status', { fallback: {} });
/** The summary zone's calendar day ('YYYY-MM-DD') of the last morning summary. */
export const summaryDayItem = storage.defineItem<string>('local:channels:summaryDay', { fallback: '' });
