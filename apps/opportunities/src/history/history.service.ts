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
import { CustomerLinksService } from '../customer-links/customer-links.service';
import { PipelineRepository } from '../pipeline/pipeline.repository';
import { decideOpportunityHistory, opportunityHistoryIssues, type OpportunityHistoryRecord } from './history.domain';
import { OpportunityHistoryRepository } from './history.repository';

/**
 * The historical import of opportunities (default pipeline): every record is checked first (any problem
 * refuses the request, nothing stored); then each is stored with its events in a transaction of its own.
 */
@Injectable()
export class OpportunityHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pipelines: PipelineRepository,
    private readonly history: OpportunityHistoryRepository,
    private readonly customerLinks: CustomerLinksService,
  ) {}

  async importOpportunities(user: AuthUser, records: readonly OpportunityHistoryRecord[]): Promise<HistoryImportResult> {
    const now = new Date();
    const m = this.dataSource.manager;
    const pipeline = (await this.pipelines.find(m))!;
    const stages = await this.pipelines.stagesOf(m, pipeline.id);
    const leadIds = records.map((r) => (r.leadExternalId ? historicalId('lead', r.leadExternalId) : null));
    const taken = await this.history.opportunitiesOfLeads(
      m,
      leadIds.filter((id): id is string => id !== null),
    );
    const duplicates = duplicateIssues(records.map((r) => r.externalId));
    const sameLead = duplicateIssues(records.map((r, i) => r.leadExternalId ?? `\u0000${i}`));
    refuseInvalidRecords(
      'opportunities',
      records.map((r, i) => {
        const other = leadIds[i] ? taken.get(leadIds[i]) : undefined;
        const leadTaken = other && other !== historicalId('opportunity', r.externalId);
        return [
          ...duplicates[i],
          ...sameLead[i].map((issue) => ({ ...issue, field: 'leadExternalId', message: 'one opportunity per lead: this lead appears twice in this import' })),
          ...(leadTaken ? [{ field: 'leadExternalId', message: `that lead already has opportunity ${other}`, constraint: 'onePerLead' }] : []),
          ...opportunityHistoryIssues(r, stages, now),
        ];
      }),
    );
    const correlationId = currentCorrelationId() ?? randomUUID();
    const results: HistoryRecordResult[] = [];
    for (const r of records) {
      const leadId = r.leadExternalId ? historicalId('lead', r.leadExternalId) : null;
      const stored = await inTransaction(this.dataSource, async (tx) => {
        // The lead's resolution, if it came first (the demo imports leads before opportunities).
        const refs = await this.customerLinks.refsForLead(tx, leadId);
        const plan = decideOpportunityHistory(r, { id: pipeline.id, stages }, { by: user.sub, correlationId }, refs);
        if (!(await this.history.insert(tx, plan))) return false;
        await this.customerLinks.opened(tx, leadId, plan.row.id, refs);
        await appendToOutbox(tx, plan.events);
        return true;
      });
      results.push({ externalId: r.externalId, id: historicalId('opportunity', r.externalId), outcome: stored ? 'imported' : 'already_imported' });
    }
    return historyImportResult(results);
  }
}
