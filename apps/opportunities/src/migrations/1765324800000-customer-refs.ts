import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

export class CustomerRefs1765324800000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // The customers service's account and contact (ADR 0018): from the request, or from the lead's resolution.
    await q.query('ALTER TABLE opportunities ADD COLUMN account_id uuid, ADD COLUMN contact_id uuid');
    await q.query('CREATE INDEX idx_opportunities_account_id ON opportunities (account_id) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX idx_opportunities_contact_id ON opportunities (contact_id) WHERE contact_id IS NOT NULL');
    // A lead resolved before its opportunity exists (the two topics are not ordered): kept until the opportunity opens.
    await q.query(`
      CREATE TABLE pending_customer_links (
        lead_id uuid PRIMARY KEY,
        account_id uuid,
        contact_id uuid NOT NULL,
        resolved_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_pending_links_account ON pending_customer_links (account_id) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX idx_pending_links_contact ON pending_customer_links (contact_id)');
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('DROP TABLE pending_customer_links');
    await q.query('ALTER TABLE opportunities DROP COLUMN account_id, DROP COLUMN contact_id');
  }
}
