import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { customersSettings } from './customers.settings';

const config = loadServiceConfig('customers', process.env, customersSettings);
void bootstrapService(AppModule.forRoot(config), config);
