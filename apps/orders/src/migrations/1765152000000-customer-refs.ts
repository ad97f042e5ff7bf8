import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

/**
 * ADR 0018: an order names its account and contact (ids in the customers service) and carries its billing and
 * shipping addresses; `accounts` is this service's copy of the accounts (from `account.created`/`account.updated`),
 * where a draft takes its default addresses; the merge tables let merges re-point the ids and undos restore them.
 */
export class CustomerRefs1765152000000 implements MigrationInterface {
  name = 'CustomerRefs1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE orders ADD COLUMN account_id uuid, ADD COLUMN contact_id uuid, ADD COLUMN billing_address jsonb, ADD COLUMN shipping_address jsonb',
    );
    // A merge re-points by these columns.
    await q.query('CREATE INDEX idx_orders_account ON orders (account_id) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX idx_orders_contact ON orders (contact_id) WHERE contact_id IS NOT NULL');
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        billing_address jsonb,
        shipping_address jsonb,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('DROP TABLE accounts');
    await q.query('DROP INDEX idx_orders_contact');
    await q.query('DROP INDEX idx_orders_account');
    await q.query('ALTER TABLE orders DROP COLUMN shipping_address, DROP COLUMN billing_address, DROP COLUMN contact_id, DROP COLUMN account_id');
  }
}
