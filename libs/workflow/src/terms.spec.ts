// Issue 20, item 6: a province's story as terms of office, and "who governed Salahuddin on 9 Feb 2026?"
// answered for every hour of that day with asOf.
import { initialFormationState, replay } from './province-formation.engine.js';
import type { CycleRules } from './deadline.js';
import type { FormationEvent, FormationPayload } from './province-formation.table.js';
import { termsOf, type Term, type TimelineStep } from './terms.js';

const RULES: CycleRules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };

/** The events through the engine, each with the state it left: what a province's stored events hold. */
function timeline(...events: Array<[FormationPayload, string]>): TimelineStep[] {
  const items = events.map(([payload, occurredAt]) => ({ ...payload, occurredAt }) as FormationEvent);
  const { steps, failed } = replay(initialFormationState(15), items, (e) => e, RULES);
  if (failed) throw new Error(`refused: ${JSON.stringify(failed.result)}`);
  return steps.map((s) => ({ event: s.item, state: (s.result as Extract<typeof s.result, { ok: true }>).state }));
}

const FAHL = 'Badr al-Fahl';
const FAHL_AR = 'بدر الفهل';
// Names of the acting governors are placeholders: the test is about the times, not the people.
const ACTING_1 = 'First Acting Governor';
const ACTING_2 = 'Second Acting Governor';

/**
 * Salahuddin (domain-facts.md): a governor elected on 4 Feb 2024 whose decree was refused; al-Fahl elected
 * on 17 Mar 2024; removed on 26 Jan 2026 with an acting governor named; reinstated by an order at 10:00
 * on 9 Feb 2026 (Baghdad, UTC+3); removed again by the council at 15:00; an acting governor named at 16:00.
 */
const SALAHUDDIN = timeline(
  [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'],
  [{ type: 'NOMINATE', candidate: { name: 'Ahmed al-Jubouri' } }, '2024-02-03T09:00:00Z'],
  [{ type: 'APPOINT', governor: 'Ahmed al-Jubouri' }, '2024-02-04T10:00:00Z'],
  [{ type: 'REVOKE', reason: 'presidential decree refused' }, '2024-02-17T09:00:00Z'],
  [{ type: 'NOMINATE', candidate: { name: FAHL, nameAr: FAHL_AR } }, '2024-03-13T09:00:00Z'],
  [{ type: 'APPOINT', governor: FAHL, votes: 13, present: 15 }, '2024-03-17T09:00:00Z'],
  [{ type: 'DECREE', decreeDate: '2024-03-20' }, '2024-03-20T09:00:00Z'],
  [{ type: 'VACATE', reason: 'elected_elsewhere' }, '2026-01-26T09:00:00Z'],
  [{ type: 'ACTING', name: ACTING_1, kind: 'acting' }, '2026-01-26T12:00:00Z'],
  [{ type: 'RULING', authority: 'administrative order', outcome: 'overturned' }, '2026-02-09T07:00:00Z'],
  [{ type: 'VACATE', reason: 'dismissed' }, '2026-02-09T12:00:00Z'],
  [{ type: 'ACTING', name: ACTING_2, kind: 'acting' }, '2026-02-09T13:00:00Z'],
);

/** Who held the office at `at`: the term open when only what had occurred by then is counted. */
const holderAt = (steps: TimelineStep[], at: Date) => termsOf(steps, at).filter((t) => t.to === null);

describe('termsOf: who held the office, from when to when, and why it ended', () => {
  it('Salahuddin: every term of 2024–2026, elected and acting, with what ended each', () => {
    expect(termsOf(SALAHUDDIN)).toEqual<Term[]>([
      { holder: 'Ahmed al-Jubouri', holderAr: null, kind: 'elected', from: '2024-02-04T10:00:00Z', to: '2024-02-17T09:00:00Z', endedBy: 'REVOKE' },
      { holder: FAHL, holderAr: FAHL_AR, kind: 'elected', from: '2024-03-17T09:00:00Z', to: '2026-01-26T09:00:00Z', endedBy: 'VACATE:elected_elsewhere' },
      { holder: ACTING_1, holderAr: null, kind: 'acting', from: '2026-01-26T12:00:00Z', to: '2026-02-09T07:00:00Z', endedBy: 'RULING:overturned' },
      { holder: FAHL, holderAr: FAHL_AR, kind: 'elected', from: '2026-02-09T07:00:00Z', to: '2026-02-09T12:00:00Z', endedBy: 'VACATE:dismissed' },
      { holder: ACTING_2, holderAr: null, kind: 'acting', from: '2026-02-09T13:00:00Z', to: null, endedBy: null },
    ]);
  });

  it('9 Feb 2026, every hour in Baghdad: the first acting governor until 10:00, al-Fahl until 15:00, nobody until 16:00, then the second', () => {
    const answers: string[] = [];
    for (let hour = 0; hour < 24; hour++) {
      // 00:00 on 9 Feb in Baghdad is 21:00 on 8 Feb UTC.
      const at = new Date(Date.UTC(2026, 1, 8, 21 + hour));
      const open = holderAt(SALAHUDDIN, at);
      expect(open.length).toBeLessThanOrEqual(1);
      answers.push(`${String(hour).padStart(2, '0')}:00 ${open[0] ? `${open[0].holder} (${open[0].kind})` : 'nobody'}`);
    }
    const expected = [
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((h) => `${String(h).padStart(2, '0')}:00 ${ACTING_1} (acting)`),
      ...[10, 11, 12, 13, 14].map((h) => `${h}:00 ${FAHL} (elected)`),
      '15:00 nobody',
      ...[16, 17, 18, 19, 20, 21, 22, 23].map((h) => `${h}:00 ${ACTING_2} (acting)`),
    ];
    expect(answers).toEqual(expected);
  });

  it('asOf counts what had occurred by then: a term ending later is still open, a later term does not exist yet', () => {
    const noon = termsOf(SALAHUDDIN, new Date('2026-02-09T09:00:00Z'));
    expect(noon.slice(-2)).toEqual([
      { holder: ACTING_1, holderAr: null, kind: 'acting', from: '2026-01-26T12:00:00Z', to: '2026-02-09T07:00:00Z', endedBy: 'RULING:overturned' },
      { holder: FAHL, holderAr: FAHL_AR, kind: 'elected', from: '2026-02-09T07:00:00Z', to: null, endedBy: null },
    ]);
    // The instant of an event counts it: at 10:00 sharp the order has reinstated him.
    expect(holderAt(SALAHUDDIN, new Date('2026-02-09T07:00:00Z'))[0]?.holder).toBe(FAHL);
    expect(holderAt(SALAHUDDIN, new Date('2026-02-09T06:59:59.999Z'))[0]?.holder).toBe(ACTING_1);
    expect(termsOf(SALAHUDDIN, new Date('2024-01-01T00:00:00Z'))).toEqual([]);
  });

  it('a caretaker term: the dismissed governor kept as caretaker, ended by the ruling that reinstated him (Dhi Qar, 2025)', () => {
    const steps = timeline(
      [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'],
      [{ type: 'NOMINATE', candidate: { name: 'Murtada al-Ibrahimi' } }, '2024-02-01T09:00:00Z'],
      [{ type: 'APPOINT', governor: 'Murtada al-Ibrahimi' }, '2024-02-05T09:00:00Z'],
      [{ type: 'VACATE', reason: 'dismissed' }, '2025-01-14T10:00:00Z'],
      [{ type: 'ACTING', name: 'Murtada al-Ibrahimi', kind: 'caretaker' }, '2025-01-16T10:00:00Z'],
      [{ type: 'RULING', authority: 'administrative court', outcome: 'overturned' }, '2025-03-02T10:00:00Z'],
    );
    expect(termsOf(steps).map((t) => [t.kind, t.from, t.to, t.endedBy])).toEqual([
      ['elected', '2024-02-05T09:00:00Z', '2025-01-14T10:00:00Z', 'VACATE:dismissed'],
      ['caretaker', '2025-01-16T10:00:00Z', '2025-03-02T10:00:00Z', 'RULING:overturned'],
      ['elected', '2025-03-02T10:00:00Z', null, null],
    ]);
  });

  it('an acting term ends at the next ACTING or at an APPOINT; an overturned appointment ends the elected term', () => {
    const steps = timeline(
      [{ type: 'ACTING', name: 'Outgoing Governor', kind: 'caretaker' }, '2024-01-05T09:00:00Z'],
      [{ type: 'ACTING', name: 'Deputy', kind: 'acting' }, '2024-03-01T09:00:00Z'],
      [{ type: 'ASSIGN_TIER', tier: 'C' }, '2024-03-02T09:00:00Z'],
      [{ type: 'NOMINATE', candidate: { name: 'Adnan al-Jayer' } }, '2024-07-30T09:00:00Z'],
      [{ type: 'APPOINT', governor: 'Adnan al-Jayer', votes: 11, present: 15 }, '2024-08-01T09:00:00Z'],
      [{ type: 'CONTEST', by: 'a boycotting bloc', grounds: 'the session was held outside the province' }, '2024-08-02T09:00:00Z'],
      [{ type: 'RULING', authority: 'Federal Supreme Court', outcome: 'overturned' }, '2024-09-01T09:00:00Z'],
    );
    expect(termsOf(steps).map((t) => [t.holder, t.kind, t.to, t.endedBy])).toEqual([
      ['Outgoing Governor', 'caretaker', '2024-03-01T09:00:00Z', 'ACTING'],
      ['Deputy', 'acting', '2024-08-01T09:00:00Z', 'APPOINT'],
      ['Adnan al-Jayer', 'elected', '2024-09-01T09:00:00Z', 'RULING:overturned'],
    ]);
  });

  it('reads a history stored by @1 (states without the @2 fields) as its replay', () => {
    const stored = SALAHUDDIN.slice(0, 7).map(({ event, state }) => {
      const { selection: _s, clockStartedAt: _c, acting: _a, contested: _t, vacancy: _v, ...context } = state.context;
      return { event, state: { ...state, machine: 'province-formation@1', context } as unknown as typeof state };
    });
    expect(termsOf(stored)).toEqual(termsOf(SALAHUDDIN.slice(0, 7)));
    expect(termsOf(stored)).toHaveLength(2);
  });
});
