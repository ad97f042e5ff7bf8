import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HandOver1765756800000 implements MigrationInterface {
  name = 'HandOver1765756800000';

  async up(q: QueryRunner): Promise<void> {
    // A hand-over is a move by hand with its reason (ADR 0022): its own kind in the assignment history.
    await q.query('ALTER TABLE assignments DROP CONSTRAINT assignments_kind_check');
    await q.query(
      `ALTER TABLE assignments ADD CONSTRAINT assignments_kind_check CHECK (kind IN ('initial','sla_breach','manual','retry','quality','hand_over'))`,
    );
    // Each hand-over of a rep's open work: what a client reads back by its id, and the record of who did it and why.
    await q.query(`
      CREATE TABLE hand_overs (
        id uuid PRIMARY KEY,
        from_rep_id uuid NOT NULL REFERENCES reps(id),
        to_rep_id uuid NOT NULL REFERENCES reps(id),
        reason text NOT NULL,
        kinds text[] NOT NULL,
        leads_moved integer NOT NULL CHECK (leads_moved >= 0),
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_hand_overs_from ON hand_overs (from_rep_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE hand_overs');
    await q.query(`DELETE FROM assignments WHERE kind = 'hand_over'`);
    await q.query('ALTER TABLE assignments DROP CONSTRAINT assignments_kind_check');
    await q.query(`ALTER TABLE assignments ADD CONSTRAINT assignments_kind_check CHECK (kind IN ('initial','sla_breach','manual','retry','quality'))`);
  }
}
