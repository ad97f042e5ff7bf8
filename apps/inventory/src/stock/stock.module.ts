import { Module } from '@nestjs/common';
import { InventoryMetrics } from './inventory-metrics';
import { OrderEventsConsumer } from './order-events.consumer';
import { OrderStockRepository } from './order-stock.repository';
import { OrderStockService } from './order-stock.service';
import { StockController } from './stock.controller';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController, OrderEventsConsumer],
  providers: [StockRepository, OrderStockRepository, InventoryMetrics, OrderStockService, StockService],
  exports: [InventoryMetrics, OrderStockService],
})
export class StockModule {}
