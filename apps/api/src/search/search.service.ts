import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { foldName } from './name-folding.js';
import { searchNames, type SearchHit } from './search.index.js';
import { SearchRepository } from './search.repository.js';

@Injectable()
export class SearchService {
  constructor(private readonly repo: SearchRepository) {}

  /** Provinces and people whose folded names match the folded query, best first. */
  async search(q: string, limit: number): Promise<SearchHit[]> {
    if (foldName(q) === '') throw AppError.validation([{ field: 'q', message: 'q must contain a letter or a digit' }]);
    const { provinces, events } = await this.repo.names();
    return searchNames(q, provinces, events, limit);
  }
}
