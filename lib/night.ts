/**
 * The seller's night, in their own zone: a deadline between these hours gets
 * a mark (lib/when.ts isNight), because a limit at 03:00 Beijing time has to
 * be met before going to bed. 23:00–07:00 is the usual quiet span; `from > to`
 * wraps past midnight. A settings default, kept beside storage/settings.ts's
 * defaults rather than in the stored Settings shape (nothing to migrate).
 */
export const NIGHT_HOURS: { readonly from: number; readonly to: number } = { from: 23, to: 7 };
