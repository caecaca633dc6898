import { AppError, type ErrorCode } from './app-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The status and title of each code; the switch is exhaustive, so a new code cannot go unmapped. */
export function describeCode(code: ErrorCode): { status: number; title: string } {
  switch (code) {
    case 'validation':
      return { status: 400, title: 'Invalid request' };
    case 'malformed-json':
      return { status: 400, title: 'Malformed JSON' };
    case 'unauthorized':
      return { status: 401, title: 'Authentication required' };
    case 'forbidden':
      return { status: 403, title: 'Role too low' };
    case 'not-found':
      return { status: 404, title: 'Not found' };
    case 'invalid-transition':
      return { status: 409, title: 'Event not accepted in this stage' };
    case 'guard-failed':
      return { status: 409, title: 'Event refused by a rule of the workflow' };
    case 'history-conflict':
      return { status: 409, title: 'The change would break later history' };
    case 'already-retracted':
      return { status: 409, title: 'Event already retracted' };
    case 'alert-resolved':
      return { status: 409, title: 'The alert is resolved' };
    case 'invalid-claim-transition':
      return { status: 409, title: 'The claim cannot move to that status' };
    case 'idempotency-in-flight':
      return { status: 409, title: 'A request with this Idempotency-Key is still in progress' };
    case 'self-approval':
      return { status: 403, title: 'A proposal needs a second editor' };
    case 'proposal-stale':
      return { status: 409, title: 'The province changed since the proposal' };
    case 'proposal-not-pending':
      return { status: 409, title: 'The proposal was already decided' };
    case 'approval-required':
      return { status: 409, title: 'This event needs a second editor' };
    case 'cycle-archived':
      return { status: 409, title: 'The cycle is archived (read-only)' };
    case 'cycle-exists':
      return { status: 409, title: 'A cycle with this slug exists, with other content' };
    case 'precondition-failed':
      return { status: 412, title: 'The province has changed' };
    case 'payload-too-large':
      return { status: 413, title: 'Request body too large' };
    case 'unsupported-media-type':
      return { status: 415, title: 'Unsupported media type' };
    case 'method-not-allowed':
      return { status: 405, title: 'Method not allowed' };
    case 'key-name-taken':
      return { status: 409, title: 'A live key already has this name' };
    case 'idempotency-mismatch':
      return { status: 422, title: 'Idempotency-Key reused with a different request' };
    case 'rate-limited':
      return { status: 429, title: 'Too many requests' };
    case 'database-unavailable':
      return { status: 503, title: 'Database unavailable' };
    case 'headers-too-large':
      return { status: 431, title: 'Request headers too large' };
    case 'shutting-down':
      return { status: 503, title: 'Server shutting down' };
    case 'internal':
      return { status: 500, title: 'Internal error' };
  }
}

export function problemType(code: ErrorCode): string {
  return `urn:governor-tracker:problem:${code}`;
}

export function toProblem(error: AppError, instance?: string): ProblemDocument {
  const { status, title } = describeCode(error.code);
  return { type: problemType(error.code), title, status, detail: error.detail, ...(instance ? { instance } : {}), ...error.extensions };
}
