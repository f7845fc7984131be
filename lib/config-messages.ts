/**
 * Background → content script (`tabs.sendMessage` to every panel tab, background/config-push.ts):
 * the seller's settings or rulebook changed in storage. The content script reads them again itself
 * (storage/config.ts configRefresher); the message carries nothing else, so nothing in it needs
 * checking beyond its sender (this extension).
 *
 * Why a message, not `storage.local.onChanged` in the content script: that event hands every
 * listener every change of every key in the area, old and new value, and the background writes the
 * whole order history there, a megabyte or more per write, several writes per list seen. Each panel
 * tab copied all of it on the page's main thread to learn nothing (docs/performance.md "Eleventh pass").
 */
export interface ConfigChanged {
  type: 'config:changed';
}

export const CONFIG_CHANGED: ConfigChanged = { type: 'config:changed' };

export function isConfigChanged(m: unknown): m is ConfigChanged {
  return !!m && typeof m === 'object' && (m as { type?: unknown }).type === 'config:changed';
}
