import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { accessScope, type AuthUser, type Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { CustomerLinksService } from '../customer-links/customer-links.service';
import type { OpportunitiesSettings } from '../opportunities.settings';
import { PipelinesService } from '../pipeline/pipelines.service';
import { ScoringService } from '../scoring/scoring.service';
import type { CreateOpportunityDto, ListOpportunitiesQuery, LoseDto, SummaryQuery, TaskDto, UpdateOpportunityDto, WinDto } from './dto/opportunity.dto';
import { LeadFactsRepository } from './lead-facts.repository';
import { OPPORTUNITY_RECORD, opportunityChanges } from './opportunity-audit';
import { decideLose, decideMove, decideReopen, decideWin } from './opportunity-stage.domain';
import { decideOpen, fromConvertedLead, newOpportunity, type NewOpportunity } from './opportunity-opening.domain';
import { decideAddTask, decideCompleteTask, decideUpdate, type OpportunityChanges, type OpportunityState } from './opportunity.domain';
import type { OpportunityEntity } from './opportunity.entities';
import { OpportunityRepository } from './opportunity.repository';
import { opportunityDetail, pipelineSummary } from './opportunity.views';

export const OPPORTUNITY_SETTINGS = Symbol('OPPORTUNITY_SETTINGS');

export const notFound = (id: string) => DomainError.notFound('opportunity', id);

@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly opportunities: OpportunityRepository,
    private readonly leadFacts: LeadFactsRepository,
    private readonly pipelines: PipelinesService,
    private readonly scoring: ScoringService,
    private readonly customerLinks: CustomerLinksService,
    @Inject(OPPORTUNITY_SETTINGS) private readonly settings: OpportunitiesSettings,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
  ) {}

  // ---- HTTP side -------------------------------------------------------------------------------

  async create(user: AuthUser, dto: CreateOpportunityDto) {
    const opening = newOpportunity(dto, { sub: user.sub, team: user.team, scope: accessScope(user) });
    const id = await inTransaction(this.dataSource, async (m) =>
      this.open(m, { ...opening, pipeline: await this.pipelines.resolve(m, dto.pipelineId) }, user.sub),
    );
    return this.get(user, id!);
  }

  list(user: AuthUser, query: ListOpportunitiesQuery): Promise<Page<OpportunityEntity>> {
    return this.opportunities.list(user, query);
  }

  async get(user: AuthUser, id: string) {
    const opportunity = await this.opportunities.findVisible(user, id);
    if (!opportunity) throw notFound(id);
    return opportunityDetail(opportunity, await this.opportunities.partsOf(opportunity));
  }

  update(user: AuthUser, id: string, dto: UpdateOpportunityDto, expectedVersion?: number) {
    return this.act('updated', user, id, expectedVersion, (o) => decideUpdate(o, dto, { by: user.sub, now: new Date() }));
  }

  addTask(user: AuthUser, id: string, dto: TaskDto) {
    return this.act('task_added', user, id, undefined, (o) => decideAddTask(o, { id: randomUUID(), ...dto }, user.sub));
  }

  completeTask(user: AuthUser, id: string, taskId: string) {
    return this.act('task_completed', user, id, undefined, (o) => decideCompleteTask(o, taskId, { by: user.sub, now: new Date() }));
  }

  moveStage(user: AuthUser, id: string, toStage: string, expectedVersion?: number) {
    return this.act('stage_moved', user, id, expectedVersion, (o) => decideMove(o, toStage, { by: user.sub, now: new Date() }));
  }

  /** Publishes exactly one `opportunity.won`: the row lock makes a second, concurrent win see a closed deal. */
  win(user: AuthUser, id: string, dto: WinDto, expectedVersion?: number) {
    return this.act('won', user, id, expectedVersion, (o) => decideWin(o, dto, { by: user.sub, now: new Date() }));
  }

  lose(user: AuthUser, id: string, dto: LoseDto, expectedVersion?: number) {
    return this.act('lost', user, id, expectedVersion, (o) => decideLose(o, dto, { by: user.sub, now: new Date() }));
  }

  /** A manager re-opens a closed deal: it returns to the stage it was closed from. */
  reopen(user: AuthUser, id: string, expectedVersion?: number) {
    return this.act('reopened', user, id, expectedVersion, (o) => decideReopen(o, { by: user.sub, now: new Date() }));
  }

  /** Count, amount and probability-weighted amount per stage and currency, for the caller's opportunities. */
  async summary(user: AuthUser, query: SummaryQuery) {
    const pipeline = await this.pipelines.resolve(this.dataSource.manager, query.pipelineId);
    return pipelineSummary(pipeline, await this.opportunities.stageTotals(user, pipeline.id, query));
  }

  // ---- event side ------------------------------------------------------------------------------

  /**
   * One opportunity per converted lead: a redelivery, or a new event for the same lead, changes nothing. When the
   * lead's resolution came first, the opportunity opens with its account and contact (and says so in its event).
   */
  async createFromLead(m: EntityManager, { data }: EventOf<'lead.converted'>): Promise<void> {
    const refs = await this.customerLinks.refsForLead(m, data.leadId);
    const facts = { companySize: await this.leadFacts.companySizeOf(m, data.leadId) };
    const id = await this.open(
      m,
      { ...fromConvertedLead(data, facts, this.settings, this.calendar.zone, refs), pipeline: await this.pipelines.resolve(m) },
      'system',
    );
    if (id) await this.customerLinks.opened(m, data.leadId, id, refs);
  }

  async onLeadCaptured(m: EntityManager, { data }: EventOf<'lead.captured'>): Promise<void> {
    if (!data.companySize) return;
    await this.leadFacts.recordCompanySize(m, data.leadId, data.companySize);
    for (const id of await this.opportunities.fillCompanySize(m, data.leadId, data.companySize)) await this.scoring.scoreOpportunity(m, id);
  }

  /** Follow-ups logged on the lead count as engagement of its opportunity. */
  async onLeadFollowedUp(m: EntityManager, { data }: EventOf<'lead.followed_up'>): Promise<void> {
    await this.leadFacts.recordFollowUp(m, data.leadId);
    for (const id of await this.opportunities.openIdsOfLead(m, data.leadId)) await this.scoring.scoreOpportunity(m, id);
  }

  // ---- shared with strategies ------------------------------------------------------------------

  /** Activity (tasks, strategies) feeds engagement; a system counter, so it does not bump the ETag version. */
  async addActivity(m: EntityManager, id: string): Promise<void> {
    await this.opportunities.addActivity(m, id);
    await this.scoring.scoreOpportunity(m, id);
  }

  // ---- internals -------------------------------------------------------------------------------

  /** One command on the caller's opportunity, audited as `action` with the fields it changed; then the opportunity as it is now. */
  private async act(
    action: string,
    user: AuthUser,
    id: string,
    expectedVersion: number | undefined,
    decide: (o: OpportunityState) => Decision<OpportunityChanges>,
  ) {
    await inTransaction(this.dataSource, async (m) => {
      const changes = await loadDecideSave(m, {
        load: (tx) => this.opportunities.loadLocked(tx, user, id),
        notFound: () => notFound(id),
        expectedVersion,
        decide,
        save: async (tx, o, c) => {
          // Read under the row lock taken by the load: nothing else changes the opportunity in between.
          const before = await this.opportunities.auditSnapshot(tx, o.id);
          await this.opportunities.save(tx, o.id, c);
          const audited = opportunityChanges(before, await this.opportunities.auditSnapshot(tx, o.id));
          // A command that changed nothing (a task completed again) leaves no entry.
          if (audited.length) await this.audit.record(tx, { recordType: OPPORTUNITY_RECORD, recordId: o.id, action, changes: audited });
          return c;
        },
      });
      // After the decision's events, so `opportunity.scored` follows the change that caused it.
      if (changes.activity) await this.addActivity(m, id);
      else if (changes.rescore) await this.scoring.scoreOpportunity(m, id);
    });
    return this.get(user, id);
  }

  /** Opens an opportunity and audits it as created; `by` is the user, or whoever converted the lead. */
  private async open(m: EntityManager, t: NewOpportunity, by: string): Promise<string | null> {
    const id = randomUUID();
    if (!(await this.opportunities.insertNew(m, decideOpen(t, id, new Date())))) return null;
    const changes = opportunityChanges(null, await this.opportunities.auditSnapshot(m, id));
    await this.audit.record(m, { recordType: OPPORTUNITY_RECORD, recordId: id, action: 'created', changes, actor: by });
    await this.scoring.scoreOpportunity(m, id);
    return id;
  }
}
