import { describeMachine } from '@app/workflow';
import { machineDiagramSvg } from './machine-diagram.spec-builder.js';

test('the workflow diagram has a labelled cell for every transition, naming its guard', async () => {
  const machine = describeMachine();
  const svg = await machineDiagramSvg(machine);
  const cells = [...svg.matchAll(/aria-label="transition from=(\w+) event=(\w+) to=(\w+) guard=(\w*)"/g)].map((m) => m.slice(1).join(' '));
  expect(cells.sort()).toEqual(machine.transitions.map((t) => `${t.from} ${t.event} ${t.to} ${t.guard ?? ''}`).sort());
  expect(cells.some((c) => c.startsWith('candidate APPOINT appointed ') && !c.endsWith(' '))).toBe(true);
});
