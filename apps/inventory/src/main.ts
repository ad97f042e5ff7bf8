import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';
import { inventorySettings } from './inventory.options';

const config = loadServiceConfig('inventory', process.env, inventorySettings);
void bootstrapService(AppModule.forRoot(config), config);
