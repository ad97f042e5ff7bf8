import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { historicalId } from '@crm/contracts';
import { duplicateIssues, refuseInvalidRecords } from '@crm/domain';
import { historyImportResult, type AuthUser, type HistoryImportResult, type HistoryRecordResult } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { currentCorrelationId } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import { decideOrderHistory, orderHistoryIssues, type OrderHistoryRecord } from './history.domain';
import { OrderHistoryRepository } from './history.repository';

/**
 * The historical import of orders: every record is checked first (any problem refuses the request, nothing
 * stored); then each is stored with its events in a transaction of its own.
 */
@Injectable()
export class OrderHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: OrderHistoryRepository,
  ) {}

  async importOrders(user: AuthUser, records: readonly OrderHistoryRecord[]): Promise<HistoryImportResult> {
    const now = new Date();
    const opportunityIds = records.map((r) => (r.opportunityExternalId ? historicalId('opportunity', r.opportunityExternalId) : null));
    const taken = await this.history.ordersOfOpportunities(
      this.dataSource.manager,
      opportunityIds.filter((id): id is string => id !== null),
    );
    const duplicates = duplicateIssues(records.map((r) => r.externalId));
    const sameDeal = duplicateIssues(records.map((r, i) => r.opportunityExternalId ?? `\u0000${i}`));
    refuseInvalidRecords(
      'orders',
      records.map((r, i) => {
        const other = opportunityIds[i] ? taken.get(opportunityIds[i]) : undefined;
        const dealTaken = other && other !== historicalId('order', r.externalId);
        return [
          ...duplicates[i],
          ...sameDeal[i].map((issue) => ({ ...issue, field: 'opportunityExternalId', message: 'one order per opportunity: it appears twice in this import' })),
          ...(dealTaken ? [{ field: 'opportunityExternalId', message: `that opportunity already has order ${other}`, constraint: 'onePerOpportunity' }] : []),
          ...orderHistoryIssues(r, now),
        ];
      }),
    );
    const correlationId = currentCorrelationId() ?? randomUUID();
    const results: HistoryRecordResult[] = [];
    for (const r of records) {
      const plan = decideOrderHistory(r, { by: user.sub, correlationId });
      const stored = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.history.insert(m, plan))) return false;
        await appendToOutbox(m, plan.events);
        return true;
      });
      results.push({ externalId: r.externalId, id: plan.row.id, outcome: stored ? 'imported' : 'already_imported' });
    }
    return historyImportResult(results);
  }
}
