import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { ErpStockRepository } from './erp-stock.repository';
import { StockSyncService } from './stock-sync.service';

@Module({ imports: [StockModule], providers: [StockSyncService, ErpStockRepository], exports: [StockSyncService] })
export class ErpSyncModule {}
