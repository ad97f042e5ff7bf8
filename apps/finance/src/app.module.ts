import { Module, type DynamicModule } from '@nestjs/common';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { ErpModule, erpSettingsFrom } from './erp/erp.module';
import { migrations } from './migrations';
import { OverdueModule } from './overdue/overdue.module';
import { FINANCE_ENTITIES } from './receivables/receivable.entities';
import { ReceivablesModule } from './receivables/receivables.module';
import { ErpPaymentWebhookModule } from './webhooks/erp-payment-webhook.module';

@Module({})
export class AppModule {
  /** `env` carries the ERP connector settings (FINANCE_ERP_URL, FINANCE_ERP_TOKEN); tests pass their own. */
  static forRoot(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities: FINANCE_ENTITIES, migrations }),
        ErpModule.forRoot(erpSettingsFrom(env)),
        ReceivablesModule,
        OverdueModule,
        ErpPaymentWebhookModule.forRoot(env.FINANCE_ERP_WEBHOOK_SECRET),
      ],
    };
  }
}
