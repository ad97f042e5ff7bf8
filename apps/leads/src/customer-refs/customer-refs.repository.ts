import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerRefsRepository } from '@crm/customer-refs';

/** The leads' account and contact ids: set once by the lead's resolution, moved by merges and their undos. */
@Injectable()
export class LeadCustomerRefsRepository {
  readonly accounts = new CustomerRefsRepository([{ table: 'leads', column: 'account_id', key: 'id' }]);
  readonly contacts = new CustomerRefsRepository([{ table: 'leads', column: 'contact_id', key: 'id' }]);

  /** Only an unresolved lead takes a resolution: one a merge has since moved keeps where the merge put it. */
  async resolve(m: EntityManager, leadId: string, accountId: string | null, contactId: string): Promise<boolean> {
    const [, count] = await m.query('UPDATE leads SET account_id = $2, contact_id = $3, updated_at = now() WHERE id = $1 AND contact_id IS NULL', [
      leadId,
      accountId,
      contactId,
    ]);
    return Number(count) > 0;
  }
}
