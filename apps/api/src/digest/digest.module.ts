import { Module } from '@nestjs/common';
import { DigestController } from './digest.controller.js';
import { DigestRepository } from './digest.repository.js';
import { DigestService } from './digest.service.js';

@Module({
  controllers: [DigestController],
  providers: [DigestService, DigestRepository],
})
export class DigestModule {}
