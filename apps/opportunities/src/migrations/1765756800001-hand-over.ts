import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HandOver1765756800001 implements MigrationInterface {
  name = 'HandOver1765756800001';

  async up(q: QueryRunner): Promise<void> {
    // The service's copy of the reps (leads' rep.upserted): a hand-over is refused for a rep it knows as inactive or
    // does not know (ADR 0022). The newer update wins.
    await q.query(`
      CREATE TABLE reps (
        rep_id uuid PRIMARY KEY,
        name text NOT NULL,
        team text,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Who handed each opportunity to whom, and why: the reason stays with the record.
    await q.query(`
      CREATE TABLE opportunity_hand_overs (
        id bigserial PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        from_rep_id uuid NOT NULL,
        to_rep_id uuid NOT NULL,
        reason text NOT NULL,
        hand_over_id uuid,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_opportunity_hand_overs_opportunity ON opportunity_hand_overs (opportunity_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE opportunity_hand_overs');
    await q.query('DROP TABLE reps');
  }
}
