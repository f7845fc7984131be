/**
 * What the real-browser tests check a badge against: contract §3's attributes
 * as evaluateOrder says them for the expected order, and a retry helper for
 * pages that settle in their own time. Shared by every badge-checking e2e file.
 */
import type { Page } from 'playwright-core';
import { evaluateOrder } from '../../rules/index';
import { defaultRulebook } from '../../rules/rulebook';
import type { Order } from '../../rules/types';
import type { ExpectedOrder } from '../fixtures/panel/types';

export type Attrs = Record<string, string | null>;

/** Retries `fn` until it stops throwing (a real page settles in its own time). */
export async function until<T>(fn: () => Promise<T>, timeoutMs = 10_000, stepMs = 150): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }
}

/** The contract §3 attributes of every badge host on the page, in document order. */
export async function badgeAttrs(page: Page): Promise<Attrs[]> {
  return page.$$eval('[data-ozon-guard]', (els) =>
    els.map((e) => ({
      posting: e.getAttribute('data-posting'),
      status: e.getAttribute('data-status'),
      cancel: e.getAttribute('data-cancel'),
      archive: e.getAttribute('data-archive'),
      deadline: e.getAttribute('data-deadline'),
      due: e.getAttribute('data-due'),
      level: e.getAttribute('data-level'),
    })),
  );
}

/** What contract §3 says the badge of `o` carries at `now`. */
export function contractAttrs(o: ExpectedOrder, now: number): Attrs {
  const v = evaluateOrder(o as Order, now, defaultRulebook);
  return {
    posting: o.postingNumber,
    status: o.status,
    cancel: v.cancel.allowed ? 'allowed' : 'blocked',
    archive: v.archive.allowed ? 'allowed' : 'blocked',
    deadline: v.deadline ? v.deadline.kind : 'none',
    due: v.deadline ? new Date(v.deadline.dueAt).toISOString() : null,
    level: v.level,
  };
}

/** `data-due` compared as an instant (milliseconds or not). */
export const norm = (a: Attrs): Attrs => ({ ...a, due: a.due ? new Date(a.due).toISOString() : null });
