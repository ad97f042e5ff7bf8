import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 21: the lead an order's opportunity came from (`opportunity.won`'s leadId), so a lead's data export finds
 * its orders; orders drafted before this are found through their contact only.
 */
export class OrderLead1766102400020 implements MigrationInterface {
  name = 'OrderLead1766102400020';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE orders ADD COLUMN lead_id uuid');
    await q.query('CREATE INDEX idx_orders_lead ON orders (lead_id) WHERE lead_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_orders_lead');
    await q.query('ALTER TABLE orders DROP COLUMN lead_id');
  }
}
