import fc from 'fast-check';
import { IRAQ_2023_PROVINCES } from '../../../../seeds/iraq-2023.js';
import { MATCH_RANK, foldName, matchFolded, type MatchKind } from './name-folding.js';
import { PROVINCE_ALIASES } from './province-aliases.js';
import { PERSON_ROLES, PeopleCollector, compareHits, peopleOf, searchNames, type PersonEventRow, type ProvinceNamesRow, type SearchHit } from './search.index.js';

const provinces = IRAQ_2023_PROVINCES.map(({ slug, code, name, nameAr }) => ({ slug, code, name, nameAr }));
const events: PersonEventRow[] = [
  { province: 'basra', type: 'NOMINATE', payload: { candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' } } },
  { province: 'basra', type: 'APPOINT', payload: { governor: 'Asaad Al-Eidani', votes: 13 } },
  { province: 'basra', type: 'CONVENE', payload: { chair: 'Khalaf Al-Badran' } },
  { province: 'najaf', type: 'NOMINATE', payload: { candidate: { name: 'Youssef Kanawi' } } },
  { province: 'najaf', type: 'WITHDRAW', payload: { candidate: 'Yousef Kanawi', reason: 'x' } },
];
const top = (q: string) => searchNames(q, provinces, events, 20)[0];
const slugs = (q: string) => searchNames(q, provinces, events, 20).map((h) => `${h.kind}:${h.province}`);

describe('searchNames', () => {
  test.each([
    ['البصره', 'basra', 'البصرة'],
    ['Basrah', 'basra', 'Basra'],
    ['نينوى', 'nineveh', 'نينوى'],
    ['نينوي', 'nineveh', 'نينوى'],
    ['Ninawa', 'nineveh', 'Ninawa'],
    ['Nineveh', 'nineveh', 'Nineveh'],
    ['Mosul', 'nineveh', 'Mosul'],
    ['الموصل', 'nineveh', 'الموصل'],
    ['Thi-Qar', 'dhi-qar', 'Dhi Qar'],
    ['Nasiriya', 'dhi-qar', 'Nasiriyah'],
    ['Salah al Din', 'salahuddin', 'Salah al-Din'],
    ['Saladin', 'salahuddin', 'Salah al-Din'], // the same folded key: the first name listed is reported
    ['Kerbala', 'karbala', 'Kerbala'],
    ['Diwaniya', 'qadisiyah', 'Diwaniyah'],
    ['Qadisiya', 'qadisiyah', 'Al-Qadisiyah'],
    ['Missan', 'maysan', 'Missan'],
    ['Kut', 'wasit', 'Kut'],
    ['Hillah', 'babil', 'Hilla'],
    ['Ramadi', 'anbar', 'Ramadi'],
    ['الانبار', 'anbar', 'الأنبار'],
    ['Tamim', 'kirkuk', 'Tamim'],
    ['Samawa', 'muthanna', 'Samawah'],
    ['Baquba', 'diyala', 'Baqubah'],
    ['ديالي', 'diyala', 'ديالى'],
    ['IQ-BA', 'basra', 'IQ-BA'],
    ['dhi-qar', 'dhi-qar', 'Dhi Qar'],
    ['IQ-KA', 'karbala', 'IQ-KA'],
    ['iq qa', 'qadisiyah', 'IQ-QA'],
  ])('%s finds %s exactly (matched %s)', (q, slug, matched) => {
    expect(top(q)).toMatchObject({ kind: 'province', province: slug, match: 'exact', matched });
  });

  test('exact before prefix before contains; provinces before people on a tie', () => {
    // "ba": prefix of Baghdad, Basra, Babil, Baquba (Diyala) and of the code IQ-BA's word; contains in Anbar
    const hits = searchNames('ba', provinces, events, 20);
    const ranks = hits.map((h) => h.match);
    expect(ranks).toEqual([...ranks].sort((a, b) => ['exact', 'prefix', 'contains'].indexOf(a) - ['exact', 'prefix', 'contains'].indexOf(b)));
    expect(hits.slice(0, 2)).toMatchObject([{ province: 'babil', match: 'prefix', matched: 'Babil' }, { province: 'baghdad', match: 'prefix' }]);
    expect(searchNames('iqba', provinces, events, 20)[0]).toMatchObject({ province: 'basra', match: 'exact', matched: 'IQ-BA' });
    expect(hits.map((h) => h.province)).toEqual(expect.arrayContaining(['baghdad', 'babil', 'diyala', 'anbar']));
    expect(hits.find((h) => h.province === 'anbar')?.match).toBe('contains');
  });

  test('people: by either name, variant spellings joined into one person with every role', () => {
    expect(top('اسعد العيدانى')).toMatchObject({ kind: 'person', province: 'basra', name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', roles: ['nominee', 'governor'], bloc: 'Tasmim', match: 'exact', provinceNameAr: 'البصرة' });
    expect(top('Eidani')).toMatchObject({ kind: 'person', match: 'prefix', matched: 'Asaad Al-Eidani' });
    expect(top('Badran')).toMatchObject({ kind: 'person', roles: ['chair'] });
    expect(slugs('Yusef Kanawi')).toEqual(['person:najaf']);
    expect(peopleOf(events).filter((p) => p.province === 'najaf')).toHaveLength(1);
  });

  test('nothing matches: no hits; the limit cuts the ranked list', () => {
    expect(searchNames('Erbil', provinces, events, 20)).toEqual([]);
    expect(searchNames('a', provinces, events, 3)).toHaveLength(3);
  });
});

/**
 * The search as it was first written, one name at a time with `matchFolded` (an object per name):
 * the index's single-string layout must give exactly its hits, in its order (a stable sort of the
 * same insertion order: provinces, then people).
 */
function searchOneNameAtATime(query: string, rows: ProvinceNamesRow[], personEvents: PersonEventRow[], limit: number): SearchHit[] {
  const q = foldName(query);
  const bestOf = (names: (string | null)[]) => {
    let best: { matched: string; match: MatchKind } | null = null;
    for (const name of names) {
      if (name === null) continue;
      const match = matchFolded(foldName(name), q);
      if (match && (!best || MATCH_RANK[match] < MATCH_RANK[best.match])) best = { matched: name, match };
    }
    return best;
  };
  const hits: SearchHit[] = [];
  for (const p of rows) {
    const m = bestOf([p.name, p.nameAr, p.slug, p.code, ...(PROVINCE_ALIASES[p.slug] ?? [])]);
    if (m) hits.push({ kind: 'province', province: p.slug, name: p.name, nameAr: p.nameAr, code: p.code, ...m });
  }
  for (const person of peopleOf(personEvents)) {
    const where = rows.find((p) => p.slug === person.province);
    const m = where && bestOf(person.nameAr ? [person.name, person.nameAr] : [person.name]);
    if (!where || !m) continue;
    const roles = PERSON_ROLES.filter((r) => person.roles & (1 << PERSON_ROLES.indexOf(r)));
    hits.push({ kind: 'person', province: person.province, name: person.name, nameAr: person.nameAr, roles, bloc: person.bloc, provinceName: where.name, provinceNameAr: where.nameAr, ...m });
  }
  // The same ranking (compareHits): what differs is how the names are matched.
  return hits.sort(compareHits).slice(0, limit);
}

describe('the index against one name at a time', () => {
  // Few letters, so that names share words, prefixes and repeats of the query; both scripts, articles, hyphens.
  // Also what folds away or changes: punctuation, tatweel, Arabic-Indic digits, an article alone, marks.
  const word = fc.constantFrom('ba', 'sra', 'al', 'abd', 'ul', 'bab', 'ab', 'basra', 'ال', 'بصرة', 'بص', 'رة', 'a', 'dh', 'qar', '2', '!!', "'", 'ـ', '٢', 'Bā', '');
  const nameArb = fc.array(word, { minLength: 1, maxLength: 4 }).chain((ws) =>
    fc.constantFrom(' ', '-', '').map((sep) => ws.join(sep)),
  );
  const slugs = IRAQ_2023_PROVINCES.map((p) => p.slug);
  const eventArb: fc.Arbitrary<PersonEventRow> = fc.record({
    province: fc.constantFrom(...slugs, 'no-such-province'),
    kind: fc.constantFrom('NOMINATE', 'APPOINT', 'CONVENE', 'WITHDRAW'),
    name: nameArb,
    nameAr: fc.option(nameArb, { nil: undefined }),
  }).map(({ province, kind, name, nameAr }) => {
    if (kind === 'NOMINATE') return { province, type: 'NOMINATE', payload: { candidate: { name, nameAr, bloc: 'B' } } };
    if (kind === 'APPOINT') return { province, type: 'APPOINT', payload: { governor: name } };
    if (kind === 'CONVENE') return { province, type: 'CONVENE', payload: { chair: name } };
    return { province, type: 'WITHDRAW', payload: { candidate: name } };
  });

  test('same hits, same order, for any names and query', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: nameArb, nameAr: nameArb }), { minLength: 1, maxLength: 15 }),
        fc.array(eventArb, { maxLength: 25 }),
        fc.oneof(nameArb, word),
        fc.integer({ min: 1, max: 40 }),
        (names, personEvents, query, limit) => {
          const rows = names.map((n, i) => ({ slug: slugs[i], code: `IQ-${i}`, name: n.name, nameAr: n.nameAr }));
          expect(searchNames(query, rows, personEvents, limit)).toEqual(searchOneNameAtATime(query, rows, personEvents, limit));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a person named in two batches is one person, with the roles of both', () => {
    const people = new PeopleCollector();
    people.add([{ province: 'najaf', type: 'NOMINATE', payload: { candidate: { name: 'Youssef Kanawi', nameAr: 'يوسف كناوي', bloc: 'X' } } }]);
    people.add([
      { province: 'najaf', type: 'APPOINT', payload: { governor: 'Yousef Kanawi' } },
      { province: 'basra', type: 'CONVENE', payload: { chair: 'Youssef Kanawi' } },
    ]);
    expect(people.list()).toEqual([
      { province: 'najaf', name: 'Youssef Kanawi', nameAr: 'يوسف كناوي', bloc: 'X', roles: 0b011 },
      { province: 'basra', name: 'Youssef Kanawi', nameAr: null, bloc: null, roles: 0b100 },
    ]);
  });

  test('people collected a batch at a time (as the index reads them through a cursor) are the people of all the events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 5 }), (personEvents, cuts) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b).map((c) => Math.min(c, personEvents.length)), personEvents.length];
        const people = new PeopleCollector();
        for (let i = 0; i + 1 < at.length; i++) people.add(personEvents.slice(at[i], at[i + 1]));
        expect(people.list()).toEqual(peopleOf(personEvents));
      }),
    );
  });
});
