import { Module } from '@nestjs/common';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { SubmissionsModule } from '../submissions/submissions.module.js';
import { ClaimsController, CycleProvinceClaimsController, ProvinceClaimsController } from './claims.controller.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimsService } from './claims.service.js';

@Module({
  imports: [ProvincesModule, SubmissionsModule],
  controllers: [ProvinceClaimsController, CycleProvinceClaimsController, ClaimsController],
  providers: [ClaimsService, ClaimsRepository],
  exports: [ClaimsRepository],
})
export class ClaimsModule {}
