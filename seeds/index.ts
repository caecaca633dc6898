import { IRAQ_2023 } from './iraq-2023.js';

export * from './iraq-2023.js';

/**
 * The cycle documents a new database is loaded with, through the same import as POST /cycles and
 * `npm run cli -- cycles import` (GT_SEED=bare: their councils without their events).
 */
export const SEED_DOCUMENTS: readonly unknown[] = [IRAQ_2023];
