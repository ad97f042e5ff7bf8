import { Module } from '@nestjs/common';
import { CustomerMergesConsumer } from './customer-merges.consumer';
import { CustomerMergesService } from './customer-merges.service';
import { FinanceMetrics } from './finance-metrics';
import { OrderEventsConsumer } from './order-events.consumer';
import { ReceivableLedgerService } from './receivable-ledger.service';
import { ReceivablesController } from './receivables.controller';
import { ReceivablesRepository } from './receivables.repository';
import { ReceivablesService } from './receivables.service';

@Module({
  controllers: [ReceivablesController, OrderEventsConsumer, CustomerMergesConsumer],
  providers: [CustomerMergesService, ReceivablesRepository, ReceivablesService, ReceivableLedgerService, FinanceMetrics],
  exports: [FinanceMetrics, ReceivablesRepository, ReceivablesService],
})
export class ReceivablesModule {}
