import { Global, Module, type DynamicModule } from '@nestjs/common';
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
    const erp = connector ?? (options.erp ? new HttpErpConnector(options.erp) : null);
    return {
      module: ErpConnectorModule,
      providers: [
        { provide: INVENTORY_OPTIONS, useValue: options },
        { provide: ERP_CONNECTOR, useValue: erp },
      ],
      exports: [INVENTORY_OPTIONS, ERP_CONNECTOR],
    };
  }
}
