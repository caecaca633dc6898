import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { CycleProvinceHistoryController, ProvinceHistoryController } from './province-history.controller.js';
import { ProvinceHistoryService } from './province-history.service.js';

@Module({
  imports: [ProvincesModule, ClaimsModule, ContactsModule],
  controllers: [ProvinceHistoryController, CycleProvinceHistoryController],
  providers: [ProvinceHistoryService],
})
export class ProvinceHistoryModule {}
