/**
 * Every refusal the application makes, with a stable code. Services throw these (never HTTP
 * exceptions); exactly one filter (problem-details.filter.ts) turns a code into a status.
 */
export const ERROR_CODES = [
  'validation',
  'malformed-json',
  'unauthorized',
  'forbidden',
  'not-found',
  'invalid-transition',
  'guard-failed',
  'history-conflict',
  'already-retracted',
  'alert-resolved',
  'invalid-claim-transition',
  'idempotency-in-flight',
  'self-approval',
  'proposal-stale',
  'proposal-not-pending',
  'approval-required',
  'cycle-archived',
  'cycle-exists',
  'precondition-failed',
  'payload-too-large',
  'unsupported-media-type',
  'method-not-allowed',
  'idempotency-mismatch',
  'key-name-taken',
  'rate-limited',
  'database-unavailable',
  'shutting-down',
  'headers-too-large',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[], detail = 'The request has invalid fields.'): AppError {
    return new AppError('validation', detail, { errors });
  }

  static notFound(detail: string): AppError {
    return new AppError('not-found', detail);
  }
}
