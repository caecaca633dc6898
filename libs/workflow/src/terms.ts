import type { FormationEvent } from './province-formation.table.js';
import { upgradeState, type ActingGovernor, type ActingKind, type FormationState, type Governor } from './province-formation.types.js';

/** Who held the office, from when to when (`to` null: still in office at asOf), and the event that ended it. */
export interface Term {
  holder: string;
  holderAr: string | null;
  kind: 'elected' | ActingKind;
  from: string;
  to: string | null;
  /** The event type, with VACATE's reason or RULING's outcome (`VACATE:dismissed`, `RULING:overturned`). */
  endedBy: string | null;
}

/** One event of a province's timeline with the state it left (a stored event's stateAfter, or a replay's). */
export interface TimelineStep {
  event: FormationEvent;
  state: FormationState;
}

function endedBy(event: FormationEvent): string {
  if (event.type === 'VACATE') return `VACATE:${event.reason}`;
  if (event.type === 'RULING') return `RULING:${event.outcome}`;
  return event.type;
}

const sameGovernorTerm = (a: Governor, b: Governor) => a.name === b.name && a.appointedAt === b.appointedAt && a.reinstatedAt === b.reinstatedAt;
const sameActingTerm = (a: ActingGovernor, b: ActingGovernor) => a.name === b.name && a.kind === b.kind && a.since === b.since;

/**
 * The terms of office of one province, from its live events in timeline order with the state each
 * left: read from the machine's own answer (who is governor, who is acting after each event), so a term
 * starts and ends exactly where the workflow says. An elected term starts at APPOINT or at a ruling that
 * reinstates, and ends at VACATE, REVOKE or a ruling that overturns; an acting or caretaker term starts at
 * ACTING and ends at the next ACTING, an APPOINT or a reinstatement. `asOf` counts only the events that
 * had occurred by then (inclusive): the terms as they stood at that instant.
 */
export function termsOf(steps: readonly TimelineStep[], asOf?: Date): Term[] {
  const until = asOf?.getTime() ?? Infinity;
  const terms: Term[] = [];
  let governor: { term: Term; was: Governor } | null = null;
  let acting: { term: Term; was: ActingGovernor } | null = null;
  for (const { event, state } of steps) {
    if (new Date(event.occurredAt).getTime() > until) break;
    const after = upgradeState(state).context;
    if (governor && !(after.governor && sameGovernorTerm(governor.was, after.governor))) {
      Object.assign(governor.term, { to: event.occurredAt, endedBy: endedBy(event) });
      governor = null;
    }
    if (acting && !(after.acting && sameActingTerm(acting.was, after.acting))) {
      Object.assign(acting.term, { to: event.occurredAt, endedBy: endedBy(event) });
      acting = null;
    }
    if (after.governor && !governor) {
      const g = after.governor;
      governor = { was: g, term: { holder: g.name, holderAr: g.nameAr ?? null, kind: 'elected', from: event.occurredAt, to: null, endedBy: null } };
      terms.push(governor.term);
    }
    if (after.acting && !acting) {
      const a = after.acting;
      acting = { was: a, term: { holder: a.name, holderAr: a.nameAr, kind: a.kind, from: event.occurredAt, to: null, endedBy: null } };
      terms.push(acting.term);
    }
  }
  return terms;
}
