import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { financeSettings } from './finance.settings';

const config = loadServiceConfig('finance', process.env, financeSettings);
void bootstrapService(AppModule.forRoot(config), config);
