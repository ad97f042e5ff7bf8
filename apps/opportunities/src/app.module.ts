import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AccountsModule } from './accounts/accounts.module';
import { OpportunityHandOverModule } from './handover/hand-over.module';
import { OpportunityHistoryModule } from './history/history.module';
import { migrations } from './migrations';
import { ENTITIES } from './opportunities/opportunity.entities';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import type { OpportunitiesSettings } from './opportunities.settings';
import { PipelineModule } from './pipeline/pipeline.module';
import { PersonalDataModule } from './privacy/personal-data.module';
import { RemindersModule } from './reminders/reminders.module';
import { stageClockOf } from './reminders/stage-clock';
import { ScoringModule } from './scoring/scoring.module';

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, opportunitiesSettings)`. */
  static forRoot(config: ServiceConfig<OpportunitiesSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities: ENTITIES, migrations }),
        AuditModule.forService('opportunities', { retentionDays: config.settings.auditRetentionDays }),
        PipelineModule,
        ScoringModule,
        AccountsModule,
        RemindersModule.forRoot(stageClockOf(config)),
        OpportunitiesModule.forRoot(config.settings),
        OpportunityHistoryModule,
        OpportunityHandOverModule,
        PersonalDataModule,
      ],
    };
  }
}
