import { Module } from '@nestjs/common';
import { PersonalDataConsumer } from './personal-data.consumer';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataService } from './personal-data.service';

/** A person's data in finance: erasure (contact.erased) and export. */
@Module({
  controllers: [PersonalDataController, PersonalDataConsumer],
  providers: [PersonalDataRepository, PersonalDataService],
})
export class PersonalDataModule {}
