import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

/**
 * The customers-service account and contact of each receivable (ADR 0018), from `order.confirmed`; re-pointed by
 * merges, with the tables that remember what a merge moved. Older receivables have none.
 */
export class ReceivableCustomerRefs1765152000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE receivables ADD COLUMN account_id uuid, ADD COLUMN contact_id uuid');
    // A merge moves every receivable of an account or contact: found by index.
    await q.query('CREATE INDEX receivables_account_idx ON receivables (account_id, created_at) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX receivables_contact_idx ON receivables (contact_id) WHERE contact_id IS NOT NULL');
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('ALTER TABLE receivables DROP COLUMN contact_id, DROP COLUMN account_id');
  }
}
