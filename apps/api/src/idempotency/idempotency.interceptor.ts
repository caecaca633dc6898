import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { checkPathParams } from '../common/identifiers.js';
import { toAppError } from '../common/problem-details.filter.js';
import { PROBLEM_CONTENT_TYPE, describeCode, toProblem } from '../common/problem-details.js';
import { IdempotencyService, requestHash } from './idempotency.service.js';

const IDEMPOTENT_KEY = 'idempotent';

/**
 * The headers of a route's answer that follow from its status and body (ETag, Location): the route
 * sets them with this function, and a replay sets them again from the stored answer, so a retry
 * gets the original ones.
 */
export type AnswerHeaders = (status: number, body: unknown) => Record<string, string>;

const noHeaders: AnswerHeaders = () => ({});

/** Marks a write route whose retries with an Idempotency-Key are answered from the stored first response (and its headers). */
export const Idempotent = (headers: AnswerHeaders = noHeaders) => SetMetadata(IDEMPOTENT_KEY, headers);

export interface IdempotentRequest extends FastifyRequest {
  principal?: Principal;
  idempotencyId?: string;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    const answerHeaders = this.reflector.get<AnswerHeaders | undefined>(IDEMPOTENT_KEY, context.getHandler());
    if (!answerHeaders || key === undefined || !request.principal) {
      return next.handle();
    }
    // Interceptors run before the route's pipes: a path that names nothing is refused before the key is claimed.
    checkPathParams(request.params as Record<string, string | undefined>);
    const path = request.url.split('?')[0];
    const hash = requestHash(request.method, path, request.body ?? null);
    return from(this.store.claim(request.principal.keyId, String(key), hash)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') {
          void reply.header('idempotent-replayed', 'true').status(claim.status).headers(answerHeaders(claim.status, claim.body));
          if (claim.status >= 400) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
          return of(claim.body);
        }
        request.idempotencyId = claim.id;
        const status = this.reflector.get<number>('__httpCode__', context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
        return next.handle().pipe(
          mergeMap((body) => from(this.store.complete(claim.id, status, body).then(() => body))),
          catchError((error: unknown) => {
            const appError = toAppError(error);
            const { status: errorStatus } = describeCode(appError.code);
            // A refusal is an answer to store; a server or database failure is not: let the retry run.
            const settle =
              errorStatus < 500 && appError.code !== 'rate-limited'
                ? this.store.complete(claim.id, errorStatus, toProblem(appError, path))
                : this.store.release(claim.id);
            return from(settle.catch(() => undefined)).pipe(mergeMap(() => throwError(() => error)));
          }),
        );
      }),
    );
  }
}
