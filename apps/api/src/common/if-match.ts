import { AppError } from './app-error.js';

/** The version a weak entity tag stands for: none (no province is at version -1). */
export const WEAK_ETAG = -1;

/**
 * `If-Match: "<version>"` (a bare number too); `*` or no header: no precondition. If-Match compares
 * strongly (RFC 9110 §13.1.1): a weak tag (`W/"12"`) never matches, so it is a 412 whatever the version.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw AppError.validation([{ field: 'If-Match', message: 'must be the quoted version of the province, e.g. "7"' }]);
  return m[1] ? WEAK_ETAG : Number(m[2]);
}
