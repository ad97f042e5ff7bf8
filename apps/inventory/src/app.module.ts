import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@crm/audit';
import { ServicePlatformModule, type ServiceConfig } from '@crm/platform';
import type { ErpConnector } from './erp/erp-connector';
import { ErpConnectorModule } from './erp/erp.module';
import { ErpSyncModule } from './erp/erp-sync.module';
import { ErpWebhookModule } from './erp/erp-webhook.module';
import { inventoryOptions, type InventorySettings } from './inventory.options';
import { ItemEntity } from './items/item.entity';
import { ItemsModule } from './items/items.module';
import { migrations } from './migrations';
import { OrderAllocationEntity, StockLevelEntity, StockMovementEntity } from './stock/stock.entities';
import { StockModule } from './stock/stock.module';
import { WarehouseEntity } from './warehouses/warehouse.entity';
import { WarehousesModule } from './warehouses/warehouses.module';

export const entities = [ItemEntity, WarehouseEntity, StockLevelEntity, StockMovementEntity, OrderAllocationEntity];

@Module({})
export class AppModule {
  /** The ERP connection comes from `config.settings` (INVENTORY_ERP_*); `connector` replaces the HTTP one (tests). */
  static forRoot(config: ServiceConfig<InventorySettings>, connector?: ErpConnector): DynamicModule {
    const options = inventoryOptions(config.settings);
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations }),
        AuditModule.forService('inventory', { retentionDays: config.settings.auditRetentionDays }),
        ErpConnectorModule.forRoot(options, connector),
        ItemsModule,
        WarehousesModule,
        StockModule,
        ErpSyncModule,
        ErpWebhookModule.forRoot(options.erpWebhookSecret),
      ],
    };
  }
}
