import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { accessScope, paginate, sortBy, type AuthUser, type Page, type SortColumns } from '@crm/http';
import { whereTextMatches } from '@crm/persistence';
import { FollowUpEntity, LeadEntity, LeadTouchEntity } from './lead.entities';
import type { LEAD_SORT_KEYS, ListLeadsQuery, OverdueQuery } from './leads.dto';
import { LeadsRepository } from './leads.repository';

// Each served by an index of migration 1765843200000 (created_at: idx_leads_created); NULLs as the index has them.
const SORT_COLUMNS = {
  createdAt: 'lead.createdAt',
  updatedAt: 'lead.updatedAt',
  contactName: 'lead.contactName',
  company: { column: 'lead.company', nullsAs: '' },
  score: { column: 'lead.score', nullsAs: -1 },
} satisfies Record<(typeof LEAD_SORT_KEYS)[number], SortColumns[string]>;

/** The queries behind the lead lists and a lead's details, each narrowed to what the caller may see. */
@Injectable()
export class LeadReadsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
  ) {}

  list(user: AuthUser, query: ListLeadsQuery): Promise<Page<LeadEntity>> {
    const qb = this.leads.scoped(user);
    if (query.status) qb.andWhere('lead.status = :status', { status: query.status });
    if (query.ownerId) qb.andWhere('lead.ownerRepId = :ownerId', { ownerId: query.ownerId });
    if (query.team) qb.andWhere('lead.team = :team', { team: query.team });
    if (query.source) qb.andWhere('lead.source = :source', { source: query.source });
    if (query.region) qb.andWhere('lead.region = :region', { region: query.region });
    if (query.from) qb.andWhere('lead.createdAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('lead.createdAt < :to', { to: query.to });
    if (query.overdue !== undefined) {
      const late = `lead.status = 'assigned' AND lead.firstFollowedUpAt IS NULL AND lead.firstFollowUpDueAt <= now()`;
      qb.andWhere(query.overdue ? `(${late})` : `NOT (${late})`);
    }
    if (query.q) {
      // An erased lead keeps its company and business facts: a search must not lead back to the person.
      qb.andWhere('lead.erasedAt IS NULL');
      whereTextMatches(qb, 'lead.search_text', query.q);
    }
    return paginate(qb, { sort: sortBy(query.sort, SORT_COLUMNS, '-createdAt'), tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  /** The lead with its touches and follow-ups, when the caller may see it. */
  async details(user: AuthUser, id: string): Promise<{ lead: LeadEntity; touches: LeadTouchEntity[]; followUps: FollowUpEntity[] } | undefined> {
    const lead = await this.leads.scoped(user).andWhere('lead.id = :id', { id }).getOne();
    if (!lead) return undefined;
    const m = this.dataSource.manager;
    const [touches, followUps] = await Promise.all([m.find(LeadTouchEntity, { where: { leadId: id }, order: { at: 'ASC' } }), this.followUpsOf(id)]);
    return { lead, touches, followUps };
  }

  /** Whether the caller may read the lead's follow-ups: theirs to see, or a lead of their team. */
  async followUpsVisible(user: AuthUser, id: string): Promise<boolean> {
    if (await this.leads.scoped(user).andWhere('lead.id = :id', { id }).getExists()) return true;
    return !!user.team && this.dataSource.manager.exists(LeadEntity, { where: { id, team: user.team } });
  }

  followUpsOf(leadId: string): Promise<FollowUpEntity[]> {
    return this.dataSource.manager.find(FollowUpEntity, { where: { leadId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Next actions past their due date whose lead is still open and has had no later follow-up. */
  overdueFollowUps(user: AuthUser, query: OverdueQuery, now: Date): Promise<Page<FollowUpEntity>> {
    const scope = accessScope(user);
    const qb = this.dataSource
      .getRepository(FollowUpEntity)
      .createQueryBuilder('f')
      .where('f.nextActionDueAt < :now', { now })
      .andWhere(`NOT EXISTS (SELECT 1 FROM follow_ups later WHERE later.lead_id = f.lead_id AND (later.at, later.id) > (f.at, f.id))`);
    const leads = ['l.id = f.lead_id', `l.status NOT IN ('disqualified', 'converted')`];
    if (query.repId) leads.push('l.owner_rep_id = :repId');
    if (scope.kind === 'team') leads.push('l.team = :team');
    if (scope.kind === 'own') leads.push('l.owner_rep_id = :self');
    qb.andWhere(`EXISTS (SELECT 1 FROM leads l WHERE ${leads.join(' AND ')})`, {
      repId: query.repId,
      team: scope.kind === 'team' ? scope.team : undefined,
      self: scope.kind === 'own' ? scope.repId : undefined,
    });
    return paginate(qb, { sort: { column: 'f.nextActionDueAt', direction: 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
