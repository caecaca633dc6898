import { describeMachine, machineMermaid } from './machine-description.js';
import { EVENT_TYPES, TRANSITION_TABLE, transitionTable } from './province-formation.table.js';
import { STAGES } from './province-formation.types.js';

describe('the machine as data (GET /machine)', () => {
  it('names the machine province-formation@2, starting in criteria, with every stage and event', () => {
    const description = describeMachine();
    expect(description).toMatchObject({ id: 'province-formation', version: 2, ref: 'province-formation@2', initial: 'criteria' });
    expect(description.stages).toEqual([...STAGES]);
    expect(description.stages).toContain('vacant');
    expect(description.events).toEqual([...EVENT_TYPES]);
    expect(description.events).toEqual(expect.arrayContaining(['VACATE', 'ACTING', 'CONTEST', 'RULING']));
    expect(description.table).toBe(TRANSITION_TABLE);
  });

  it('describes @1 when asked: four stages, its ten event types, its own table', () => {
    const description = describeMachine(1);
    expect(description).toMatchObject({ id: 'province-formation', version: 1, ref: 'province-formation@1', initial: 'criteria' });
    expect(description.stages).toEqual(['criteria', 'tier', 'candidate', 'appointed']);
    expect(description.events).toEqual(['SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'WITHDRAW', 'APPOINT', 'DECREE', 'REVOKE', 'SET_DEADLINE', 'REPORT']);
    expect(description.table).toBe(transitionTable(1));
    expect(description.transitions.filter((t) => t.to === 'vacant')).toEqual([]);
  });

  it('reads transitions from the XState definition, guards included', () => {
    expect(describeMachine().transitions).toEqual(
      expect.arrayContaining([
        { from: 'tier', event: 'NOMINATE', to: 'candidate', guard: 'notNominated' },
        { from: 'candidate', event: 'APPOINT', to: 'appointed', guard: 'canAppoint' },
        { from: 'appointed', event: 'REVOKE', to: 'tier', guard: null },
        { from: 'criteria', event: 'REPORT', to: 'criteria', guard: null },
        { from: 'appointed', event: 'VACATE', to: 'vacant', guard: null },
        { from: 'appointed', event: 'REVOKE', to: 'vacant', guard: 'inLaterSelection' },
        { from: 'candidate', event: 'WITHDRAW', to: 'vacant', guard: 'isNomineeInLaterSelection' },
        { from: 'vacant', event: 'NOMINATE', to: 'candidate', guard: 'notNominated' },
        { from: 'vacant', event: 'RULING', to: 'appointed', guard: 'overturns' },
        { from: 'appointed', event: 'RULING', to: 'vacant', guard: 'overturns' },
        { from: 'appointed', event: 'CONTEST', to: 'appointed', guard: 'notContested' },
        { from: 'vacant', event: 'ACTING', to: 'vacant', guard: null },
      ]),
    );
  });
});

describe('the machine as a Mermaid diagram', () => {
  const mermaid = machineMermaid();
  const lines = mermaid.trimEnd().split('\n');

  it("starts with 'stateDiagram-v2' and enters at criteria", () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines[1]).toBe('  [*] --> criteria');
  });

  it('draws every transition of the machine, with its guard in brackets, and nothing else', () => {
    const { transitions } = describeMachine();
    const expected = transitions.map((t) => `  ${t.from} --> ${t.to}: ${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
    expect(lines.slice(2)).toEqual(expected);
    expect(lines).toContain('  candidate --> tier: WITHDRAW [isNominee]');
  });

  it('shows every (stage, event) pair of the table', () => {
    for (const row of TRANSITION_TABLE) {
      for (const stage of row.from) expect(mermaid).toMatch(new RegExp(`^  ${stage} --> \\w+: ${row.event}\\b`, 'm'));
    }
  });
});
