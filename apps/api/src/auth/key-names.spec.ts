import { cleanName, foldName, samePerson } from './key-names.js';

describe('key names', () => {
  test('spaces, case, compatibility forms and invisible characters do not make another person', () => {
    for (const variant of ['alice ', ' Alice', 'ALICE', 'ａｌｉｃｅ', 'ali\u200bce', 'alice\u00ad', '\talice\n']) {
      expect({ variant, same: samePerson('alice', variant) }).toEqual({ variant, same: true });
    }
    expect(samePerson('Straße Desk', 'STRASSE  desk')).toBe(true);
    expect(samePerson('alice', 'alicia')).toBe(false);
    expect(samePerson('علي', 'علي ')).toBe(true);
  });

  test('the cleaned name keeps its case and inner words, in one line', () => {
    expect(cleanName('  Basra\u00a0 Desk\u200b ')).toBe('Basra Desk');
    expect(foldName('  Basra\u00a0 Desk ')).toBe('basra desk');
  });
});
