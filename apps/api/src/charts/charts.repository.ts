import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CycleRules, FormationState } from '@app/workflow';
import type { TimelineProvinceInput } from './timeline.data.js';

/** The reads of the charts: a cycle's rules, and its provinces with their live events up to a cut-off. */
@Injectable()
export class ChartsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The cycle the request resolved to. */
  async cycle(id: string): Promise<(CycleRules & { id: string }) | null> {
    const rows = await this.db.query(
      `SELECT id, election_date AS "electionDate", deadline, timezone,
              tier_by_days AS "tierByDays", candidate_by_days AS "candidateByDays"
         FROM cycle WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Provinces (one, when `slug` is given) in slug order, each with its live events that occurred by `cutoff`.
   * Internal events are left out for every caller: they are REPORTs, which change no stage, so the chart
   * is the same without them and a public chart cannot betray when one was recorded.
   */
  async provincesWithEvents(cycleId: string, cutoff: Date, slug?: string): Promise<TimelineProvinceInput[]> {
    const rows: (Omit<TimelineProvinceInput, 'events'> & { events: { occurredAt: string; stateAfter: FormationState }[] })[] =
      await this.db.query(
        `SELECT p.slug, p.name, p.name_ar AS "nameAr", p.seats,
                COALESCE((SELECT json_agg(json_build_object('occurredAt', e.occurred_at, 'stateAfter', e.state_after)
                                          ORDER BY e.occurred_at, e.seq)
                            FROM province_event e
                           WHERE e.province_id = p.id AND e.retracted_at IS NULL AND NOT e.internal AND e.occurred_at <= $2), '[]') AS events
           FROM province p
          WHERE p.cycle_id = $1 AND ($3::text IS NULL OR p.slug = $3)
          ORDER BY p.slug`,
        [cycleId, cutoff, slug ?? null],
      );
    return rows.map((r) => ({ ...r, events: r.events.map((e) => ({ occurredAt: new Date(e.occurredAt), stateAfter: e.stateAfter })) }));
  }
}
