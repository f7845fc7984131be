/**
 * Cancellations per Moscow day over the window (extras.perDay), as plain SVG
 * bars. Each bar has its own <title> so a screen reader or a hover gives the
 * day, the count and the day's orders; the whole chart has a summary label.
 */
import { t, tp, fmtNumber } from '../../lib/i18n';
import { fmtCalendarDay } from './format';

export interface DayPoint {
  day: string;
  orders: number;
  cancelled: number;
}

const W = 368;
const H = 64;
const AXIS = 12;

export function DayChart({ days }: { days: DayPoint[] }) {
  if (!days.length) return null;
  const peak = Math.max(1, ...days.map((d) => d.cancelled));
  const total = days.reduce((a, d) => a + d.cancelled, 0);
  const step = W / days.length;
  const barW = Math.max(2, step - 2);
  const plotH = H - AXIS;
  const summary = t(
    'popup_chart_label',
    fmtNumber(total),
    fmtCalendarDay(days[0]!.day),
    fmtCalendarDay(days[days.length - 1]!.day),
    fmtNumber(peak),
  );
  return (
    <figure class="chart">
      <svg width="100%" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary} class="chart-svg">
        <title>{summary}</title>
        <line x1={0} y1={plotH + 0.5} x2={W} y2={plotH + 0.5} class="chart-axis" />
        {days.map((d, i) => {
          const h = d.cancelled ? Math.max(3, (d.cancelled / peak) * (plotH - 4)) : 0;
          const x = i * step + (step - barW) / 2;
          const tip = `${fmtCalendarDay(d.day)}: ${tp('popup_chart_bar', d.cancelled, fmtNumber(d.orders))}`;
          return (
            <g key={d.day}>
              {/* The full-height hit area keeps small bars hoverable. */}
              <rect x={i * step} y={0} width={step} height={plotH} class="chart-hit">
                <title>{tip}</title>
              </rect>
              {h > 0 && (
                <rect x={x} y={plotH - h} width={barW} height={h} class="chart-bar" rx={1}>
                  <title>{tip}</title>
                </rect>
              )}
              {d.orders > 0 && d.cancelled === 0 && (
                <rect x={x} y={plotH - 1.5} width={barW} height={1.5} class="chart-zero" />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="chart-caption">
        <span>{fmtCalendarDay(days[0]!.day)}</span>
        <span>{t('popup_chart_peak', fmtNumber(peak))}</span>
        <span>{fmtCalendarDay(days[days.length - 1]!.day)}</span>
      </figcaption>
    </figure>
  );
}
