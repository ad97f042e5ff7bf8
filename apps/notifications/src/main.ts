import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { notificationsSettings } from './notifications.settings';

const config = loadServiceConfig('notifications', process.env, notificationsSettings);
void bootstrapService(AppModule.forRoot(config), config);
