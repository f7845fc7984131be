/**
 * What every part of one overlay run shares (docs/architecture.md, "The page
 * side"): the environment, the configuration in force, where the page is,
 * and the error guard. It owns no listener and no timer; the parts that do
 * (rows.ts, scan.ts, clock.ts, card.ts, chip.ts, layout-watch.ts, sender.ts)
 * each hold their own and free them in their destroy().
 */
import type { PageInfo, ReadContext } from '../../panel/types';
import { rulebookCfg } from '../../rules';
import { defaultRulebook, type Rulebook } from '../../rules';
import type { Message } from '../../background/messages';
import { UNKNOWN_STORE } from '../../rules';
import { defaultSettings, type Settings } from '../../storage/settings';
import type { BadgeView, LevelLines } from '../../components/badge/badge';
import { PageZoneTracker } from './page-zone';
import type { JsonOffload } from './json-offload';
import type { KeyShape } from '../../panel/report-json';

export interface ControllerEnv {
  doc: Document;
  win: Window;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** To the background; may reject (extension reloaded): the controller swallows it. */
  send(msg: Message): Promise<unknown> | void;
  /** Reports a caught error (logged once per kind by the entrypoint). */
  onError(e: unknown, where: string): void;
  warn(message: string): void;
  /** The worker for the panel's big JSON bodies (json-offload.ts); none: they are taken in on the page's thread. */
  offload?: JsonOffload;
  /** The page report's key log (report-keys.ts): the key structure of bodies the worker took in. */
  apiKeys?: { wants(path: string): boolean; add(path: string, shape: KeyShape): void };
  /**
   * Past the first badges of a long list, draw each badge's pills only near the viewport
   * (components/overlay/clock.ts DRAW_AT_ONCE): the content script's choice, where the browser's
   * IntersectionObserver answers. Off (every badge drawn at once) where unset.
   */
  drawNear?: boolean;
}

/** The same D5 lines evaluateOrder uses (including its guard against an edited rulebook holding garbage). */
export function levelLines(rulebook: Rulebook): LevelLines {
  const cfg = rulebookCfg(rulebook);
  return { atRiskMs: cfg.atRiskMs, criticalMs: cfg.criticalMs };
}

function viewOf(settings: Settings): BadgeView {
  return { density: settings.badgeDensity, parts: { ...settings.badgeParts } };
}

export class OverlayState {
  settings: Settings = defaultSettings;
  rulebook: Rulebook = defaultRulebook;
  lines: LevelLines = levelLines(defaultRulebook);
  view: BadgeView = viewOf(defaultSettings);
  page: PageInfo | null = null;
  rctx: ReadContext | null = null;
  storeId = UNKNOWN_STORE;
  /** On a postings page: observing, ticking, badging. */
  active = false;
  destroyed = false;
  /** Bumped by every settings / rulebook / language change: part of each row's signature (rows.ts). */
  configVersion = 0;
  /** T3: which offset the page prints its zone-less times in (learned, cookie, set, or Moscow). */
  readonly zone: PageZoneTracker;

  constructor(readonly env: ControllerEnv) {
    this.zone = new PageZoneTracker((ms) => -new Date(ms).getTimezoneOffset(), env.now);
  }

  configure(settings: Settings, rulebook: Rulebook): void {
    this.settings = settings;
    this.rulebook = rulebook;
    this.lines = levelLines(rulebook);
    this.view = viewOf(settings);
    this.zone.configure(settings.pageZone, rulebook);
    this.configVersion++;
  }

  /** Runs `fn`, reporting what it throws (nothing reaches the page); nothing runs after destroy. */
  guard<T>(where: string, fn: () => T): T | undefined {
    if (this.destroyed) return undefined;
    try {
      return fn();
    } catch (e) {
      this.env.onError(e, where);
      return undefined;
    }
  }

  /** The seller's own zone for the card and the at-risk list (settings `secondZone`, else this computer's). */
  ownZone(): string {
    const z = this.settings.secondZone;
    if (z && z !== 'auto') return z;
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
      return 'UTC';
    }
  }

  /** The page's URL, for messages and the loud-failure warning. */
  url(): string {
    return this.env.win.location?.href ?? '';
  }

  /** To the background, never throwing: "Extension context invalidated" after an update has nobody to tell. */
  send(msg: Message): void {
    try {
      const p = this.env.send(msg);
      if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(() => {});
    } catch {
      /* the extension was reloaded */
    }
  }
}
