import type { EventType } from '@app/workflow';
import { MATCH_RANK, compactKey, foldName, indexName, matchIndexed, type IndexedName, type MatchKind } from './name-folding.js';
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

/** The best match among an entity's names (the first name wins a tie), or null. */
function bestMatch(names: IndexedName[], query: string): { matched: string; match: MatchKind } | null {
  let best: { matched: string; match: MatchKind } | null = null;
  for (const n of names) {
    const match = matchIndexed(n, query);
    if (match && (!best || MATCH_RANK[match] < MATCH_RANK[best.match])) best = { matched: n.name, match };
  }
  return best;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v : null);

interface Person {
  province: string;
  name: string;
  nameAr: string | null;
  bloc: string | null;
  roles: Set<PersonRole>;
}

/**
 * The people named in a province's live events, one per province and folded name (so "Youssef" and
 * "Yousef" recorded in two events are one person); the Arabic name and bloc come from the nomination.
 */
export function peopleOf(events: PersonEventRow[]): Person[] {
  const people = new Map<string, Person>();
  const add = (province: string, name: string | null, role: PersonRole, nameAr: string | null = null, bloc: string | null = null) => {
    if (!name) return;
    const key = `${province}\u0000${compactKey(foldName(name))}`;
    const p = people.get(key) ?? { province, name, nameAr: null, bloc: null, roles: new Set<PersonRole>() };
    p.nameAr ??= nameAr;
    p.bloc ??= bloc;
    p.roles.add(role);
    people.set(key, p);
  };
  for (const e of events) {
    const pl = e.payload;
    if (e.type === 'NOMINATE') {
      const c = (pl.candidate ?? {}) as Record<string, unknown>;
      add(e.province, str(c.name), 'nominee', str(c.nameAr), str(c.bloc));
    } else if (e.type === 'WITHDRAW') add(e.province, str(pl.candidate), 'nominee');
    else if (e.type === 'APPOINT') add(e.province, str(pl.governor), 'governor');
    else if (e.type === 'CONVENE') add(e.province, str(pl.chair), 'chair');
  }
  return [...people.values()];
}

const KIND_ORDER = { province: 0, person: 1 } as const;

/** One search over names read now (the service keeps a built index instead). */
export function searchNames(query: string, provinces: ProvinceNamesRow[], events: PersonEventRow[], limit: number): SearchHit[] {
  return searchIndex(buildIndex(provinces, events), query, limit);
}

/** What a search ranks: the provinces and the people their live events name, every name folded once (built once per data version). */
export interface SearchIndex {
  provinces: { row: ProvinceNamesRow; names: IndexedName[] }[];
  people: { person: Person; names: IndexedName[] }[];
  bySlug: Map<string, ProvinceNamesRow>;
}

export function buildIndex(provinces: ProvinceNamesRow[], events: PersonEventRow[]): SearchIndex {
  return {
    provinces: provinces.map((row) => ({
      row,
      names: [row.name, row.nameAr, row.slug, row.code, ...(PROVINCE_ALIASES[row.slug] ?? [])].map(indexName),
    })),
    people: peopleOf(events).map((person) => ({ person, names: (person.nameAr ? [person.name, person.nameAr] : [person.name]).map(indexName) })),
    bySlug: new Map(provinces.map((p) => [p.slug, p])),
  };
}

/**
 * Ranks provinces (by slug, English and Arabic names, ISO code and aliases) and people (by name
 * and Arabic name) against a query: exact before prefix before contains, provinces before people,
 * then by name. Matching is on folded names only (name-folding.ts).
 */
export function searchIndex(index: SearchIndex, query: string, limit: number): SearchHit[] {
  const q = compactKey(foldName(query));
  const hits: SearchHit[] = [];
  for (const { row: p, names } of index.provinces) {
    const m = bestMatch(names, q);
    if (m) hits.push({ kind: 'province', province: p.slug, name: p.name, nameAr: p.nameAr, code: p.code, ...m });
  }
  for (const { person, names } of index.people) {
    const where = index.bySlug.get(person.province);
    if (!where) continue;
    const m = bestMatch(names, q);
    if (!m) continue;
    hits.push({
      kind: 'person',
      province: person.province,
      name: person.name,
      nameAr: person.nameAr,
      roles: PERSON_ROLES.filter((r) => person.roles.has(r)),
      bloc: person.bloc,
      provinceName: where.name,
      provinceNameAr: where.nameAr,
      ...m,
    });
  }
  hits.sort(
    (a, b) =>
      MATCH_RANK[a.match] - MATCH_RANK[b.match] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.name.localeCompare(b.name, 'en') ||
      a.province.localeCompare(b.province),
  );
  return hits.slice(0, limit);
}
