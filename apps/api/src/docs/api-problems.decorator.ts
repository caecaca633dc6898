import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ErrorCode } from '../common/app-error.js';
import { PROBLEM_CONTENT_TYPE, describeCode } from '../common/problem-details.js';
import { codesOfStatus, problemExample } from './problem-examples.js';

/** The refusals a route documents itself; 401, 403, 429 and 503 are added from the guard's metadata (openapi.ts). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;

/** A status, or a status narrowed to the codes this route can really give (e.g. 409 on a retraction). */
export type ProblemSpec = ProblemStatus | { status: ProblemStatus; codes: ErrorCode[] };

const WHEN: Record<ProblemStatus, string> = {
  400: 'Malformed JSON, or a field failing validation (unknown fields are refused); `errors` lists each field.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The key's role is too low for this route.",
  404: 'No such cycle, province, event, alert, key or route.',
  409: 'Refused by the workflow or by history (see the examples and `type`).',
  412: '`If-Match` names a version that is no longer current.',
  413: 'The request body exceeds 1 MiB.',
  415: 'The body is not JSON.',
  422: '`Idempotency-Key` reused with a different request.',
  429: 'More than RATE_LIMIT_PER_MINUTE requests in a minute with this key (or from this address without one), or on /stream more than STREAMS_PER_KEY live streams of one key; see Retry-After.',
  503: 'The database is unavailable, or this instance is shutting down: retry.',
};

/** The OpenAPI response object of one problem status, with one example per code (shared by the decorator and openapi.ts). */
export function problemResponse(status: ProblemStatus, codes: ErrorCode[] = codesOfStatus(status)) {
  const unknown = codes.filter((c) => describeCode(c).status !== status);
  if (unknown.length > 0) throw new Error(`ApiProblems: ${unknown.join(', ')} do not answer ${status}`);
  return {
    description: WHEN[status],
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: '#/components/schemas/ProblemDocument' },
        examples: Object.fromEntries(codes.map((code) => [code, { summary: describeCode(code).title, value: problemExample(code) }])),
      },
    },
  };
}

/**
 * Documents the problem-details responses a route (or every route of a controller) can give:
 * `@ApiProblems(400, 404, { status: 409, codes: ['invalid-transition', 'guard-failed'] })`.
 * Swagger metadata only; it changes no behaviour.
 */
export function ApiProblems(...specs: ProblemSpec[]) {
  return applyDecorators(
    ...specs.map((spec) => {
      const { status, codes } = typeof spec === 'number' ? { status: spec, codes: undefined } : spec;
      return ApiResponse({ status, ...problemResponse(status, codes) });
    }),
  );
}
