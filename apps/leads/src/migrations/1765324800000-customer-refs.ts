import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

export class CustomerRefs1765324800000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // The account and contact a converted lead was resolved to (ADR 0018); null until contact.lead_resolved.
    await q.query('ALTER TABLE leads ADD COLUMN account_id uuid, ADD COLUMN contact_id uuid');
    // A merge re-points every lead of the merged record: one indexed update per column.
    await q.query('CREATE INDEX idx_leads_account ON leads (account_id) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX idx_leads_contact ON leads (contact_id) WHERE contact_id IS NOT NULL');
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('ALTER TABLE leads DROP COLUMN account_id, DROP COLUMN contact_id');
  }
}
