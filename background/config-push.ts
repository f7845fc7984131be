/**
 * Tells every open Seller Panel tab that the seller's settings or rulebook changed
 * (lib/config-messages.ts says why the tabs do not watch storage themselves). The
 * panel's origins are the extension's required host permissions, so the query sees those tabs and
 * no other. A tab without our content script (still loading, or not reloaded since an update)
 * refuses the message: nothing is lost, its overlay reads the settings when it starts.
 */
import { PANEL_MATCHES } from '../panel/origins';
import { CONFIG_CHANGED } from '../lib/config-messages';

export interface TabsApi {
  query(q: { url: string[] }): Promise<{ id?: number }[]>;
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

/** How many tabs were told. Never throws. */
export async function pushConfigChanged(tabs: TabsApi): Promise<number> {
  let list: { id?: number }[];
  try {
    list = await tabs.query({ url: [...PANEL_MATCHES] });
  } catch {
    return 0;
  }
  const sent = await Promise.all(
    list.map((t) =>
      t.id === undefined
        ? false
        : tabs.sendMessage(t.id, CONFIG_CHANGED).then(
            () => true,
            () => false,
          ),
    ),
  );
  return sent.filter(Boolean).length;
}
