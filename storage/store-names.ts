/**
 * Store names the seller gives (the options page's store facts, C2). The panel
 * prints the company name, but no captured page or JSON carries it next to the
 * company id (docs/real-panel.md), so the seller names a store; that name wins
 * over any label seen and shows wherever the store is shown (popup, options,
 * morning summary) — all of them read the store list through storage/history/.
 */
import { storage } from 'wxt/utils/storage';
import type { ValidationError } from '../rules';

export const STORE_NAMES_KEY = 'local:storeNames';
export const storeNamesItem = /* @__PURE__ */ storage.defineItem<Record<string, string>>(STORE_NAMES_KEY, { fallback: {} });

/** Longest name kept: a company name, not a text. */
export const STORE_NAME_MAX = 60;

/** A name as typed: trimmed, control characters refused, empty = "no name" (back to the id). */
export function validateStoreName(input: unknown): { ok: true; value: string } | { ok: false; error: ValidationError } {
  if (typeof input !== 'string') return { ok: false, error: { key: 'storename_err', subs: [STORE_NAME_MAX] } };
  const v = input.replace(/\s+/g, ' ').trim();
  if (v.length > STORE_NAME_MAX || /[\u0000-\u001f\u007f]/.test(v)) return { ok: false, error: { key: 'storename_err', subs: [STORE_NAME_MAX] } };
  return { ok: true, value: v };
}

/** The names stored, only well-formed entries (a hand-edited or old value loses nothing else). */
export async function readStoreNames(): Promise<Record<string, string>> {
  try {
    const raw = await storeNamesItem.getValue();
    const out: Record<string, string> = {};
    if (raw && typeof raw === 'object' && !Array.isArray(raw))
      for (const [id, name] of Object.entries(raw)) {
        const r = validateStoreName(name);
        if (r.ok && r.value) out[id] = r.value;
      }
    return out;
  } catch {
    return {};
  }
}

/** Sets (or with an empty name, removes) a store's name. */
export async function setStoreName(storeId: string, name: string): Promise<{ ok: true } | { ok: false; error: ValidationError }> {
  const r = validateStoreName(name);
  if (!r.ok) return r;
  const cur = await readStoreNames();
  if (r.value) cur[storeId] = r.value;
  else delete cur[storeId];
  await storeNamesItem.setValue(cur);
  return { ok: true };
}
