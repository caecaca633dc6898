import { Global, Module } from '@nestjs/common';
import { ChangeBus } from './change-bus.js';
import { ChangePublisher } from './change-publisher.js';
import { LiveStreams } from './live-streams.js';
import { OutboxRepository } from './outbox.repository.js';
import { StreamController } from './stream.controller.js';

@Global()
@Module({
  controllers: [StreamController],
  providers: [ChangeBus, OutboxRepository, ChangePublisher, LiveStreams],
  exports: [ChangeBus, ChangePublisher, LiveStreams],
})
export class StreamModule {}
