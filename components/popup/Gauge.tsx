/**
 * The headline gauge: a half dial from 0 to a little past the critical line,
 * the value arc in the tier's colour, ticks at the platform average and the
 * two lines. Every line comes from the rulebook the caller passes in.
 */
import { fmtPercent, t } from '../../lib/i18n';

export interface GaugeLine {
  pct: number;
  label: string;
  kind: 'avg' | 'warning' | 'critical';
}

export interface GaugeProps {
  value: number;
  tier: 'safe' | 'warning' | 'critical';
  lines: GaugeLine[];
  /** Accessible description (value, tier, lines). */
  label: string;
}

const W = 168;
const H = 110;
const CX = W / 2;
const CY = 96;
const R = 68;
const STROKE = 13;

function point(p: number, max: number, r = R): [number, number] {
  const a = Math.PI * (1 - Math.min(Math.max(p, 0), max) / max);
  return [CX + r * Math.cos(a), CY - r * Math.sin(a)];
}

function arc(p0: number, p1: number, max: number): string {
  const [x0, y0] = point(p0, max);
  const [x1, y1] = point(p1, max);
  return `M${x0.toFixed(2)} ${y0.toFixed(2)} A${R} ${R} 0 0 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

export function Gauge({ value, tier, lines, label }: GaugeProps) {
  const top = Math.max(...lines.map((l) => l.pct), 0);
  // Half again past the highest line, stretched for a value beyond it but only so far: past 2.5× the
  // top line the arc simply fills (the figure says how far), so the lines never crowd into one corner.
  const max = Math.max(top * 1.5, Math.min(value * 1.12, top * 2.5), 1);
  const warn = lines.find((l) => l.kind === 'warning')?.pct ?? top;
  const crit = lines.find((l) => l.kind === 'critical')?.pct ?? top;
  return (
    <svg class="gauge" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <title>{label}</title>
      <path d={arc(0, warn, max)} class="gauge-zone zone-safe" stroke-width={STROKE} fill="none" />
      <path d={arc(warn, crit, max)} class="gauge-zone zone-warning" stroke-width={STROKE} fill="none" />
      <path d={arc(crit, max, max)} class="gauge-zone zone-critical" stroke-width={STROKE} fill="none" />
      {value > 0 && (
        <path d={arc(0, value, max)} class={`gauge-value tier-${tier}`} stroke-width={STROKE} fill="none" />
      )}
      {lines.map((l) => {
        const [x0, y0] = point(l.pct, max, R - STROKE / 2 - 3);
        const [x1, y1] = point(l.pct, max, R + STROKE / 2 + 3);
        const [tx, ty] = point(l.pct, max, R + STROKE / 2 + 10);
        return (
          <g key={l.kind} class={`gauge-line line-${l.kind}`}>
            <line x1={x0} y1={y0} x2={x1} y2={y1} />
            {/* Centred on the tick and kept inside the box: a line near the dial's end must not lose its label. */}
            <text x={Math.min(Math.max(tx, 13), W - 13)} y={ty} text-anchor="middle">
              {l.label}
            </text>
          </g>
        );
      })}
      <text x={CX} y={CY - 14} text-anchor="middle" class={`gauge-figure tier-text-${tier}`}>
        {fmtPercent(value, 2)}
      </text>
      <text x={CX} y={CY + 2} text-anchor="middle" class="gauge-caption">
        {t(`popup_tier_${tier}`)}
      </text>
    </svg>
  );
}

export interface BarLineProps {
  value: number;
  /** Lines in ascending order; the bar turns amber past the first, red past the second. */
  lines: [number, number];
  label: string;
}

/** A slim horizontal meter with two marked lines, for the secondary rates (M2–M4). */
export function LineMeter({ value, lines, label }: BarLineProps) {
  const max = Math.max(lines[1] * 1.5, Math.min(value * 1.1, lines[1] * 2.5), 1);
  const pos = (p: number) => `${(Math.min(p, max) / max) * 100}%`;
  const state = value > lines[1] ? 'critical' : value > lines[0] ? 'warning' : 'safe';
  return (
    <div class="meter" role="img" aria-label={label} title={label}>
      <div class={`meter-fill tier-bg-${state}`} style={{ width: pos(value) }} />
      <div class="meter-line line-warning" style={{ left: pos(lines[0]) }} />
      <div class="meter-line line-critical" style={{ left: pos(lines[1]) }} />
    </div>
  );
}
