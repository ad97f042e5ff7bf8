import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { duplicateIssues, refuseInvalidRecords } from '@crm/domain';
import { historyImportResult, type AuthUser, type HistoryImportResult, type HistoryRecordResult } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { currentCorrelationId } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import { decideLeadHistory, leadHistoryIssues, type LeadHistoryRecord } from './history.domain';
import { LeadHistoryRepository } from './history.repository';

/**
 * The historical import of leads: every record is checked first (any problem refuses the request, nothing
 * stored); then each record is stored with its events in a transaction of its own, or found imported before.
 */
@Injectable()
export class LeadHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: LeadHistoryRepository,
  ) {}

  async importLeads(user: AuthUser, records: readonly LeadHistoryRecord[]): Promise<HistoryImportResult> {
    const now = new Date();
    const owners = [...new Set(records.flatMap((r) => (r.ownerRepId ? [r.ownerRepId] : [])))];
    const teams = await this.history.repTeams(this.dataSource.manager, owners);
    const duplicates = duplicateIssues(records.map((r) => r.externalId));
    refuseInvalidRecords(
      'leads',
      records.map((r, i) => [...duplicates[i], ...leadHistoryIssues(r, !r.ownerRepId || teams.has(r.ownerRepId), now)]),
    );
    const correlationId = currentCorrelationId() ?? randomUUID();
    const results: HistoryRecordResult[] = [];
    for (const r of records) {
      const plan = decideLeadHistory(r, { ownerTeam: r.ownerRepId ? (teams.get(r.ownerRepId) ?? null) : null, by: user.sub, correlationId });
      const stored = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.history.insert(m, plan))) return false;
        await appendToOutbox(m, plan.events);
        return true;
      });
      results.push({ externalId: r.externalId, id: plan.lead.id, outcome: stored ? 'imported' : 'already_imported' });
    }
    return historyImportResult(results);
  }
}
