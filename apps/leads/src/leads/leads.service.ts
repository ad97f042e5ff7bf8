import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { EventOf } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { AssignmentService } from '../assignment/assignment.service';
import { decideCapture, decideMerge, samePersonAmong, type CaptureInput } from './lead-capture.domain';
import { LeadReadsRepository } from './lead-reads.repository';
import { leadChanges } from './lead-audit';
import { decideLinkOpportunity } from './lead-workflow.domain';
import { contactKey } from './lead.domain';
import { FollowUpEntity, LeadEntity } from './lead.entities';
import type { ListLeadsQuery, OverdueQuery } from './leads.dto';
import { LeadsRepository } from './leads.repository';

export type { CaptureInput } from './lead-capture.domain';

export interface CaptureResult {
  merged: boolean;
  leadId: string;
  lead: LeadEntity;
}

const notFound = (id: string) => DomainError.notFound('lead', id);

/** Capture from every channel, the caller's views of leads, and the events that change a lead. */
@Injectable()
export class LeadsService {
  private readonly logger = new Logger(LeadsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly reads: LeadReadsRepository,
    private readonly assignment: AssignmentService,
    private readonly audit: AuditTrail,
  ) {}

  // ---- capture -------------------------------------------------------------------------------------

  /**
   * One path for every channel: de-duplicate against open leads, else store, publish `lead.captured` and
   * assign, all in one transaction. Advisory locks on the normalised email and phone make two submissions
   * of one person queue behind each other, so the second one sees the first and merges.
   */
  capture(input: CaptureInput, by: string): Promise<CaptureResult> {
    return inTransaction(this.dataSource, async (m) => {
      const key = contactKey(input);
      await this.leads.lockContact(m, key);
      const now = new Date();
      const existing = samePersonAmong(key, await this.leads.openLeadsOfContact(m, key))?.id;
      if (existing) {
        const before = await this.leads.load(m, existing);
        await this.leads.merge(m, decideMerge(existing, input, key, { touchId: randomUUID(), by, now }).changes);
        const merged = await this.leads.load(m, existing);
        await this.audit.record(m, { recordType: 'lead', recordId: existing, action: 'captured_again', changes: leadChanges(before, merged), actor: by });
        return { merged: true, leadId: existing, lead: merged };
      }
      const id = randomUUID();
      await this.leads.insert(m, decideCapture(input, key, { id, by, now }));
      const lead = {
        id,
        status: 'new' as const,
        version: 1,
        ownerRepId: null,
        region: input.region,
        productInterest: input.productInterest,
        source: input.source,
        companySize: input.companySize,
      };
      const outcome = await this.assignment.assign(m, lead, { kind: 'initial', by: 'system', now });
      if (!outcome.assigned) await this.leads.queueNew(m, id, outcome.reason);
      const created = await this.leads.load(m, id);
      await this.audit.record(m, { recordType: 'lead', recordId: id, action: 'created', changes: leadChanges(null, created), actor: by });
      return { merged: false, leadId: id, lead: created };
    });
  }

  /**
   * Capture for an authenticated caller. The lead comes back only when the caller's scope sees it: a capture
   * that merges into (or is routed to) another rep's lead must not hand that lead's contact data, needs and
   * owner to whoever typed the same email or phone. The others learn only that it was taken and under which id.
   */
  async captureFor(user: AuthUser, input: CaptureInput): Promise<CaptureResult | Omit<CaptureResult, 'lead'>> {
    const result = await this.capture(input, user.sub);
    return (await this.leads.isVisible(user, result.leadId)) ? result : { merged: result.merged, leadId: result.leadId };
  }

  // ---- reads ---------------------------------------------------------------------------------------

  list(user: AuthUser, query: ListLeadsQuery): Promise<Page<LeadEntity>> {
    return this.reads.list(user, query);
  }

  async get(user: AuthUser, id: string) {
    const [details, assignments] = await Promise.all([this.reads.details(user, id), this.assignment.history(id)]);
    if (!details) throw notFound(id);
    return { ...details.lead, touches: details.touches, assignments, followUps: details.followUps };
  }

  /** Follow-ups are shared with the whole team the lead belongs to, not only its owner. */
  async followUps(user: AuthUser, id: string): Promise<{ items: FollowUpEntity[] }> {
    if (!(await this.reads.followUpsVisible(user, id))) throw notFound(id);
    return { items: await this.reads.followUpsOf(id) };
  }

  /** Next actions past their due date whose lead is still open and has had no later follow-up. */
  overdueFollowUps(user: AuthUser, query: OverdueQuery, now = new Date()): Promise<Page<FollowUpEntity>> {
    return this.reads.overdueFollowUps(user, query, now);
  }

  // ---- events --------------------------------------------------------------------------------------

  /** Links a converted lead to the opportunity made from it; once, whatever the redeliveries. */
  async onOpportunityCreated(m: EntityManager, { data }: EventOf<'opportunity.created'>): Promise<void> {
    if (!data.leadId) return;
    const lead = await this.leads.lockById(m, data.leadId);
    const link = lead && decideLinkOpportunity(lead, data.opportunityId).changes;
    if (!link) {
      this.logger.log(`opportunity ${data.opportunityId} names lead ${data.leadId}, unknown here or already linked`);
      return;
    }
    await this.leads.saveOpportunityLink(m, data.leadId, link.opportunityId);
  }
}
