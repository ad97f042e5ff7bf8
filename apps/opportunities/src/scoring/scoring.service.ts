import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError, type Decision } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import type { ScoringModelEntity } from '../opportunities/opportunity.entities';
import type { StageDef } from '../pipeline/pipeline.domain';
import { decideTraining, decideWeights, type ModelChange } from './scoring-model.domain';
import { decideScore, type ScoringModel } from './scoring.domain';
import type { ScoringWeightsDto } from './scoring.dto';
import { ScoringRepository } from './scoring.repository';

@Injectable()
export class ScoringService {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly scoring: ScoringRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  /** Re-scores one opportunity in the caller's transaction; publishes `opportunity.scored` when the score or model changed. */
  async scoreOpportunity(m: EntityManager, id: string, options: { model?: ScoringModel; now?: Date; stages?: Map<string, StageDef[]> } = {}): Promise<void> {
    const now = options.now ?? new Date();
    await loadDecideSave(m, {
      load: async (tx) => {
        const state = await this.scoring.scoringState(tx, id, options.stages);
        return state && { ...state, model: options.model ?? (await this.scoring.activeModel(tx)) };
      },
      notFound: () => DomainError.notFound('opportunity', id),
      decide: (s) => decideScore(s, s.model, now, this.calendar.zone),
      save: (tx, _s, changes) => this.scoring.saveScore(tx, id, changes),
    });
  }

  /** Re-scores the open opportunities (of one account, or all) with the active model. */
  async rescoreOpen(m: EntityManager, where: { accountKey?: string } = {}, now = new Date()): Promise<number> {
    const ids = await this.scoring.openIds(m, where.accountKey);
    const model = await this.scoring.activeModel(m);
    const stages = new Map<string, StageDef[]>();
    for (const id of ids) await this.scoreOpportunity(m, id, { model, now, stages });
    return ids.length;
  }

  get(): Promise<ScoringModelEntity> {
    return this.scoring.active();
  }

  versions(): Promise<ScoringModelEntity[]> {
    return this.scoring.versions();
  }

  /** A new weights version becomes active and every open opportunity is re-scored with it, in one transaction. */
  async putWeights(by: string, dto: ScoringWeightsDto): Promise<ScoringModelEntity & { rescored: number }> {
    return inTransaction(this.dataSource, async (m) => {
      const { model } = await this.changeModel(
        m,
        async () => null,
        () => decideWeights(dto, by),
      );
      const rescored = await this.rescoreOpen(m);
      return { ...model, rescored };
    });
  }

  /**
   * Trains a logistic regression on the closed history (features as they were while the deal was open). It is
   * stored as a new version either way, and made active only with enough history and a useful held-out accuracy.
   */
  async train(by: string, now = new Date()): Promise<{ model: ScoringModelEntity; activated: boolean; rescored: number }> {
    return inTransaction(this.dataSource, async (m) => {
      const { model, activated } = await this.changeModel(
        m,
        (tx) => this.scoring.closedHistory(tx),
        (history) => decideTraining(history, by, now),
      );
      const rescored = activated ? await this.rescoreOpen(m, {}, now) : 0;
      const history = (model.trainingSize ?? 0) + (model.holdoutSize ?? 0);
      this.logger.log(
        `trained model v${model.version} on ${history} closed opportunities: held-out accuracy ${model.holdoutAccuracy}, ${activated ? 'active' : 'not used'}`,
      );
      return { model, activated, rescored };
    });
  }

  /** Nightly: a learned model when there is enough history, else the open opportunities re-scored (urgency moves with the calendar). */
  async nightly(m: EntityManager, lockKey: number, now: Date): Promise<boolean> {
    if (!(await this.scoring.tryJobLock(m, lockKey))) return false;
    try {
      const { activated } = await this.train('system', now);
      if (!activated) await this.rescoreOpen(m, {}, now);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'NOT_ENOUGH_HISTORY')) throw err;
      await this.rescoreOpen(m, {}, now);
    }
    return true;
  }

  /** One model change at a time: the versions are locked, and the decision taken on what the lock holder sees. */
  private changeModel<Facts>(m: EntityManager, facts: (m: EntityManager) => Promise<Facts>, decide: (facts: Facts) => Decision<ModelChange>) {
    return loadDecideSave(m, {
      load: async (tx) => ({ ...(await this.scoring.lockModels(tx)), facts: await facts(tx) }),
      notFound: () => DomainError.notFound('scoring model', 'active'),
      decide: (s) => decide(s.facts),
      save: async (tx, _s, changes) => ({ model: await this.scoring.insertVersion(tx, changes), activated: changes.activate }),
    });
  }
}
