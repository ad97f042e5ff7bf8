import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { appendToOutbox } from '@crm/messaging';
import { decideLeadLink, type LeadResolution } from './customer-link.domain';
import { CustomerLinksRepository, type CustomerRefs } from './customer-links.repository';

const NONE: CustomerRefs = { accountId: null, contactId: null };

/**
 * An opportunity's account and contact (ADR 0018): from its lead's resolution, whichever of the two arrives
 * first, and moved by the customers service's merges and undos. A merge publishes nothing here: orders and
 * analytics re-point on the merge events themselves, and a second path would race the undo.
 */
@Injectable()
export class CustomerLinksService {
  private readonly logger = new Logger(CustomerLinksService.name);

  constructor(private readonly links: CustomerLinksRepository) {}

  async onLeadResolved(m: EntityManager, r: LeadResolution): Promise<void> {
    await this.links.lockLead(m, r.leadId);
    const opportunity = await this.links.opportunityOfLead(m, r.leadId);
    const decision = decideLeadLink(opportunity, r, new Date());
    if (decision.kind === 'keep') return this.links.keep(m, r);
    if (decision.kind === 'none') return this.logger.log(`the opportunity of lead ${r.leadId} is linked already`);
    await this.links.link(m, opportunity!.id, decision);
    await appendToOutbox(m, decision.events);
  }

  /**
   * Before a lead's opportunity opens: the resolution that came first, if any. Holds the lead's lock to the end
   * of the transaction, so a resolution arriving meanwhile waits and then finds the opportunity.
   */
  async refsForLead(m: EntityManager, leadId: string | null): Promise<CustomerRefs> {
    if (!leadId) return NONE;
    await this.links.lockLead(m, leadId);
    return (await this.links.pending(m, leadId)) ?? NONE;
  }

  /** After the opportunity opened with the kept resolution. */
  async opened(m: EntityManager, leadId: string | null, opportunityId: string, refs: CustomerRefs): Promise<void> {
    if (leadId && refs.contactId) await this.links.consumePending(m, leadId, opportunityId);
  }

  async onMerged(m: EntityManager, kind: 'account' | 'contact', e: EventData<'account.merged'>): Promise<void> {
    const moved = await this.links[`${kind}s`].applyMerge(m, e);
    this.logger.log(`${kind} merge ${e.mergeId}: ${moved} opportunity reference(s) now point at ${e.survivorId}`);
  }

  async onMergeUndone(m: EntityManager, kind: 'account' | 'contact', e: EventData<'account.merge_undone'>): Promise<void> {
    const restored = await this.links[`${kind}s`].undoMerge(m, e);
    this.logger.log(`${kind} merge ${e.mergeId} undone: ${restored} opportunity reference(s) point at ${e.restoredId} again`);
  }
}
