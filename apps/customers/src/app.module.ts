import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AccountEntity } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { ContactEntity } from './contacts/contact.entity';
import { ContactsModule } from './contacts/contacts.module';
import type { CustomersSettings } from './customers.settings';
import { DuplicatesModule } from './duplicates/duplicates.module';
import { DuplicateCandidateEntity } from './duplicates/scan/candidate.entity';
import { MergeEntity } from './merges/merge.entity';
import { MergesModule } from './merges/merges.module';
import { migrations } from './migrations';
import { PrivacyModule } from './privacy/privacy.module';
import { ResolutionModule } from './resolution/resolution.module';
import { TimelineEntryEntity } from './timeline/timeline-entry.entity';
import { TimelineModule } from './timeline/timeline.module';

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, customersSettings)`. */
  static forRoot(config: ServiceConfig<CustomersSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          config,
          entities: [AccountEntity, ContactEntity, TimelineEntryEntity, MergeEntity, DuplicateCandidateEntity],
          migrations,
        }),
        AuditModule.forService('customers', { retentionDays: config.settings.auditRetentionDays }),
        DuplicatesModule.forRoot(config.settings),
        AccountsModule,
        ContactsModule,
        ResolutionModule,
        TimelineModule,
        MergesModule.forRoot(config.settings),
        PrivacyModule,
      ],
    };
  }
}
