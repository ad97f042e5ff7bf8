import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HandOver1765756800002 implements MigrationInterface {
  name = 'HandOver1765756800002';

  async up(q: QueryRunner): Promise<void> {
    // Who handed each order to whom, and why (ADR 0022): the reason stays with the record.
    await q.query(`
      CREATE TABLE order_hand_overs (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        from_rep_id uuid NOT NULL,
        to_rep_id uuid NOT NULL,
        status text NOT NULL,
        reason text NOT NULL,
        hand_over_id uuid,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_order_hand_overs_order ON order_hand_overs (order_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_hand_overs');
  }
}
