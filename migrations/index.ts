import { InitialSchema1764201600000 } from './1764201600000-InitialSchema.js';
import { Newsroom1764288000000 } from './1764288000000-Newsroom.js';
import { ReadIndexes1764374400000 } from './1764374400000-ReadIndexes.js';
import { PublicRole1764460800000 } from './1764460800000-PublicRole.js';
import { ClaimsAndContacts1764547200000 } from './1764547200000-ClaimsAndContacts.js';
import { ApprovalAndInternal1764633600000 } from './1764633600000-ApprovalAndInternal.js';
import { SearchIndexes1764720000000 } from './1764720000000-SearchIndexes.js';
import { WritePath1764806400000 } from './1764806400000-WritePath.js';
import { KnownAtIndex1764892800000 } from './1764892800000-KnownAtIndex.js';
import { DataVersionIndex1764979200000 } from './1764979200000-DataVersionIndex.js';
import { RulesAfterLock1765065600000 } from './1765065600000-RulesAfterLock.js';
import { HotProvinceUpdates1765152000000 } from './1765152000000-HotProvinceUpdates.js';
import { OneOutboxInsert1765238400000 } from './1765238400000-OneOutboxInsert.js';
import { Cycles1765324800000 } from './1765324800000-Cycles.js';
import { KeyOwners1765497600000 } from './1765497600000-KeyOwners.js';
import { ResumableStream1765584000000 } from './1765584000000-ResumableStream.js';
import { OccurredAtPrecision1765843200000 } from './1765843200000-OccurredAtPrecision.js';

/** Every migration, in order. Listed (not globbed) so that the app, the CLI and jest load the same set. */
export const MIGRATIONS = [
  InitialSchema1764201600000,
  Newsroom1764288000000,
  ReadIndexes1764374400000,
  PublicRole1764460800000,
  ClaimsAndContacts1764547200000,
  ApprovalAndInternal1764633600000,
  SearchIndexes1764720000000,
  WritePath1764806400000,
  KnownAtIndex1764892800000,
  DataVersionIndex1764979200000,
  RulesAfterLock1765065600000,
  HotProvinceUpdates1765152000000,
  OneOutboxInsert1765238400000,
  Cycles1765324800000,
  KeyOwners1765497600000,
  ResumableStream1765584000000,
  OccurredAtPrecision1765843200000,
];
