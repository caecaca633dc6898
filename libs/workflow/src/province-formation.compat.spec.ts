// @2 is a strict extension of @1 (SPEC §8: "@1 histories replay unchanged"): random @1 histories give
// under @2 the same stage, context, refusals, stored verdicts (late, daysToDeadline) and deadline status
// as under @1, and a state @1 stored reads under @2 as its replay does.
import fc from 'fast-check';
import { deadlineStatus, type CycleRules } from './deadline.js';
import { allowedEvents, applyEvent, initialFormationState, type ApplyResult } from './province-formation.engine.js';
import { eventTypesOf, type EventType, type FormationEvent, type FormationPayload } from './province-formation.table.js';
import { upgradeState, type FormationState } from './province-formation.types.js';

const V1_TYPES: readonly EventType[] = eventTypesOf(1);
const onlyV1 = (types: EventType[]) => types.filter((t) => V1_TYPES.includes(t));

const NAMES = ['Ali Hassan', 'Sara Kareem', 'Omar Jasim'];
const name = fc.constantFrom(...NAMES, '  ali  HASSAN', 'Stranger');
const count = fc.option(fc.integer({ min: 0, max: 18 }), { nil: null });

/** Every @1 event type, with payloads that pass and fail its guards. */
const payloadV1: fc.Arbitrary<FormationPayload> = fc.oneof(
  fc.constant<FormationPayload>({ type: 'SET_CRITERIA', criteria: 'the largest bloc chooses' }),
  fc.constantFrom<FormationPayload>({ type: 'ASSIGN_TIER', tier: 'A' }, { type: 'ASSIGN_TIER', tier: 'B' }),
  fc.option(fc.constant('the eldest member'), { nil: undefined }).map((chair): FormationPayload => ({ type: 'CONVENE', chair })),
  name.map((n): FormationPayload => ({ type: 'NOMINATE', candidate: { name: n, nameAr: n === 'Ali Hassan' ? 'علي حسن' : undefined } })),
  name.map((candidate): FormationPayload => ({ type: 'WITHDRAW', candidate })),
  fc.record({ governor: name, votes: count, present: count }).map((p): FormationPayload => ({ type: 'APPOINT', ...p })),
  fc.option(fc.constant('2024-02-20'), { nil: null }).map((decreeDate): FormationPayload => ({ type: 'DECREE', decreeDate })),
  fc.constant<FormationPayload>({ type: 'REVOKE', reason: 'decree refused' }),
  fc.constantFrom('2024-01-31', '2024-03-01').map((deadline): FormationPayload => ({ type: 'SET_DEADLINE', deadline, basis: 'a ruling' })),
  fc.constant<FormationPayload>({ type: 'REPORT', kind: 'rumor', text: 'a deal is close' }),
);

/** A history: events hours to days apart from election day, so that some fall after the deadline. */
const history = fc
  .array(fc.tuple(payloadV1, fc.integer({ min: 0, max: 6 * 24 * 3_600_000 })), { minLength: 1, maxLength: 40 })
  .map((steps) => {
    let t = Date.parse('2023-12-18T06:00:00Z');
    return steps.map(([payload, gap]) => {
      t += gap;
      return { ...payload, occurredAt: new Date(t).toISOString() } as FormationEvent;
    });
  });

const BASE = { electionDate: '2023-12-18', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };
/** The cycle rules of @1 (the bare date) and the new forms of the first selection's rule. */
const rules: fc.Arbitrary<CycleRules> = fc.constantFrom<CycleRules>(
  { ...BASE, deadline: '2024-02-09' },
  { ...BASE, deadline: { date: '2024-02-09', basis: 'Law 21 of 2008, as amended' } },
  { ...BASE, deadline: { after: 'CONVENE', days: 30, basis: 'thirty days from the first session' } },
  { ...BASE, deadline: '2024-02-09', vacancyDeadline: { after: 'VACATE', days: 15, basis: 'fifteen days' } },
);

/** The verdict without the machine's stamp and with @1's allowed events only: what @1 could say. */
function comparable(result: ApplyResult) {
  if (result.ok) return { ok: true, stage: result.state.stage, context: result.state.context, record: result.record };
  const { refusal } = result;
  return refusal.code === 'invalid-transition' ? { ok: false, refusal: { ...refusal, allowedEvents: onlyV1(refusal.allowedEvents) } } : { ok: false, refusal };
}

describe('@1 histories under @2', () => {
  it('give the same stage, context, refusals, late, daysToDeadline and deadline status as under @1', () => {
    fc.assert(
      fc.property(history, rules, fc.integer({ min: 12, max: 16 }), (events, cycle, seats) => {
        let v1 = initialFormationState(seats, 1);
        let v2 = initialFormationState(seats, 2);
        for (const event of events) {
          const r1 = applyEvent(v1, event, cycle, 1);
          const r2 = applyEvent(v2, event, cycle, 2);
          expect(comparable(r2)).toEqual(comparable(r1));
          if (!r1.ok || !r2.ok) continue;
          expect([r1.state.machine, r2.state.machine]).toEqual(['province-formation@1', 'province-formation@2']);
          v1 = r1.state;
          v2 = r2.state;
          expect(onlyV1(allowedEvents(v2))).toEqual(allowedEvents(v1, 1));
          for (const at of [event.occurredAt, '2024-01-25T12:00:00Z', '2024-02-09T20:59:59.999Z', '2024-02-09T21:00:00Z', '2024-06-01T00:00:00Z']) {
            expect(deadlineStatus(v2, cycle, new Date(at))).toEqual(deadlineStatus(v1, cycle, new Date(at)));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('leave the fields @2 added at the values a stored @1 state is read with: upgradeState of a state without them is its replay', () => {
    fc.assert(
      fc.property(history, rules, (events, cycle) => {
        let state = initialFormationState(15);
        for (const event of events) {
          const r = applyEvent(state, event, cycle);
          if (r.ok) state = r.state;
        }
        const { selection, clockStartedAt, acting, contested, vacancy, ...storedByV1 } = state.context;
        expect({ selection, clockStartedAt, acting, contested, vacancy }).toEqual({ selection: 1, clockStartedAt: state.context.convenedAt, acting: null, contested: null, vacancy: null });
        const stored = { machine: 'province-formation@1', stage: state.stage, context: storedByV1 } as unknown as FormationState;
        expect(upgradeState(stored)).toEqual({ ...state, machine: 'province-formation@1' });
      }),
      { numRuns: 300 },
    );
  });

  it('a stored @1 state (without the @2 fields) takes its next event under @2 as its replay does', () => {
    const convened = applyEvent(initialFormationState(15), { type: 'CONVENE', occurredAt: '2024-01-02T09:00:00Z' }, { ...BASE, deadline: '2024-02-09' });
    if (!convened.ok) throw new Error('fixture refused');
    const { selection: _s, clockStartedAt: _c, acting: _a, contested: _t, vacancy: _v, ...storedByV1 } = convened.state.context;
    const stored = { machine: 'province-formation@1', stage: 'criteria', context: storedByV1 } as unknown as FormationState;
    const event: FormationEvent = { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-03T09:00:00Z' };
    const cycle: CycleRules = { ...BASE, deadline: { after: 'CONVENE', days: 30, basis: 'thirty days' } };
    expect(applyEvent(stored, event, cycle)).toEqual(applyEvent(convened.state, event, cycle));
    expect(allowedEvents(stored)).toEqual(allowedEvents(convened.state));
    expect(deadlineStatus(stored, cycle, new Date('2024-02-10T12:00:00Z'))).toEqual({ status: 'breached', since: new Date('2024-02-01T20:59:59.999Z') });
  });
});
