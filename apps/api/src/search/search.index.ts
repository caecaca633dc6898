import type { EventType } from '@app/workflow';
import { MATCH_RANK, compactKey, foldName, matchFolded, type MatchKind } from './name-folding.js';
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

/** Folded forms are memoised: a search folds every indexed name, and names repeat from search to search. */
const folded = new Map<string, string>();
const FOLD_MEMO_MAX = 50_000;
function fold(name: string): string {
  let f = folded.get(name);
  if (f === undefined) {
    if (folded.size >= FOLD_MEMO_MAX) folded.clear();
    f = foldName(name);
    folded.set(name, f);
  }
  return f;
}

/** The best match among an entity's names (the first name wins a tie), or null. */
function bestMatch(names: string[], query: string): { matched: string; match: MatchKind } | null {
  let best: { matched: string; match: MatchKind } | null = null;
  for (const name of names) {
    const match = matchFolded(fold(name), query);
    if (match && (!best || MATCH_RANK[match] < MATCH_RANK[best.match])) best = { matched: name, match };
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
    const key = `${province}\u0000${compactKey(fold(name))}`;
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

/**
 * Ranks provinces (by slug, English and Arabic names, ISO code and aliases) and people (by name
 * and Arabic name) against a query: exact before prefix before contains, provinces before people,
 * then by name. Matching is on folded names only (name-folding.ts).
 */
export function searchNames(query: string, provinces: ProvinceNamesRow[], events: PersonEventRow[], limit: number): SearchHit[] {
  return searchIndex(buildIndex(provinces, events), query, limit);
}

/** What a search ranks: the provinces and the people their live events name (built once per data version). */
export interface SearchIndex {
  provinces: ProvinceNamesRow[];
  people: Person[];
}

export function buildIndex(provinces: ProvinceNamesRow[], events: PersonEventRow[]): SearchIndex {
  return { provinces, people: peopleOf(events) };
}

export function searchIndex(index: SearchIndex, query: string, limit: number): SearchHit[] {
  const { provinces, people } = index;
  const q = foldName(query);
  const hits: SearchHit[] = [];
  const byslug = new Map(provinces.map((p) => [p.slug, p]));
  for (const p of provinces) {
    const m = bestMatch([p.name, p.nameAr, p.slug, p.code, ...(PROVINCE_ALIASES[p.slug] ?? [])], q);
    if (m) hits.push({ kind: 'province', province: p.slug, name: p.name, nameAr: p.nameAr, code: p.code, ...m });
  }
  for (const person of people) {
    const where = byslug.get(person.province);
    if (!where) continue;
    const m = bestMatch(person.nameAr ? [person.name, person.nameAr] : [person.name], q);
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
