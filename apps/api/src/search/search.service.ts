import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { ReadCache } from '../read-cache/read-cache.service.js';
import { foldName } from './name-folding.js';
import { PeopleCollector, buildIndex, searchIndex, type SearchHit, type SearchIndex } from './search.index.js';
import { SearchRepository } from './search.repository.js';

@Injectable()
export class SearchService {
  /**
   * The names are read and grouped into people once per data version (the read cache's: it moves
   * with every event, retraction and cycle change), not on every search: at 10,000 provinces that
   * read is tens of thousands of events.
   */
  private index: { version: string; built: Promise<SearchIndex> } | null = null;

  constructor(
    private readonly repo: SearchRepository,
    private readonly versions: ReadCache,
  ) {}

  /** Provinces and people whose folded names match the folded query, best first. */
  async search(q: string, limit: number): Promise<SearchHit[]> {
    if (foldName(q) === '') throw AppError.validation([{ field: 'q', message: 'q must contain a letter or a digit' }]);
    return searchIndex(await this.current(), q, limit);
  }

  private async current(): Promise<SearchIndex> {
    const version = await this.versions.dataVersion();
    if (this.index?.version !== version) {
      const people = new PeopleCollector();
      const built = this.repo.names((events) => people.add(events)).then((provinces) => buildIndex(provinces, people.list()));
      // A failed read is not kept: the next search reads again.
      built.catch(() => {
        if (this.index?.built === built) this.index = null;
      });
      this.index = { version, built };
    }
    return this.index.built;
  }
}
