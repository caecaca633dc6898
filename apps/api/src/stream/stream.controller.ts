import { Controller, Query, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { CycleQueryDto } from '../cycle/dto/cycle-query.dto.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { PreparedStream, StreamSetup } from './stream-setup.guard.js';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  /**
   * Server-Sent Events: province.changed, alert.opened, alert.resolved, alert.acknowledged, claim.changed
   * (and proposal.changed, contact.logged), each with its position in the log as `id`; `ready` (or
   * `reset`) first; a comment line every 15 s. `Last-Event-ID` resumes after that position (EventSource
   * sends it by itself when it reconnects). `?cycle=` keeps one cycle's notices (default: every cycle's).
   * At most STREAMS_PER_KEY per key (429); the stream ends when its key is revoked.
   */
  @ApiOperation({ summary: 'Live notices (Server-Sent Events)' })
  @Sse()
  @UseGuards(StreamSetup)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless event stream (`event:`, `id:`, `data:` JSON lines).', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id` of the last message received: the stream replays what followed it.' })
  @ApiProblems(400, 404, 429)
  stream(@Query() _query: CycleQueryDto, @PreparedStream() events: Observable<MessageEvent>): Observable<MessageEvent> {
    return events;
  }
}
