import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AccountsModule } from './accounts/accounts.module';
import { migrations } from './migrations';
import { ENTITIES } from './opportunities/opportunity.entities';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { RemindersModule } from './reminders/reminders.module';
import { ScoringModule } from './scoring/scoring.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const closeDays = Number(env.OPPORTUNITIES_DEFAULT_CLOSE_DAYS ?? 90);
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities: ENTITIES, migrations }),
        PipelineModule,
        ScoringModule,
        AccountsModule,
        RemindersModule,
        OpportunitiesModule.forRoot({
          defaultCurrency: env.OPPORTUNITIES_DEFAULT_CURRENCY ?? 'USD',
          defaultCloseDays: Number.isInteger(closeDays) && closeDays > 0 ? closeDays : 90,
        }),
      ],
    };
  }
}
