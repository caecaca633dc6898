import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import { toAlertView } from '../alerts/alert.view.js';
import { eventsFor, toEventView } from '../provinces/province.view.js';
import type { CycleRef } from '../cycle/cycle-resolver.js';
import { alertsAtom, changesAtom } from './atom.view.js';
import { ChangesRepository, type ProvinceNames } from './changes.repository.js';

/** How many entries each feed carries: enough for a reader polling a few times a day. */
export const FEED_ENTRIES = 100;

const provinceLabel = (r: ProvinceNames) => ({ name: r.name, nameAr: r.name_ar });

/** The Atom feeds (SPEC §4, §5): one cycle's latest events and latest alert changes, with stable entry ids. */
@Injectable()
export class FeedsService {
  constructor(
    private readonly repo: ChangesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `origin` (scheme and host the client used) makes the entries' links absolute; ids never depend on it. */
  async changes(cycle: CycleRef, origin: string, seesInternal: boolean): Promise<string> {
    const rows = await this.repo.latestEvents(cycle.id, FEED_ENTRIES, seesInternal);
    const labels = new Map(rows.map((r) => [r.slug, provinceLabel(r)]));
    const events = eventsFor(rows.map((r) => toEventView(r.slug, r)), seesInternal, this.config.publicActorName);
    const timezone = rows[0]?.timezone ?? '';
    return changesAtom(events.map((e) => ({ ...e, provinceLabel: labels.get(e.province)!, timezone })), origin, feedCycle(cycle));
  }

  /** Who acknowledged an alert is a key's name for the newsroom; PUBLIC_ACTOR_NAME for a public key. */
  async alerts(cycle: CycleRef, origin: string, seesInternal: boolean): Promise<string> {
    const rows = await this.repo.latestAlerts(cycle.id, FEED_ENTRIES);
    const shown = (by: string | null) => (by === null || seesInternal ? by : this.config.publicActorName);
    return alertsAtom(
      rows.map((r) => {
        const alert = toAlertView({ ...r, cycle: cycle.slug });
        return { ...alert, acknowledgedBy: shown(alert.acknowledgedBy), provinceLabel: provinceLabel(r) };
      }),
      origin,
      feedCycle(cycle),
    );
  }
}

const feedCycle = (c: CycleRef) => ({ slug: c.slug, named: c.named === true });
