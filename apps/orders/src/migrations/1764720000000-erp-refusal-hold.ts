import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 0013: why an order is on hold (`hold_kind`: stock_shortage | erp_refused) and, for an ERP refusal, which
 * step the ERP refused and why (`erp_refusal`); alerts name their audience (the rep, or finance).
 */
export class ErpRefusalHold1764720000000 implements MigrationInterface {
  name = 'ErpRefusalHold1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE orders ADD COLUMN hold_kind text, ADD COLUMN erp_refusal jsonb');
    // Every hold before this one was a stock shortage.
    await q.query(`UPDATE orders SET hold_kind = 'stock_shortage' WHERE status = 'on_hold'`);
    await q.query(`ALTER TABLE alerts ADD COLUMN audience text NOT NULL DEFAULT 'rep' CHECK (audience IN ('rep', 'finance'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE alerts DROP COLUMN audience');
    await q.query('ALTER TABLE orders DROP COLUMN erp_refusal, DROP COLUMN hold_kind');
  }
}
