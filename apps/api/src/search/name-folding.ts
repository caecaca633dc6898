/**
 * How names are compared by GET /search: one fold, applied to the query and to every indexed name
 * (province names, aliases, people), so that spellings a reader would call "the same name" fold to
 * the same key. Pure and idempotent: fold(fold(x)) === fold(x) (a property test checks it).
 *
 * Arabic: alif forms (أ إ آ ٱ) → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, Persian/Kurdish ی ک ە → ي ك ه,
 * tashkeel and tatweel removed, the article «ال» dropped at word starts («عبدال…» → «عبد…»),
 * Arabic-Indic digits → 0–9.
 * Latin: compatibility forms and case folded, diacritics dropped (NFKD), apostrophes and ʿayn/hamza
 * marks removed, other punctuation a space, the article `al`/`el` dropped before another word,
 * `abdul`/`abdel` → `abd`, then the transliteration variants dh → th, e → i, o → u, doubled letters
 * single, and a word-final `h` after a vowel dropped (Basrah → basra, Nineveh → ninivi). Not q → k:
 * it would make the ISO codes IQ-QA (Qadisiyah) and IQ-KA (Karbala) one.
 */

/** Latin combining marks and Arabic tashkeel (U+064B–U+065F, U+0670) are all Unicode marks. */
const MARKS = /\p{M}/gu;
const TATWEEL = /\u0640/g;
const APOSTROPHES = /['’‘`´ʼʻʿʾ]/g;
/** Anything that is not a letter or digit separates words. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

const ARABIC_LETTERS: Record<string, string> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ى': 'ي',
  'ة': 'ه',
  'ؤ': 'و',
  'ئ': 'ي',
  'ی': 'ي',
  'ک': 'ك',
  'ە': 'ه',
};
const ARABIC_LETTER_RE = new RegExp(`[${Object.keys(ARABIC_LETTERS).join('')}]`, 'g');
/** Arabic-Indic (U+0660–0669) and extended Arabic-Indic (U+06F0–06F9) digits. */
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

const ARABIC_ARTICLE = 'ال';
const LATIN_ARTICLES = new Set(['al', 'il']); // `el` has become `il` by then

function foldArabicWord(word: string): string {
  let w = word;
  for (;;) {
    // «عبد الله» and «عبدالله» must meet: the article inside the compound goes too.
    if (w.startsWith('عبدال') && w.length > 6) w = `عبد${w.slice(5)}`;
    // The article, when at least two letters stay («الله» → «له», but «ال» alone is kept).
    else if (w.startsWith(ARABIC_ARTICLE) && w.length > 3) w = w.slice(2);
    else return w;
  }
}

function foldLatinWord(word: string): string {
  let w = word
    .replace(/dh/g, 'th')
    .replace(/e/g, 'i')
    .replace(/o/g, 'u')
    .replace(/(\p{L})\1+/gu, '$1');
  if (w.length > 1) w = w.replace(/([aiu])h$/, '$1');
  for (;;) {
    const m = /^abd(?:ul|il|al)(.+)$/.exec(w) ?? /^abd(?:ul|il|al)$/.exec(w);
    if (!m) return w;
    w = `abd${m[1] ?? ''}`;
  }
}

/** Both scripts' rules, until nothing changes (a rule can expose another: «اال…» → «ال…» → «…»); every change but a letter swap shortens the word. */
function foldWord(word: string): string {
  let w = word;
  for (;;) {
    const next = foldLatinWord(foldArabicWord(w));
    if (next === w) return w;
    w = next;
  }
}

/** The folded form of a name: words separated by one space (empty when nothing is left to match). */
export function foldName(input: string): string {
  const text = input
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(TATWEEL, '')
    .replace(APOSTROPHES, '')
    .replace(ARABIC_LETTER_RE, (c) => ARABIC_LETTERS[c])
    .replace(ARABIC_DIGITS, (c) => String((c.codePointAt(0)! - (c >= '\u06f0' ? 0x06f0 : 0x0660))));
  const words = text
    .split(SEPARATORS)
    .filter(Boolean)
    .map(foldWord);
  // `al-Basra`, `al Basra` → `basra`; an article that ends the name is a word of its own.
  return words.filter((w, i) => !(LATIN_ARTICLES.has(w) && i < words.length - 1)).join(' ');
}

/** The folded form without spaces: "Dhi Qar", "Thi-Qar" and "Thiqar" all give "thiqar". */
export function compactKey(folded: string): string {
  return folded.replace(/ /g, '');
}

export type MatchKind = 'exact' | 'prefix' | 'contains';
export const MATCH_RANK: Record<MatchKind, number> = { exact: 0, prefix: 1, contains: 2 };

/**
 * How a folded name matches a folded query: `exact` when equal ignoring spaces, `prefix` when the
 * name or one of its words starts with the query, `contains` when the query is inside it; or null.
 * The search index applies this rule to every name at once (search.index.ts); this is it for one.
 */
export function matchFolded(name: string, query: string): MatchKind | null {
  const q = compactKey(query);
  const words = name.split(' ');
  const compact = words.join('');
  if (q.length === 0 || !compact.includes(q)) return null;
  if (compact === q) return 'exact';
  return words.some((_, i) => words.slice(i).join('').startsWith(q)) ? 'prefix' : 'contains';
}
