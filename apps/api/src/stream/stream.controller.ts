import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, type Observable } from 'rxjs';
import { ChangeBus } from './change-bus.js';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  constructor(private readonly bus: ChangeBus) {}

  /** Server-Sent Events: province.changed, alert.opened, alert.resolved, alert.acknowledged; a heartbeat every 15 s. */
  @Sse()
  @ApiProduces('text/event-stream')
  stream(): Observable<MessageEvent> {
    const changes = this.bus.changes.pipe(map((n): MessageEvent => ({ type: n.type, id: n.id, data: n })));
    const heartbeat = interval(15_000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return merge(changes, heartbeat);
  }
}
