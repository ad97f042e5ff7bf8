import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AssignmentModule } from './assignment/assignment.module';
import { LeadHistoryModule } from './history/history.module';
import { AssignmentEntity, AssignmentRuleEntity } from './assignment/rule.entity';
import { LeadCustomerRefsModule } from './customer-refs/customer-refs.module';
import { DevSignInModule } from './dev-sign-in/dev-sign-in.module';
import { HandOverModule } from './handover/hand-over.module';
import { slaSettingsOf, SlaSettingsModule } from './assignment/sla.settings';
import { FollowUpEntity, LeadEntity, LeadTouchEntity } from './leads/lead.entities';
import { LeadsModule } from './leads/leads.module';
import type { LeadsSettings } from './leads.settings';
import { migrations } from './migrations';
import { LeadPrivacyModule } from './privacy/privacy.module';
import { RepEntity } from './reps/rep.entity';
import { RepsModule } from './reps/reps.module';
import { SavedViewEntity } from './saved-views/saved-view.entity';
import { SavedViewsModule } from './saved-views/saved-views.module';

const entities = [RepEntity, AssignmentRuleEntity, AssignmentEntity, LeadEntity, LeadTouchEntity, FollowUpEntity, SavedViewEntity];

@Module({})
export class AppModule {
  /** `config` comes from `loadServiceConfig('leads', env, leadsSettings)`. */
  static forRoot(config: ServiceConfig<LeadsSettings>): DynamicModule {
    if (config.settings.devSignIn && (config.production || !config.jwtSecret)) {
      throw new Error('DEV_SIGN_IN=true is for a developer machine: not with NODE_ENV=production, and only with a local JWT secret');
    }
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations }),
        AuditModule.forService('leads', { retentionDays: config.settings.auditRetentionDays }),
        SlaSettingsModule.forRoot(slaSettingsOf(config)),
        AssignmentModule,
        RepsModule,
        LeadsModule.forRoot({ webFormSecret: config.settings.webFormSecret }),
        LeadHistoryModule,
        LeadCustomerRefsModule,
        HandOverModule,
        SavedViewsModule,
        LeadPrivacyModule.forRoot({
          disqualifiedDays: config.settings.retentionDisqualifiedDays,
          unconvertedDays: config.settings.retentionUnconvertedDays,
        }),
        ...(config.settings.devSignIn && config.jwtSecret ? [DevSignInModule.forRoot(config.jwtSecret)] : []),
      ],
    };
  }
}
