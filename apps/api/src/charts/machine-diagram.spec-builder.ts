import type { TopLevelSpec } from 'vega-lite';
import type { MachineDescription } from '@app/workflow';
import { renderSvg } from './chart.renderer.js';
import { CHART_FONT, STAGE_COLORS } from './timeline.spec-builder.js';

const LABEL_FONT_SIZE = 11;
/**
 * Headless Vega cannot measure text, so a column is sized from its longest label: Noto Sans at 11 px
 * takes about 0.53 em a character in Chromium; 0.62 em leaves room for wider letters, and the padding
 * keeps the label off the cell's edges (test/charts.e2e-spec.ts measures the label boxes in Chromium).
 */
const EM_PER_CHAR = 0.62;
const CELL_PADDING = 16;
const MIN_COLUMN = 190;
const ROW_HEIGHT = 30;
/** A stripe holds one line of 11 px text (about 15 px tall in Chromium) with a little air. */
const STRIPE_HEIGHT = 19;

/**
 * The workflow as a grid an editor can read a refusal from: one column per stage (in workflow order),
 * one row per event; a filled cell says where the event leads from that stage and which guard it must
 * pass, an empty cell that the stage refuses it. Read from describeMachine(), i.e. the XState
 * definition itself. A grid rather than a node-and-arrow drawing: Vega has no graph layout, and with
 * most events looping on their own stage, arrows would hide the guards that explain a refusal.
 *
 * An event with several guarded outcomes from one stage (WITHDRAW from candidate, REVOKE from
 * appointed) splits its cell into stripes, one per outcome, each with its own colour and label: drawn
 * in the same cell, their labels would overlap. Such a row is as tall as its stripes need, so the
 * rows are laid out here, in pixels, rather than by a band scale (whose rows are all one height).
 */
export function machineDiagramSpec(machine: MachineDescription): TopLevelSpec {
  const cellKey = (t: { from: string; event: string }) => `${t.from} ${t.event}`;
  const outcomes = new Map<string, number>();
  for (const t of machine.transitions) outcomes.set(cellKey(t), (outcomes.get(cellKey(t)) ?? 0) + 1);
  const rows = new Map<string, { top: number; height: number }>();
  let total = 0;
  for (const event of machine.events) {
    const stripes = Math.max(1, ...machine.transitions.filter((t) => t.event === event).map((t) => outcomes.get(cellKey(t))!));
    const height = Math.max(ROW_HEIGHT, stripes * STRIPE_HEIGHT);
    rows.set(event, { top: total, height });
    total += height;
  }
  const seen = new Map<string, number>();
  const cells = machine.transitions.map((t) => {
    const row = rows.get(t.event)!;
    const stripe = seen.get(cellKey(t)) ?? 0;
    seen.set(cellKey(t), stripe + 1);
    const share = row.height / outcomes.get(cellKey(t))!;
    const text = `${t.to === t.from ? '↺ stays' : `→ ${t.to}`}${t.guard ? ` [${t.guard}]` : ''}`;
    return {
      from: t.from,
      to: t.to,
      top: row.top + stripe * share,
      bottom: row.top + (stripe + 1) * share,
      middle: row.top + (stripe + 0.5) * share,
      text,
      description: `transition from=${t.from} event=${t.event} to=${t.to} guard=${t.guard ?? ''}`,
      caption: `${t.event} from ${t.from}: ${text}`,
    };
  });
  const longest = Math.max(...cells.map((c) => [...c.text].length));
  const column = Math.max(MIN_COLUMN, Math.ceil(longest * LABEL_FONT_SIZE * EM_PER_CHAR) + CELL_PADDING);
  const middles = machine.events.map((e) => rows.get(e)!.top + rows.get(e)!.height / 2);

  const x = { field: 'from', type: 'nominal' as const, sort: machine.stages, title: 'from stage', axis: { orient: 'top' as const, labelAngle: 0 } };
  // Pixels from the top; the axis names each row's event at its middle.
  const scale = { domain: [0, total], reverse: true, nice: false, zero: false };
  const axis = { title: null, grid: false, values: middles, labelExpr: `${JSON.stringify(machine.events)}[indexof(${JSON.stringify(middles)}, datum.value)]` };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Workflow ${machine.ref}: what each stage accepts`, subtitle: `Stages ${machine.stages.join(' → ')}; an empty cell is refused (409 invalid-transition); a guard that fails answers 409 guard-failed.`, anchor: 'start' },
    description: `Workflow ${machine.ref}; stages ${machine.stages.join(', ')}`,
    background: 'white',
    width: { step: column },
    height: total,
    config: { font: CHART_FONT, view: { stroke: '#d5d9e0' }, axis: { labelFontSize: 12, titleFontSize: 11, labelLimit: 0, domain: false, ticks: false } },
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2, opacity: 0.55 },
        encoding: {
          x,
          y: { field: 'top', type: 'quantitative', scale, axis },
          y2: { field: 'bottom' },
          color: { field: 'to', type: 'nominal', title: 'leads to', scale: { domain: machine.stages, range: machine.stages.map((s) => STAGE_COLORS[s]) }, legend: { orient: 'bottom', direction: 'horizontal' } },
          description: { field: 'description' },
        },
      },
      {
        mark: { type: 'text', fontSize: LABEL_FONT_SIZE, color: '#1d2530', baseline: 'middle' },
        encoding: { x, y: { field: 'middle', type: 'quantitative', scale, axis }, text: { field: 'text' }, description: { field: 'caption' } },
      },
    ],
  } as TopLevelSpec;
}

export function machineDiagramSvg(machine: MachineDescription): Promise<string> {
  return renderSvg(machineDiagramSpec(machine));
}
