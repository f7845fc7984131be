import { describe, expect, it } from 'vitest';
import { pushConfigChanged, type TabsApi } from '../../background/config-push';
import { isConfigChanged } from '../../lib/config-messages';
import { PANEL_MATCHES } from '../../panel/origins';

function tabs(ids: (number | undefined)[], refuse: number[] = []) {
  const queries: unknown[] = [];
  const sent: { id: number; msg: unknown }[] = [];
  const api: TabsApi = {
    query: async (q) => {
      queries.push(q);
      return ids.map((id) => ({ id }));
    },
    sendMessage: async (id, msg) => {
      if (refuse.includes(id)) throw new Error('Could not establish connection. Receiving end does not exist.');
      sent.push({ id, msg });
      return true;
    },
  };
  return { api, queries, sent };
}

describe('background → panel tabs: "settings changed" (background/config-push.ts)', () => {
  it('asks for the panel tabs only and tells each of them, and nothing else', async () => {
    const t = tabs([3, 7, undefined]);
    expect(await pushConfigChanged(t.api)).toBe(2);
    expect(t.queries).toEqual([{ url: PANEL_MATCHES }]);
    expect(t.sent.map((s) => s.id)).toEqual([3, 7]);
    for (const s of t.sent) {
      expect(isConfigChanged(s.msg)).toBe(true);
      expect(s.msg).toEqual({ type: 'config:changed' });
    }
  });

  it('a tab without our content script refuses: the others are still told, and nothing throws', async () => {
    const t = tabs([1, 2, 3], [2]);
    expect(await pushConfigChanged(t.api)).toBe(2);
    expect(t.sent.map((s) => s.id)).toEqual([1, 3]);
    const broken: TabsApi = { query: () => Promise.reject(new Error('no tabs')), sendMessage: () => Promise.resolve() };
    expect(await pushConfigChanged(broken)).toBe(0);
  });

  it('the message guard knows only this message', () => {
    expect(isConfigChanged({ type: 'config:changed' })).toBe(true);
    for (const m of [null, undefined, 'config:changed', {}, { type: 'report:status' }, { type: 'config:changed ' }]) expect(isConfigChanged(m)).toBe(false);
  });
});
