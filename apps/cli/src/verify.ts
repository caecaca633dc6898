import type { DataSource } from 'typeorm';
import { initialFormationState, replay, upgradeState, type FormationState } from '@app/workflow';
import { machineEventOf } from '../../api/src/provinces/provinces.service.js';

export interface VerifyProblem {
  province: string;
  problem: string;
}

/**
 * A state as compared: read as the current machine reads it (a snapshot stored by @1 gets @2's added
 * fields, as its replay has them), without the stamp of the machine that wrote it.
 */
const stable = (s: FormationState) => {
  const { machine: _machine, ...rest } = upgradeState(s);
  return canonical(rest);
};
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The integrity check: replay every province from its live events and compare with the stored
 * snapshot and each stored stateAfter; report any gap in a province's seq, and a province whose copy
 * of its version in province_data_version (what the read cache's data version sums) differs.
 */
export async function verifyDatabase(db: DataSource): Promise<{ provinces: number; events: number; problems: VerifyProblem[] }> {
  const provinces: { id: string; slug: string; seats: number; state: FormationState; stage: string; rules: never; version: number; dataVersion: number | null }[] =
    await db.query(
      `SELECT p.id, p.slug, p.seats, p.state, p.stage, p.version, d.version AS "dataVersion",
              json_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'deadlineBasis', c.deadline_basis,
                                'vacancyDeadline', c.vacancy_deadline, 'timezone', c.timezone,
                                'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days) AS rules
         FROM province p JOIN cycle c ON c.id = p.cycle_id LEFT JOIN province_data_version d ON d.province_id = p.id ORDER BY p.slug`,
    );
  const problems: VerifyProblem[] = [];
  let events = 0;
  for (const p of provinces) {
    const rows: { seq: number; type: string; payload: Record<string, unknown>; occurredAt: Date; stateAfter: FormationState; retracted: boolean }[] =
      await db.query(
        `SELECT seq, type, payload, occurred_at AS "occurredAt", state_after AS "stateAfter", retracted_at IS NOT NULL AS retracted
           FROM province_event WHERE province_id = $1 ORDER BY occurred_at, seq`,
        [p.id],
      );
    events += rows.length;
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    seqs.forEach((seq, i) => {
      if (seq !== i + 1) problems.push({ province: p.slug, problem: `seq gap: expected ${i + 1}, found ${seq}` });
    });
    const live = rows.filter((r) => !r.retracted);
    const result = replay(initialFormationState(p.seats), live, machineEventOf, p.rules);
    if (result.failed) problems.push({ province: p.slug, problem: `event ${result.failed.item.seq} no longer applies on replay` });
    result.steps.forEach((step) => {
      if (step.result.ok && stable(step.result.state) !== stable(step.item.stateAfter)) {
        problems.push({ province: p.slug, problem: `stateAfter of event ${step.item.seq} differs from the replay` });
      }
    });
    if (stable(result.state) !== stable(p.state)) problems.push({ province: p.slug, problem: 'stored snapshot differs from the replay of its events' });
    if (p.stage !== p.state.stage) problems.push({ province: p.slug, problem: `stage column ${p.stage} differs from snapshot ${p.state.stage}` });
    // The read cache's copy (migration HotProvinceUpdates): kept by a trigger, which a load run with
    // triggers off (session_replication_role = replica) skips.
    if (p.dataVersion !== p.version) {
      problems.push({ province: p.slug, problem: `read-cache data version ${p.dataVersion ?? 'missing'} differs from the province's version ${p.version}` });
    }
  }
  return { provinces: provinces.length, events, problems };
}
