import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AssignmentModule } from './assignment/assignment.module';
import { AssignmentEntity, AssignmentRuleEntity } from './assignment/rule.entity';
import { loadSlaSettings, SlaSettingsModule } from './assignment/sla.settings';
import { FollowUpEntity, LeadEntity, LeadTouchEntity } from './leads/lead.entities';
import { LeadsModule } from './leads/leads.module';
import { migrations } from './migrations';
import { RepEntity } from './reps/rep.entity';
import { RepsModule } from './reps/reps.module';

const entities = [RepEntity, AssignmentRuleEntity, AssignmentEntity, LeadEntity, LeadTouchEntity, FollowUpEntity];

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations }),
        SlaSettingsModule.forRoot(loadSlaSettings(env)),
        AssignmentModule,
        RepsModule,
        LeadsModule.forRoot({ webFormSecret: env.LEADS_WEBFORM_SECRET }),
      ],
    };
  }
}
