import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { opportunitiesSettings } from './opportunities.settings';

const config = loadServiceConfig('opportunities', process.env, opportunitiesSettings);
void bootstrapService(AppModule.forRoot(config), config);
