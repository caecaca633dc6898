import { formationMachine } from './province-formation.machine.js';
import { eventTypesOf, transitionTable, type EventType, type TransitionRow } from './province-formation.table.js';
import { MACHINE_ID, MACHINE_VERSION, machineRef, stagesOf, type MachineVersion, type Stage } from './province-formation.types.js';

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
  table: readonly TransitionRow[];
}

/** The machine as data, read from the XState definition itself (not from a hand-kept copy). */
export function describeMachine(version: MachineVersion = MACHINE_VERSION): MachineDescription {
  const machine = formationMachine(version);
  const stages = stagesOf(version);
  const transitions: MachineTransition[] = [];
  for (const stage of stages) {
    const node = machine.states[stage];
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
    version,
    ref: machineRef(version),
    initial: 'criteria',
    stages,
    events: eventTypesOf(version),
    transitions,
    table: transitionTable(version),
  };
}

/** A Mermaid state diagram of the machine, guards in brackets. */
export function machineMermaid(version: MachineVersion = MACHINE_VERSION): string {
  const lines = ['stateDiagram-v2', '  [*] --> criteria'];
  for (const t of describeMachine(version).transitions) {
    lines.push(`  ${t.from} --> ${t.to}: ${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
  }
  return lines.join('\n') + '\n';
}
