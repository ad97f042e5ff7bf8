import { Module, type DynamicModule } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatchRepository } from './webhook-dispatch.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookDeliveriesController, WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WEBHOOKS_PRODUCTION, WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSender } from './webhook-sender';

/** The webhook channel: the endpoints API and the dispatcher of the ledger's webhook rows. */
@Module({})
export class WebhooksModule {
  /** `production` refuses plain-http endpoints on this machine (NODE_ENV=production). */
  static forRoot({ production }: { production: boolean }): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [FanoutModule],
      controllers: [WebhookEndpointsController, WebhookDeliveriesController],
      providers: [
        { provide: WEBHOOKS_PRODUCTION, useValue: production },
        WebhookEndpointsRepository,
        WebhookEndpointsService,
        WebhookDispatchRepository,
        WebhookSender,
        WebhookDeliveryService,
        WebhookDispatcher,
      ],
    };
  }
}
