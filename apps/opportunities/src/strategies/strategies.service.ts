import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import type { StrategyDto } from '../opportunities/dto/opportunity.dto';
import { OPPORTUNITY_RECORD, strategyChanges } from '../opportunities/opportunity-audit';
import { notFound, OpportunitiesService } from '../opportunities/opportunities.service';
import type { StrategyRecordEntity } from '../opportunities/opportunity.entities';
import { OpportunityRepository } from '../opportunities/opportunity.repository';
import { decideRecord } from './strategy.domain';
import { StrategyRepository } from './strategy.repository';

/** Strategy records are append-only: an adjustment is a new record pointing at the one it replaces. */
@Injectable()
export class StrategiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly strategies: StrategyRepository,
    private readonly opportunityRows: OpportunityRepository,
    private readonly opportunities: OpportunitiesService,
    private readonly audit: AuditTrail,
  ) {}

  record(user: AuthUser, opportunityId: string, dto: StrategyDto): Promise<StrategyRecordEntity> {
    return inTransaction(this.dataSource, async (m) => {
      const record = await loadDecideSave(m, {
        // The opportunity row lock serialises appends; the unique keys on replaces_id would stop a fork anyway.
        load: async (tx) => {
          const o = await this.opportunityRows.lockVisible(tx, user, opportunityId);
          return o ? { id: o.id, status: o.status, version: o.version, chain: await this.strategies.chain(opportunityId, tx) } : undefined;
        },
        notFound: () => notFound(opportunityId),
        decide: (o) => decideRecord(o, dto, { id: randomUUID(), at: new Date(), user: user.sub }),
        save: (tx, _o, changes) => this.strategies.insert(tx, changes),
      });
      await this.audit.record(m, { recordType: OPPORTUNITY_RECORD, recordId: opportunityId, action: 'strategy_recorded', changes: strategyChanges(record) });
      await this.opportunities.addActivity(m, opportunityId);
      return record;
    });
  }

  async list(user: AuthUser, opportunityId: string): Promise<{ items: StrategyRecordEntity[] }> {
    if (!(await this.opportunityRows.findVisible(user, opportunityId))) throw notFound(opportunityId);
    return { items: await this.strategies.chain(opportunityId) };
  }
}
