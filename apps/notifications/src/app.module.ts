import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { FanoutModule } from './fanout/fanout.module';
import { InboxModule } from './inbox/inbox.module';
import { migrations } from './migrations';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from './notifications.settings';

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
        InboxModule,
      ],
    };
  }
}

/** Gives every module of the service its validated settings (`@Inject(NOTIFICATIONS_SETTINGS)`). */
@Module({})
class SettingsModule {}
