import { AppError } from './app-error.js';

/** `If-Match: "<version>"` (weak or bare forms accepted); `*` or no header: no precondition. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw AppError.validation([{ field: 'If-Match', message: 'must be the quoted version of the province, e.g. "7"' }]);
  return Number(m[1]);
}
