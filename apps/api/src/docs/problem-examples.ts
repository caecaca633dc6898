import { eventsAcceptedIn } from '@app/workflow';
import { AppError, type ErrorCode } from '../common/app-error.js';
import { describeCode, toProblem, type ProblemDocument } from '../common/problem-details.js';

/**
 * One refusal of each code as the API really words it, drawn from the 2023–24 story (Basra and
 * Kirkuk). Built with the same toProblem() the filter uses, so an example cannot drift from what
 * a client receives.
 */
const SAMPLES: Record<ErrorCode, () => AppError> = {
  validation: () =>
    AppError.validation([{ field: 'occurredAt', message: 'must not be more than 5 minutes in the future' }], 'occurredAt must not be more than 5 minutes in the future.'),
  'malformed-json': () => new AppError('malformed-json', 'The request body is not valid JSON.'),
  unauthorized: () => new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".'),
  forbidden: () => new AppError('forbidden', 'This route needs the editor role; the key "kirkuk-desk" is viewer.'),
  'not-found': () => AppError.notFound('No province "basrah".'),
  'invalid-transition': () =>
    new AppError('invalid-transition', 'APPOINT is not accepted while the province is in stage "tier".', {
      stage: 'tier',
      allowedEvents: eventsAcceptedIn('tier'),
    }),
  'guard-failed': () =>
    new AppError('guard-failed', 'APPOINT was refused: majority-not-reached.', { stage: 'candidate', reason: 'majority-not-reached' }),
  'history-conflict': () =>
    new AppError('history-conflict', 'retracting event 2 would invalidate event 3 (APPOINT: not-a-nominee); nothing was changed.', {
      conflictingSeq: 3,
      reason: 'not-a-nominee',
    }),
  'already-retracted': () => new AppError('already-retracted', 'Event 2 was retracted at 2024-01-23T08:15:00.000Z.', { seq: 2 }),
  'alert-resolved': () =>
    new AppError('alert-resolved', 'The alert was resolved at 2024-02-09T20:59:59.999Z (appointed); there is nothing left to acknowledge.', {
      resolvedAt: '2024-02-09T20:59:59.999Z',
      resolution: 'appointed',
    }),
  'invalid-claim-transition': () =>
    new AppError('invalid-claim-transition', 'The claim "Asaad Al-Eidani will stay Basra\'s governor" is confirmed; it cannot be denied.', {
      claimStatus: 'confirmed',
      allowedMoves: ['retract'],
    }),
  'idempotency-in-flight': () => new AppError('idempotency-in-flight', 'The first request with this Idempotency-Key is still in progress; retry shortly.'),
  'key-name-taken': () => new AppError('key-name-taken', 'A live key is already named "kirkuk-desk" (names are compared ignoring case and spacing).'),
  'self-approval': () =>
    new AppError('self-approval', 'Proposal 0b6f0d4e-… was made by "kirkuk-desk"; a second person must approve it.', { proposedBy: 'kirkuk-desk' }),
  'proposal-stale': () =>
    new AppError('proposal-stale', 'Kirkuk is at version 9; the proposal was made at version 8. It is now stale: propose again.', {
      baseVersion: 8,
      currentVersion: 9,
    }),
  'approval-required': () =>
    new AppError(
      'approval-required',
      'The two-person rule is on: confirm the claim without "apply", then propose its APPOINT through POST /provinces/basra/events for a second editor to approve.',
      { eventType: 'APPOINT' },
    ),
  'cycle-archived': () => new AppError('cycle-archived', 'The cycle "iraq-2023" is archived: it is read-only.', { cycle: 'iraq-2023' }),
  'cycle-exists': () =>
    new AppError('cycle-exists', 'The cycle "iraq-2023" exists and differs from this document at deadline, councils[basra].events[3]; nothing was changed.', {
      cycle: 'iraq-2023',
      differences: ['deadline', 'councils[basra].events[3]'],
    }),
  'proposal-not-pending': () => new AppError('proposal-not-pending', 'The proposal is already applied.', { proposalStatus: 'applied' }),
  'precondition-failed': () => new AppError('precondition-failed', 'The province is at version 5, not 4.', { currentVersion: 5 }),
  'payload-too-large': () => new AppError('payload-too-large', 'The request body exceeds 1 MiB.'),
  'unsupported-media-type': () => new AppError('unsupported-media-type', 'Send JSON with Content-Type: application/json.'),
  'method-not-allowed': () => new AppError('method-not-allowed', 'PUT is not served on this path; it allows GET, HEAD.', { allow: ['GET', 'HEAD'] }),
  'idempotency-mismatch': () => new AppError('idempotency-mismatch', 'This Idempotency-Key was used with a different request.'),
  'rate-limited': () => new AppError('rate-limited', 'More than 1200 requests in a minute with this key; retry in 42 seconds.', { retryAfter: 42 }),
  'database-unavailable': () => new AppError('database-unavailable', 'The database is unavailable; try again shortly.'),
  'shutting-down': () => new AppError('shutting-down', 'This instance is shutting down; retry on another.'),
  'headers-too-large': () => new AppError('headers-too-large', 'The request line and headers exceed 16 KiB.'),
  internal: () => new AppError('internal', 'An unexpected error occurred; it has been logged.'),
};

export function problemExample(code: ErrorCode, instance?: string): ProblemDocument {
  return toProblem(SAMPLES[code](), instance);
}

/** The codes a status can carry (from the exhaustive mapping in common/problem-details.ts). */
export function codesOfStatus(status: number): ErrorCode[] {
  return (Object.keys(SAMPLES) as ErrorCode[]).filter((code) => describeCode(code).status === status);
}
