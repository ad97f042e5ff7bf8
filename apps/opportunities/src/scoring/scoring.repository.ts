import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { formatAmount } from '@crm/money';
import { AccountRepository } from '../accounts/account.repository';
import { ScoringModelEntity } from '../opportunities/opportunity.entities';
import type { StageDef } from '../pipeline/pipeline.domain';
import { PipelineRepository } from '../pipeline/pipeline.repository';
import type { ClosedExample, ModelChange } from './scoring-model.domain';
import type { ScoreChanges, ScoringModel, ScoringState } from './scoring.domain';

const MAX_TRAINING_HISTORY = 5_000;

interface ScoringRow {
  id: string;
  version: number;
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

/** The scoring model versions, and the score columns of the opportunities with what a score is computed from. */
@Injectable()
export class ScoringRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelineRepository,
    private readonly accounts: AccountRepository,
  ) {}

  async activeModel(m: EntityManager): Promise<ScoringModel> {
    return toModel(await this.active(m));
  }

  active(m: EntityManager = this.dataSource.manager): Promise<ScoringModelEntity> {
    return m.findOneOrFail(ScoringModelEntity, { where: { active: true } });
  }

  versions(): Promise<ScoringModelEntity[]> {
    return this.dataSource.manager.find(ScoringModelEntity, { order: { version: 'DESC' }, take: 100 });
  }

  /** Serialises concurrent model changes: the last one to commit is the active one, never two. */
  async lockModels(m: EntityManager): Promise<{ version: number }> {
    const [active]: { version: number }[] = await m.query('SELECT version FROM scoring_models WHERE active FOR UPDATE');
    return { version: active?.version ?? 0 };
  }

  /** Closed opportunities with the features they had while open, newest first. */
  closedHistory(m: EntityManager): Promise<ClosedExample[]> {
    return m.query(
      `SELECT id, features, status FROM opportunities WHERE status IN ('won', 'lost') AND features IS NOT NULL
        ORDER BY closed_at DESC NULLS LAST, id LIMIT $1`,
      [MAX_TRAINING_HISTORY],
    );
  }

  async insertVersion(m: EntityManager, { version, activate }: ModelChange): Promise<ScoringModelEntity> {
    if (activate) await m.query('UPDATE scoring_models SET active = false WHERE active');
    const inserted = await m.save(ScoringModelEntity, m.create(ScoringModelEntity, { ...version, active: activate }));
    return m.findOneOrFail(ScoringModelEntity, { where: { version: inserted.version } });
  }

  /** An opportunity with what its score depends on; `stages` caches pipelines across a batch. */
  async scoringState(m: EntityManager, id: string, stagesCache?: Map<string, StageDef[]>): Promise<ScoringState | undefined> {
    const [row]: ScoringRow[] = await m.query(
      `SELECT o.id, o.version, o.pipeline_id, o.stage, o.company_size, o.expected_amount::text AS expected_amount, o.currency,
              o.expected_close_date::text AS expected_close_date, o.account_key, o.score::text AS score, o.model_version,
              o.activity_count + coalesce(l.follow_ups, 0) AS activity
         FROM opportunities o LEFT JOIN lead_facts l ON l.lead_id = o.lead_id
        WHERE o.id = $1`,
      [id],
    );
    if (!row) return undefined;
    let stages = stagesCache?.get(row.pipeline_id);
    if (!stages) {
      stages = await this.pipelines.stagesOf(m, row.pipeline_id);
      stagesCache?.set(row.pipeline_id, stages);
    }
    return {
      id: row.id,
      version: row.version,
      stage: row.stage,
      companySize: row.company_size,
      expectedAmount: formatAmount(row.expected_amount),
      currency: row.currency,
      expectedCloseDate: row.expected_close_date,
      activity: Number(row.activity),
      score: Number(row.score),
      modelVersion: row.model_version,
      stages,
      purchases: await this.accounts.purchases(m, row.account_key),
    };
  }

  /** The score is derived, so storing it leaves the version (the ETag) alone. */
  async saveScore(m: EntityManager, id: string, c: ScoreChanges): Promise<void> {
    await m.query(`UPDATE opportunities SET score = $2, score_factors = $3, features = $4, model_version = $5, scored_at = $6 WHERE id = $1`, [
      id,
      c.score,
      JSON.stringify(c.factors),
      JSON.stringify(c.features),
      c.modelVersion,
      c.scoredAt,
    ]);
  }

  /** The open opportunities, of one account or all, in a stable order. */
  async openIds(m: EntityManager, accountKey?: string): Promise<string[]> {
    const rows: { id: string }[] = accountKey
      ? await m.query(`SELECT id FROM opportunities WHERE status = 'open' AND account_key = $1 ORDER BY id`, [accountKey])
      : await m.query(`SELECT id FROM opportunities WHERE status = 'open' ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** Holds the nightly job to one replica: false when another holds it (released with the transaction). */
  async tryJobLock(m: EntityManager, key: number): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return locked;
  }
}

function toModel(row: ScoringModelEntity): ScoringModel {
  if (row.kind === 'weights') return { kind: 'weights', version: row.version, weights: row.weights! };
  return { kind: 'learned', version: row.version, ...row.model! };
}
