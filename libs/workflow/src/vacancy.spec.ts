// SPEC §8 and issue 20, items 3 and 5, through the engine: a governor leaves, someone acts, the council
// selects again; a vote or a removal is contested and a ruling settles it.
import { allowedEvents, applyEvent, initialFormationState, replay } from './province-formation.engine.js';
import type { CycleRules } from './deadline.js';
import type { FormationEvent, FormationPayload } from './province-formation.table.js';
import type { FormationState } from './province-formation.types.js';

const RULES: CycleRules = {
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  timezone: 'Asia/Baghdad',
  tierByDays: 21,
  candidateByDays: 7,
  vacancyDeadline: { after: 'VACATE', days: 15, basis: 'fifteen days to select a successor' },
};

type Step = [FormationPayload, string];

function run(steps: Step[], start: FormationState = initialFormationState(15)): FormationState {
  const { state, failed } = replay(start, steps, ([payload, occurredAt]) => ({ ...payload, occurredAt }) as FormationEvent, RULES);
  if (failed) throw new Error(`refused: ${JSON.stringify(failed.result)}`);
  return state;
}
const apply = (state: FormationState, payload: FormationPayload, occurredAt: string) => applyEvent(state, { ...payload, occurredAt } as FormationEvent, RULES);

/** Dhi Qar: a governor elected in February 2024, the decree recorded, an extension of the deadline set before. */
const SELECTED: Step[] = [
  [{ type: 'SET_DEADLINE', deadline: '2024-02-15', basis: 'an extension' }, '2024-01-20T09:00:00Z'],
  [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-21T09:00:00Z'],
  [{ type: 'NOMINATE', candidate: { name: 'Murtada al-Ibrahimi', nameAr: 'مرتضى الإبراهيمي' } }, '2024-02-01T09:00:00Z'],
  [{ type: 'NOMINATE', candidate: { name: 'Second Nominee' } }, '2024-02-01T10:00:00Z'],
  [{ type: 'APPOINT', governor: 'Murtada al-Ibrahimi', votes: 10, present: 15 }, '2024-02-05T09:00:00Z'],
  [{ type: 'DECREE', decreeDate: '2024-02-12' }, '2024-02-12T09:00:00Z'],
];
const DISMISSED: Step = [{ type: 'VACATE', reason: 'dismissed' }, '2025-01-14T10:00:00Z'];
const appointed = () => run(SELECTED);
const vacated = () => run([...SELECTED, DISMISSED]);

describe('VACATE: the governor leaves, a new selection opens with its own clock', () => {
  it('goes to vacant, remembers who left and why, and clears nominees, decree and the old selection’s deadline', () => {
    const before = appointed();
    const state = vacated();
    expect(state.stage).toBe('vacant');
    expect(state.context).toMatchObject({
      governor: null,
      nominees: [],
      decree: null,
      deadline: null,
      deadlineBasis: null,
      selection: 2,
      clockStartedAt: '2025-01-14T10:00:00Z',
      acting: null,
      vacancy: { reason: 'dismissed', since: '2025-01-14T10:00:00Z', previousGovernor: before.context.governor },
    });
    // What the council did in the first selection stays: its tier, its first session.
    expect(state.context.tier).toBe('B');
  });

  it('is allowed only in appointed', () => {
    for (const stage of ['criteria', 'tier', 'candidate', 'vacant'] as const) {
      const state = stage === 'vacant' ? vacated() : run(SELECTED.slice(0, stage === 'criteria' ? 0 : stage === 'tier' ? 2 : 3));
      expect({ stage, result: apply(state, { type: 'VACATE', reason: 'resigned' }, '2025-02-01T09:00:00Z') }).toMatchObject({
        stage,
        result: { ok: false, refusal: { code: 'invalid-transition', stage } },
      });
    }
  });

  it('a vacant province accepts a nomination, a deadline, an acting governor, a contest, a ruling and a report — not a tier or criteria', () => {
    expect(allowedEvents(vacated())).toEqual(['NOMINATE', 'SET_DEADLINE', 'REPORT', 'ACTING', 'CONTEST', 'RULING']);
  });
});

describe("a vacancy's selection goes back through nomination to appointed", () => {
  it('NOMINATE from vacant, APPOINT with the absolute majority, which ends the acting governor’s time', () => {
    const acting = run([[{ type: 'ACTING', name: 'Deputy Governor', nameAr: 'نائب المحافظ', kind: 'acting' }, '2025-01-15T09:00:00Z']], vacated());
    expect(acting.context.acting).toEqual({ name: 'Deputy Governor', nameAr: 'نائب المحافظ', kind: 'acting', since: '2025-01-15T09:00:00Z' });
    const nominated = run([[{ type: 'NOMINATE', candidate: { name: 'New Governor' } }, '2025-01-20T09:00:00Z']], acting);
    expect(nominated.stage).toBe('candidate');
    expect(apply(nominated, { type: 'APPOINT', governor: 'New Governor', votes: 8, present: 15 }, '2025-01-25T09:00:00Z')).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'candidate', reason: 'majority-not-reached' },
    });
    const elected = run([[{ type: 'APPOINT', governor: 'New Governor', votes: 9, present: 15 }, '2025-01-25T09:00:00Z']], nominated);
    expect(elected.stage).toBe('appointed');
    expect(elected.context).toMatchObject({ governor: { name: 'New Governor', appointedAt: '2025-01-25T09:00:00Z' }, acting: null, selection: 2 });
  });

  it('withdrawing the last nominee, or revoking the only one, goes back to vacant, not tier', () => {
    const nominated = run([[{ type: 'NOMINATE', candidate: { name: 'New Governor' } }, '2025-01-20T09:00:00Z']], vacated());
    expect(run([[{ type: 'WITHDRAW', candidate: 'New Governor' }, '2025-01-21T09:00:00Z']], nominated).stage).toBe('vacant');
    const revoked = run(
      [
        [{ type: 'APPOINT', governor: 'New Governor' }, '2025-01-21T09:00:00Z'],
        [{ type: 'REVOKE', reason: 'decree refused' }, '2025-01-22T09:00:00Z'],
      ],
      nominated,
    );
    expect(revoked.stage).toBe('vacant');
    // The same vacancy, the same clock: the selection has not changed.
    expect(revoked.context).toMatchObject({ selection: 2, clockStartedAt: '2025-01-14T10:00:00Z', vacancy: { reason: 'dismissed' } });
  });

  it('in the first selection they still go back to tier, as under @1', () => {
    const state = run([...SELECTED.slice(0, 3), [{ type: 'WITHDRAW', candidate: 'Murtada al-Ibrahimi' }, '2024-02-02T09:00:00Z']]);
    expect(state.stage).toBe('tier');
  });
});

describe('ACTING: an acting or caretaker governor, in every stage but appointed', () => {
  it('is accepted in criteria, tier, candidate and vacant, and stays in the stage', () => {
    const states = [run([]), run(SELECTED.slice(0, 2)), run(SELECTED.slice(0, 3)), vacated()];
    for (const state of states) {
      const result = apply(state, { type: 'ACTING', name: 'Outgoing Governor', kind: 'caretaker' }, '2025-01-16T09:00:00Z');
      expect(result).toMatchObject({ ok: true, state: { stage: state.stage, context: { acting: { name: 'Outgoing Governor', nameAr: null, kind: 'caretaker' } } } });
    }
    expect(apply(appointed(), { type: 'ACTING', name: 'x', kind: 'acting' }, '2025-01-16T09:00:00Z')).toMatchObject({ ok: false, refusal: { code: 'invalid-transition' } });
  });
});

describe('CONTEST and RULING', () => {
  const contest: FormationPayload = { type: 'CONTEST', by: 'the losing bloc', grounds: 'no quorum at the vote' };
  const overturned: FormationPayload = { type: 'RULING', authority: 'Federal Supreme Court', outcome: 'overturned' };
  const upheld: FormationPayload = { type: 'RULING', authority: 'Federal Supreme Court', outcome: 'upheld' };

  it('CONTEST marks the appointment contested without undoing it; a second is refused until a ruling', () => {
    const state = run([[contest, '2024-02-06T09:00:00Z']], appointed());
    expect(state.stage).toBe('appointed');
    expect(state.context.contested).toEqual({ by: 'the losing bloc', grounds: 'no quorum at the vote', since: '2024-02-06T09:00:00Z', target: 'appointment' });
    expect(state.context.governor?.name).toBe('Murtada al-Ibrahimi');
    expect(apply(state, contest, '2024-02-07T09:00:00Z')).toEqual({ ok: false, refusal: { code: 'guard-failed', stage: 'appointed', reason: 'already-contested' } });
    expect(allowedEvents(state)).not.toContain('CONTEST');
  });

  it('contested blocks nothing else: a decree can still be recorded, the governor can still leave', () => {
    const contested = run([...SELECTED.slice(0, 5), [contest, '2024-02-06T09:00:00Z']]);
    expect(apply(contested, { type: 'DECREE' }, '2024-02-07T09:00:00Z')).toMatchObject({ ok: true });
    expect(apply(contested, { type: 'VACATE', reason: 'resigned' }, '2024-02-07T09:00:00Z')).toMatchObject({ ok: true, state: { stage: 'vacant' } });
  });

  it('a dispute over an appointment ends when the governor leaves: the successor does not inherit it (Babil 2024 → 2026)', () => {
    const contested = run([...SELECTED.slice(0, 5), [contest, '2024-02-06T09:00:00Z']]);
    const vacant = run([[{ type: 'VACATE', reason: 'elected_elsewhere' }, '2025-12-29T09:00:00Z']], contested);
    expect(vacant.context.contested).toBeNull();
    const next = run([[{ type: 'NOMINATE', candidate: { name: 'Ali Turki al-Jamali' } }, '2026-01-27T09:00:00Z'], [{ type: 'APPOINT', governor: 'Ali Turki al-Jamali' }, '2026-01-27T10:00:00Z']], vacant);
    expect([next.stage, next.context.contested, allowedEvents(next).includes('CONTEST')]).toEqual(['appointed', null, true]);
  });

    it('an upheld appointment stays appointed, no longer contested', () => {
    const state = run([[contest, '2024-02-06T09:00:00Z'], [upheld, '2024-03-01T09:00:00Z']], appointed());
    expect(state).toEqual({ ...appointed(), context: { ...appointed().context, contested: null } });
  });

  it('an overturned appointment returns the province to vacancy: a new selection and clock, as VACATE with court_ruling', () => {
    const before = appointed();
    const result = apply(run([[contest, '2024-02-06T09:00:00Z']], before), overturned, '2024-03-01T09:00:00Z');
    expect(result).toMatchObject({
      ok: true,
      state: {
        stage: 'vacant',
        context: {
          governor: null,
          contested: null,
          selection: 2,
          clockStartedAt: '2024-03-01T09:00:00Z',
          vacancy: { reason: 'court_ruling', since: '2024-03-01T09:00:00Z', previousGovernor: before.context.governor },
        },
      },
      // The ruling opens the vacancy, so it is judged by the clock it starts: 15 days from 1 March.
      record: { deadline: '2024-03-16', late: false, daysToDeadline: 15 },
    });
  });

  it('a ruling needs no prior contest: an order can reinstate a removed governor directly', () => {
    expect(apply(vacated(), overturned, '2025-03-02T09:00:00Z')).toMatchObject({ ok: true, state: { stage: 'appointed' } });
  });

  it('an overturned removal reinstates the governor: appointedAt kept, reinstatedAt recorded, the first selection as it was', () => {
    const before = appointed();
    const vacant = run([[{ type: 'ACTING', name: 'Murtada al-Ibrahimi', kind: 'caretaker' }, '2025-01-16T09:00:00Z'], [contest, '2025-01-20T09:00:00Z']], vacated());
    expect(vacant.context.contested?.target).toBe('vacancy');
    const result = apply(vacant, overturned, '2025-03-02T09:00:00Z');
    if (!result.ok) throw new Error('refused');
    expect(result.state).toEqual({
      ...before,
      context: { ...before.context, governor: { ...before.context.governor!, reinstatedAt: '2025-03-02T09:00:00Z' } },
    });
    // Judged by the vacancy's clock (14 Jan + 15 days = 29 Jan), 32 days out when the order came on 2 March.
    expect(result.record).toEqual({ fromStage: 'vacant', toStage: 'appointed', deadline: '2025-01-29', late: true, daysToDeadline: -32 });
  });

  it('upheld in a vacancy keeps it vacant and settles the contest', () => {
    const vacant = run([[contest, '2025-01-20T09:00:00Z']], vacated());
    expect(run([[upheld, '2025-02-01T09:00:00Z']], vacant)).toEqual({ ...vacant, context: { ...vacant.context, contested: null } });
  });

  it('a removal overturned after a successor was revoked still reinstates the removed governor (the vacancy lasts the selection)', () => {
    const state = run(
      [
        [{ type: 'NOMINATE', candidate: { name: 'Successor' } }, '2025-01-20T09:00:00Z'],
        [{ type: 'APPOINT', governor: 'Successor' }, '2025-01-22T09:00:00Z'],
        [{ type: 'REVOKE', reason: 'decree refused' }, '2025-01-25T09:00:00Z'],
        [overturned, '2025-03-02T09:00:00Z'],
      ],
      vacated(),
    );
    expect(state).toMatchObject({ stage: 'appointed', context: { governor: { name: 'Murtada al-Ibrahimi' }, selection: 1 } });
  });

  it('two vacancies, two reinstatements: each ruling puts back the selection its vacancy interrupted', () => {
    const second = run(
      [
        [{ type: 'NOMINATE', candidate: { name: 'Successor' } }, '2025-01-20T09:00:00Z'],
        [{ type: 'APPOINT', governor: 'Successor' }, '2025-01-22T09:00:00Z'],
      ],
      vacated(),
    );
    const twice = run([[{ type: 'VACATE', reason: 'died' }, '2025-06-01T09:00:00Z']], second);
    expect(twice.context.selection).toBe(3);
    const back = run([[overturned, '2025-06-10T09:00:00Z']], twice);
    expect(back).toMatchObject({ stage: 'appointed', context: { selection: 2, governor: { name: 'Successor' }, vacancy: { reason: 'dismissed' } } });
  });
});
