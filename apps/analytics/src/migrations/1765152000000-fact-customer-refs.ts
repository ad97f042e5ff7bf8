import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

const FACTS = ['lead_facts', 'opportunity_facts', 'order_facts'];

/**
 * The customers-service account and contact of each lead, opportunity and order fact (ADR 0018), and the tables
 * that remember what each merge moved. Who a fact is with is not a dimension of any aggregate: a merge moves
 * the facts, never a total. Facts from before have none until a rebuild replays the events that carry them.
 */
export class FactCustomerRefs1765152000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    for (const table of FACTS) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN account_id uuid, ADD COLUMN contact_id uuid`);
      // A merge finds every fact of the merged account or contact by index.
      await q.query(`CREATE INDEX ${table}_account_idx ON ${table} (account_id) WHERE account_id IS NOT NULL`);
      await q.query(`CREATE INDEX ${table}_contact_idx ON ${table} (contact_id) WHERE contact_id IS NOT NULL`);
    }
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    for (const table of FACTS) await q.query(`ALTER TABLE ${table} DROP COLUMN contact_id, DROP COLUMN account_id`);
  }
}
