import type { TopLevelSpec } from 'vega-lite';
import { localDate, zoneOffsetMs, STAGES, type Stage } from '@app/workflow';
import type { TimelineData } from './timeline.data.js';

/** The chart's font family: two @font-face rules (Latin, Arabic) share it; see chart.renderer.ts. */
export const CHART_FONT = 'Tracker Sans, Noto Sans, Noto Sans Arabic, sans-serif';

export const STAGE_COLORS: Record<Stage, string> = {
  criteria: '#c9ced6',
  tier: '#8fb3d9',
  candidate: '#e0b25a',
  appointed: '#4c9a6a',
  vacant: '#9b6bb3',
};
export const LATE_STROKE = '#b3261e';
export const DEADLINE_COLOR = '#b3261e';

/**
 * Vega's time scales speak UTC or the server's zone; the cycle's zone is neither. Every instant is
 * moved by the zone's offset so that a UTC scale labels it with the cycle's wall-clock day.
 */
function wall(instant: Date, timeZone: string): number {
  return instant.getTime() + zoneOffsetMs(instant, timeZone);
}

const iso = (d: Date) => d.toISOString();

/** The label of a row: the English name, then the Arabic one. */
export function rowLabel(row: { name: string; nameAr: string }): string {
  return `${row.name} · ${row.nameAr}`;
}

export interface TimelineSpecOptions {
  /** The last instant of the axis (the chart extends it to show the deadline). */
  end: Date;
  title: string;
  /** Smaller rows and no legend, for one province's own history. */
  compact?: boolean;
}

/**
 * The formation timeline as Vega-Lite: one bar per stage segment, a rule at the deadline, the
 * governor at each row's end. Every mark carries a `description` (rendered as aria-label) that names
 * what it stands for, so readers of the SVG (screen readers, tests) need not decode geometry.
 */
export function timelineSpec(data: TimelineData, opts: TimelineSpecOptions): TopLevelSpec {
  const tz = data.timezone;
  const domainEnd = Math.max(opts.end.getTime(), data.deadlineInstant.getTime() + 86_400_000);
  const domain = [wall(data.from, tz), wall(new Date(domainEnd), tz)];
  // Declared alike on every layer, so that all of them share one scale (see chart.renderer.ts on the
  // merge warning this still draws from Vega-Lite).
  const x = { type: 'temporal' as const, scale: { type: 'utc' as const, domain } };
  const order = data.rows.map(rowLabel);
  const y = { field: 'label', type: 'nominal' as const, sort: order, title: null };

  const segments = data.rows.flatMap((r) =>
    r.segments.map((s) => ({
      label: rowLabel(r),
      stage: s.stage,
      start: wall(s.start, tz),
      end: wall(s.end, tz),
      late: s.late,
      // late=true: the stage was entered after the province's deadline (named alongside).
      description: `segment province=${r.slug} stage=${s.stage} start=${iso(s.start)} end=${iso(s.end)} late=${s.late} deadline=${r.deadline}`,
    })),
  );
  const rowEnds = data.rows.map((r) => ({
    label: rowLabel(r),
    at: domain[1],
    text: r.governor ? `${r.governor.name}${r.governor.nameAr ? ` · ${r.governor.nameAr}` : ''}` : '—',
    description: `row province=${r.slug} name=${r.name} nameAr=${r.nameAr} stage=${r.stage} status=${r.status} governor=${r.governor?.name ?? ''}`,
  }));
  const deadline = {
    at: wall(data.deadlineInstant, tz),
    text: `Deadline ${data.deadline}`,
    description: `deadline date=${data.deadline} instant=${iso(data.deadlineInstant)}`,
  };

  const rowHeight = opts.compact ? 18 : 24;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title, subtitle: `Days in ${tz}; as of ${localDate(new Date(data.cutoff.getTime() - 1), tz)}`, anchor: 'start' },
    description: `Formation timeline: ${data.rows.length} provinces, deadline ${data.deadline}`,
    width: opts.compact ? 520 : 720,
    height: { step: rowHeight },
    background: 'white',
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0 },
      legend: { orient: 'bottom', labelFontSize: 11, titleFontSize: 11 },
    },
    layer: [
      {
        data: { values: segments },
        mark: { type: 'bar', cornerRadius: 2, height: { band: 0.7 } },
        encoding: {
          y,
          x: { ...x, field: 'start', axis: { title: null, format: '%-d %b %Y', grid: true, labelOverlap: true } },
          x2: { field: 'end' },
          color: {
            field: 'stage',
            type: 'nominal',
            title: 'Stage',
            scale: { domain: [...STAGES], range: STAGES.map((s) => STAGE_COLORS[s]) },
            legend: opts.compact ? null : { direction: 'horizontal' },
          },
          stroke: { condition: { test: 'datum.late', value: LATE_STROKE }, value: null },
          strokeWidth: { condition: { test: 'datum.late', value: 2 }, value: 0 },
          strokeDash: { condition: { test: 'datum.late', value: [4, 2] }, value: [1, 0] },
          description: { field: 'description' },
        },
      },
      {
        data: { values: [deadline] },
        mark: { type: 'rule', color: DEADLINE_COLOR, strokeWidth: 1.5, strokeDash: [6, 3] },
        encoding: { x: { ...x, field: 'at' }, description: { field: 'description' } },
      },
      {
        data: { values: [deadline] },
        mark: { type: 'text', color: DEADLINE_COLOR, align: 'center', baseline: 'bottom', y: -3, fontSize: 11 },
        encoding: { x: { ...x, field: 'at' }, text: { field: 'text' } },
      },
      {
        data: { values: rowEnds },
        mark: { type: 'text', align: 'left', dx: 6, fontSize: 11, color: '#1d2530' },
        encoding: { y, x: { ...x, field: 'at' }, text: { field: 'text' }, description: { field: 'description' } },
      },
    ],
  } as TopLevelSpec;
}
