import { absoluteMajority } from './majority.js';
import type { FormationContext, FormationEvent, GuardReason, Nominee } from './province-formation.types.js';

/** Names match whatever the spacing, case or Unicode composition an editor typed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

export function findNominee(context: FormationContext, name: string): Nominee | undefined {
  const wanted = normalizeName(name);
  return context.nominees.find((n) => normalizeName(n.name) === wanted);
}

/**
 * Why an event that the stage accepts would still be refused, or null when it may proceed.
 * One function per guarded event; the machine's guards and the error explanations both use these.
 */
export const guardChecks: {
  [T in FormationEvent['type']]?: (context: FormationContext, event: Extract<FormationEvent, { type: T }>) => GuardReason | null;
} = {
  CONVENE: (context) => (context.convenedAt ? 'already-convened' : null),
  NOMINATE: (context, event) => (findNominee(context, event.candidate.name) ? 'already-nominated' : null),
  WITHDRAW: (context, event) => (findNominee(context, event.candidate) ? null : 'not-a-nominee'),
  APPOINT: (context, event) => {
    if (!findNominee(context, event.governor)) return 'not-a-nominee';
    if (event.present != null && event.present > context.seats) return 'present-exceeds-seats';
    if (event.votes != null && event.present != null && event.votes > event.present) return 'votes-exceed-present';
    if (event.votes != null && event.votes > context.seats) return 'votes-exceed-present';
    if (event.votes != null && event.votes < absoluteMajority(context.seats)) return 'majority-not-reached';
    return null;
  },
  DECREE: (context) => (context.decree ? 'decree-already-recorded' : null),
};

export function guardFailure(context: FormationContext, event: FormationEvent): GuardReason | null {
  const check = guardChecks[event.type] as ((c: FormationContext, e: FormationEvent) => GuardReason | null) | undefined;
  return check ? check(context, event) : null;
}
