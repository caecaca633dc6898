import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { localDate } from '@app/workflow';
import { AppError } from '../common/app-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { CycleRef } from '../cycle/cycle-resolver.js';
import { buildDigest, digestDay, type Digest } from './digest.builder.js';
import { DigestRepository } from './digest.repository.js';
import { digestMessages, type DigestMessages } from './digest.i18n.js';

@Injectable()
export class DigestService {
  constructor(
    private readonly repo: DigestRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The digest of one day of the cycle's time zone (default: today there), as the history known now
   * tells it, its headline and summaries in the language of `m`. Days after today (nothing has
   * happened yet) and before the election are refused. Without `seesInternal` (a public key),
   * internal reports and claims and the corrections of internal events are left out.
   */
  async forDay(
    ref: CycleRef,
    date: string | undefined,
    m: DigestMessages = digestMessages('en'),
    now: Date = new Date(),
    seesInternal = true,
  ): Promise<Digest> {
    return this.repo.snapshot(async (reads) => {
      const cycle = await reads.cycle(ref.id);
      if (!cycle) throw AppError.notFound(`No cycle "${ref.slug}".`);
      const today = localDate(now, cycle.timezone);
      const day = date ?? today;
      if (day > today) {
        throw AppError.validation([{ field: 'date', message: `must not be after today (${today} in ${cycle.timezone})` }]);
      }
      if (day < cycle.electionDate) {
        throw AppError.validation([{ field: 'date', message: `must not be before the election day (${cycle.electionDate})` }]);
      }
      const { start, asOf } = digestDay(day, cycle.timezone);
      const provinces = await reads.provincesAt(cycle.id, asOf);
      const events = await reads.eventsBetween(cycle.id, start, asOf, seesInternal);
      const corrections = await reads.retractionsBetween(cycle.id, start, asOf, seesInternal);
      const claims = { steps: await reads.claimStepsBetween(cycle.id, start, asOf), unconfirmed: await reads.claimsUnconfirmedAt(cycle.id, asOf) };
      const named = ref.named ? ref.slug : undefined;
      return buildDigest(
        { date: day, rules: cycle, provinces, events, corrections, claims, includeInternal: seesInternal, cycle: named, publicBaseUrl: this.config.publicBaseUrl },
        m,
      );
    });
  }
}
