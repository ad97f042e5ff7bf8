import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 0013: stock put back because the ERP refused a step is `compensated` (an operator's retry may deduct it
 * again, a cancellation's `released` never is); a waiting order in ERP mode counts the ERP's "insufficient"
 * answers, which name the Idempotency-Key of the next attempt.
 */
export class ErpRefusalCompensation1764720000000 implements MigrationInterface {
  name = 'ErpRefusalCompensation1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_allocations DROP CONSTRAINT order_allocations_status_check');
    await q.query(`ALTER TABLE order_allocations ADD CONSTRAINT order_allocations_status_check CHECK (status IN ('deducted', 'released', 'compensated'))`);
    await q.query('ALTER TABLE backorders ADD COLUMN erp_attempts integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE backorders DROP COLUMN erp_attempts');
    await q.query('ALTER TABLE order_allocations DROP CONSTRAINT order_allocations_status_check');
    await q.query(`ALTER TABLE order_allocations ADD CONSTRAINT order_allocations_status_check CHECK (status IN ('deducted', 'released'))`);
  }
}
