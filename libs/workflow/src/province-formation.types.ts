export const MACHINE_ID = 'province-formation';
export const MACHINE_VERSION = 1;
/** Stamped on every stored event and snapshot. */
export const MACHINE_REF = `${MACHINE_ID}@${MACHINE_VERSION}`;

export const STAGES = ['criteria', 'tier', 'candidate', 'appointed'] as const;
export type Stage = (typeof STAGES)[number];

export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];

export const REPORT_KINDS = ['rumor', 'denial', 'note', 'session_failed'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

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
  /** The province's own deadline (SET_DEADLINE); null means the cycle's deadline applies. */
  deadline: string | null;
  deadlineBasis: string | null;
}

/** The persisted form of a province's machine: its stage and context, and the machine that made it. */
export interface FormationState {
  machine: string;
  stage: Stage;
  context: FormationContext;
}
