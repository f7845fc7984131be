/** Types for scripts/browsers.mjs (plain Node so the .mjs bench and postinstall share it). */
export function findChromium(): string | undefined;
export function findFirefox(): string | undefined;
export function requireChromium(): string;
export const NO_CHROMIUM: string;
