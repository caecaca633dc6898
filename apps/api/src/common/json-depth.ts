import { AppError } from './app-error.js';

/**
 * The deepest nesting a request body may have. Every body the API takes nests at most 4 levels
 * (a claim's event's candidate's name); 32 leaves room for clients that wrap, and none for a body
 * that would overflow the stack of the recursive code after the parser (validation, the
 * Idempotency-Key hash): 100,000 `[` fit in 100 KiB.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests deeper than `max` arrays and objects. One pass over the bytes, no
 * recursion, brackets inside strings ignored; it does not validate (JSON.parse does, after it).
 */
export function jsonNestsDeeperThan(body: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

export function tooDeepError(): AppError {
  return AppError.validation(
    [{ field: 'body', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }],
    'The request body nests too deeply.',
  );
}
