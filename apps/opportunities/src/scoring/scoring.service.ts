import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HttpProblemCode, ProblemException } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { ScoringModelEntity } from '../opportunities/opportunity.entities';
import { stageProgress, type StageDef } from '../pipeline/pipeline.domain';
import { PipelinesService } from '../pipeline/pipelines.service';
import { trainLogistic, type LabelledExample } from './logistic.domain';
import { FACTORS, score, type FeatureVector, type ScoringModel } from './scoring.domain';
import type { ScoringWeightsDto } from './scoring.dto';

/** Closed opportunities needed before a learned model is trained, and the held-out accuracy it must reach to be used. */
export const MIN_TRAINING_HISTORY = 50;
export const MIN_HOLDOUT_ACCURACY = 0.6;
const MAX_TRAINING_HISTORY = 5_000;

interface ScoringRow {
  id: string;
  pipeline_id: string;
  stage: string;
  company_size: string | null;
  expected_amount: string;
  currency: string;
  expected_close_date: string;
  account_key: string | null;
  activity: number;
  score: string;
  model_version: number | null;
}

@Injectable()
export class ScoringService {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelinesService,
  ) {}

  async activeModel(m: EntityManager): Promise<ScoringModel> {
    const row = await m.findOneOrFail(ScoringModelEntity, { where: { active: true } });
    return toModel(row);
  }

  /** Re-scores one opportunity in the caller's transaction; publishes `opportunity.scored` when the score or model changed. */
  async scoreOpportunity(m: EntityManager, id: string, options: { model?: ScoringModel; now?: Date; stages?: Map<string, StageDef[]> } = {}): Promise<void> {
    const [row]: ScoringRow[] = await m.query(
      `SELECT o.id, o.pipeline_id, o.stage, o.company_size, o.expected_amount::text AS expected_amount, o.currency,
              o.expected_close_date::text AS expected_close_date, o.account_key, o.score::text AS score, o.model_version,
              o.activity_count + coalesce(l.follow_ups, 0) AS activity
         FROM opportunities o LEFT JOIN lead_facts l ON l.lead_id = o.lead_id
        WHERE o.id = $1`,
      [id],
    );
    if (!row) return;
    const model = options.model ?? (await this.activeModel(m));
    const now = options.now ?? new Date();
    let stages = options.stages?.get(row.pipeline_id);
    if (!stages) {
      stages = await this.pipelines.stagesOf(m, row.pipeline_id);
      options.stages?.set(row.pipeline_id, stages);
    }
    const purchases = await this.purchasesOf(m, row.account_key);
    const result = score(
      { companySize: row.company_size, expectedAmount: formatAmount(row.expected_amount), currency: row.currency, expectedCloseDate: row.expected_close_date },
      { today: now.toISOString().slice(0, 10), purchases, stageProgress: stageProgress(stages, row.stage), stage: row.stage, activity: Number(row.activity) },
      model,
    );
    await m.query(
      `UPDATE opportunities SET score = $2, score_factors = $3, features = $4, model_version = $5, scored_at = $6 WHERE id = $1`,
      [id, result.score, JSON.stringify(result.factors), JSON.stringify(result.features), model.version, now],
    );
    if (Number(row.score) === result.score && row.model_version === model.version) return;
    await appendToOutbox(m, [
      newEvent('opportunity.scored', { subject: id, data: { opportunityId: id, score: result.score, factors: result.factors, scoredAt: now.toISOString() } }),
    ]);
  }

  /** Re-scores the open opportunities (of one account, or all) with the active model. */
  async rescoreOpen(m: EntityManager, where: { accountKey?: string } = {}, now = new Date()): Promise<number> {
    const rows: { id: string }[] = where.accountKey
      ? await m.query(`SELECT id FROM opportunities WHERE status = 'open' AND account_key = $1 ORDER BY id`, [where.accountKey])
      : await m.query(`SELECT id FROM opportunities WHERE status = 'open' ORDER BY id`);
    const model = await this.activeModel(m);
    const stages = new Map<string, StageDef[]>();
    for (const { id } of rows) await this.scoreOpportunity(m, id, { model, now, stages });
    return rows.length;
  }

  get(): Promise<ScoringModelEntity> {
    return this.dataSource.manager.findOneOrFail(ScoringModelEntity, { where: { active: true } });
  }

  versions(): Promise<ScoringModelEntity[]> {
    return this.dataSource.manager.find(ScoringModelEntity, { order: { version: 'DESC' }, take: 100 });
  }

  /** A new weights version becomes active and every open opportunity is re-scored with it, in one transaction. */
  async putWeights(by: string, dto: ScoringWeightsDto): Promise<ScoringModelEntity & { rescored: number }> {
    const weights = Object.fromEntries(FACTORS.map((f) => [f, dto[f]])) as FeatureVector;
    if (FACTORS.every((f) => weights[f] === 0)) {
      throw new ProblemException({
        status: HttpStatus.BAD_REQUEST,
        code: HttpProblemCode.ValidationFailed,
        detail: 'The request has invalid fields.',
        errors: [{ field: 'weights', message: 'at least one weight must be above 0', constraint: 'domain' }],
      });
    }
    return this.dataSource.transaction(async (m) => {
      const model = await this.activate(m, { kind: 'weights', weights, createdBy: by });
      const rescored = await this.rescoreOpen(m);
      return { ...model, rescored };
    });
  }

  /**
   * Trains a logistic regression on the closed history (features as they were while the deal was open). It is
   * stored as a new version either way, and made active only with enough history and a useful held-out accuracy.
   */
  async train(by: string, now = new Date()): Promise<{ model: ScoringModelEntity; activated: boolean; rescored: number }> {
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string; features: FeatureVector; status: string }[] = await m.query(
        `SELECT id, features, status FROM opportunities WHERE status IN ('won', 'lost') AND features IS NOT NULL
          ORDER BY closed_at DESC NULLS LAST, id LIMIT $1`,
        [MAX_TRAINING_HISTORY],
      );
      if (rows.length < MIN_TRAINING_HISTORY) {
        throw new ProblemException({
          status: HttpStatus.CONFLICT,
          code: 'NOT_ENOUGH_HISTORY',
          detail: `A learned model needs at least ${MIN_TRAINING_HISTORY} closed opportunities; there are ${rows.length}.`,
        });
      }
      const examples: LabelledExample[] = rows.map((r) => ({ id: r.id, features: r.features, won: r.status === 'won' }));
      const trained = trainLogistic(examples);
      const activated = trained.holdoutAccuracy !== null && trained.holdoutAccuracy >= MIN_HOLDOUT_ACCURACY;
      const model = await this.activate(
        m,
        {
          kind: 'learned',
          model: { intercept: trained.intercept, coefficients: trained.coefficients, means: trained.means, stds: trained.stds },
          importances: trained.importances,
          trainingSize: trained.trainingSize,
          holdoutSize: trained.holdoutSize,
          holdoutAccuracy: trained.holdoutAccuracy,
          trainedAt: now,
          createdBy: by,
        },
        activated,
      );
      const rescored = activated ? await this.rescoreOpen(m, {}, now) : 0;
      this.logger.log(`trained model v${model.version} on ${rows.length} closed opportunities: held-out accuracy ${trained.holdoutAccuracy}, ${activated ? 'active' : 'not used'}`);
      return { model, activated, rescored };
    });
  }

  private async activate(m: EntityManager, values: Partial<ScoringModelEntity>, active = true): Promise<ScoringModelEntity> {
    // Serialises concurrent model changes: the last one to commit is the active one, never two.
    await m.query('SELECT version FROM scoring_models WHERE active FOR UPDATE');
    if (active) await m.query('UPDATE scoring_models SET active = false WHERE active');
    const inserted = await m.save(ScoringModelEntity, m.create(ScoringModelEntity, { ...values, active }));
    return m.findOneOrFail(ScoringModelEntity, { where: { version: inserted.version } });
  }

  private async purchasesOf(m: EntityManager, accountKey: string | null) {
    if (!accountKey) return { orders: 0, total: null, currency: null };
    const [row] = await m.query(
      `SELECT count(*)::int AS orders, sum(total)::text AS total, min(currency) AS currency, count(DISTINCT currency)::int AS currencies
         FROM account_history WHERE account_key = $1 AND status <> 'cancelled'`,
      [accountKey],
    );
    // A total across currencies means nothing: then only the count is explained.
    const single = row.currencies === 1;
    return { orders: row.orders as number, total: single ? formatAmount(row.total) : null, currency: single ? (row.currency as string) : null };
  }
}

export function toModel(row: ScoringModelEntity): ScoringModel {
  if (row.kind === 'weights') return { kind: 'weights', version: row.version, weights: row.weights! };
  return { kind: 'learned', version: row.version, ...row.model! };
}
