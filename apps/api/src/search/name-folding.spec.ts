import fc from 'fast-check';
import { compactKey, foldName, matchFolded } from './name-folding.js';

const same = (...names: string[]) => new Set(names.map((n) => compactKey(foldName(n))));

/** Strings drawn from what names are made of: Arabic with its marks and variant letters, Latin with diacritics, separators. */
const nameChar = fc.constantFrom(
  ...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱىةؤئیکەـًٌٍَُِّْٰ٠١٩۰'.split(''),
  ...'abcdefghijklmnopqrstuvwxyzABCDEQHOéèüÖçāīūḥṣʿʾ\''.split(''),
  ' ',
  '-',
  '.',
  '’',
);
const nameLike = fc.array(nameChar, { maxLength: 24 }).map((cs) => cs.join(''));

describe('foldName', () => {
  test('is idempotent, on name-like strings and on any Unicode', () => {
    // rules that expose one another: a doubled alif hiding an article, a doubled `a` hiding `al`
    for (const s of ['ااالبصره', 'aal basra', 'al al basra', 'abdulabdul', 'ddhh', 'عبدالالله']) expect([s, foldName(foldName(s))]).toEqual([s, foldName(s)]);
    const articled = fc.array(fc.constantFrom('ا', 'ل', 'ال', 'a', 'l', 'al ', 'abd', 'ul', 'd', 'h', 'بصره'), { maxLength: 10 }).map((p) => p.join(''));
    fc.assert(fc.property(articled, (s) => foldName(foldName(s)) === foldName(s)), { numRuns: 3000 });
    fc.assert(fc.property(nameLike, (s) => foldName(foldName(s)) === foldName(s)), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => foldName(foldName(s)) === foldName(s)), { numRuns: 3000 });
  });

  test('gives lower-case words of letters and digits separated by single spaces', () => {
    fc.assert(
      fc.property(nameLike, (s) => {
        const f = foldName(s);
        return f === '' || /^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u.test(f);
      }),
    );
  });

  test('ignores tashkeel, tatweel and the alif, ya, ta-marbuta, hamza-seat variants', () => {
    const vowelled = fc.array(fc.constantFrom('\u064b', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652', '\u0670', '\u0640'), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...'بصرنيوقدكلم'.split('')), vowelled), { minLength: 1, maxLength: 8 }), (parts) => {
        const plain = parts.map(([c]) => c).join('');
        const marked = parts.map(([c, marks]) => c + marks.join('')).join('');
        return foldName(marked) === foldName(plain);
      }),
    );
    for (const [a, b] of [
      ['أحمد', 'احمد'],
      ['إبراهيم', 'ابراهيم'],
      ['آمنة', 'امنه'],
      ['ٱلبصرة', 'البصره'],
      ['نينوى', 'نينوي'],
      ['مؤيد', 'مويد'],
      ['هيئة', 'هييه'],
      ['ديالى', 'ديالي'],
      ['كركوك', 'کرکوک'],
    ]) expect([a, foldName(a)]).toEqual([a, foldName(b)]);
  });

  test('drops the article at word starts, in Arabic and Latin', () => {
    expect(same('البصرة', 'بصرة', 'البصره', 'ٱلْبَصْرَة')).toEqual(new Set(['بصره']));
    expect(foldName('صلاح الدين')).toBe('صلاح دين');
    expect(foldName('عبد الله')).toBe('عبد له');
    expect(compactKey(foldName('عبدالله'))).toBe(compactKey(foldName('عبد الله')));
    expect(same('Al-Qadisiyah', 'al Qadisiyah', 'El-Qadisiya', 'Qadisiyah', 'qādisīyah').size).toBe(1);
    expect(same('Abdul Muttalib Al-Alawi', 'Abd al-Muttalib al-Alawi', 'Abdel-Mutalib Alawi').size).toBe(1);
    // an article that is the whole name, or its last word, stays
    expect(foldName('Al')).toBe('al');
  });

  test('folds Latin transliteration variants together', () => {
    for (const group of [
      ['Basra', 'Basrah', 'BASRA', 'Baṣra'],
      ['Dhi Qar', 'Thi Qar', 'Dhi-Qar', 'Thiqar'],
      ['Nasiriyah', 'Nasiriya', 'Nassiriya'],
      ['Youssef Kanawi', 'Yousef Kanawi', 'Yusef Kanawi'],
      ['Muthanna', 'Muthana'],
      ["Sa'ad", 'Saad', 'Sad', 'Saʿad'],
      ['Kerbela', 'Kirbila'],
    ]) expect([group, same(...group).size]).toEqual([group, 1]);
    expect(same('Basra', 'Mosul').size).toBe(2);
    expect(same('IQ-QA', 'IQ-KA').size).toBe(2); // Qadisiyah and Karbala
  });

  test('maps Arabic-Indic digits to 0–9', () => {
    expect(foldName('٢٠٢٤ ۱۴۴۵')).toBe('2024 1445');
  });
});

describe('matchFolded', () => {
  const m = (name: string, q: string) => matchFolded(foldName(name), foldName(q));

  test('exact ignores spaces; prefix from any word; contains anywhere; else null', () => {
    expect(m('Dhi Qar', 'thiqar')).toBe('exact');
    expect(m('Dhi Qar', 'Dhi')).toBe('prefix');
    expect(m('Asaad Al-Eidani', 'Eidani')).toBe('prefix');
    expect(m('Salahuddin', 'uddin')).toBe('contains');
    expect(m('Basra', 'Najaf')).toBeNull();
    expect(m('البصرة', 'بصر')).toBe('prefix');
  });

  test('a name always matches itself exactly, and any folded piece of it at least by contains', () => {
    fc.assert(
      fc.property(nameLike, fc.nat(), fc.nat(), (s, a, b) => {
        const f = foldName(s);
        if (f === '') return matchFolded(f, foldName(s)) === null;
        const key = compactKey(f);
        const [from, to] = [a % key.length, b % key.length].sort((x, y) => x - y);
        const piece = key.slice(from, to + 1);
        return matchFolded(f, f) === 'exact' && matchFolded(f, piece) !== null;
      }),
    );
  });
});
