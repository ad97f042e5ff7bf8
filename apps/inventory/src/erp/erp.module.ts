import { Global, Module, type DynamicModule } from '@nestjs/common';
import { createErpClientMetrics } from '@crm/erp-client';
import { MetricsRegistry } from '@crm/observability';
import { INVENTORY_OPTIONS, type InventoryOptions } from '../inventory.options';
import { ERP_CONNECTOR, type ErpConnector } from './erp-connector';
import { HttpErpConnector } from './http-erp-connector';

/**
 * The connector seam: ERP_CONNECTOR is the HTTP connector when INVENTORY_ERP_URL is set, else null and
 * the built-in ledger decides. A test may pass its own connector.
 */
@Global()
@Module({})
export class ErpConnectorModule {
  static forRoot(options: InventoryOptions, connector?: ErpConnector): DynamicModule {
    return {
      module: ErpConnectorModule,
      providers: [
        { provide: INVENTORY_OPTIONS, useValue: options },
        {
          provide: ERP_CONNECTOR,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry): ErpConnector | null =>
            connector ?? (options.erp ? new HttpErpConnector(options.erp, createErpClientMetrics(metrics)) : null),
        },
      ],
      exports: [INVENTORY_OPTIONS, ERP_CONNECTOR],
    };
  }
}
