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
    // A bad setting stops the boot with its name, like every other setting (never a silent default).
    if (!Number.isInteger(closeDays) || closeDays <= 0) {
      throw new Error(`OPPORTUNITIES_DEFAULT_CLOSE_DAYS must be a positive whole number of days, got "${env.OPPORTUNITIES_DEFAULT_CLOSE_DAYS}"`);
    }
    const defaultCurrency = env.OPPORTUNITIES_DEFAULT_CURRENCY ?? 'USD';
    if (!/^[A-Z]{3}$/.test(defaultCurrency)) throw new Error(`OPPORTUNITIES_DEFAULT_CURRENCY must be an ISO 4217 code, got "${defaultCurrency}"`);
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities: ENTITIES, migrations }),
        PipelineModule,
        ScoringModule,
        AccountsModule,
        RemindersModule,
        OpportunitiesModule.forRoot({
          defaultCurrency,
          defaultCloseDays: closeDays,
        }),
      ],
    };
  }
}
