import type { FormationContext, Nominee } from './province-formation.types.js';

/** Names match whatever the spacing, case or Unicode composition an editor typed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

export function findNominee(context: FormationContext, name: string): Nominee | undefined {
  const wanted = normalizeName(name);
  return context.nominees.find((n) => normalizeName(n.name) === wanted);
}

/** The nominee list without `name` (however it was typed). */
export function withoutNominee(context: FormationContext, name: string): Nominee[] {
  const wanted = normalizeName(name);
  return context.nominees.filter((n) => normalizeName(n.name) !== wanted);
}
