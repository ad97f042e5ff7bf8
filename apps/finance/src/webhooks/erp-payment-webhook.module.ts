import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivablesModule } from '../receivables/receivables.module';
import { ErpPaymentWebhookController, FINANCE_ERP_WEBHOOK_SECRET } from './erp-payment-webhook.controller';
import { ErpPaymentWebhookService } from './erp-payment-webhook.service';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

/** Signed inbound ERP payment webhook; with no secret configured the route refuses every post (401). */
@Module({})
export class ErpPaymentWebhookModule {
  static forRoot(secret: string | undefined): DynamicModule {
    return {
      module: ErpPaymentWebhookModule,
      imports: [ReceivablesModule],
      controllers: [ErpPaymentWebhookController],
      providers: [WebhookReceiptsRepository, ErpPaymentWebhookService, { provide: FINANCE_ERP_WEBHOOK_SECRET, useValue: secret || undefined }],
    };
  }
}
