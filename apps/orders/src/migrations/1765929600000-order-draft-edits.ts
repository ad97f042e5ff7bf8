import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19: a draft can be edited before it is submitted. Each edit is kept (who, when, which parts, the
 * version it made, the editor's note), so the order's page can say who changed the draft and when; the status
 * history records only moves between states.
 */
export class OrderDraftEdits1765929600000 implements MigrationInterface {
  name = 'OrderDraftEdits1765929600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_draft_edits (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        version integer NOT NULL,
        changed text[] NOT NULL,
        note text,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_order_draft_edits_order ON order_draft_edits (order_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_draft_edits');
  }
}
