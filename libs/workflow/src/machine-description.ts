import { provinceFormationMachine } from './province-formation.machine.js';
import { EVENT_TYPES, TRANSITION_TABLE, type EventType } from './province-formation.table.js';
import { MACHINE_ID, MACHINE_REF, MACHINE_VERSION, STAGES, type Stage } from './province-formation.types.js';

export interface MachineTransition {
  from: Stage;
  event: EventType;
  to: Stage;
  guard: string | null;
}

export interface MachineDescription {
  id: string;
  version: number;
  ref: string;
  initial: Stage;
  stages: Stage[];
  events: EventType[];
  transitions: MachineTransition[];
  table: typeof TRANSITION_TABLE;
}

/** The machine as data, read from the XState definition itself (not from a hand-kept copy). */
export function describeMachine(): MachineDescription {
  const transitions: MachineTransition[] = [];
  for (const stage of STAGES) {
    const node = provinceFormationMachine.states[stage];
    for (const [event, defs] of node.transitions) {
      for (const def of defs) {
        const guard = def.guard;
        transitions.push({
          from: stage,
          event: event as EventType,
          to: (def.target?.[0]?.key as Stage | undefined) ?? stage,
          guard: typeof guard === 'string' ? guard : guard && 'type' in guard ? String(guard.type) : null,
        });
      }
    }
  }
  return {
    id: MACHINE_ID,
    version: MACHINE_VERSION,
    ref: MACHINE_REF,
    initial: 'criteria',
    stages: [...STAGES],
    events: [...EVENT_TYPES],
    transitions,
    table: TRANSITION_TABLE,
  };
}

/** A Mermaid state diagram of the machine, guards in brackets. */
export function machineMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> criteria'];
  for (const t of describeMachine().transitions) {
    lines.push(`  ${t.from} --> ${t.to}: ${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
  }
  return lines.join('\n') + '\n';
}
