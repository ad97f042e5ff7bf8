import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { createErpClientMetrics, type ErpClientMetrics } from '@crm/erp-client';
import { MetricsRegistry } from '@crm/observability';
import type { FinanceSettings } from '../finance.settings';
import { BuiltinLedgerConnector, FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from './finance-erp.connector';
import { HttpFinanceErpConnector } from './http-erp.connector';

export function connectorFor(settings: FinanceSettings, metrics?: ErpClientMetrics): FinanceErpConnector {
  if (!settings.erpUrl) return new BuiltinLedgerConnector();
  return new HttpFinanceErpConnector(
    {
      baseUrl: settings.erpUrl,
      token: settings.erpToken || undefined,
      retryDelayMs: settings.erpRetryMs,
      timeoutMs: settings.erpTimeoutMs,
      maxAttempts: settings.erpMaxAttempts,
      breaker: { failures: settings.erpBreakerFailures, halfOpenAfterMs: settings.erpBreakerHalfOpenMs },
    },
    metrics,
  );
}

@Global()
@Module({})
export class ErpModule {
  static forRoot(settings: FinanceSettings): DynamicModule {
    return {
      module: ErpModule,
      providers: [
        {
          provide: FINANCE_ERP_CONNECTOR,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => {
            const connector = connectorFor(settings, createErpClientMetrics(metrics));
            new Logger('FinanceErp').log(`ERP connector: ${connector.name}${settings.erpUrl ? ` (${new URL(settings.erpUrl).origin})` : ''}`);
            return connector;
          },
        },
      ],
      exports: [FINANCE_ERP_CONNECTOR],
    };
  }
}
