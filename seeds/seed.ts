import type { EntityManager } from 'typeorm';
import { initialFormationState } from '@app/workflow';
import { IRAQ_2023_CYCLE, IRAQ_2023_PROVINCES } from './iraq-2023.js';

/**
 * Load the iraq-2023 cycle and its provinces. Idempotent: rows that exist are left as they are
 * (an editor's correction of seats is never overwritten by a restart).
 */
export async function seedDatabase(manager: EntityManager): Promise<{ cycles: number; provinces: number }> {
  const c = IRAQ_2023_CYCLE;
  const cycles: unknown[] = await manager.query(
    `INSERT INTO cycle (slug, name, election_date, deadline, deadline_basis, timezone, tier_by_days, candidate_by_days, is_default)
     VALUES ($1, $1, $2, $3, $4, $5, $6, $7, NOT EXISTS (SELECT 1 FROM cycle WHERE is_default)) ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [c.name, c.electionDate, c.deadline, c.deadlineBasis, c.timezone, c.tierByDays, c.candidateByDays],
  );
  const [{ id: cycleId }] = await manager.query(`SELECT id FROM cycle WHERE slug = $1`, [c.name]);
  let provinces = 0;
  for (const p of IRAQ_2023_PROVINCES) {
    const state = initialFormationState(p.seats);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO province (cycle_id, slug, code, name, name_ar, seats, stage, tier, state, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 0) ON CONFLICT (cycle_id, slug) DO NOTHING RETURNING id`,
      [cycleId, p.slug, p.code, p.name, p.nameAr, p.seats, state.stage, JSON.stringify(state)],
    );
    provinces += inserted.length;
  }
  return { cycles: cycles.length, provinces };
}
