import { Module } from '@nestjs/common';
import { InventoryMetrics } from './inventory-metrics';
import { OrderEventsConsumer } from './order-events.consumer';
import { OrderStockService } from './order-stock.service';
import { StockController } from './stock.controller';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController, OrderEventsConsumer],
  providers: [InventoryMetrics, OrderStockService, StockService],
  exports: [InventoryMetrics, OrderStockService],
})
export class StockModule {}
