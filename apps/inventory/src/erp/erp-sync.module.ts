import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { StockSyncService } from './stock-sync.service';

@Module({ imports: [StockModule], providers: [StockSyncService], exports: [StockSyncService] })
export class ErpSyncModule {}
