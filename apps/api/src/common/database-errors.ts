/**
 * Errors that mean "the database cannot be reached or is going away" rather than "this request is
 * wrong": connection refused or reset, pool timeouts, server shutdown, statement or lock timeouts.
 */
/** One statement refused (too slow, or a lock not had in time): that statement's trouble, not the database's. */
const STATEMENT_REFUSAL_SQLSTATES = new Set([
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available
]);

const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  ...STATEMENT_REFUSAL_SQLSTATES,
  '53300', // too_many_connections
  '08000', '08003', '08006', '08001', '08004', // connection exceptions
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Connection refused',
  'connect ECONNREFUSED',
  'ECONNRESET',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Client was closed',
  'not queryable',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const err = e as { code?: string; message?: string; driverError?: unknown; cause?: unknown };
    if (err.code && (UNAVAILABLE_SQLSTATES.has(err.code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(err.code))) {
      return true;
    }
    if (err.message && UNAVAILABLE_MESSAGES.some((m) => err.message!.includes(m))) return true;
    e = err.driverError ?? err.cause;
  }
  return false;
}

/** A statement's timeout or lock refusal (see STATEMENT_REFUSAL_SQLSTATES), on the error or the driver's error under it. */
export function isStatementRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.code ?? e.driverError?.code;
  return typeof code === 'string' && STATEMENT_REFUSAL_SQLSTATES.has(code);
}
