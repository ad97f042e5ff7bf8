import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerRefsRepository, handOverMoves } from '@crm/customer-refs';
import type { LeadResolution, LinkTarget } from './customer-link.domain';

export interface CustomerRefs {
  accountId: string | null;
  contactId: string | null;
}

const PENDING = 'pending_customer_links';

/** Opportunities' account and contact ids, the resolutions that wait for their opportunity, and the merges that move both. */
@Injectable()
export class CustomerLinksRepository {
  // A resolution kept aside moves with a merge like the opportunity it will become.
  readonly accounts = new CustomerRefsRepository([
    { table: 'opportunities', column: 'account_id', key: 'id' },
    { table: PENDING, column: 'account_id', key: 'lead_id' },
  ]);
  readonly contacts = new CustomerRefsRepository([
    { table: 'opportunities', column: 'contact_id', key: 'id' },
    { table: PENDING, column: 'contact_id', key: 'lead_id' },
  ]);

  /** A lead's resolution and its opportunity's opening queue behind each other, so neither misses the other. */
  async lockLead(m: EntityManager, leadId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`opportunity-lead:${leadId}`]);
  }

  async opportunityOfLead(m: EntityManager, leadId: string): Promise<LinkTarget | undefined> {
    const [row] = await m.query(
      'SELECT id, lead_id AS "leadId", account_id AS "accountId", contact_id AS "contactId" FROM opportunities WHERE lead_id = $1 FOR UPDATE',
      [leadId],
    );
    return row;
  }

  /** A system link, like the activity counter: it does not bump the version (the ETag). */
  async link(m: EntityManager, id: string, refs: CustomerRefs): Promise<void> {
    await m.query('UPDATE opportunities SET account_id = $2, contact_id = $3, updated_at = now() WHERE id = $1', [id, refs.accountId, refs.contactId]);
  }

  async keep(m: EntityManager, r: LeadResolution): Promise<void> {
    await m.query(`INSERT INTO ${PENDING} (lead_id, account_id, contact_id, resolved_at) VALUES ($1, $2, $3, $4) ON CONFLICT (lead_id) DO NOTHING`, [
      r.leadId,
      r.accountId,
      r.contactId,
      r.resolvedAt,
    ]);
  }

  async pending(m: EntityManager, leadId: string): Promise<CustomerRefs | undefined> {
    const [row] = await m.query(`SELECT account_id AS "accountId", contact_id AS "contactId" FROM ${PENDING} WHERE lead_id = $1`, [leadId]);
    return row;
  }

  /** The opportunity took the kept resolution: it goes, and what merges remember of it now names the opportunity. */
  async consumePending(m: EntityManager, leadId: string, opportunityId: string): Promise<void> {
    await m.query(`DELETE FROM ${PENDING} WHERE lead_id = $1`, [leadId]);
    await handOverMoves(m, { table: PENDING, recordId: leadId }, { table: 'opportunities', recordId: opportunityId });
  }
}
