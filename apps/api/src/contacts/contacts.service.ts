import { Injectable } from '@nestjs/common';
import { checkOccurredAt } from '@app/workflow';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import { toContactView, type ContactView } from './contact.view.js';
import { ContactsRepository } from './contacts.repository.js';
import type { ContactBodyDto } from './dto/contact-body.dto.js';
import type { ProvinceRef } from '../provinces/provinces.repository.js';


/**
 * The contact log: reporters' calls to officials, against a province. Newsroom-only: the routes
 * refuse the public role, and nothing of a call's content leaves it (no webhook, feed or digest); open
 * newsroom pages are told that a call was logged (contact.logged on /stream: its id and province only).
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly repo: ContactsRepository,
    private readonly publisher: ChangePublisher,
  ) {}

  async record(ref: ProvinceRef, body: ContactBodyDto, actor: Principal, cycle: string): Promise<ContactView> {
    const p = await this.province(ref);
    const contactedAt = body.contactedAt ? new Date(body.contactedAt) : null;
    if (contactedAt) {
      const timing = checkOccurredAt(contactedAt, p.rules, new Date(p.now));
      if (timing) {
        const message =
          timing === 'in-the-future'
            ? 'must not be more than 5 minutes in the future'
            : `must not be before the election day (${p.rules.electionDate}, ${p.rules.timezone})`;
        throw AppError.validation([{ field: 'contactedAt', message }], `contactedAt ${message}.`);
      }
    }
    return this.publisher.transaction(async (m, emit) => {
      const contact = toContactView(
        await this.repo.insert(m, {
          provinceId: p.id,
          officialName: body.official.name.trim(),
          officialTitle: body.official.title?.trim() ?? null,
          channel: body.channel,
          outcome: body.outcome,
          summary: body.summary ?? null,
          contactedAt,
          actor: actor.name,
        }),
      );
      emit([notice('contact.logged', { cycle: { slug: cycle }, contact: { id: contact.id, province: contact.province } })]);
      return contact;
    });
  }

  async list(ref: ProvinceRef): Promise<ContactView[]> {
    const p = await this.province(ref);
    return (await this.repo.list(p.id)).map(toContactView);
  }

  private async province(ref: ProvinceRef) {
    const p = await this.repo.province(ref);
    if (!p) throw AppError.notFound(`No province "${ref.slug}".`);
    return p;
  }
}
