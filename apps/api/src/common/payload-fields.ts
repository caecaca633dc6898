/**
 * Fields read from a stored event payload. The payload is JSON from the database, validated when it
 * was written but not typed when read back, so each field is checked for the kind it should be.
 */

/** A non-empty string, else null. */
export const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** A string with something besides white space (returned as written), else null. */
export const nonBlank = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v : null);

/** A finite number, else null. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A nested object's fields (a NOMINATE's candidate), or none when it is not an object. */
export const fieldsOf = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
