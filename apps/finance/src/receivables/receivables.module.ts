import { Module } from '@nestjs/common';
import { FinanceMetrics } from './finance-metrics';
import { OrderEventsConsumer } from './order-events.consumer';
import { ReceivableLedgerService } from './receivable-ledger.service';
import { ReceivablesController } from './receivables.controller';
import { ReceivablesService } from './receivables.service';

@Module({
  controllers: [ReceivablesController, OrderEventsConsumer],
  providers: [ReceivablesService, ReceivableLedgerService, FinanceMetrics],
  exports: [FinanceMetrics, ReceivablesService],
})
export class ReceivablesModule {}
