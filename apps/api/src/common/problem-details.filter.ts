import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from './app-error.js';
import { isDatabaseUnavailable } from './database-errors.js';
import { PROBLEM_CONTENT_TYPE, toProblem, type ProblemDocument } from './problem-details.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'idempotency-mismatch',
  429: 'rate-limited',
  503: 'database-unavailable',
};

/** Anything thrown, as an AppError: what a client may be told, and nothing more (no stack, no SQL). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Nest wraps Fastify's own errors (unparseable JSON, oversized bodies) in an HttpException.
  if (error instanceof HttpException && (error.cause as { name?: string } | undefined)?.name === 'FastifyError') {
    return toAppError(error.cause);
  }
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (typeof e?.code === 'string' && FASTIFY_CODES[e.code]) {
    const code = FASTIFY_CODES[e.code];
    const detail =
      code === 'malformed-json'
        ? 'The request body is not valid JSON.'
        : code === 'payload-too-large'
          ? 'The request body exceeds 1 MiB.'
          : code === 'unsupported-media-type'
            ? 'Send JSON with Content-Type: application/json.'
            : 'The request is malformed.';
    return new AppError(code, detail);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'validation');
    const detail = status === 404 ? 'No such route.' : error.message;
    return new AppError(code, detail);
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('database-unavailable', 'The database is unavailable; try again shortly.');
  }
  // A value PostgreSQL refused as data (SQLSTATE class 22) that validation let through: still the client's input.
  const sqlState = (error as { driverError?: { code?: string } })?.driverError?.code ?? e?.code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return new AppError('validation', 'A value in the request is out of range or malformed.');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(HTTP_STATUS_CODES[e.statusCode] ?? 'validation', 'The request is malformed.');
  }
  return new AppError('internal', 'An unexpected error occurred; it has been logged.');
}

export function sendProblem(reply: FastifyReply, problem: ProblemDocument, headers: Record<string, string> = {}): void {
  void reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** The one place where errors become RFC 9457 problem documents. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const appError = toAppError(error);
    const requestId = request?.id;
    if (appError.code === 'internal') this.logger.error({ requestId, err: error, msg: 'unhandled error' });
    else if (appError.code === 'database-unavailable') this.logger.warn({ requestId, msg: `database unavailable: ${(error as Error).message}` });
    const headers: Record<string, string> = {};
    if (typeof appError.extensions.retryAfter === 'number') headers['retry-after'] = String(appError.extensions.retryAfter);
    sendProblem(reply, toProblem(appError, request?.url?.split('?')[0]), headers);
  }
}
