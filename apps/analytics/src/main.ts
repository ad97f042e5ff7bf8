import 'reflect-metadata';
import { bootstrapService, loadServiceConfig } from '@crm/platform';
import { AppModule } from './app.module';

const config = loadServiceConfig('analytics');
void bootstrapService(AppModule.forRoot(config), config);
