import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { accessScope, assertVersion, restrictToScope, HttpProblemCode, paginate, ProblemException, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { formatAmount, InvalidLineError, lineTotal, priceLines, sumAmounts } from '@crm/money';
import { accountKey } from '../accounts/account.domain';
import { IllegalMoveError, planMove, unmetExitCriteria, type StageDef } from '../pipeline/pipeline.domain';
import { PipelinesService } from '../pipeline/pipelines.service';
import { ScoringService } from '../scoring/scoring.service';
import { StrategyConflictError } from '../strategies/strategy.domain';
import type { CreateOpportunityDto, LineDto, ListOpportunitiesQuery, LoseDto, SummaryQuery, TaskDto, UpdateOpportunityDto, WinDto } from './dto/opportunity.dto';
import { OpportunityEntity, OpportunityLineEntity, OpportunityTaskEntity, StageEntity, StageHistoryEntity, type CustomerInfo } from './opportunity.entities';

export const OPPORTUNITY_SETTINGS = Symbol('OPPORTUNITY_SETTINGS');
export interface OpportunitySettings {
  /** For a converted lead that names no currency. */
  defaultCurrency: string;
  /** A converted lead without an expected close date is expected to close this many days after conversion. */
  defaultCloseDays: number;
}

const SYSTEM = 'system';
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SORT_COLUMNS = { score: 'o.score', expectedCloseDate: 'o.expectedCloseDate', expectedAmount: 'o.expectedAmount', createdAt: 'o.createdAt' } as const;

export const notFound = (id: string) =>
  new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No opportunity ${id}.` });
const conflict = (code: string, detail: string) => new ProblemException({ status: HttpStatus.CONFLICT, code, detail });
const badField = (field: string, message: string) =>
  new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    code: HttpProblemCode.ValidationFailed,
    detail: 'The request has invalid fields.',
    errors: [{ field, message, constraint: 'domain' }],
  });

type PricedLine = Pick<OpportunityLineEntity, 'sku' | 'productName' | 'quantity' | 'unitPrice' | 'discount'> & { lineTotal: string };

interface NewOpportunity {
  leadId: string | null;
  pipeline: { id: string; stages: StageDef[] };
  repId: string;
  team: string | null;
  customer: CustomerInfo;
  region: string | null;
  productLine: string | null;
  companySize: string | null;
  productNeeds: string[];
  expectedAmount: string;
  currency: string;
  expectedCloseDate: string;
  lines: PricedLine[];
  fields: Record<string, string>;
  by: string;
}

@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelinesService,
    private readonly scoring: ScoringService,
    @Inject(OPPORTUNITY_SETTINGS) private readonly settings: OpportunitySettings,
  ) {}

  // ---- HTTP side -------------------------------------------------------------------------------

  async create(user: AuthUser, dto: CreateOpportunityDto) {
    const scope = accessScope(user);
    const repId = dto.repId ?? user.sub;
    if (scope.kind === 'own' && repId !== user.sub) throw badField('repId', 'a sales rep can only open opportunities for themself');
    if (dto.team !== undefined && scope.kind !== 'all') throw badField('team', 'only an admin names the team; yours is taken from your token');
    const lines = pricedLines(dto.lines ?? []);
    if (dto.expectedAmount === undefined && !lines.length) throw badField('expectedAmount', 'give expectedAmount or the product lines');
    const expectedAmount = dto.expectedAmount !== undefined ? formatAmount(dto.expectedAmount) : sumAmounts(lines.map((l) => l.lineTotal));
    const fields = mergeFields({}, dto.fields);
    const id = await this.dataSource.transaction(async (m) =>
      this.open(m, {
        leadId: null,
        pipeline: await this.pipelines.resolve(m, dto.pipelineId),
        repId,
        team: scope.kind === 'team' ? scope.team : scope.kind === 'all' ? dto.team ?? null : user.team ?? null,
        customer: dto.customer,
        region: dto.region ?? null,
        productLine: dto.productLine ?? null,
        companySize: dto.companySize ?? null,
        productNeeds: dto.productNeeds ?? [],
        expectedAmount,
        currency: dto.currency,
        expectedCloseDate: dto.expectedCloseDate,
        lines,
        fields,
        by: user.sub,
      }),
    );
    return this.get(user, id!);
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
    const sort = query.sort ?? '-createdAt';
    const column = SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
    return paginate(qb, { sort: { column, direction: sort.startsWith('-') ? 'DESC' : 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  async get(user: AuthUser, id: string) {
    const m = this.dataSource.manager;
    const opportunity = await this.scoped(m, user).andWhere('o.id = :id', { id }).getOne();
    if (!opportunity) throw notFound(id);
    const [lines, tasks, history, stages] = await Promise.all([
      m.find(OpportunityLineEntity, { where: { opportunityId: id }, order: { position: 'ASC' } }),
      m.find(OpportunityTaskEntity, { where: { opportunityId: id }, order: { createdAt: 'ASC' } }),
      m.find(StageHistoryEntity, { where: { opportunityId: id }, order: { id: 'ASC' } }),
      this.pipelines.stagesOf(m, opportunity.pipelineId),
    ]);
    const stage = stages.find((s) => s.key === opportunity.stage);
    const stageDueAt = stage?.timeLimitHours && opportunity.status === 'open'
      ? new Date(opportunity.stageEnteredAt.getTime() + stage.timeLimitHours * 3_600_000)
      : null;
    return {
      ...opportunity,
      winProbability: stage?.winProbability ?? null,
      stageDueAt,
      exitCriteria: stage?.exitCriteria ?? {},
      lines: lines.map((l) => ({ ...l, lineTotal: lineTotal(l) })),
      tasks,
      history,
    };
  }

  update(user: AuthUser, id: string, dto: UpdateOpportunityDto, expectedVersion?: number) {
    return this.act(user, id, expectedVersion, async (m, o) => {
      assertOpen(o);
      const changes: Partial<OpportunityEntity> = { fields: mergeFields(o.fields, dto.fields) };
      if (dto.expectedAmount !== undefined) changes.expectedAmount = formatAmount(dto.expectedAmount);
      if (dto.expectedCloseDate !== undefined) changes.expectedCloseDate = dto.expectedCloseDate;
      if (dto.companySize !== undefined) changes.companySize = dto.companySize;
      if (dto.productLine !== undefined) changes.productLine = dto.productLine;
      if (dto.region !== undefined) changes.region = dto.region;
      if (dto.lines) await this.replaceLines(m, id, pricedLines(dto.lines));
      await m.update(OpportunityEntity, { id }, changes);
      await this.scoring.scoreOpportunity(m, id);
    });
  }

  addTask(user: AuthUser, id: string, dto: TaskDto) {
    return this.act(user, id, undefined, async (m, o) => {
      assertOpen(o);
      const rows = await m.query(
        `INSERT INTO opportunity_tasks (id, opportunity_id, key, title, due_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (opportunity_id, key) DO NOTHING RETURNING id`,
        [randomUUID(), id, dto.key, dto.title, dto.dueAt ?? null, user.sub],
      );
      if (!rows.length) throw conflict('TASK_EXISTS', `Opportunity ${id} already has a task ${dto.key}.`);
    });
  }

  /** Completing a task counts as activity (engagement) and may satisfy an exit criterion. */
  completeTask(user: AuthUser, id: string, taskId: string) {
    return this.act(user, id, undefined, async (m, o) => {
      assertOpen(o);
      const task = await m.findOne(OpportunityTaskEntity, { where: { id: taskId, opportunityId: id } });
      if (!task) throw new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No task ${taskId} on opportunity ${id}.` });
      if (task.doneAt) return;
      await m.update(OpportunityTaskEntity, { id: taskId }, { doneAt: new Date(), doneBy: user.sub });
      await this.addActivity(m, id);
    });
  }

  moveStage(user: AuthUser, id: string, toStage: string, expectedVersion?: number) {
    return this.act(user, id, expectedVersion, async (m, o) => {
      const stages = await this.pipelines.stagesOf(m, o.pipelineId);
      const { left, target } = planMove(stages, o.stage, toStage);
      await this.assertExitCriteria(m, o, left, target);
      await this.changeStage(m, o, target, user.sub);
      await this.scoring.scoreOpportunity(m, id);
    });
  }

  /** Publishes exactly one `opportunity.won`: the row lock makes a second, concurrent win see a closed deal. */
  win(user: AuthUser, id: string, dto: WinDto, expectedVersion?: number) {
    return this.act(user, id, expectedVersion, async (m, o) => {
      assertOpen(o);
      const stages = await this.pipelines.stagesOf(m, o.pipelineId);
      const won = stages.find((s) => s.outcome === 'won')!;
      let lines: PricedLine[];
      if (dto.lines) {
        lines = pricedLines(dto.lines);
        await this.replaceLines(m, id, lines);
      } else {
        lines = (await m.find(OpportunityLineEntity, { where: { opportunityId: id }, order: { position: 'ASC' } })).map((l) => ({ ...l, lineTotal: lineTotal(l) }));
        if (!lines.length) throw badField('lines', 'the opportunity has no product lines: send the lines sold');
      }
      const { left } = planMove(stages, o.stage, won.key, true);
      await this.assertExitCriteria(m, o, left, won);
      const amount = sumAmounts(lines.map((l) => l.lineTotal));
      const at = await this.changeStage(m, o, won, user.sub, { status: 'won', wonAmount: amount, paymentTerms: dto.paymentTerms ?? null });
      await appendToOutbox(m, [
        newEvent('opportunity.won', {
          subject: id,
          data: {
            ...deal(o),
            currency: o.currency,
            amount,
            lines: lines.map((l) => ({ sku: l.sku, productName: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
            paymentTerms: dto.paymentTerms,
            promisedDeliveryDate: dto.promisedDeliveryDate,
            createdAt: o.createdAt.toISOString(),
            wonAt: at,
          },
        }),
      ]);
    });
  }

  lose(user: AuthUser, id: string, dto: LoseDto, expectedVersion?: number) {
    return this.act(user, id, expectedVersion, async (m, o) => {
      assertOpen(o);
      const stages = await this.pipelines.stagesOf(m, o.pipelineId);
      const lost = stages.find((s) => s.outcome === 'lost')!;
      const at = await this.changeStage(m, o, lost, user.sub, { status: 'lost', lostReason: dto.reason, competitor: dto.competitor ?? null });
      await appendToOutbox(m, [
        newEvent('opportunity.lost', {
          subject: id,
          data: { opportunityId: id, repId: o.repId, stage: o.stage, reason: dto.reason, competitor: dto.competitor, lostAt: at },
        }),
      ]);
    });
  }

  /** A manager re-opens a closed deal: it returns to the stage it was closed from. */
  reopen(user: AuthUser, id: string, expectedVersion?: number) {
    return this.act(user, id, expectedVersion, async (m, o) => {
      if (o.status === 'open') throw conflict('NOT_CLOSED', `Opportunity ${id} is open.`);
      const [closing] = await m.find(StageHistoryEntity, { where: { opportunityId: id, toStage: o.stage }, order: { id: 'DESC' }, take: 1 });
      const stages = await this.pipelines.stagesOf(m, o.pipelineId);
      const back = stages.find((s) => s.key === closing?.fromStage && !s.outcome) ?? stages.find((s) => !s.outcome)!;
      await this.changeStage(m, o, back, user.sub, { status: 'open', wonAmount: null, paymentTerms: null, lostReason: null, competitor: null, closedAt: null });
      await this.scoring.scoreOpportunity(m, id);
    });
  }

  /** Count, amount and probability-weighted amount per stage and currency, for the caller's opportunities. */
  async summary(user: AuthUser, query: SummaryQuery) {
    const m = this.dataSource.manager;
    const pipeline = await this.pipelines.resolve(m, query.pipelineId);
    const qb = this.scoped(m, user)
      .select('o.stage', 'stage')
      .addSelect('o.currency', 'currency')
      .addSelect('count(*)::int', 'count')
      .addSelect('sum(coalesce(o.won_amount, o.expected_amount))::text', 'amount')
      // numeric × numeric in PostgreSQL is exact; rounded to the 4 places every amount has.
      .addSelect('round(sum(coalesce(o.won_amount, o.expected_amount)) * s.win_probability, 4)::text', 'weighted')
      .innerJoin(StageEntity, 's', 's.pipeline_id = o.pipeline_id AND s.key = o.stage')
      .andWhere('o.pipelineId = :pipelineId', { pipelineId: pipeline.id })
      .groupBy('o.stage')
      .addGroupBy('o.currency')
      .addGroupBy('s.win_probability')
      .orderBy('o.currency');
    if (query.repId) qb.andWhere('o.repId = :repId', { repId: query.repId });
    if (query.team) qb.andWhere('o.team = :team', { team: query.team });
    const rows: { stage: string; currency: string; count: number; amount: string; weighted: string }[] = await qb.getRawMany();
    return {
      pipelineId: pipeline.id,
      stages: pipeline.stages.map((s) => {
        const totals = rows
          .filter((r) => r.stage === s.key)
          .map((r) => ({
            currency: r.currency,
            count: r.count,
            amount: formatAmount(r.amount),
            weightedAmount: formatAmount(r.weighted),
          }));
        return {
          stage: s.key, name: s.name, position: s.position, winProbability: s.winProbability, outcome: s.outcome,
          count: totals.reduce((n, t) => n + t.count, 0), totals,
        };
      }),
    };
  }

  // ---- event side ------------------------------------------------------------------------------

  /** One opportunity per converted lead: a redelivery, or a new event for the same lead, changes nothing. */
  async createFromLead(m: EntityManager, { data }: EventOf<'lead.converted'>): Promise<void> {
    const [facts] = await m.query('SELECT company_size FROM lead_facts WHERE lead_id = $1', [data.leadId]);
    const converted = new Date(data.convertedAt);
    const closeDate = new Date(Date.UTC(converted.getUTCFullYear(), converted.getUTCMonth(), converted.getUTCDate() + this.settings.defaultCloseDays));
    await this.open(m, {
      leadId: data.leadId,
      pipeline: await this.pipelines.resolve(m),
      repId: data.repId,
      team: data.team ?? null,
      customer: data.customer,
      region: data.region ?? null,
      productLine: data.productLine ?? null,
      companySize: facts?.company_size ?? null,
      productNeeds: data.productNeeds,
      expectedAmount: formatAmount(data.expectedAmount ?? '0'),
      currency: data.currency ?? this.settings.defaultCurrency,
      expectedCloseDate: data.expectedCloseDate ?? closeDate.toISOString().slice(0, 10),
      lines: [],
      fields: {},
      by: SYSTEM,
    });
  }

  async onLeadCaptured(m: EntityManager, { data }: EventOf<'lead.captured'>): Promise<void> {
    if (!data.companySize) return;
    await m.query(
      `INSERT INTO lead_facts (lead_id, company_size) VALUES ($1, $2)
       ON CONFLICT (lead_id) DO UPDATE SET company_size = EXCLUDED.company_size, updated_at = now()`,
      [data.leadId, data.companySize],
    );
    const [rows] = await m.query(`UPDATE opportunities SET company_size = $2 WHERE lead_id = $1 AND company_size IS NULL AND status = 'open' RETURNING id`, [data.leadId, data.companySize]);
    for (const { id } of rows as { id: string }[]) await this.scoring.scoreOpportunity(m, id);
  }

  /** Follow-ups logged on the lead count as engagement of its opportunity. */
  async onLeadFollowedUp(m: EntityManager, { data }: EventOf<'lead.followed_up'>): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, follow_ups) VALUES ($1, 1)
       ON CONFLICT (lead_id) DO UPDATE SET follow_ups = lead_facts.follow_ups + 1, updated_at = now()`,
      [data.leadId],
    );
    const rows: { id: string }[] = await m.query(`SELECT id FROM opportunities WHERE lead_id = $1 AND status = 'open'`, [data.leadId]);
    for (const { id } of rows) await this.scoring.scoreOpportunity(m, id);
  }

  // ---- shared with strategies ------------------------------------------------------------------

  /** Loads the caller's opportunity under a row lock, checks the version, runs `fn`, and answers the opportunity as it is now. */
  async act(user: AuthUser, id: string, expectedVersion: number | undefined, fn: (m: EntityManager, o: OpportunityEntity) => Promise<void>) {
    await this.withLocked(user, id, expectedVersion, fn);
    return this.get(user, id);
  }

  withLocked<T>(user: AuthUser, id: string, expectedVersion: number | undefined, fn: (m: EntityManager, o: OpportunityEntity) => Promise<T>): Promise<T> {
    return this.dataSource
      .transaction(async (m) => {
        const visible = await this.scoped(m, user).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
        if (!visible) throw notFound(id);
        if (expectedVersion !== undefined) assertVersion(visible.version, expectedVersion);
        return fn(m, visible);
      })
      .catch((err: unknown) => {
        if (err instanceof IllegalMoveError) throw conflict('ILLEGAL_STAGE_MOVE', err.message);
        if (err instanceof StrategyConflictError) throw conflict('STRATEGY_CONFLICT', err.message);
        throw err;
      });
  }

  async findVisible(user: AuthUser, id: string): Promise<OpportunityEntity> {
    const found = await this.scoped(this.dataSource.manager, user).andWhere('o.id = :id', { id }).getOne();
    if (!found) throw notFound(id);
    return found;
  }

  /** Activity (tasks, strategies) feeds engagement; a system counter, so it does not bump the ETag version. */
  async addActivity(m: EntityManager, id: string): Promise<void> {
    await m.query('UPDATE opportunities SET activity_count = activity_count + 1 WHERE id = $1', [id]);
    await this.scoring.scoreOpportunity(m, id);
  }

  // ---- internals -------------------------------------------------------------------------------

  private async open(m: EntityManager, t: NewOpportunity): Promise<string | null> {
    const first = t.pipeline.stages.filter((s) => !s.outcome).sort((a, b) => a.position - b.position)[0];
    const id = randomUUID();
    const inserted: { created_at: Date; stage_entered_at: Date }[] = await m.query(
      `INSERT INTO opportunities (id, lead_id, pipeline_id, stage, stage_entered_at, rep_id, team, customer, account_key, region, product_line,
                                  company_size, product_needs, expected_amount, currency, expected_close_date, fields, created_by)
       VALUES ($1, $2, $3, $4, clock_timestamp(), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (lead_id) DO NOTHING RETURNING created_at, stage_entered_at`,
      [
        id, t.leadId, t.pipeline.id, first.key, t.repId, t.team, JSON.stringify(t.customer), accountKey(t.customer), t.region, t.productLine,
        t.companySize, JSON.stringify(t.productNeeds), t.expectedAmount, t.currency, t.expectedCloseDate, JSON.stringify(t.fields), t.by,
      ],
    );
    if (!inserted.length) return null;
    if (t.lines.length) await this.replaceLines(m, id, t.lines);
    await m.insert(StageHistoryEntity, { opportunityId: id, fromStage: null, toStage: first.key, by: t.by, at: inserted[0].stage_entered_at });
    await appendToOutbox(m, [
      newEvent('opportunity.created', {
        subject: id,
        data: {
          opportunityId: id,
          leadId: t.leadId,
          repId: t.repId,
          team: t.team ?? undefined,
          customer: t.customer,
          region: t.region ?? undefined,
          productLine: t.productLine ?? undefined,
          expectedAmount: t.expectedAmount,
          currency: t.currency,
          expectedCloseDate: t.expectedCloseDate,
          stage: first.key,
          winProbability: first.winProbability,
          createdAt: inserted[0].created_at.toISOString(),
        },
      }),
    ]);
    await this.scoring.scoreOpportunity(m, id);
    return id;
  }

  private async assertExitCriteria(m: EntityManager, o: OpportunityEntity, left: StageDef[], target: StageDef): Promise<void> {
    const [lines, done] = await Promise.all([
      m.count(OpportunityLineEntity, { where: { opportunityId: o.id } }),
      m.query('SELECT key FROM opportunity_tasks WHERE opportunity_id = $1 AND done_at IS NOT NULL', [o.id]) as Promise<{ key: string }[]>,
    ]);
    const unmet = unmetExitCriteria(left, {
      fields: {
        ...o.fields,
        expectedAmount: o.expectedAmount,
        expectedCloseDate: o.expectedCloseDate,
        productLine: o.productLine,
        companySize: o.companySize,
        region: o.region,
        lines: lines ? [lines] : [],
      },
      doneTasks: done.map((d) => d.key),
    });
    if (!unmet.length) return;
    throw new ProblemException({
      status: HttpStatus.CONFLICT,
      code: 'EXIT_CRITERIA_UNMET',
      detail: `Cannot move from ${o.stage} to ${target.key}: ${unmet.map((u) => u.message).join('; ')}.`,
      errors: unmet.map((u) => ({ field: u.kind === 'task' ? `tasks.${u.name}` : u.name, message: u.message, constraint: `exitCriteria:${u.stage}` })),
    });
  }

  /** Moves to `target` with its history row and `opportunity.stage_changed`; returns the time of the move. */
  private async changeStage(m: EntityManager, o: OpportunityEntity, target: StageDef, by: string, changes: Partial<OpportunityEntity> = {}): Promise<string> {
    const at = new Date();
    const closing = changes.status === 'won' || changes.status === 'lost';
    await m.update(OpportunityEntity, { id: o.id }, { ...changes, stage: target.key, stageEnteredAt: at, ...(closing ? { closedAt: at } : {}) });
    await m.insert(StageHistoryEntity, { opportunityId: o.id, fromStage: o.stage, toStage: target.key, by, at });
    const iso = at.toISOString();
    await appendToOutbox(m, [
      newEvent('opportunity.stage_changed', {
        subject: o.id,
        data: { opportunityId: o.id, repId: o.repId, fromStage: o.stage, toStage: target.key, winProbability: target.winProbability, by, changedAt: iso },
      }),
    ]);
    return iso;
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

/** Custom fields: short names, string values; null removes one. */
function mergeFields(current: Record<string, string>, changes: Record<string, string | null> = {}): Record<string, string> {
  const fields = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (!FIELD_KEY.test(key)) throw badField(`fields.${key}`, 'a field name is letters, digits and _, at most 64 characters');
    if (value === null) delete fields[key];
    else if (typeof value !== 'string' || value.length > 2000) throw badField(`fields.${key}`, 'a field value is a string of at most 2000 characters, or null to remove it');
    else fields[key] = value;
  }
  return fields;
}

function assertOpen(o: OpportunityEntity): void {
  if (o.status !== 'open') throw conflict('OPPORTUNITY_CLOSED', `Opportunity ${o.id} is ${o.status}; a manager must re-open it first.`);
}

function deal(o: OpportunityEntity) {
  return {
    opportunityId: o.id,
    leadId: o.leadId,
    repId: o.repId,
    team: o.team ?? undefined,
    customer: o.customer,
    region: o.region ?? undefined,
  };
}

/** Prices each line exactly; a discount larger than its line is a 400 on that line. */
function pricedLines(lines: readonly LineDto[]): PricedLine[] {
  try {
    return priceLines(lines).map(({ sku, productName, quantity, unitPrice, discount, lineTotal }) => ({ sku, productName, quantity, unitPrice, discount, lineTotal }));
  } catch (err) {
    if (err instanceof InvalidLineError) throw badField(`lines[${err.index}].discount`, err.message);
    throw err;
  }
}
