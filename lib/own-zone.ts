/**
 * The seller's own zone on first run (the second clock, T2). Multi-store
 * fingerprint browsers (ZiNiao, AdsPower) are set to ru-RU and Moscow, so the
 * browser's zone would make "own time" Moscow a second time: when the browser
 * says Moscow and the seller has not confirmed a zone, the options page asks
 * (and the popup hints). The answer goes to the existing `secondZone` setting;
 * the confirmation is its own small key so the settings' shape stays as it is.
 */
import { storage } from 'wxt/utils/storage';

export const ZONE_CONFIRMED_KEY = 'local:ownZoneConfirmed';
export const zoneConfirmedItem = /* @__PURE__ */ storage.defineItem<boolean>(ZONE_CONFIRMED_KEY, { fallback: false });

/** Offered first in the prompt: where sellers behind a Moscow-set browser usually are; Moscow last ("I am in Moscow"). */
export const OWN_ZONE_CHOICES: readonly string[] = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Yekaterinburg', 'Asia/Almaty', 'Europe/Moscow'];

/** Moscow's fixed offset (UTC+3, no DST since 2014), in getTimezoneOffset's sign. */
const MOSCOW_OFFSET = -180;

/**
 * Whether the browser's zone is Moscow: its IANA name (or the old alias), or a
 * zone at UTC+3 with no DST (both offsets of the year equal −180).
 */
export function isMoscowLike(zone: string, januaryOffset: number, julyOffset: number): boolean {
  if (zone === 'Europe/Moscow' || zone === 'W-SU') return true;
  // A browser whose zone name is hidden or odd but sits at UTC+3 all year is asked too: asking once costs one click.
  return januaryOffset === MOSCOW_OFFSET && julyOffset === MOSCOW_OFFSET;
}

/** The prompt shows only when the browser says Moscow, the seller has not confirmed and has not chosen a zone themselves. */
export function needsZonePrompt(p: { browserZone: string; januaryOffset: number; julyOffset: number; confirmed: boolean; secondZone: string }): boolean {
  if (p.confirmed) return false;
  if (p.secondZone && p.secondZone !== 'auto') return false;
  return isMoscowLike(p.browserZone, p.januaryOffset, p.julyOffset);
}

/** This browser's facts for needsZonePrompt. */
export function browserZoneFacts(year = new Date().getFullYear()): { januaryOffset: number; julyOffset: number } {
  return { januaryOffset: new Date(year, 0, 1).getTimezoneOffset(), julyOffset: new Date(year, 6, 1).getTimezoneOffset() };
}
