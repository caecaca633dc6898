import {
  deadlineInstant,
  deadlineStatus,
  effectiveDeadline,
  initialFormationState,
  type CycleRules,
  type DeadlineStatus,
  type FormationState,
  type Stage,
  type Tier,
  firstSelectionRule,
} from '@app/workflow';

/** One province and its live events (occurredAt order, none after the chart's cut-off). */
export interface TimelineProvinceInput {
  slug: string;
  name: string;
  nameAr: string;
  seats: number;
  events: { occurredAt: Date; stateAfter: FormationState }[];
}

export interface TimelineInput {
  rules: CycleRules;
  provinces: TimelineProvinceInput[];
  /** The first instant drawn: the start of the election day. */
  from: Date;
  /** What the chart knows: events that occurred after it are not drawn, and rows are judged at it. */
  cutoff: Date;
}

/** A stretch of time a province spent in one stage. Late: entered after the province's deadline instant. */
export interface TimelineSegment {
  slug: string;
  stage: Stage;
  start: Date;
  end: Date;
  late: boolean;
}

export interface TimelineRow {
  slug: string;
  name: string;
  nameAr: string;
  tier: Tier | null;
  stage: Stage;
  status: DeadlineStatus;
  /** Null: no deadline in force (a vacancy without a clock). */
  deadline: string | null;
  deadlineInstant: Date | null;
  governor: { name: string; nameAr: string | null } | null;
  segments: TimelineSegment[];
}

export interface TimelineData {
  from: Date;
  cutoff: Date;
  timezone: string;
  /** The cycle's deadline (the vertical rule); a province may have its own (TimelineRow.deadline). */
  deadline: string;
  deadlineInstant: Date;
  rows: TimelineRow[];
}

/**
 * Each province's path through the stages, read from the stored `stateAfter` of its live events: a
 * new segment starts whenever the stage changes. Pure: the cut-off comes in as data.
 */
/** The day of the cycle's first deadline (the chart's red line): a date rule's day (an `after` rule has none to draw). */
function firstSelectionDate(rules: TimelineInput['rules']): string {
  const rule = firstSelectionRule(rules);
  return 'date' in rule ? rule.date : rules.electionDate;
}

export function buildTimeline(input: TimelineInput): TimelineData {
  const { rules, cutoff } = input;
  const rows = input.provinces.map((p): TimelineRow => {
    const events = p.events.filter((e) => e.occurredAt.getTime() <= cutoff.getTime());
    const state = events.at(-1)?.stateAfter ?? initialFormationState(p.seats);
    const deadline = effectiveDeadline(state, rules);
    const instant = deadline === null ? null : deadlineInstant(deadline, rules);
    const starts: { stage: Stage; start: Date }[] = [{ stage: 'criteria', start: input.from }];
    for (const e of events) {
      if (e.stateAfter.stage !== starts.at(-1)!.stage) starts.push({ stage: e.stateAfter.stage, start: e.occurredAt });
    }
    const segments = starts.map((s, i) => ({
      slug: p.slug,
      stage: s.stage,
      start: s.start,
      end: starts[i + 1]?.start ?? cutoff,
      late: instant !== null && s.start.getTime() > instant.getTime(),
    }));
    const g = state.stage === 'appointed' ? state.context.governor : null;
    return {
      slug: p.slug,
      name: p.name,
      nameAr: p.nameAr,
      tier: state.context.tier,
      stage: state.stage,
      status: deadlineStatus(state, rules, cutoff).status,
      deadline,
      deadlineInstant: instant,
      governor: g ? { name: g.name, nameAr: g.nameAr ?? null } : null,
      segments,
    };
  });
  return {
    from: input.from,
    cutoff,
    timezone: rules.timezone,
    deadline: firstSelectionDate(rules),
    deadlineInstant: deadlineInstant(firstSelectionDate(rules), rules),
    rows,
  };
}
