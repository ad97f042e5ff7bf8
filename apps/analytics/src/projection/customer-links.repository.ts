import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { CustomerRefsRepository, type MergeApplied, type MergeUndone } from '@crm/customer-refs';
import { KEEP_CUSTOMER } from './fact-rows';

export type CustomerKind = 'account' | 'contact';

const FACT_KEYS = { lead_facts: 'lead_id', opportunity_facts: 'opportunity_id', order_facts: 'order_id' } as const;
const refsOf = (column: string) => new CustomerRefsRepository(Object.entries(FACT_KEYS).map(([table, key]) => ({ table, column, key })));
const REFS: Record<CustomerKind, CustomerRefsRepository> = { account: refsOf('account_id'), contact: refsOf('contact_id') };

/**
 * Who each lead, opportunity and order fact is with (the customers service's account and contact, ADR 0018):
 * links learned after the fact, and merges. Neither is a dimension of an aggregate, so nothing is re-projected.
 */
@Injectable()
export class CustomerLinksRepository {
  /** A converted lead matched (or created) its contact and account. */
  async leadResolved(m: EntityManager, data: EventData<'contact.lead_resolved'>): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, account_id, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (lead_id) DO UPDATE SET ${KEEP_CUSTOMER('lead_facts')}`,
      [data.leadId, data.accountId, data.contactId],
    );
  }

  async opportunityLinked(m: EntityManager, data: EventData<'opportunity.customer_linked'>): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, account_id, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (opportunity_id) DO UPDATE SET ${KEEP_CUSTOMER('opportunity_facts')}`,
      [data.opportunityId, data.accountId, data.contactId],
    );
  }

  /** A draft's customer, when it names one (the confirmation, later on the same partition, has the last word). */
  async orderDrafted(m: EntityManager, data: EventData<'order.drafted'>): Promise<void> {
    if (!data.accountId && !data.contactId) return;
    await m.query(
      `INSERT INTO order_facts (order_id, account_id, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (order_id) DO UPDATE SET ${KEEP_CUSTOMER('order_facts')}`,
      [data.orderId, data.accountId ?? null, data.contactId ?? null],
    );
  }

  /** The facts moved; 0 for a merge applied or undone before. */
  merged(m: EntityManager, kind: CustomerKind, merge: MergeApplied): Promise<number> {
    return REFS[kind].applyMerge(m, merge);
  }

  /** The facts moved back. */
  undone(m: EntityManager, kind: CustomerKind, undo: MergeUndone): Promise<number> {
    return REFS[kind].undoMerge(m, undo);
  }
}
