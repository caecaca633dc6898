import { Module } from '@nestjs/common';
import { ChangesController } from './changes.controller.js';
import { ChangesRepository } from './changes.repository.js';
import { ChangesService } from './changes.service.js';
import { FeedsController } from './feeds.controller.js';
import { FeedsService } from './feeds.service.js';

/** What changed, for clients that pull: GET /changes (a cursor over the recording order) and the Atom feeds. */
@Module({
  controllers: [ChangesController, FeedsController],
  providers: [ChangesService, FeedsService, ChangesRepository],
})
export class ChangesModule {}
