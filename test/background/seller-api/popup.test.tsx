/**
 * The popup's Seller API parts: the coverage line says "complete from the
 * Seller API" only when a sync covers the window, and Ozon's own figures sit
 * beside ours (with Ozon's status and direction) once a summary was read.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CoverageLine } from '../../../components/popup/DataPanel';
import { OzonFigures } from '../../../components/popup/OzonFigures';
import { stateItem } from '../../../background/seller-api/store';
import { readRatingSummary } from '../../../background/seller-api/map';
import { defaultRulebook } from '../../../rules/rulebook';
import { summarizeStore } from '../../../rules/summarize';
import type { Order } from '../../../rules/types';

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const COV = { count: 12, from: iso(now - 10 * 86_400_000), to: iso(now) };

beforeEach(() => fakeBrowser.reset());

describe('popup: Seller API coverage and Ozon figures', () => {
  it('no sync: the usual "orders seen between" line', async () => {
    const r = render(<CoverageLine coverage={COV} rb={defaultRulebook} storeId="77" />);
    await new Promise((res) => setTimeout(res, 20));
    expect(r.container.textContent).toMatch(/12 orders seen between/);
    expect(r.container.querySelector('[data-coverage="api"]')).toBeNull();
  });

  it('a fresh complete sync: "complete from the Seller API"; a stale one does not count', async () => {
    await stateItem.setValue({ '77': { last: { at: iso(now - 5 * 60_000), since: iso(now - 30 * 86_400_000 - 5 * 60_000), to: iso(now - 5 * 60_000), postings: 12 } } });
    const r = render(<CoverageLine coverage={COV} rb={defaultRulebook} storeId="77" />);
    await waitFor(() => expect(r.container.querySelector('[data-coverage="api"]')?.textContent).toMatch(/12 orders · complete from the Seller API \(synced 5 min ago\)/));
    r.unmount();
    await stateItem.setValue({ '77': { last: { at: iso(now - 3 * 86_400_000), since: iso(now - 33 * 86_400_000), to: iso(now - 3 * 86_400_000), postings: 12 } } });
    const r2 = render(<CoverageLine coverage={COV} rb={defaultRulebook} storeId="77" />);
    await new Promise((res) => setTimeout(res, 20));
    expect(r2.container.querySelector('[data-coverage="api"]')).toBeNull();
  });

  it("Ozon's cancellation rating and error index beside ours", async () => {
    const summary = readRatingSummary({
      groups: [
        {
          group_name: 'g',
          items: [
            { rating: 'rating_order_cancellation', current_value: 2.5, past_value: 1, rating_direction: 'LOWER_IS_BETTER', status: 'CRITICAL', value_type: 'PERCENT' },
          ],
        },
      ],
      penalty_score_exceeded: true,
    });
    await stateItem.setValue({ '77': { rating: { at: iso(now), summary }, last: { at: iso(now), since: iso(now - 30 * 86_400_000), to: iso(now), postings: 0 } } });
    const orders: Order[] = [{ postingNumber: '12345678-0001-1', scheme: 'FBS', status: 'delivered', paidAt: iso(now - 2 * 86_400_000) }];
    const risk = summarizeStore(orders, now, defaultRulebook);
    const r = render(<OzonFigures storeId="77" orders={orders} now={now} rb={defaultRulebook} risk={risk} />);
    await waitFor(() => expect(r.container.querySelector('[data-ozon-rating]')).not.toBeNull());
    const c = r.container.querySelector('[data-ozon-metric="cancellation"]')!;
    expect(c.getAttribute('data-ozon-status')).toBe('CRITICAL');
    expect(c.textContent).toMatch(/2\.50\s?%/);
    expect(c.textContent).toMatch(/critical/);
    expect(c.textContent).toMatch(/lower is better/);
    expect(c.textContent).toMatch(/ours, same definition: 0\.00\s?%/);
    expect(r.container.querySelector('[data-ozon-metric="error-index"]')!.getAttribute('data-ozon-status')).toBe('missing');
    expect(r.container.querySelector('[data-ozon-penalty]')).not.toBeNull();
    expect(r.container.textContent).toMatch(/not the thresholds/);
  });

  it('no summary read yet: nothing shown', async () => {
    const r = render(<OzonFigures storeId="77" orders={[]} now={now} rb={defaultRulebook} risk={summarizeStore([], now)} />);
    await new Promise((res) => setTimeout(res, 20));
    expect(r.container.innerHTML).toBe('');
  });
});
