import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { EscalationModule } from './escalation/escalation.module';
import { FanoutModule } from './fanout/fanout.module';
import { migrations } from './migrations';
import { RemindersModule } from './reminders/reminders.module';
import { SourcesModule } from './sources/sources.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RecipientsModule } from './recipients/recipients.module';
import { RulesModule } from './rules/rules.module';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from './notifications.settings';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, notificationsSettings)`. */
  static forRoot(config: ServiceConfig<NotificationsSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, migrations }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: NOTIFICATIONS_SETTINGS, useValue: config.settings }],
          exports: [NOTIFICATIONS_SETTINGS],
        },
        FanoutModule,
        SourcesModule,
        RemindersModule,
        EscalationModule,
        RulesModule,
        PreferencesModule,
        RecipientsModule,
        WebhooksModule.forRoot(config),
      ],
    };
  }
}

/** Gives every module of the service its validated settings (`@Inject(NOTIFICATIONS_SETTINGS)`). */
@Module({})
class SettingsModule {}
