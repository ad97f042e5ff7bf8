import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { EmailModule } from './email/email.module';
import { EscalationModule } from './escalation/escalation.module';
import { FanoutModule } from './fanout/fanout.module';
import { InboxModule } from './inbox/inbox.module';
import { migrations } from './migrations';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from './notifications.settings';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RecipientsModule } from './recipients/recipients.module';
import { RemindersModule } from './reminders/reminders.module';
import { RulesModule } from './rules/rules.module';
import { SourcesModule } from './sources/sources.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, notificationsSettings)`. */
  static forRoot(config: ServiceConfig<NotificationsSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, migrations }),
        AuditModule.forService('notifications', { retentionDays: config.settings.auditRetentionDays }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: NOTIFICATIONS_SETTINGS, useValue: config.settings }],
          exports: [NOTIFICATIONS_SETTINGS],
        },
        // What makes notifications: the fan-out, the events it reads, its own clocks.
        FanoutModule,
        SourcesModule,
        RemindersModule,
        EscalationModule,
        // How they reach people.
        InboxModule,
        EmailModule,
        WebhooksModule.forRoot(config),
        // What users and admins configure.
        RulesModule,
        PreferencesModule,
        RecipientsModule,
        // A person's data: export and erasure.
        PersonalDataModule,
      ],
    };
  }
}

/** Gives every module of the service its validated settings (`@Inject(NOTIFICATIONS_SETTINGS)`). */
@Module({})
class SettingsModule {}
