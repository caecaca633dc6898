import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { ReadCache } from '../read-cache/read-cache.service.js';
import { foldName } from './name-folding.js';
import { PeopleCollector, buildIndex, searchIndex, type SearchHit, type SearchIndex } from './search.index.js';
import { SearchRepository } from './search.repository.js';

/** The cycles whose indexes are kept (each ~10 MiB at 10,000 provinces): the default one and a few being browsed. */
const INDEXES_KEPT = 4;

@Injectable()
export class SearchService {
  /**
   * Each cycle's names are read and grouped into people once per data version (the read cache's: it
   * moves with every event, retraction and cycle change), not on every search: at 10,000 provinces
   * that read is tens of thousands of events. By cycle id, least recently searched out first.
   */
  private readonly indexes = new Map<string, { version: string; built: Promise<SearchIndex> }>();

  constructor(
    private readonly repo: SearchRepository,
    private readonly versions: ReadCache,
  ) {}

  /** A cycle's provinces and people whose folded names match the folded query, best first. */
  async search(cycleId: string, q: string, limit: number): Promise<SearchHit[]> {
    if (foldName(q) === '') throw AppError.validation([{ field: 'q', message: 'q must contain a letter or a digit' }]);
    return searchIndex(await this.current(cycleId), q, limit);
  }

  private async current(cycleId: string): Promise<SearchIndex> {
    const version = await this.versions.dataVersion();
    let index = this.indexes.get(cycleId);
    this.indexes.delete(cycleId);
    if (index?.version !== version) {
      const people = new PeopleCollector();
      const built = this.repo.names(cycleId, (events) => people.add(events)).then((provinces) => buildIndex(provinces, people.list()));
      // A failed read is not kept: the next search reads again.
      built.catch(() => {
        if (this.indexes.get(cycleId)?.built === built) this.indexes.delete(cycleId);
      });
      index = { version, built };
    }
    // Most recently searched last; the oldest beyond the few kept are dropped.
    this.indexes.set(cycleId, index);
    for (const oldest of this.indexes.keys()) {
      if (this.indexes.size <= INDEXES_KEPT) break;
      this.indexes.delete(oldest);
    }
    return index.built;
  }
}
