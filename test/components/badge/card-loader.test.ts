/**
 * The card stand-in (components/badge/card-loader.ts) and the lazy loader
 * (components/overlay/lazy.ts): the real card once the chunk is in, the same host throughout,
 * a plain "could not load" when it is not (no throw), a retry on the next hover, and the
 * chunk's strings following the content script's language.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLazyHoverCard } from '../../../components/badge/card-loader';
import { createHoverCard, type CardData } from '../../../components/badge/card';
import { createAtRiskPanel } from '../../../components/badge/atrisk-list';
import { configureLazy, LAZY_KEYS, type UiApi } from '../../../components/overlay/lazy';
import { useMessages, type Lang, type MessageTable } from '../../../lib/i18n';
import { defaultRulebook } from '../../../rules/rulebook';
import type { Order, Verdict } from '../../../rules/types';

const now = Date.UTC(2026, 10, 22, 9, 0, 0);
const order: Order = { postingNumber: '16965409-0014-1', scheme: 'FBS', status: 'awaiting_packaging' };
const verdict: Verdict = {
  postingNumber: order.postingNumber,
  cancel: { allowed: true, rule: 'C1' } as Verdict['cancel'],
  archive: { allowed: false, rule: 'A2' },
  deadline: { kind: 'ship', dueAt: '2026-11-22T11:00:00.000Z', msLeft: 2 * 3600_000, rule: 'D2', source: 'page' },
  level: 'at_risk',
  rules: ['C1', 'A2', 'D2'],
};
const data: CardData = { order, verdict, now, rulebook: defaultRulebook, ownZone: 'Asia/Shanghai', hour12: false };

const flush = () => new Promise((r) => setTimeout(r, 0));
const KEY = LAZY_KEYS.ui;
const g = globalThis as Record<symbol, unknown>;

/** A chunk that registers the real card (what entrypoints/overlay-ui.ts does), recording the strings handed to it. */
function fakeChunk(seen: { lang: Lang | null; table: MessageTable | null }[]) {
  return vi.fn(async (_url?: string) => {
    const api: UiApi = { createHoverCard, createAtRiskPanel, useMessages: (lang, table) => seen.push({ lang, table }) };
    g[KEY] = api;
  });
}

describe('the card, loaded on first use', () => {
  afterEach(() => {
    configureLazy(null);
    delete g[KEY];
    document.body.replaceChildren();
  });

  it('loads the chunk on the first show only, then shows the real card in the same host', async () => {
    const seen: { lang: Lang | null; table: MessageTable | null }[] = [];
    const importer = fakeChunk(seen);
    configureLazy({ url: (f) => `chrome-extension://x${f}`, messages: () => ({ lang: null, table: null }), importer });
    const anchor = document.body.appendChild(document.createElement('span'));
    const card = createLazyHoverCard(document);
    const host = card.host;
    expect(importer).not.toHaveBeenCalled();
    card.show(anchor, data);
    expect(card.anchor).toBe(anchor); // pending: leaving the badge can still cancel it
    await flush();
    expect(importer).toHaveBeenCalledWith('chrome-extension://x/overlay-ui.js');
    expect(card.host).toBe(host);
    expect(host.isConnected).toBe(true);
    expect(host.hidden).toBe(false);
    expect(host.shadowRoot?.textContent).toContain('16965409-0014-1');
    card.hide();
    expect(card.anchor).toBeNull();
    card.show(anchor, data);
    expect(host.hidden).toBe(false); // synchronous once loaded
    expect(importer).toHaveBeenCalledTimes(1);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a hide before the chunk arrives cancels the show', async () => {
    configureLazy({ url: (f) => f, messages: () => ({ lang: null, table: null }), importer: fakeChunk([]) });
    const anchor = document.body.appendChild(document.createElement('span'));
    const card = createLazyHoverCard(document);
    card.show(anchor, data);
    card.hide();
    await flush();
    expect(card.host.hidden).toBe(true);
  });

  it('a chunk that cannot be loaded: the card says so in plain text, nothing throws, the next hover retries', async () => {
    let fail = true;
    const ok = fakeChunk([]);
    const importer = vi.fn(async (u: string) => {
      if (fail) throw new TypeError('Failed to fetch dynamically imported module');
      return ok(u);
    });
    configureLazy({ url: (f) => f, messages: () => ({ lang: null, table: null }), importer });
    const anchor = document.body.appendChild(document.createElement('span'));
    const card = createLazyHoverCard(document);
    expect(() => card.show(anchor, data)).not.toThrow();
    await flush();
    expect(card.host.hidden).toBe(false);
    expect(card.host.shadowRoot).toBeNull();
    expect(card.host.textContent).toContain('could not be loaded');
    card.hide();
    expect(card.host.hidden).toBe(true);
    fail = false;
    card.show(anchor, data);
    await flush();
    expect(importer).toHaveBeenCalledTimes(2);
    expect(card.host.getAttribute('style') ?? '').not.toMatch(/border|background/); // the fallback's look is gone (only the real card's top/left)
    expect(card.host.shadowRoot?.textContent).toContain('16965409-0014-1');
  });

  it("the chunk's copy of the strings follows the content script's language", async () => {
    const seen: { lang: Lang | null; table: MessageTable | null }[] = [];
    let current: { lang: Lang | null; table: MessageTable | null } = { lang: null, table: null };
    configureLazy({ url: (f) => f, messages: () => current, importer: fakeChunk(seen) });
    const anchor = document.body.appendChild(document.createElement('span'));
    const card = createLazyHoverCard(document);
    card.show(anchor, data);
    await flush();
    const before = seen.length;
    current = { lang: 'ru', table: { card_title: 'Заказ $1' } };
    useMessages(current.lang, current.table); // what the entrypoint does on a language switch
    card.update(data);
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)).toEqual(current);
    card.update(data);
    expect(seen.length).toBe(before + 1); // no change, no re-sync
    useMessages(null, null);
  });
});
