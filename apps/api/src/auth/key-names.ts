/**
 * Names of keys and of the people who hold them, as people read and compare them. What a person
 * types is cleaned (compatibility forms composed, invisible characters removed, spaces trimmed and
 * collapsed); two names are the same when they are equal once case-folded too: `alice`, `alice `,
 * `Alice` and `ａｌｉｃｅ` are one name, and one person to the two-person rule.
 */
export function cleanName(name: string): string {
  return name.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim().replace(/\s+/gu, ' ');
}

/** The name as compared: cleaned, then case-folded (upper then lower folds ß into ss, final sigma into sigma). */
export function foldName(name: string): string {
  return cleanName(name).toUpperCase().toLowerCase().normalize('NFKC');
}

export function samePerson(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}

/** The bootstrap keys' names: made by the server only, never by an admin. */
export const ADMIN_API_KEY_NAME = 'admin (ADMIN_API_KEY)';
export const FIRST_START_KEY_NAME = 'admin (first start)';
export const RESERVED_NAMES: ReadonlySet<string> = new Set([foldName(ADMIN_API_KEY_NAME), foldName(FIRST_START_KEY_NAME)]);
