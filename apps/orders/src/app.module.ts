import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AlertEntity } from './alerts/alert.entity';
import { migrations } from './migrations';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity, OrderTrackingEntity } from './orders/order.entities';
import { OrdersModule } from './orders/orders.module';

const entities = [OrderEntity, OrderLineEntity, OrderStatusHistoryEntity, OrderTrackingEntity, AlertEntity];

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations }),
        OrdersModule.forRoot({ autoConfirmLimits: env.ORDERS_AUTO_CONFIRM_LIMITS }),
      ],
    };
  }
}
