import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CycleRules } from '@app/workflow';
import type { ContactRow } from './contact.view.js';
import type { ContactChannel, ContactOutcome } from './dto/contact-body.dto.js';

export interface NewContact {
  provinceId: string;
  officialName: string;
  officialTitle: string | null;
  channel: ContactChannel;
  outcome: ContactOutcome;
  summary: string | null;
  contactedAt: Date | null;
  actor: string;
}

const COLUMNS = `c.id, p.slug AS province, c.official_name AS "officialName", c.official_title AS "officialTitle", c.channel, c.outcome,
  c.summary, c.contacted_at AS "contactedAt", c.recorded_at AS "recordedAt", c.actor`;

@Injectable()
export class ContactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async province(slug: string): Promise<{ id: string; rules: CycleRules; now: Date } | null> {
    const rows = await this.db.query(
      `SELECT p.id, json_build_object('electionDate', cy.election_date, 'deadline', cy.deadline, 'timezone', cy.timezone,
                'tierByDays', cy.tier_by_days, 'candidateByDays', cy.candidate_by_days) AS rules,
              date_trunc('milliseconds', now()) AS now
         FROM province p JOIN cycle cy ON cy.id = p.cycle_id WHERE p.slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** One statement; without contactedAt the contact is dated by the database's clock. */
  async insert(c: NewContact): Promise<ContactRow> {
    const rows = await this.db.query(
      `WITH c AS (
         INSERT INTO contact (province_id, official_name, official_title, channel, outcome, summary, contacted_at, recorded_at, actor)
         VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, date_trunc('milliseconds', now())), date_trunc('milliseconds', now()), $8)
         RETURNING *
       )
       SELECT ${COLUMNS} FROM c JOIN province p ON p.id = c.province_id`,
      [c.provinceId, c.officialName, c.officialTitle, c.channel, c.outcome, c.summary, c.contactedAt, c.actor],
    );
    return rows[0];
  }

  async list(provinceId: string): Promise<ContactRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM contact c JOIN province p ON p.id = c.province_id
        WHERE c.province_id = $1 ORDER BY c.contacted_at, c.recorded_at, c.id`,
      [provinceId],
    );
  }
}
