import { Module, type DynamicModule } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { ErpStockRepository } from './erp-stock.repository';
import { ErpWebhookController, INVENTORY_ERP_WEBHOOK_SECRET } from './erp-webhook.controller';
import { ErpWebhookService } from './erp-webhook.service';

/** Signed inbound ERP webhooks; with no secret configured the route refuses every post (401). */
@Module({})
export class ErpWebhookModule {
  static forRoot(secret: string | undefined): DynamicModule {
    return {
      module: ErpWebhookModule,
      imports: [StockModule],
      controllers: [ErpWebhookController],
      providers: [ErpWebhookService, ErpStockRepository, { provide: INVENTORY_ERP_WEBHOOK_SECRET, useValue: secret || undefined }],
    };
  }
}
