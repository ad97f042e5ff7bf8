import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ProblemException, type AuthUser } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { StrategyRecordEntity } from '../opportunities/opportunity.entities';
import { OpportunitiesService } from '../opportunities/opportunities.service';
import type { StrategyDto } from '../opportunities/dto/opportunity.dto';
import { checkAppend, orderChain } from './strategy.domain';

/** Strategy records are append-only: an adjustment is a new record pointing at the one it replaces. */
@Injectable()
export class StrategiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly opportunities: OpportunitiesService,
  ) {}

  async record(user: AuthUser, opportunityId: string, dto: StrategyDto): Promise<StrategyRecordEntity> {
    return this.opportunities.withLocked(user, opportunityId, undefined, async (m, o) => {
      if (o.status !== 'open') {
        throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'OPPORTUNITY_CLOSED', detail: `Opportunity ${o.id} is ${o.status}.` });
      }
      // The opportunity row lock serialises appends; the unique keys on replaces_id would stop a fork anyway.
      checkAppend(await this.chain(m, opportunityId), dto.replacesId);
      const record = m.create(StrategyRecordEntity, {
        id: randomUUID(),
        opportunityId,
        replacesId: dto.replacesId ?? null,
        products: dto.products ?? [],
        pricing: dto.pricing ?? null,
        discountPercent: dto.discountPercent ?? null,
        promotions: dto.promotions ?? [],
        rationale: dto.rationale,
        by: user.sub,
        at: new Date(),
      });
      await m.insert(StrategyRecordEntity, record);
      await appendToOutbox(m, [
        newEvent('opportunity.strategy_recorded', {
          subject: opportunityId,
          data: {
            opportunityId,
            strategyId: record.id,
            replacesId: record.replacesId,
            by: user.sub,
            recommendedProducts: record.products,
            pricing: dto.pricing,
            discountPercent: dto.discountPercent,
            promotions: record.promotions,
            note: dto.rationale,
            recordedAt: record.at.toISOString(),
          },
        }),
      ]);
      await this.opportunities.addActivity(m, opportunityId);
      return record;
    });
  }

  async list(user: AuthUser, opportunityId: string): Promise<{ items: StrategyRecordEntity[] }> {
    await this.opportunities.findVisible(user, opportunityId);
    return { items: await this.chain(this.dataSource.manager, opportunityId) };
  }

  private async chain(m: EntityManager, opportunityId: string): Promise<StrategyRecordEntity[]> {
    return orderChain(await m.find(StrategyRecordEntity, { where: { opportunityId } }));
  }
}
