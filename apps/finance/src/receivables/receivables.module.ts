import { Module } from '@nestjs/common';
import { FinanceMetrics } from './finance-metrics';
import { OrderEventsConsumer } from './order-events.consumer';
import { ReceivableLedgerService } from './receivable-ledger.service';
import { ReceivablesController } from './receivables.controller';
import { ReceivablesRepository } from './receivables.repository';
import { ReceivablesService } from './receivables.service';

@Module({
  controllers: [ReceivablesController, OrderEventsConsumer],
  providers: [ReceivablesRepository, ReceivablesService, ReceivableLedgerService, FinanceMetrics],
  exports: [FinanceMetrics, ReceivablesRepository, ReceivablesService],
})
export class ReceivablesModule {}
