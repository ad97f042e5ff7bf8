import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { leadsSettings } from './leads.settings';

const config = loadServiceConfig('leads', process.env, leadsSettings);
void bootstrapService(AppModule.forRoot(config), config);
