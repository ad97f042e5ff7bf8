import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError, type Decision } from '@crm/domain';
import { accessScope, type AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { noEligibleRep } from '../assignment/lead-assignment.domain';
import { AssignmentService } from '../assignment/assignment.service';
import {
  decideConvert,
  decideDisqualify,
  decideEdit,
  decideFollowUp,
  decideQualify,
  decideReassign,
  unassignedAfterReroute,
  type ConvertInput,
  type FollowUpInput,
  type LeadEditInput,
} from './lead-workflow.domain';
import { followUpChanges, leadChanges } from './lead-audit';
import { assertNotErased, type DisqualifyReason } from './lead.domain';
import { FollowUpEntity, LeadEntity } from './lead.entities';
import { LeadsRepository } from './leads.repository';

/** The sales workflow on one lead: each command loads the caller's lead locked, decides, and stores the decision. */
@Injectable()
export class LeadWorkflowService {
  private readonly logger = new Logger(LeadWorkflowService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly assignment: AssignmentService,
    private readonly audit: AuditTrail,
  ) {}

  recordFollowUp(user: AuthUser, id: string, input: FollowUpInput): Promise<FollowUpEntity> {
    const decide = (lead: LeadEntity) => decideFollowUp(lead, input, { followUpId: randomUUID(), actor: user.sub, now: new Date() });
    return this.onLead(user, id, undefined, decide, async (m, _lead, changes) => {
      const followUp = await this.leads.saveFollowUp(m, changes);
      await this.audit.record(m, { recordType: 'lead', recordId: id, action: 'followed_up', changes: followUpChanges(followUp) });
      return followUp;
    });
  }

  qualify(user: AuthUser, id: string, note: string | undefined, expectedVersion?: number): Promise<LeadEntity> {
    return this.onAuditedLead(
      'qualified',
      user,
      id,
      expectedVersion,
      (lead) => decideQualify(lead, { by: user.sub, note, now: new Date() }),
      async (m, _lead, changes) => {
        await this.leads.saveQualified(m, id, changes.qualifiedAt);
        return this.leads.load(m, id);
      },
    );
  }

  /**
   * Closes the lead with its reason; a reason that blames the routing (wrong territory or product line)
   * moves it to another rep instead, or to the managers' queue when nobody else fits.
   */
  async disqualify(user: AuthUser, id: string, dto: { reason: DisqualifyReason; note?: string }, expectedVersion?: number): Promise<LeadEntity> {
    const now = new Date();
    const lead = await this.onAuditedLead(
      'disqualified',
      user,
      id,
      expectedVersion,
      (lead) => decideDisqualify(lead, { by: user.sub, ...dto, now }),
      async (m, current, changes) => {
        if (changes.kind === 'close') {
          await this.assignment.release(m, changes.releaseRepId);
          await this.leads.saveDisqualified(m, id, changes);
        } else {
          const outcome = await this.assignment.assign(m, current, {
            kind: 'quality',
            by: user.sub,
            now,
            excludeRepId: changes.excludeRepId,
            note: changes.note,
          });
          if (!outcome.assigned) {
            const queued = unassignedAfterReroute(current, changes.note, outcome.reason);
            await this.assignment.release(m, queued.releaseRepId);
            await this.leads.saveUnassigned(m, id, queued.reason);
          }
        }
        return this.leads.load(m, id);
      },
    );
    await this.afterCapacityFreed();
    return lead;
  }

  async convert(user: AuthUser, id: string, dto: ConvertInput, expectedVersion?: number): Promise<LeadEntity> {
    const lead = await this.onAuditedLead(
      'converted',
      user,
      id,
      expectedVersion,
      (lead) => decideConvert(lead, dto, { by: user.sub, now: new Date() }),
      async (m, _lead, changes) => {
        await this.assignment.release(m, changes.releaseRepId);
        await this.leads.saveConverted(m, id, changes);
        return this.leads.load(m, id);
      },
    );
    await this.afterCapacityFreed();
    return lead;
  }

  /** A manager moves the lead to a rep of their choice, or lets the rules pick someone other than the owner. */
  reassign(user: AuthUser, id: string, dto: { repId?: string; note?: string }, expectedVersion?: number): Promise<LeadEntity> {
    const scope = accessScope(user);
    const managerTeam = scope.kind === 'team' ? scope.team : undefined;
    return inTransaction(this.dataSource, async (m) => {
      const repTeam = dto.repId && managerTeam !== undefined ? await this.assignment.teamOf(m, dto.repId) : undefined;
      return this.onAuditedLead(
        'reassigned',
        user,
        id,
        expectedVersion,
        (lead) => decideReassign(lead, { repId: dto.repId, managerTeam, repTeam }),
        async (m, lead, changes) => {
          const outcome = await this.assignment.assign(m, lead, {
            kind: 'manual',
            by: user.sub,
            now: new Date(),
            repId: changes.repId,
            excludeRepId: changes.excludeRepId,
            note: dto.note,
          });
          if (!outcome.assigned) throw noEligibleRep(outcome.reason);
          return this.leads.load(m, id);
        },
        m,
      );
    });
  }

  /**
   * Edits the lead; a change to what the rules look at (the quality score, region, product interest, company
   * size) runs the rules again, and the lead moves when that crosses a rule's threshold (see `decideRescore`).
   */
  update(user: AuthUser, id: string, dto: LeadEditInput, expectedVersion: number): Promise<LeadEntity> {
    return this.onAuditedLead(
      'updated',
      user,
      id,
      expectedVersion,
      (lead) => decideEdit(lead, dto),
      async (m, before, changes) => {
        await this.leads.saveEdit(m, id, changes);
        if (changes.rescored) await this.assignment.afterRescore(m, before, await this.leads.load(m, id), user.sub, new Date());
        return this.leads.load(m, id);
      },
    );
  }

  /** `onLead` for a command that answers the lead: the trail gets the fields it changed, in the same transaction. */
  private onAuditedLead<C>(
    action: string,
    user: AuthUser,
    id: string,
    expectedVersion: number | undefined,
    decide: (lead: LeadEntity) => Decision<C>,
    save: (m: EntityManager, lead: LeadEntity, changes: C) => Promise<LeadEntity>,
    within: DataSource | EntityManager = this.dataSource,
  ): Promise<LeadEntity> {
    const audited = async (m: EntityManager, before: LeadEntity, changes: C) => {
      const after = await save(m, before, changes);
      await this.audit.record(m, { recordType: 'lead', recordId: id, action, changes: leadChanges(before, after) });
      return after;
    };
    return this.onLead(user, id, expectedVersion, decide, audited, within);
  }

  /** One command on the caller's lead: loaded locked and visible, version checked, decided (never on an erased lead), saved, its events appended. */
  private onLead<C, R>(
    user: AuthUser,
    id: string,
    expectedVersion: number | undefined,
    decide: (lead: LeadEntity) => Decision<C>,
    save: (m: EntityManager, lead: LeadEntity, changes: C) => Promise<R>,
    within: DataSource | EntityManager = this.dataSource,
  ): Promise<R> {
    return inTransaction(within, (m) =>
      loadDecideSave(m, {
        load: (m) => this.leads.lockVisible(m, user, id),
        notFound: () => DomainError.notFound('lead', id),
        expectedVersion,
        decide: (lead) => {
          assertNotErased(lead);
          return decide(lead);
        },
        save,
      }),
    );
  }

  /** Closing a lead frees a place: queued leads may now have a rep. */
  private async afterCapacityFreed() {
    await this.assignment.retryUnassigned().catch((err: Error) => this.logger.warn(`retry after freed capacity failed: ${err.message}`));
  }
}
