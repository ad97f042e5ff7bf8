import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { ordersSettings } from './orders.settings';

const config = loadServiceConfig('orders', process.env, ordersSettings);
void bootstrapService(AppModule.forRoot(config), config);
