import { addDays, daysBetween, endOfDay, localDate } from './time.js';
import type { FormationState } from './province-formation.types.js';

/** The rules of one electoral cycle that the workflow needs; all dates are days in `timezone`. */
export interface CycleRules {
  electionDate: string;
  deadline: string;
  timezone: string;
  /** at_risk when still in `criteria` with this many days left. */
  tierByDays: number;
  /** at_risk when there is no nominee with this many days left. */
  candidateByDays: number;
}

export const DEADLINE_STATUSES = ['on_track', 'at_risk', 'breached', 'met', 'met_late'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** The deadline in force for a province: its own (SET_DEADLINE) or else the cycle's. */
export function effectiveDeadline(state: FormationState, rules: CycleRules): string {
  return state.context.deadline ?? rules.deadline;
}

/** The deadline instant of a date: the end of that calendar day in the cycle's zone. */
export function deadlineInstant(date: string, rules: Pick<CycleRules, 'timezone'>): Date {
  return endOfDay(date, rules.timezone);
}

/** Calendar days in the cycle's zone from the day of `at` to the deadline (negative when overdue). */
export function daysToDeadline(deadline: string, at: Date, rules: Pick<CycleRules, 'timezone'>): number {
  return daysBetween(localDate(at, rules.timezone), deadline);
}

/** The verdict stored on every event: checked against the deadline in force when it occurred. */
export function lateness(deadline: string, occurredAt: Date, rules: Pick<CycleRules, 'timezone'>) {
  return {
    late: occurredAt.getTime() > deadlineInstant(deadline, rules).getTime(),
    daysToDeadline: daysToDeadline(deadline, occurredAt, rules),
  };
}

/** Milestones already computed (milliseconds), by deadline and rules: a list of 10,000 provinces shares a few. */
const milestones = new Map<string, { tier: number; candidate: number; deadline: number }>();

/** The instants at which each milestone passes: the end of the day N days before the deadline. */
export function milestoneInstants(deadline: string, rules: CycleRules) {
  const key = `${deadline}|${rules.timezone}|${rules.tierByDays}|${rules.candidateByDays}`;
  let m = milestones.get(key);
  if (!m) {
    m = {
      tier: endOfDay(addDays(deadline, -rules.tierByDays), rules.timezone).getTime(),
      candidate: endOfDay(addDays(deadline, -rules.candidateByDays), rules.timezone).getTime(),
      deadline: deadlineInstant(deadline, rules).getTime(),
    };
    if (milestones.size >= 10_000) milestones.clear();
    milestones.set(key, m);
  }
  return { tier: new Date(m.tier), candidate: new Date(m.candidate), deadline: new Date(m.deadline) };
}

export interface StatusVerdict {
  status: DeadlineStatus;
  /** When the current condition began: the deadline instant for a breach, the milestone for at_risk. */
  since: Date | null;
}

/** A province's deadline status at instant `at` (SPEC §2, "Deadline status"). */
export function deadlineStatus(state: FormationState, rules: CycleRules, at: Date): StatusVerdict {
  const deadline = effectiveDeadline(state, rules);
  const m = milestoneInstants(deadline, rules);
  const { governor } = state.context;
  if (state.stage === 'appointed' && governor) {
    const late = new Date(governor.appointedAt).getTime() > m.deadline.getTime();
    return { status: late ? 'met_late' : 'met', since: null };
  }
  const t = at.getTime();
  if (t > m.deadline.getTime()) return { status: 'breached', since: m.deadline };
  const risks: Date[] = [];
  if (state.stage === 'criteria' && t > m.tier.getTime()) risks.push(m.tier);
  if (state.context.nominees.length === 0 && t > m.candidate.getTime()) risks.push(m.candidate);
  if (risks.length > 0) return { status: 'at_risk', since: new Date(Math.min(...risks.map((d) => d.getTime()))) };
  return { status: 'on_track', since: null };
}
