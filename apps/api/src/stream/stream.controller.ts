import { Controller, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { interval, map, merge, type Observable } from 'rxjs';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { ChangeBus } from './change-bus.js';
import { LiveStreams } from './live-streams.js';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  constructor(
    private readonly bus: ChangeBus,
    private readonly streams: LiveStreams,
  ) {}

  /**
   * Server-Sent Events: province.changed, alert.opened, alert.resolved, alert.acknowledged; a heartbeat
   * every 15 s. At most STREAMS_PER_KEY per key (429); the stream ends when its key is revoked.
   */
  @ApiOperation({ summary: 'Live notices (Server-Sent Events)' })
  @Sse()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless event stream (`event:`, `id:`, `data:` JSON lines).', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(429)
  stream(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Observable<MessageEvent> {
    const changes = this.bus.changes.pipe(map((n): MessageEvent => ({ type: n.type, id: n.id, data: n })));
    const heartbeat = interval(15_000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return this.streams.admit(principal.keyId, reply.raw, merge(changes, heartbeat));
  }
}
