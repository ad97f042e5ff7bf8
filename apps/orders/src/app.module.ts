import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { AlertEntity } from './alerts/alert.entity';
import { AccountCopyEntity } from './customers/account.entity';
import { CatalogueItemEntity, RepEntity } from './directory/directory.entities';
import { OrderHandOverModule } from './handover/hand-over.module';
import { OrderHistoryModule } from './history/history.module';
import { FeedbackEntity, FeedbackRequestEntity } from './feedback/feedback.entities';
import { migrations } from './migrations';
import { OrderDraftEditEntity } from './orders/draft-edit.entity';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity, OrderTrackingEntity } from './orders/order.entities';
import type { OrdersSettings } from './orders.settings';
import { OrdersModule } from './orders/orders.module';
import { PersonalDataModule } from './privacy/personal-data.module';

const entities = [
  OrderEntity,
  OrderLineEntity,
  OrderStatusHistoryEntity,
  OrderTrackingEntity,
  OrderDraftEditEntity,
  AlertEntity,
  FeedbackEntity,
  FeedbackRequestEntity,
  CatalogueItemEntity,
  RepEntity,
  AccountCopyEntity,
];

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, ordersSettings)`. */
  static forRoot(config: ServiceConfig<OrdersSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations }),
        AuditModule.forService('orders', { retentionDays: config.settings.auditRetentionDays }),
        OrdersModule.forRoot(config.settings),
        OrderHistoryModule,
        OrderHandOverModule,
        PersonalDataModule,
      ],
    };
  }
}
