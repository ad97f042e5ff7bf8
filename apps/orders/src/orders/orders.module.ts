import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { DirectoryModule } from '../directory/directory.module';
import { parseAutoConfirmLimits } from './auto-confirm.domain';
import { OrdersConsumer } from './orders.consumer';
import { OrdersController } from './orders.controller';
import { AUTO_CONFIRM_LIMITS, OrdersService } from './orders.service';

export interface OrdersSettings {
  /** `USD:1000,EUR:900`: a submitted order under its currency's limit confirms without review. */
  autoConfirmLimits?: string;
}

@Module({})
export class OrdersModule {
  static forRoot(settings: OrdersSettings): DynamicModule {
    return {
      module: OrdersModule,
      imports: [AlertsModule, DirectoryModule],
      controllers: [OrdersController, OrdersConsumer],
      providers: [OrdersService, { provide: AUTO_CONFIRM_LIMITS, useValue: parseAutoConfirmLimits(settings.autoConfirmLimits) }],
    };
  }
}
