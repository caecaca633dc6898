import { IRAQ_2023_PROVINCES } from '../../../../seeds/iraq-2023.js';
import { peopleOf, searchNames, type PersonEventRow } from './search.index.js';

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
