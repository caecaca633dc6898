import IRAQ_2023 from './iraq-2023.json' with { type: 'json' };

/**
 * The iraq-2023 cycle and the 15 provinces that voted on 18 December 2023 (domain-facts.md), as a
 * cycle document (iraq-2023.json; its schema is apps/api/src/cycle/cycle-document.schema.json).
 * Seats add up to 285 only with Baghdad 53 and Maysan 13 (both marked uncertain there): they are
 * data an editor can correct, never logic.
 */
export { IRAQ_2023 };

export interface ProvinceSeed {
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
}

export const IRAQ_2023_PROVINCES: readonly ProvinceSeed[] = IRAQ_2023.councils;
