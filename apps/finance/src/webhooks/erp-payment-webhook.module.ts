import { Module, type DynamicModule } from '@nestjs/common';
import { ReceivablesModule } from '../receivables/receivables.module';
import { ErpPaymentWebhookController, ErpPaymentWebhookService, FINANCE_ERP_WEBHOOK_SECRET } from './erp-payment-webhook.controller';

/** Signed inbound ERP payment webhook; with no secret configured the route refuses every post (401). */
@Module({})
export class ErpPaymentWebhookModule {
  static forRoot(secret: string | undefined): DynamicModule {
    return {
      module: ErpPaymentWebhookModule,
      imports: [ReceivablesModule],
      controllers: [ErpPaymentWebhookController],
      providers: [ErpPaymentWebhookService, { provide: FINANCE_ERP_WEBHOOK_SECRET, useValue: secret || undefined }],
    };
  }
}
