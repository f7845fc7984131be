/**
 * An imported export file's settings and rulebook overrides merged with what
 * is stored (components/options/store.ts importData): both are validated (bad
 * values dropped and reported); the file's choices win, per-store facts
 * (auto-confirm, SKU lists) are united, so nothing of either side is lost.
 */
import { validateOverrides, type PathError } from '../../rules';
import { parseSkuList, validateSettings, type RulebookOverrides, type Settings } from '../../storage/settings';

export function mergeImportedPrefs(
  incoming: Record<string, unknown>,
  current: Record<string, unknown>,
): { settings: Settings; overrides: RulebookOverrides; rejected: PathError[] } {
  const rejected: PathError[] = [];
  // Settings: the imported file's choices win, per-store facts are united.
  const inSettings = validateSettings(incoming.settings ?? {});
  rejected.push(...(incoming.settings !== undefined ? inSettings.rejected : []));
  const here = validateSettings(current.settings ?? {}).settings;
  const mergedSettings: Settings =
    incoming.settings === undefined
      ? here
      : {
          ...inSettings.settings,
          autoConfirmShipment: { ...here.autoConfirmShipment, ...inSettings.settings.autoConfirmShipment },
          skuFlags: mergeSkuFlags(here.skuFlags, inSettings.settings.skuFlags),
        };
  // Overrides: the imported values win where valid, the rest stay.
  const inOv = validateOverrides(incoming.rulebookOverrides ?? null);
  if (incoming.rulebookOverrides !== undefined) rejected.push(...inOv.rejected);
  const hereOv = validateOverrides(current.rulebookOverrides ?? null).overrides;
  const mergedOv =
    incoming.rulebookOverrides === undefined
      ? hereOv
      : validateOverrides({ profile: inOv.overrides.profile, values: { ...hereOv.values, ...inOv.overrides.values } })
          .overrides;
  return { settings: mergedSettings, overrides: mergedOv, rejected };
}

function mergeSkuFlags(a: Settings['skuFlags'], b: Settings['skuFlags']): Settings['skuFlags'] {
  const out: Settings['skuFlags'] = { ...a };
  for (const [store, lists] of Object.entries(b)) {
    const base = out[store] ?? { digital: [], electronics: [], preorder: [] };
    out[store] = {
      digital: parseSkuList([...base.digital, ...lists.digital]),
      electronics: parseSkuList([...base.electronics, ...lists.electronics]),
      preorder: parseSkuList([...base.preorder, ...lists.preorder]),
    };
  }
  return out;
}
