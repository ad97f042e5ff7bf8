import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { LeadCustomerRefsRepository } from './customer-refs.repository';

type Merge = EventData<'account.merged'>;
type Undo = EventData<'account.merge_undone'>;

/** A lead learns its account and contact from the customers service, and follows their merges (ADR 0018). */
@Injectable()
export class LeadCustomerRefsService {
  private readonly logger = new Logger(LeadCustomerRefsService.name);

  constructor(private readonly refs: LeadCustomerRefsRepository) {}

  async onLeadResolved(m: EntityManager, r: EventData<'contact.lead_resolved'>): Promise<void> {
    if (!(await this.refs.resolve(m, r.leadId, r.accountId, r.contactId))) this.logger.log(`lead ${r.leadId} is unknown here or resolved already`);
  }

  async onMerged(m: EntityManager, kind: 'account' | 'contact', e: Merge): Promise<void> {
    const moved = await this.refs[`${kind}s`].applyMerge(m, e);
    this.logger.log(`${kind} merge ${e.mergeId}: ${moved} lead(s) now point at ${e.survivorId}`);
  }

  async onMergeUndone(m: EntityManager, kind: 'account' | 'contact', e: Undo): Promise<void> {
    const restored = await this.refs[`${kind}s`].undoMerge(m, e);
    this.logger.log(`${kind} merge ${e.mergeId} undone: ${restored} lead(s) point at ${e.restoredId} again`);
  }
}
