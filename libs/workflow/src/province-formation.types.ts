export const MACHINE_ID = 'province-formation';
/** The machines this library knows, oldest first; each is a strict extension of the one before. */
export const MACHINE_VERSIONS = [1, 2] as const;
export type MachineVersion = (typeof MACHINE_VERSIONS)[number];
/** The version new events are applied with and stamped by. */
export const MACHINE_VERSION: MachineVersion = 2;
export const machineRef = (version: MachineVersion) => `${MACHINE_ID}@${version}`;
/** Stamped on every stored event and snapshot. */
export const MACHINE_REF = machineRef(MACHINE_VERSION);

/** The stages, each with the machine version it arrives in. */
export const STAGE_SINCE = { criteria: 1, tier: 1, candidate: 1, appointed: 1, vacant: 2 } as const satisfies Record<string, MachineVersion>;
export type Stage = keyof typeof STAGE_SINCE;
/** Every stage of the current machine, in workflow order. */
export const STAGES = Object.keys(STAGE_SINCE) as readonly Stage[];
/** The stages of one version of the machine. */
export const stagesOf = (version: MachineVersion): Stage[] => STAGES.filter((stage) => STAGE_SINCE[stage] <= version);

export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];

export const REPORT_KINDS = ['rumor', 'denial', 'note', 'session_failed'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const VACATE_REASONS = ['dismissed', 'resigned', 'died', 'elected_elsewhere', 'decree_refused', 'court_ruling', 'other'] as const;
export type VacateReason = (typeof VACATE_REASONS)[number];

export const ACTING_KINDS = ['acting', 'caretaker'] as const;
export type ActingKind = (typeof ACTING_KINDS)[number];

export const RULING_OUTCOMES = ['upheld', 'overturned'] as const;
export type RulingOutcome = (typeof RULING_OUTCOMES)[number];

export interface Person {
  name: string;
  nameAr?: string | null;
  bloc?: string | null;
}

export interface Nominee extends Person {
  nominatedAt: string;
}

export interface Governor extends Person {
  votes: number | null;
  present: number | null;
  appointedAt: string;
  /** Set when a ruling undid the vacancy that had removed this governor (appointedAt stays the vote's). */
  reinstatedAt?: string;
}

/** Who holds the office while no elected governor does (ACTING). */
export interface ActingGovernor {
  name: string;
  nameAr: string | null;
  kind: ActingKind;
  since: string;
}

/** A dispute waiting for a ruling: of the appointment (in `appointed`) or of the vacancy (in `vacant`). */
export interface Contest {
  by: string;
  grounds: string;
  since: string;
  target: 'appointment' | 'vacancy';
}

/** What a selection holds of its own; a vacancy keeps the one it interrupted, for a ruling to restore. */
export interface SelectionRecord {
  selection: number;
  nominees: Nominee[];
  decree: FormationContext['decree'];
  deadline: string | null;
  deadlineBasis: string | null;
  clockStartedAt: string | null;
  vacancy: Vacancy | null;
}

/** Why the current selection was opened: the governor who left, why and when. */
export interface Vacancy {
  reason: VacateReason;
  since: string;
  previousGovernor: Governor;
  /** The selection the vacancy interrupted, as it stood: what an overturning ruling puts back. */
  interrupted: SelectionRecord;
}

/** Everything the machine remembers about one province's formation. Plain JSON. */
export interface FormationContext {
  seats: number;
  criteria: string | null;
  tier: Tier | null;
  nominees: Nominee[];
  governor: Governor | null;
  convenedAt: string | null;
  chair: string | null;
  decree: { recordedAt: string; decreeDate: string | null } | null;
  /** The province's own deadline for this selection (SET_DEADLINE); null: the cycle's rule applies. */
  deadline: string | null;
  deadlineBasis: string | null;
  // Since @2. A state stored by @1 lacks them: upgradeState gives their values.
  /** 1 for the election's first selection; each vacancy opens the next. */
  selection: number;
  /** The instant this selection's clock started: its CONVENE in the first selection, its vacancy's event after. */
  clockStartedAt: string | null;
  acting: ActingGovernor | null;
  contested: Contest | null;
  /**
   * Why this selection was opened (null in the first). It lasts the selection, appointment included,
   * until the next vacancy keeps it in `interrupted` or a ruling undoes it.
   */
  vacancy: Vacancy | null;
}

/** The fields @2 added to the context, with the values a state stored by @1 has for them. */
export type AddedInV2 = Pick<FormationContext, 'selection' | 'clockStartedAt' | 'acting' | 'contested' | 'vacancy'>;

/** The persisted form of a province's machine: its stage and context, and the machine that made it. */
export interface FormationState {
  machine: string;
  stage: Stage;
  context: FormationContext;
}

/**
 * A stored state with every field of the current context: one written by @1 gets the values a replay
 * under @2 gives (its first selection, its clock started by its CONVENE, nobody acting, nothing contested).
 */
export function upgradeState(state: FormationState): FormationState {
  const context = state.context as Partial<AddedInV2> & Omit<FormationContext, keyof AddedInV2>;
  if (context.selection !== undefined) return state;
  const added: AddedInV2 = { selection: 1, clockStartedAt: context.convenedAt, acting: null, contested: null, vacancy: null };
  return { ...state, context: { ...context, ...added } };
}
