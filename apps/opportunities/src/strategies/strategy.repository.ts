import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { StrategyRecordEntity } from '../opportunities/opportunity.entities';
import { orderChain, type StrategyRecord } from './strategy.domain';

/** Strategy records: append-only, one chain per opportunity. */
@Injectable()
export class StrategyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** First to latest; outside a transaction when `m` is omitted. */
  async chain(opportunityId: string, m: EntityManager = this.dataSource.manager): Promise<StrategyRecordEntity[]> {
    return orderChain(await m.find(StrategyRecordEntity, { where: { opportunityId } }));
  }

  async insert(m: EntityManager, record: StrategyRecord): Promise<StrategyRecordEntity> {
    const entity = m.create(StrategyRecordEntity, record);
    await m.insert(StrategyRecordEntity, entity);
    return entity;
  }
}
