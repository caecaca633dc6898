import type { EventType } from '@app/workflow';
import { fieldsOf, nonBlank } from '../common/payload-fields.js';
import { MATCH_RANK, compactKey, foldName, type MatchKind } from './name-folding.js';
import { PROVINCE_ALIASES } from './province-aliases.js';

/** A province as the search reads it. */
export interface ProvinceNamesRow {
  slug: string;
  code: string;
  name: string;
  nameAr: string;
}

/** A live event that names a person (NOMINATE, APPOINT, CONVENE, WITHDRAW). */
export interface PersonEventRow {
  province: string;
  type: EventType;
  payload: Record<string, unknown>;
}

export const PERSON_ROLES = ['nominee', 'governor', 'chair'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

interface Common {
  /** The province's slug. */
  province: string;
  name: string;
  nameAr: string | null;
  /** The name or alias that matched, as written. */
  matched: string;
  match: MatchKind;
}
export interface ProvinceHit extends Common {
  kind: 'province';
  code: string;
}
export interface PersonHit extends Common {
  kind: 'person';
  roles: PersonRole[];
  bloc: string | null;
  provinceName: string;
  provinceNameAr: string;
}
export type SearchHit = ProvinceHit | PersonHit;

export interface Person {
  province: string;
  name: string;
  nameAr: string | null;
  bloc: string | null;
  /** One bit per role, in PERSON_ROLES order (a Set per person cost ~200 bytes each at 30,000 people). */
  roles: number;
}

const roleBit = (role: PersonRole) => 1 << PERSON_ROLES.indexOf(role);

/**
 * The people named in a province's live events, one per province and folded name (so "Youssef" and
 * "Yousef" recorded in two events are one person); the Arabic name and bloc come from the nomination.
 * Events are added a batch at a time, so that they need not all be read before folding starts.
 */
export class PeopleCollector {
  private readonly people = new Map<string, Person>();

  add(events: PersonEventRow[]): void {
    for (const e of events) {
      const pl = e.payload;
      if (e.type === 'NOMINATE') {
        const c = fieldsOf(pl.candidate);
        this.person(e.province, nonBlank(c.name), 'nominee', nonBlank(c.nameAr), nonBlank(c.bloc));
      } else if (e.type === 'WITHDRAW') this.person(e.province, nonBlank(pl.candidate), 'nominee');
      else if (e.type === 'APPOINT') this.person(e.province, nonBlank(pl.governor), 'governor');
      else if (e.type === 'CONVENE') this.person(e.province, nonBlank(pl.chair), 'chair');
    }
  }

  list(): Person[] {
    return [...this.people.values()];
  }

  private person(province: string, name: string | null, role: PersonRole, nameAr: string | null = null, bloc: string | null = null): void {
    if (!name) return;
    const key = `${province}\u0000${compactKey(foldName(name))}`;
    const p = this.people.get(key) ?? { province, name, nameAr: null, bloc: null, roles: 0 };
    p.nameAr ??= nameAr;
    p.bloc ??= bloc;
    p.roles |= roleBit(role);
    this.people.set(key, p);
  }
}

export function peopleOf(events: PersonEventRow[]): Person[] {
  const people = new PeopleCollector();
  people.add(events);
  return people.list();
}

const KIND_ORDER = { province: 0, person: 1 } as const;
/** The match kinds by rank (MATCH_RANK inverted). */
const KIND_OF_RANK = (Object.entries(MATCH_RANK) as [MatchKind, number][]).sort((a, b) => a[1] - b[1]).map(([kind]) => kind);

/** One search over names read now (the service keeps a built index instead). */
export function searchNames(query: string, provinces: ProvinceNamesRow[], events: PersonEventRow[], limit: number): SearchHit[] {
  return searchIndex(buildIndex(provinces, peopleOf(events)), query, limit);
}

/**
 * What a search ranks: the provinces and the people their live events name, every name folded once
 * (built once per data version). The folded names are held in one string, not as objects: at 10,000
 * provinces and 30,000 people an object per name (its compact form and one string per word suffix)
 * kept ~35 MiB alive; this layout keeps ~10 MiB (most of it the names as written; an object per person
 * wrapping it with its province's position and a byte per position for the word starts kept 1.7 MiB
 * more), and a search is one `indexOf` scan of it.
 *
 * `text` holds every name's compact folded form (letters and digits only), each followed by "\n",
 * which no folded query contains, so an occurrence of a query never spans two names. Names are
 * numbered in entity order (provinces, then people), each entity's names contiguous and in the
 * order given, so the first of equally good names has the lowest number.
 */
export interface SearchIndex {
  provinces: ProvinceNamesRow[];
  /** The people whose province is in the index. */
  people: Person[];
  /** Person i's province: its position in `provinces`. */
  peopleAt: Int32Array;
  text: string;
  /** Where name i starts in `text` (one more entry: text.length). */
  starts: Int32Array;
  /** The entity of name i: a province's position, or provinces.length + a person's. */
  owner: Int32Array;
  /** Name i as written (what a hit reports as `matched`). */
  written: string[];
  /** A bit per position of `text` (bit p % 8 of byte p >> 3), set where a word of a name starts. */
  wordStart: Uint8Array;
}

const startsWord = (wordStart: Uint8Array, pos: number) => (wordStart[pos >> 3] >> (pos & 7)) & 1;

export function buildIndex(provinces: ProvinceNamesRow[], named: Person[]): SearchIndex {
  const at = new Map(provinces.map((p, i) => [p.slug, i]));
  const people: Person[] = [];
  const peopleAt: number[] = [];
  for (const person of named) {
    const i = at.get(person.province);
    if (i === undefined) continue;
    people.push(person);
    peopleAt.push(i);
  }
  const written: string[] = [];
  const owner: number[] = [];
  const parts: string[] = [];
  const wordStarts: number[] = [];
  const starts: number[] = [];
  let length = 0;
  const add = (entity: number, names: (string | null)[]) => {
    for (const name of names) {
      if (name === null) continue;
      const words = foldName(name).split(' ');
      starts.push(length);
      written.push(name);
      owner.push(entity);
      for (const w of words) {
        wordStarts.push(length);
        length += w.length;
      }
      parts.push(words.join(''), '\n');
      length += 1;
    }
  };
  provinces.forEach((p, i) => add(i, [p.name, p.nameAr, p.slug, p.code, ...(PROVINCE_ALIASES[p.slug] ?? [])]));
  people.forEach((person, i) => add(provinces.length + i, person.nameAr ? [person.name, person.nameAr] : [person.name]));
  starts.push(length);
  const wordStart = new Uint8Array((length >> 3) + 1);
  for (const w of wordStarts) wordStart[w >> 3] |= 1 << (w & 7);
  return {
    provinces,
    people,
    peopleAt: Int32Array.from(peopleAt),
    text: parts.join(''),
    starts: Int32Array.from(starts),
    owner: Int32Array.from(owner),
    written,
    wordStart,
  };
}

/** The name whose span in `text` holds position `pos` (binary search over the starts). */
function nameAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Ranks provinces (by slug, English and Arabic names, ISO code and aliases) and people (by name
 * and Arabic name) against a query: exact before prefix before contains, provinces before people,
 * then by name. Matching is on folded names only (name-folding.ts): a name matches `exact` when its
 * compact form is the query, `prefix` when the query starts at one of its words, `contains`
 * otherwise — every occurrence of the query in `text` is one of these for the name that holds it,
 * and an entity's best name (the first on a tie) is the one reported.
 */
export function searchIndex(index: SearchIndex, query: string, limit: number): SearchHit[] {
  const q = compactKey(foldName(query));
  const hits: SearchHit[] = [];
  if (q.length === 0) return hits;
  const { text, starts, owner, wordStart } = index;
  const best = new Map<number, { rank: number; name: number }>();
  for (let pos = text.indexOf(q); pos !== -1; pos = text.indexOf(q, pos + 1)) {
    const name = nameAt(starts, pos);
    const rank = pos === starts[name] && starts[name + 1] - 1 - pos === q.length ? MATCH_RANK.exact : startsWord(wordStart, pos) ? MATCH_RANK.prefix : MATCH_RANK.contains;
    const entity = owner[name];
    const seen = best.get(entity);
    if (!seen || rank < seen.rank || (rank === seen.rank && name < seen.name)) best.set(entity, { rank, name });
  }
  for (const entity of [...best.keys()].sort((a, b) => a - b)) {
    const { rank, name } = best.get(entity)!;
    const m = { matched: index.written[name], match: KIND_OF_RANK[rank] };
    if (entity < index.provinces.length) {
      const p = index.provinces[entity];
      hits.push({ kind: 'province', province: p.slug, name: p.name, nameAr: p.nameAr, code: p.code, ...m });
      continue;
    }
    const i = entity - index.provinces.length;
    const person = index.people[i];
    const where = index.provinces[index.peopleAt[i]];
    hits.push({
      kind: 'person',
      province: person.province,
      name: person.name,
      nameAr: person.nameAr,
      roles: PERSON_ROLES.filter((r) => person.roles & roleBit(r)),
      bloc: person.bloc,
      provinceName: where.name,
      provinceNameAr: where.nameAr,
      ...m,
    });
  }
  return hits.sort(compareHits).slice(0, limit);
}

/** The ranking: exact before prefix before contains, provinces before people, then by name and province. */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    MATCH_RANK[a.match] - MATCH_RANK[b.match] ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.name.localeCompare(b.name, 'en') ||
    a.province.localeCompare(b.province)
  );
}
