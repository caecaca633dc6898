import { addDays, daysBetween, endOfDay, isValidDate, localDate } from './time.js';
import { upgradeState, type FormationContext, type FormationState } from './province-formation.types.js';

/** A deadline on a fixed day (in the cycle's zone), with its written legal basis. */
export interface DateRule {
  date: string;
  basis: string;
}

/**
 * A deadline N calendar days (in the cycle's zone) after the event that starts a selection's clock:
 * the end of the day that is N days after that event's day. The event is the one the selection's clock
 * runs from (CLOCK_EVENTS): CONVENE for the first selection, VACATE for a vacancy's.
 */
export interface AfterRule<E extends ClockEvent = ClockEvent> {
  after: E;
  days: number;
  basis: string;
}

/** The event each selection's clock starts at; a vacancy opened by an overturning RULING counts as its VACATE. */
export const CLOCK_EVENTS = { deadline: 'CONVENE', vacancyDeadline: 'VACATE' } as const;
export type ClockEvent = (typeof CLOCK_EVENTS)[keyof typeof CLOCK_EVENTS];

export type DeadlineRule = DateRule | AfterRule;
export type FirstSelectionRule = DateRule | AfterRule<'CONVENE'>;
export type VacancyRule = DateRule | AfterRule<'VACATE'>;

/** The rules of one electoral cycle that the workflow needs; all dates are days in `timezone`. */
export interface CycleRules {
  electionDate: string;
  /** The first selection's deadline: a rule, or a bare `YYYY-MM-DD`, short for `{ date, basis: deadlineBasis }`. */
  deadline: string | FirstSelectionRule;
  /** The written basis of a bare date `deadline` (a rule carries its own). */
  deadlineBasis?: string;
  /** Each later selection's (a vacancy's) deadline; absent or null: none until an editor sets one (SET_DEADLINE). */
  vacancyDeadline?: VacancyRule | null;
  timezone: string;
  /** at_risk when still in `criteria` with this many days left (the first selection only). */
  tierByDays: number;
  /** at_risk when there is no nominee with this many days left. */
  candidateByDays: number;
}

export const DEADLINE_STATUSES = ['on_track', 'at_risk', 'breached', 'met', 'met_late', 'no_deadline'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** The first selection's rule, the shorthand spelled out. */
export function firstSelectionRule(rules: Pick<CycleRules, 'deadline' | 'deadlineBasis'>): FirstSelectionRule {
  return typeof rules.deadline === 'string' ? { date: rules.deadline, basis: rules.deadlineBasis ?? '' } : rules.deadline;
}

/** The rule of a selection: the cycle's `deadline` for the first, its `vacancyDeadline` (or none) for a later one. */
export function selectionRule(rules: CycleRules, selection: number): DeadlineRule | null {
  return selection === 1 ? firstSelectionRule(rules) : (rules.vacancyDeadline ?? null);
}

/**
 * What is wrong with a rule for a slot of the cycle (null: nothing), for the API to refuse before storing
 * it. `days` is a whole number from 1 to 3660: a bound on input (ten years), not a legal period.
 */
export function deadlineRuleProblem(rule: DeadlineRule, slot: keyof typeof CLOCK_EVENTS): string | null {
  if (typeof rule.basis !== 'string' || rule.basis.trim() === '') return 'basis: the written legal basis is required';
  if ('date' in rule) return isValidDate(rule.date) ? null : 'date: must be a calendar date, YYYY-MM-DD';
  if (rule.after !== CLOCK_EVENTS[slot]) return `after: a ${slot} rule counts from ${CLOCK_EVENTS[slot]}`;
  if (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > 3660) return 'days: must be a whole number from 1 to 3660';
  return null;
}

/** The deadline a province is held to now: its date, the end of that day in the cycle's zone, and whose it is. */
export interface DeadlineInForce {
  date: string;
  instant: Date;
  basis: string | null;
  /** `province`: set for this selection by SET_DEADLINE; `cycle`: the cycle's rule for the selection. */
  source: 'province' | 'cycle';
}

/**
 * The deadline in force for a province at its current selection: its own (SET_DEADLINE, this selection's)
 * or else the cycle's rule for the selection, counted from the selection's clock when the rule says
 * `after`. Null when none is: a vacancy without a rule, or a clock that has not started.
 */
export function deadlineInForce(state: FormationState, rules: CycleRules): DeadlineInForce | null {
  const { context } = upgradeState(state);
  const date = dateInForce(context, rules);
  if (date === null) return null;
  const own = context.deadline !== null;
  const basis = own ? context.deadlineBasis : (selectionRule(rules, context.selection)?.basis ?? null);
  return { date, instant: deadlineInstant(date, rules), basis, source: own ? 'province' : 'cycle' };
}

/** The date of the deadline in force (see deadlineInForce), or null when none is. */
export function effectiveDeadline(state: FormationState, rules: CycleRules): string | null {
  return dateInForce(upgradeState(state).context, rules);
}

/** deadlineInForce's date alone: what the status of every province of a long list needs, without allocating. */
function dateInForce(context: FormationContext, rules: CycleRules): string | null {
  if (context.deadline) return context.deadline;
  const rule = context.selection === 1 ? rules.deadline : rules.vacancyDeadline;
  if (!rule) return null;
  if (typeof rule === 'string') return rule;
  if ('date' in rule) return rule.date;
  return context.clockStartedAt ? addDays(localDate(new Date(context.clockStartedAt), rules.timezone), rule.days) : null;
}

/** The deadline instant of a date: the end of that calendar day in the cycle's zone. */
export function deadlineInstant(date: string, rules: Pick<CycleRules, 'timezone'>): Date {
  return endOfDay(date, rules.timezone);
}

/** Calendar days in the cycle's zone from the day of `at` to the deadline (negative when overdue). */
export function daysToDeadline(deadline: string, at: Date, rules: Pick<CycleRules, 'timezone'>): number {
  return daysBetween(localDate(at, rules.timezone), deadline);
}

/**
 * The verdict stored on every event: checked against the deadline in force when it occurred. With none
 * in force, nothing can be late and there are no days to count.
 */
export function lateness(deadline: string | null, occurredAt: Date, rules: Pick<CycleRules, 'timezone'>): { late: boolean; daysToDeadline: number | null } {
  if (deadline === null) return { late: false, daysToDeadline: null };
  return {
    late: occurredAt.getTime() > deadlineInstant(deadline, rules).getTime(),
    daysToDeadline: daysToDeadline(deadline, occurredAt, rules),
  };
}

/** Milestones already computed (milliseconds), by deadline and rules: a list of 10,000 provinces shares a few. */
const milestones = new Map<string, { tier: number; candidate: number; deadline: number }>();

/** The instants at which each milestone passes: the end of the day N days before the deadline. */
export function milestoneInstants(deadline: string, rules: Pick<CycleRules, 'timezone' | 'tierByDays' | 'candidateByDays'>) {
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

/**
 * A province's deadline status at instant `at` (SPEC §2, "Deadline status"; §8). An appointment is
 * judged against its own selection's deadline (met when there was none). A selection with no deadline
 * in force is `no_deadline`. The tier milestone applies to the first selection only — a vacancy has no
 * tier stage — and the candidate milestone to every selection.
 */
export function deadlineStatus(state: FormationState, rules: CycleRules, at: Date): StatusVerdict {
  const upgraded = upgradeState(state);
  const { governor, nominees } = upgraded.context;
  const date = dateInForce(upgraded.context, rules);
  const m = date === null ? null : milestoneInstants(date, rules);
  if (upgraded.stage === 'appointed' && governor) {
    const late = m !== null && new Date(governor.appointedAt).getTime() > m.deadline.getTime();
    return { status: late ? 'met_late' : 'met', since: null };
  }
  if (m === null) return { status: 'no_deadline', since: null };
  const t = at.getTime();
  if (t > m.deadline.getTime()) return { status: 'breached', since: m.deadline };
  const risks: Date[] = [];
  // Only the first selection has a criteria stage: a vacancy reopens at `vacant`.
  if (upgraded.stage === 'criteria' && t > m.tier.getTime()) risks.push(m.tier);
  if (nominees.length === 0 && t > m.candidate.getTime()) risks.push(m.candidate);
  if (risks.length > 0) return { status: 'at_risk', since: new Date(Math.min(...risks.map((d) => d.getTime()))) };
  return { status: 'on_track', since: null };
}
