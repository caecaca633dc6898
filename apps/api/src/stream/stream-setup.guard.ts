import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext, type MessageEvent } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { interval, map, merge, type Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import type { ChangeNotice } from './change-notice.js';
import { LiveNotices } from './live-notices.js';
import { LiveStreams } from './live-streams.js';

/** A comment line: it keeps proxies and clients from timing the connection out, and moves no client's position. */
const HEARTBEAT_MS = 15_000;

type StreamRequest = FastifyRequest & { principal: Principal; preparedStream?: Observable<MessageEvent> };

/**
 * Sets a /stream up before its handler runs: the cycle named (404), the key's limit (429), and the
 * replay read from the database (503 when it cannot be). Nest commits an @Sse route's headers on the
 * next macrotask once the interceptors have the handler's result, so a failure of anything slower
 * than that in the handler would reach the client as an `error` event on a 200; a guard's still gets
 * its problem document. The handler returns what is left here (`@PreparedStream()`).
 */
@Injectable()
export class StreamSetup implements CanActivate {
  constructor(
    private readonly notices: LiveNotices,
    private readonly streams: LiveStreams,
    private readonly cycles: CycleResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StreamRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const named = (request.query as Record<string, unknown>).cycle;
    if (named !== undefined && typeof named !== 'string') throw AppError.validation([{ field: 'cycle', message: 'cycle must be one cycle slug' }]);
    const cycle = named ? (await this.cycles.scope(named)).slug : null;
    const accept = (n: ChangeNotice) => cycle === null || (n.data.cycle as { slug?: string } | undefined)?.slug === cycle;
    const lastEventId = request.headers['last-event-id'];
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' })));
    request.preparedStream = await this.streams.admit(request.principal.keyId, reply.raw, async () =>
      merge(await this.notices.open(typeof lastEventId === 'string' ? lastEventId : undefined, accept, reply.raw), heartbeat),
    );
    return true;
  }
}

/** The stream StreamSetup prepared for this request. */
export const PreparedStream = createParamDecorator((_: unknown, ctx: ExecutionContext): Observable<MessageEvent> => {
  const prepared = ctx.switchToHttp().getRequest<StreamRequest>().preparedStream;
  if (!prepared) throw new Error('PreparedStream needs the StreamSetup guard on its route');
  return prepared;
});
