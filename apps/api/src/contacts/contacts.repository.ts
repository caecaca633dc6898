import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsSelect } from 'typeorm';
import { ContactEntity, readFirst } from '@app/database';
import type { CycleRules } from '@app/workflow';
import type { ContactRow } from './contact.view.js';
import type { ContactChannel, ContactOutcome } from './dto/contact-body.dto.js';
import type { ProvinceRef } from '../provinces/provinces.repository.js';

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

/** The database's clock to the millisecond, as contacts are dated. */
const NOW_MS = `date_trunc('milliseconds', now())`;

/** A contact with its province's slug. */
const SELECT: FindOptionsSelect<ContactEntity> = {
  id: true,
  officialName: true,
  officialTitle: true,
  channel: true,
  outcome: true,
  summary: true,
  contactedAt: true,
  recordedAt: true,
  actor: true,
  province: { id: true, slug: true },
};

function toRow(c: ContactEntity): ContactRow {
  if (!c.province) throw new Error(`contact ${c.id} was read without its province`);
  const { id, officialName, officialTitle, channel, outcome, summary, contactedAt, recordedAt, actor } = c;
  return { id, province: c.province.slug, officialName, officialTitle, channel, outcome, summary, contactedAt, recordedAt, actor };
}

/** The contact log through its entity; the province look-up (with its cycle's rules and the clock) is one statement. */
@Injectable()
export class ContactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get contacts() {
    return this.db.getRepository(ContactEntity);
  }

  async province(ref: ProvinceRef): Promise<{ id: string; rules: CycleRules; now: Date } | null> {
    const rows: unknown = await this.db.query(
      `SELECT p.id, cy.election_date, cy.deadline, cy.timezone, cy.tier_by_days, cy.candidate_by_days, ${NOW_MS} AS now
         FROM province p JOIN cycle cy ON cy.id = p.cycle_id WHERE p.cycle_id = $1 AND p.slug = $2`,
      [ref.cycleId, ref.slug],
    );
    return readFirst(rows, (r) => ({
      id: r.text('id'),
      rules: {
        electionDate: r.text('election_date'),
        deadline: r.text('deadline'),
        timezone: r.text('timezone'),
        tierByDays: r.int('tier_by_days'),
        candidateByDays: r.int('candidate_by_days'),
      },
      now: r.instant('now'),
    }));
  }

  /** Without contactedAt the contact is dated by the database's clock, as its recording is. */
  /** In `m`'s transaction: the one that logs its notice. */
  async insert(m: EntityManager, c: NewContact): Promise<ContactRow> {
    const contacts = m.getRepository(ContactEntity);
    const { identifiers } = await contacts.insert({ ...c, contactedAt: c.contactedAt ?? (() => NOW_MS), recordedAt: () => NOW_MS });
    const [{ id }] = identifiers;
    return toRow(await contacts.findOneOrFail({ select: SELECT, relations: { province: true }, where: { id } }));
  }

  async list(provinceId: string): Promise<ContactRow[]> {
    const contacts = await this.contacts.find({
      select: SELECT,
      relations: { province: true },
      where: { provinceId },
      order: { contactedAt: 'ASC', recordedAt: 'ASC', id: 'ASC' },
    });
    return contacts.map(toRow);
  }
}
