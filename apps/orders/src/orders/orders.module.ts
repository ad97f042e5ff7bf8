import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CustomersModule } from '../customers/customers.module';
import { DirectoryModule } from '../directory/directory.module';
import { FeedbackRepository } from '../feedback/feedback.repository';
import { FeedbackService } from '../feedback/feedback.service';
import type { OrdersSettings } from '../orders.settings';
import { DraftEditController } from './draft-edit.controller';
import { DraftEditRepository } from './draft-edit.repository';
import { DraftEditService } from './draft-edit.service';
import { OrderEventsService } from './order-events.service';
import { OrdersConsumer } from './orders.consumer';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { AUTO_CONFIRM_LIMITS, OrdersService } from './orders.service';

/** Orders and their after-sales feedback (a feedback belongs to its order: same lock, same routes). */
@Module({})
export class OrdersModule {
  static forRoot(settings: OrdersSettings): DynamicModule {
    return {
      module: OrdersModule,
      imports: [AlertsModule, DirectoryModule, CustomersModule],
      controllers: [OrdersController, DraftEditController, OrdersConsumer],
      providers: [
        OrdersRepository,
        OrdersService,
        OrderEventsService,
        DraftEditRepository,
        DraftEditService,
        FeedbackRepository,
        FeedbackService,
        { provide: AUTO_CONFIRM_LIMITS, useValue: settings.autoConfirmLimits },
      ],
    };
  }
}
