/** Types of scripts/report-page.mjs (plain Node, used by scripts/fixture.mjs and the unit tests). */
import type { PageReport } from '../panel/report';

export function postingFor(ordinal: number, shape?: string): string;
export function fillShape(
  text: string,
  postings: [number, number][] | undefined,
  numbers: Map<number, string>,
  day: { y: number; mo: number; d: number },
): string;
export function numbersOf(report: PageReport): Map<number, string>;
export function reportUrl(report: PageReport): string;
export function reportToHtml(report: unknown): string;
