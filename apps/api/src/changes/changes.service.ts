import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import { AppError } from '../common/app-error.js';
import { eventsFor, toEventView, type EventView } from '../provinces/province.view.js';
import { START_CURSOR, decodeCursor, encodeCursor, type ChangeCursor } from './change-cursor.js';
import { ChangesRepository } from './changes.repository.js';

export const CHANGES_DEFAULT_LIMIT = 100;
export const CHANGES_MAX_LIMIT = 1000;

export interface ChangesPage {
  items: EventView[];
  /** Pass back as `after` for the next pull: the last item's position, or the request's when nothing is new. */
  cursor: string;
  /** More events can be read right now; when false, pull again later with `cursor`. */
  hasMore: boolean;
}

/**
 * GET /changes: every recorded event of one cycle's provinces in recording order, for incremental pulls.
 * The cursor is a position in the whole log: the one a page hands out moves past the other cycles'
 * events too, and stays valid whichever cycle it is used with.
 *
 * Each event appears once, when it is recorded. A retraction does not re-emit it: the retraction is
 * visible on the event itself (`retracted`, `retractedAt`, `retractedBy`, `retractionReason`) when it
 * is pulled afterwards, and always in the province's history (GET /provinces/:slug/events), which is
 * what a client re-reads to learn of corrections. A backdated event is recorded now, so it comes
 * after what was recorded before it, whatever its `occurredAt`.
 *
 * A public key's page leaves out internal events and notes, but its cursor still moves past them
 * (the last row read, shown or not): a page may then hold fewer than `limit` items, even none with
 * `hasMore` true.
 */
@Injectable()
export class ChangesService {
  constructor(
    private readonly repo: ChangesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async page(cycleId: string, after: string | undefined, limit = CHANGES_DEFAULT_LIMIT, seesInternal = true): Promise<ChangesPage> {
    const from = after ? decodeCursor(after) : START_CURSOR;
    if (!from) throw AppError.validation([{ field: 'after', message: 'after must be a cursor returned by /changes' }]);
    if (!Number.isInteger(limit) || limit < 1 || limit > CHANGES_MAX_LIMIT) {
      throw AppError.validation([{ field: 'limit', message: `limit must be a whole number from 1 to ${CHANGES_MAX_LIMIT}` }]);
    }
    const rows = await this.repo.recordedAfter(cycleId, from, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const cursor: ChangeCursor = last ? { txId: BigInt(last.cursor_tx), id: BigInt(last.cursor_id) } : from;
    const items = eventsFor(page.map((r) => toEventView(r.slug, r)), seesInternal, this.config.publicActorName);
    return { items, cursor: encodeCursor(cursor), hasMore: rows.length > limit };
  }
}
