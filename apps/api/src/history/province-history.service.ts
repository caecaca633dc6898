import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import type { Principal } from '../auth/principal.js';
import { seesInternal } from '../auth/visibility.js';
import { ClaimsRepository } from '../claims/claims.repository.js';
import { toStepView, type ClaimStepView } from '../claims/claim.view.js';
import { toContactView, type ContactView } from '../contacts/contact.view.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { eventsFor, type EventView } from '../provinces/province.view.js';
import { ProvincesService, type ProvinceRef } from '../provinces/provinces.service.js';

export type HistoryItem =
  | { kind: 'event'; at: string; recordedAt: string; event: EventView }
  | {
      kind: 'claim';
      at: string;
      recordedAt: string;
      claim: { id: string; text: string; subject: string | null; internal: boolean; status: string };
      step: ClaimStepView;
    }
  | { kind: 'contact'; at: string; recordedAt: string; contact: ContactView };

/**
 * One province's history for the desk: its events (as GET /events lists them), every claim step and
 * every contact, in one time-ordered list. A public key sees no contacts, no internal event or claim, no note.
 */
@Injectable()
export class ProvinceHistoryService {
  constructor(
    private readonly provinces: ProvincesService,
    private readonly claims: ClaimsRepository,
    private readonly contacts: ContactsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async history(ref: ProvinceRef, principal: Principal): Promise<HistoryItem[]> {
    const internal = seesInternal(principal);
    const events = eventsFor(await this.provinces.history(ref), internal, this.config.publicActorName); // 404 for an unknown province
    const province = (await this.claims.province(null, ref))!;
    const claims = await this.claims.list({ provinceId: province.id, statuses: null, includeInternal: internal });
    const contacts = internal ? await this.contacts.list(province.id) : [];
    const items: HistoryItem[] = [
      ...events.map((event): HistoryItem => ({ kind: 'event', at: event.occurredAt, recordedAt: event.recordedAt, event })),
      ...claims.flatMap((c) =>
        c.steps.map((s): HistoryItem => {
          const step = toStepView(s, internal, this.config.publicActorName);
          return {
            kind: 'claim',
            at: step.occurredAt,
            recordedAt: step.recordedAt,
            claim: { id: c.id, text: c.text, subject: c.subject, internal: c.internal, status: c.status },
            step,
          };
        }),
      ),
      ...contacts.map((row): HistoryItem => {
        const contact = toContactView(row);
        return { kind: 'contact', at: contact.contactedAt, recordedAt: contact.recordedAt, contact };
      }),
    ];
    // ISO instants in UTC sort as strings; the sort is stable, so events keep their seq order on ties.
    return items.sort((a, b) => a.at.localeCompare(b.at) || a.recordedAt.localeCompare(b.recordedAt));
  }
}
