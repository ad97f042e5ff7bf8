import { Module, type DynamicModule } from '@nestjs/common';
import type { RetentionSettings } from './lead-erasure.domain';
import { LeadErasureRepository } from './lead-erasure.repository';
import { LeadErasureService } from './lead-erasure.service';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataService } from './personal-data.service';
import { LeadPrivacyConsumer } from './privacy.consumer';
import { LeadPrivacyController } from './privacy.controller';
import { LeadRetentionJob, RETENTION_SETTINGS } from './retention.job';

/** A person's data in the leads service: erasure (on request, with their contact, at the end of retention) and export. */
@Module({})
export class LeadPrivacyModule {
  static forRoot(retention: RetentionSettings): DynamicModule {
    return {
      module: LeadPrivacyModule,
      controllers: [LeadPrivacyController, LeadPrivacyConsumer],
      providers: [
        LeadErasureRepository,
        LeadErasureService,
        PersonalDataRepository,
        PersonalDataService,
        LeadRetentionJob,
        { provide: RETENTION_SETTINGS, useValue: retention },
      ],
    };
  }
}
