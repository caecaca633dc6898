import { Module } from '@nestjs/common';
import { BoardAssetsService } from './board-assets.service.js';
import { BoardController } from './board.controller.js';

/** GET /: the newsroom board page, and its assets under /api/v1/board/<version>/. */
@Module({
  controllers: [BoardController],
  providers: [BoardAssetsService],
})
export class BoardModule {}
