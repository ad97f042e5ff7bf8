import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import { ErpModule } from './erp/erp.module';
import type { FinanceSettings } from './finance.settings';
import { migrations } from './migrations';
import { OverdueModule } from './overdue/overdue.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { FINANCE_ENTITIES } from './receivables/receivable.entities';
import { ReceivablesModule } from './receivables/receivables.module';
import { ErpPaymentWebhookModule } from './webhooks/erp-payment-webhook.module';

@Module({})
export class AppModule {
  /** `config.settings` comes validated from `loadServiceConfig(…, financeSettings)`: the ERP connection (FINANCE_ERP_*). */
  static forRoot(config: ServiceConfig<FinanceSettings>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities: FINANCE_ENTITIES, migrations }),
        AuditModule.forService('finance', { retentionDays: config.settings.auditRetentionDays }),
        ErpModule.forRoot(config.settings),
        ReceivablesModule,
        OverdueModule,
        PersonalDataModule,
        ErpPaymentWebhookModule.forRoot(config.settings.erpWebhookSecret),
      ],
    };
  }
}
