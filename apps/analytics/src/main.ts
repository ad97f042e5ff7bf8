import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';

const config = loadServiceConfig('analytics', process.env, analyticsSettings);
void bootstrapService(AppModule.forRoot(config), config);
