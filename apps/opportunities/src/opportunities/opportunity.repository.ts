import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Decision } from '@crm/domain';
import { paginate, restrictToScope, sortBy, type AuthUser, type Page, type SortColumns } from '@crm/http';
import { whereTextMatches } from '@crm/persistence';
import { appendToOutbox } from '@crm/messaging';
import { lineTotal } from '@crm/money';
import { PipelineRepository } from '../pipeline/pipeline.repository';
import type { ListOpportunitiesQuery, OPPORTUNITY_SORT_KEYS, SummaryQuery } from './dto/opportunity.dto';
import type { OpportunitySnapshot } from './opportunity-audit';
import type { OpenedOpportunity } from './opportunity-opening.domain';
import type { OpportunityChanges, OpportunityState, PricedLine } from './opportunity.domain';
import { OpportunityEntity, OpportunityLineEntity, OpportunityTaskEntity, StageEntity, StageHistoryEntity } from './opportunity.entities';

// Each served by an index (migration 1765843200001; the rep, team and status indexes hold score for their filters).
const SORT_COLUMNS = {
  score: 'o.score',
  expectedCloseDate: 'o.expectedCloseDate',
  expectedAmount: 'o.expectedAmount',
  createdAt: 'o.createdAt',
  updatedAt: 'o.updatedAt',
} satisfies Record<(typeof OPPORTUNITY_SORT_KEYS)[number], SortColumns[string]>;

export interface StageTotalsRow {
  stage: string;
  currency: string;
  count: number;
  amount: string;
  weighted: string;
}

/** Opportunities with their lines, tasks and stage history, as far as the caller may see them. */
@Injectable()
export class OpportunityRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelineRepository,
  ) {}

  findVisible(user: AuthUser, id: string, m: EntityManager = this.dataSource.manager): Promise<OpportunityEntity | null> {
    return this.scoped(m, user).andWhere('o.id = :id', { id }).getOne();
  }

  /** The row under a lock that serialises every command on the opportunity (a second win sees a closed deal). */
  lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<OpportunityEntity | null> {
    return this.scoped(m, user).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async loadLocked(m: EntityManager, user: AuthUser, id: string): Promise<OpportunityState | undefined> {
    const o = await this.lockVisible(m, user, id);
    if (!o) return undefined;
    const stages = await this.pipelines.stagesOf(m, o.pipelineId);
    const lines = await this.linesOf(m, id);
    const tasks = await m.find(OpportunityTaskEntity, { where: { opportunityId: id }, order: { createdAt: 'ASC' } });
    let closedFrom: string | null = null;
    if (o.status !== 'open') {
      const [closing] = await m.find(StageHistoryEntity, { where: { opportunityId: id, toStage: o.stage }, order: { id: 'DESC' }, take: 1 });
      closedFrom = closing?.fromStage ?? null;
    }
    return { ...o, stages, lines, tasks: tasks.map(({ id: taskId, key, doneAt }) => ({ id: taskId, key, doneAt })), closedFrom };
  }

  /** The opportunity with its lines and tasks as the audit trail compares them, read in the caller's transaction. */
  async auditSnapshot(m: EntityManager, id: string): Promise<OpportunitySnapshot | null> {
    const o = await m.findOneBy(OpportunityEntity, { id });
    if (!o) return null;
    const tasks = await m.find(OpportunityTaskEntity, { where: { opportunityId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return {
      ...o,
      lines: (await this.linesOf(m, id)).map(({ lineTotal: _derived, ...line }) => line),
      tasks: tasks.map(({ id: taskId, key, title, dueAt, doneAt, doneBy }) => ({ id: taskId, key, title, dueAt, doneAt, doneBy })),
    };
  }

  async save(m: EntityManager, id: string, changes: OpportunityChanges): Promise<OpportunityChanges> {
    if (changes.lines) await this.replaceLines(m, id, changes.lines);
    // Through the query builder, so the version (the ETag) and updated_at move with it.
    if (changes.set) await m.update(OpportunityEntity, { id }, changes.set);
    if (changes.move) await m.insert(StageHistoryEntity, { opportunityId: id, ...changes.move });
    if (changes.newTask) {
      const t = changes.newTask;
      await m.query('INSERT INTO opportunity_tasks (id, opportunity_id, key, title, due_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        t.id,
        id,
        t.key,
        t.title,
        t.dueAt,
        t.createdBy,
      ]);
    }
    if (changes.doneTask)
      await m.update(OpportunityTaskEntity, { id: changes.doneTask.id }, { doneAt: changes.doneTask.doneAt, doneBy: changes.doneTask.doneBy });
    return changes;
  }

  /** Inserts a new opportunity with its events; false when its lead already has one (a redelivery changes nothing). */
  async insertNew(m: EntityManager, { changes: { row: t, lines, move }, events }: Decision<OpenedOpportunity>): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO opportunities (id, lead_id, pipeline_id, stage, stage_entered_at, rep_id, team, customer, account_key, region, product_line,
                                  company_size, product_needs, expected_amount, currency, expected_close_date, fields, created_by, created_at,
                                  account_id, contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $5, $19, $20)
       ON CONFLICT (lead_id) DO NOTHING RETURNING id`,
      [
        t.id,
        t.leadId,
        t.pipelineId,
        t.stage,
        t.createdAt,
        t.repId,
        t.team,
        JSON.stringify(t.customer),
        t.accountKey,
        t.region,
        t.productLine,
        t.companySize,
        JSON.stringify(t.productNeeds),
        t.expectedAmount,
        t.currency,
        t.expectedCloseDate,
        JSON.stringify(t.fields),
        t.createdBy,
        t.accountId,
        t.contactId,
      ],
    );
    if (!inserted.length) return false;
    if (lines.length) await this.replaceLines(m, t.id, lines);
    await m.insert(StageHistoryEntity, { opportunityId: t.id, ...move });
    await appendToOutbox(m, events);
    return true;
  }

  /** Activity feeds engagement; a system counter, so it does not bump the ETag version. */
  async addActivity(m: EntityManager, id: string): Promise<void> {
    await m.query('UPDATE opportunities SET activity_count = activity_count + 1 WHERE id = $1', [id]);
  }

  /** A lead's company size, once known, fills in its open opportunities that have none; returns their ids. */
  async fillCompanySize(m: EntityManager, leadId: string, companySize: string): Promise<string[]> {
    // UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE opportunities SET company_size = $2 WHERE lead_id = $1 AND company_size IS NULL AND status = 'open' RETURNING id`,
      [leadId, companySize],
    );
    return rows.map((r) => r.id);
  }

  async openIdsOfLead(m: EntityManager, leadId: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM opportunities WHERE lead_id = $1 AND status = 'open'`, [leadId]);
    return rows.map((r) => r.id);
  }

  list(user: AuthUser, query: ListOpportunitiesQuery): Promise<Page<OpportunityEntity>> {
    const qb = this.scoped(this.dataSource.manager, user);
    if (query.stage) qb.andWhere('o.stage = :stage', { stage: query.stage });
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.repId) qb.andWhere('o.repId = :repId', { repId: query.repId });
    if (query.team) qb.andWhere('o.team = :team', { team: query.team });
    if (query.currency) qb.andWhere('o.currency = :currency', { currency: query.currency });
    if (query.minAmount) qb.andWhere('o.expectedAmount >= :minAmount', { minAmount: query.minAmount });
    if (query.maxAmount) qb.andWhere('o.expectedAmount <= :maxAmount', { maxAmount: query.maxAmount });
    if (query.closeFrom) qb.andWhere('o.expectedCloseDate >= :closeFrom', { closeFrom: query.closeFrom });
    if (query.closeTo) qb.andWhere('o.expectedCloseDate <= :closeTo', { closeTo: query.closeTo });
    if (query.minScore !== undefined) qb.andWhere('o.score >= :minScore', { minScore: query.minScore });
    if (query.maxScore !== undefined) qb.andWhere('o.score <= :maxScore', { maxScore: query.maxScore });
    if (query.q) whereTextMatches(qb, 'o.search_text', query.q);
    return paginate(qb, { sort: sortBy(query.sort, SORT_COLUMNS, '-createdAt'), tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  /** What the detail view shows besides the row. */
  async partsOf(o: OpportunityEntity) {
    const m = this.dataSource.manager;
    const [lines, tasks, history, stages] = await Promise.all([
      m.find(OpportunityLineEntity, { where: { opportunityId: o.id }, order: { position: 'ASC' } }),
      m.find(OpportunityTaskEntity, { where: { opportunityId: o.id }, order: { createdAt: 'ASC' } }),
      m.find(StageHistoryEntity, { where: { opportunityId: o.id }, order: { id: 'ASC' } }),
      this.pipelines.stagesOf(m, o.pipelineId),
    ]);
    return { lines, tasks, history, stages };
  }

  /** Count, amount and probability-weighted amount per stage and currency of one pipeline, in the caller's scope. */
  stageTotals(user: AuthUser, pipelineId: string, query: SummaryQuery): Promise<StageTotalsRow[]> {
    const qb = this.scoped(this.dataSource.manager, user)
      .select('o.stage', 'stage')
      .addSelect('o.currency', 'currency')
      .addSelect('count(*)::int', 'count')
      .addSelect('sum(coalesce(o.won_amount, o.expected_amount))::text', 'amount')
      // numeric × numeric in PostgreSQL is exact; rounded to the 4 places every amount has.
      .addSelect('round(sum(coalesce(o.won_amount, o.expected_amount)) * s.win_probability, 4)::text', 'weighted')
      .innerJoin(StageEntity, 's', 's.pipeline_id = o.pipeline_id AND s.key = o.stage')
      .andWhere('o.pipelineId = :pipelineId', { pipelineId })
      .groupBy('o.stage')
      .addGroupBy('o.currency')
      .addGroupBy('s.win_probability')
      .orderBy('o.currency');
    if (query.repId) qb.andWhere('o.repId = :repId', { repId: query.repId });
    if (query.team) qb.andWhere('o.team = :team', { team: query.team });
    return qb.getRawMany();
  }

  private async linesOf(m: EntityManager, id: string): Promise<PricedLine[]> {
    const rows = await m.find(OpportunityLineEntity, { where: { opportunityId: id }, order: { position: 'ASC' } });
    return rows.map((l) => ({
      sku: l.sku,
      productName: l.productName,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      lineTotal: lineTotal(l),
    }));
  }

  private async replaceLines(m: EntityManager, id: string, lines: PricedLine[]): Promise<void> {
    await m.delete(OpportunityLineEntity, { opportunityId: id });
    if (!lines.length) return;
    await m.insert(
      OpportunityLineEntity,
      lines.map(({ lineTotal: _total, ...l }, position) => ({ ...l, id: randomUUID(), opportunityId: id, position })),
    );
  }

  private scoped(m: EntityManager, user: AuthUser) {
    return restrictToScope(m.getRepository(OpportunityEntity).createQueryBuilder('o'), user, { rep: 'o.repId', team: 'o.team' });
  }
}
