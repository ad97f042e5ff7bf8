import { Module } from '@nestjs/common';
import { ErasureConsumer } from './erasure.consumer';
import { ErasureRepository } from './erasure.repository';
import { ErasureService } from './erasure.service';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataService } from './personal-data.service';

/** Erasure and export of a person's data (ADR 0024). */
@Module({
  controllers: [PersonalDataController, ErasureConsumer],
  providers: [ErasureRepository, ErasureService, PersonalDataRepository, PersonalDataService],
})
export class PrivacyModule {}
