// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getLayoutFlags, setLayoutStatus } from '../../storage/layout';
import { clearAll } from '../../storage/history';

const T0 = Date.parse('2026-04-14T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => {
  fakeBrowser.reset();
});

describe('layout flag', () => {
  it('raises and clears the layout flag per store', async () => {
    await setLayoutStatus('111', 'https://seller.ozon.ru/app/postings/fbs', true, 'no rows', T0);
    await setLayoutStatus('222', 'https://seller.ozon.ru/app/postings/fbo', true, undefined, T0);
    expect(Object.keys(await getLayoutFlags()).sort()).toEqual(['111', '222']);
    expect((await getLayoutFlags())['111']).toEqual({ broken: true, url: 'https://seller.ozon.ru/app/postings/fbs', detail: 'no rows', at: iso(T0) });
    await setLayoutStatus('111', 'https://seller.ozon.ru/app/postings/fbs', false);
    expect(Object.keys(await getLayoutFlags())).toEqual(['222']);
  });

  it('goes with the history when everything is cleared', async () => {
    await setLayoutStatus('111', 'https://seller.ozon.ru/app/postings/fbs', true, 'no rows', T0);
    await clearAll();
    expect(await getLayoutFlags()).toEqual({});
  });
});
