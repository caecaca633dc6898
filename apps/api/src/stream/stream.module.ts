import { Global, Module } from '@nestjs/common';
import { ChangeBus } from './change-bus.js';
import { ChangePublisher } from './change-publisher.js';
import { OutboxWriter } from './outbox.writer.js';
import { StreamController } from './stream.controller.js';

@Global()
@Module({
  controllers: [StreamController],
  providers: [ChangeBus, OutboxWriter, ChangePublisher],
  exports: [ChangeBus, ChangePublisher],
})
export class StreamModule {}
