import type { TopLevelSpec } from 'vega-lite';
import type { MachineDescription } from '@app/workflow';
import { renderSvg } from './chart.renderer.js';
import { CHART_FONT, STAGE_COLORS } from './timeline.spec-builder.js';

/**
 * The workflow as a grid an editor can read a refusal from: one column per stage (in workflow order),
 * one row per event; a filled cell says where the event leads from that stage and which guard it must
 * pass, an empty cell that the stage refuses it. Read from describeMachine(), i.e. the XState
 * definition itself. A grid rather than a node-and-arrow drawing: Vega has no graph layout, and with
 * most events looping on their own stage, arrows would hide the guards that explain a refusal.
 */
export function machineDiagramSpec(machine: MachineDescription): TopLevelSpec {
  const cells = machine.transitions.map((t) => ({
    from: t.from,
    event: t.event,
    to: t.to,
    text: `${t.to === t.from ? '↺ stays' : `→ ${t.to}`}${t.guard ? ` [${t.guard}]` : ''}`,
    description: `transition from=${t.from} event=${t.event} to=${t.to} guard=${t.guard ?? ''}`,
  }));
  const x = { field: 'from', type: 'nominal' as const, sort: machine.stages, title: 'from stage', axis: { orient: 'top' as const, labelAngle: 0 } };
  const y = { field: 'event', type: 'nominal' as const, sort: machine.events, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Workflow ${machine.ref}: what each stage accepts`, subtitle: `Stages ${machine.stages.join(' → ')}; an empty cell is refused (409 invalid-transition); a guard that fails answers 409 guard-failed.`, anchor: 'start' },
    description: `Workflow ${machine.ref}; stages ${machine.stages.join(', ')}`,
    background: 'white',
    width: { step: 190 },
    height: { step: 30 },
    config: { font: CHART_FONT, view: { stroke: '#d5d9e0' }, axis: { labelFontSize: 12, titleFontSize: 11, labelLimit: 0, domain: false, ticks: false } },
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2, opacity: 0.55 },
        encoding: {
          x,
          y,
          color: { field: 'to', type: 'nominal', title: 'leads to', scale: { domain: machine.stages, range: machine.stages.map((s) => STAGE_COLORS[s]) }, legend: { orient: 'bottom', direction: 'horizontal' } },
          description: { field: 'description' },
        },
      },
      { mark: { type: 'text', fontSize: 11, color: '#1d2530' }, encoding: { x, y, text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}

export function machineDiagramSvg(machine: MachineDescription): Promise<string> {
  return renderSvg(machineDiagramSpec(machine));
}
