import { Global, Module } from '@nestjs/common';
import { ChangeBus } from './change-bus.js';
import { ChangePublisher } from './change-publisher.js';
import { LiveNotices } from './live-notices.js';
import { LiveStreams } from './live-streams.js';
import { NoticeLogRepository } from './notice-log.repository.js';
import { OutboxRepository } from './outbox.repository.js';
import { StreamSetup } from './stream-setup.guard.js';
import { StreamController } from './stream.controller.js';

@Global()
@Module({
  controllers: [StreamController],
  providers: [ChangeBus, OutboxRepository, ChangePublisher, LiveStreams, NoticeLogRepository, LiveNotices, StreamSetup],
  exports: [ChangeBus, ChangePublisher, LiveStreams],
})
export class StreamModule {}
